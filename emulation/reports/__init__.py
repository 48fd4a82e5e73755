"""Interim (sơ kết) and final (tổng kết) reports: one data model, four renderers, charts."""

from importlib import import_module

from .charts import build_charts
from .data import KINDS, Report, ReportError, build_report
from .render_html import render_html


def _on_use(name: str):
    """The renderer `name`, imported when a file is first asked for: keeps start-up fast."""

    def render(report: Report, charts: dict | None = None) -> bytes:
        return getattr(import_module(f"{__name__}.{name}"), name)(report, charts)

    return render


OFFICE = "application/vnd.openxmlformats-officedocument"
# format: (renderer, MIME type)
RENDERERS = {
    # send_file adds "; charset=utf-8" to text types itself.
    "html": (render_html, "text/html"),
    "xlsx": (_on_use("render_xlsx"), f"{OFFICE}.spreadsheetml.sheet"),
    "pdf": (_on_use("render_pdf"), "application/pdf"),
    "docx": (
        _on_use("render_docx"),
        f"{OFFICE}.wordprocessingml.document",
    ),
}

__all__ = ["KINDS", "RENDERERS", "Report", "ReportError", "build_charts", "build_report"]
