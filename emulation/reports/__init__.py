"""Interim (sơ kết) and final (tổng kết) reports: one data model, four renderers, charts."""

from .charts import build_charts
from .data import KINDS, Report, ReportError, build_report
from .render_docx import render_docx
from .render_html import render_html
from .render_pdf import render_pdf
from .render_xlsx import render_xlsx

OFFICE = "application/vnd.openxmlformats-officedocument"
# format: (renderer, MIME type)
RENDERERS = {
    # send_file adds "; charset=utf-8" to text types itself.
    "html": (render_html, "text/html"),
    "xlsx": (render_xlsx, f"{OFFICE}.spreadsheetml.sheet"),
    "pdf": (render_pdf, "application/pdf"),
    "docx": (
        render_docx,
        f"{OFFICE}.wordprocessingml.document",
    ),
}

__all__ = ["KINDS", "RENDERERS", "Report", "ReportError", "build_charts", "build_report"]
