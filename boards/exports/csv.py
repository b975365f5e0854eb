"""The notes as CSV, one row per note, for the spreadsheet a team plans in.

UTF-8 with a byte-order mark, so Excel reads accents and emoji right, and
with every cell that a spreadsheet would run as a formula neutralised.
"""

import csv
import io

COLUMNS = [
    "workshop",
    "board",
    "section",
    "stage",
    "lane",
    "text",
    "color",
    "author",
    "votes",
    "cluster",
    "created_at",
]

# A cell starting with one of these is a formula to Excel, LibreOffice and
# Google Sheets (OWASP "CSV injection"); a leading apostrophe makes it text.
# Spreadsheets skip blanks before a formula (" =1+1" and "\n=1+1" run too),
# and a leading tab or carriage return is neutralised whatever follows.
FORMULA_STARTS = ("=", "+", "-", "@")
BLANKS = " \t\r\n"


def cell(value) -> str | int:
    if isinstance(value, int):
        return value
    value = "" if value is None else str(value)
    if value.startswith(("\t", "\r")) or value.lstrip(BLANKS).startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(summary: dict) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    title = summary["workshop"]["title"]
    for board in summary["boards"]:
        for note in board["notes"]:
            row = [
                title,
                board["title"],
                note["section_title"],
                note["stage_title"],
                note["lane_title"],
                note["text"],
                note["color"],
                note["author"] or "anonymous",
                note["votes"],
                note["cluster_title"],
                note["created_at"],
            ]
            writer.writerow([cell(v) for v in row])
    from boards.exports import CSV_PARTS

    for part in CSV_PARTS:
        for row in part(summary):
            writer.writerow([cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
