"""The notes as CSV, one row per note, for the spreadsheet a team plans in; then, for
journey maps, the curves: one row per stage × persona × curve (as-is, to-be) with
mean, s.d., min, max, n and the gap, so a spreadsheet can rebuild every curve.

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


CURVE_COLUMNS = [
    "workshop",
    "board",
    "stage",
    "persona",
    "curve",
    "mean",
    "sd",
    "min",
    "max",
    "n",
    "under_floor",
    "gap_to_be",
    "scores",
]


def number(value) -> str:
    """A number as a spreadsheet reads it: 2 decimals, a plain minus; empty when not shown."""
    return "" if value is None else f"{value:.2f}"


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
    rows = [
        (board, row)
        for board in summary["boards"]
        if board["journey"]
        for row in board["journey"]["curve_rows"]
    ]
    if rows:
        # A second table after a blank line: spreadsheets read it as its own block.
        writer.writerow([])
        writer.writerow(CURVE_COLUMNS)
        for board, row in rows:
            values = [title, board["title"], row["stage"], row["persona"], row["curve"]]
            # Numbers go out as numbers, not through cell(): "-1.50" is a value, not a formula.
            numbers = [number(row[k]) for k in ("mean", "sd", "min", "max")]
            scores = " ".join(str(s) for s in row["scores"])
            writer.writerow(
                [cell(v) for v in values]
                + numbers
                + [row["count"], "yes" if row["below_floor"] else "no", number(row["gap"]), scores]
            )
    from boards.exports import CSV_PARTS

    for part in CSV_PARTS:
        for row in part(summary):
            writer.writerow([cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
