"""Interim (sơ kết) and final (tổng kết) reports: one data model, four renderers, charts."""

from .charts import build_charts
from .data import KINDS, Report, ReportError, build_report
from .render_html import render_html


# The file renderers are imported when a file is asked for: that keeps start-up fast.
def _docx(report: Report, charts: dict | None = None) -> bytes:
    from .render_docx import render_docx

    return render_docx(report, charts)


def _pdf(report: Report, charts: dict | None = None) -> bytes:
    from .render_pdf import render_pdf

    return render_pdf(report, charts)


def _xlsx(report: Report, charts: dict | None = None) -> bytes:
    from .render_xlsx import render_xlsx

    return render_xlsx(report, charts)


OFFICE = "application/vnd.openxmlformats-officedocument"
# format: (renderer, MIME type)
RENDERERS = {
    # send_file adds "; charset=utf-8" to text types itself.
    "html": (render_html, "text/html"),
    "xlsx": (_xlsx, f"{OFFICE}.spreadsheetml.sheet"),
    "pdf": (_pdf, "application/pdf"),
    "docx": (
        _docx,
        f"{OFFICE}.wordprocessingml.document",
    ),
}

__all__ = ["KINDS", "RENDERERS", "Report", "ReportError", "build_charts", "build_report"]
