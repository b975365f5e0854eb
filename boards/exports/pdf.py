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


def to_pdf(summary: dict) -> bytes:
    from weasyprint import HTML

    return HTML(string=summary_html(summary), base_url=str(settings.BASE_DIR)).write_pdf()
