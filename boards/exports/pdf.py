"""The summary as a typeset PDF, from the same template as the summary page.

WeasyPrint lays out the HTML of boards/_summary_body.html with the print rules
of static/css/summary.css; page numbers come from @page in that stylesheet.
"""

from functools import cache

from django.conf import settings
from django.template.loader import render_to_string


@cache
def stylesheet() -> str:
    return (settings.BASE_DIR / "static" / "css" / "summary.css").read_text()


def summary_html(summary: dict) -> str:
    return render_to_string("boards/summary_document.html", {"summary": summary, "css": stylesheet()})


def to_pdf(summary: dict, progress=None) -> bytes:
    """The PDF; `progress(percent, step)`, if given, hears how far it got (for the waiting page).

    Laying out the pages is most of the time (Pango's line breaking), so the
    steps are: laying out (from 40 %), writing the file (85 %).
    """
    from weasyprint import HTML

    report = progress or (lambda percent, step: None)
    report(40, "Laying out the pages")
    document = HTML(string=summary_html(summary), base_url=str(settings.BASE_DIR)).render()
    report(85, f"Writing {len(document.pages)} pages")
    return document.write_pdf()
