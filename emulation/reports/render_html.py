"""HTML renderer: the same template as the page, as one self-contained printable file."""

import base64

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from .charts import build_charts
from .data import Report
from .fmt import locale_number, place_date


def data_uris(charts: dict) -> dict:
    """PNG charts as data: URIs (allowed by the page's Content-Security-Policy)."""
    return {
        name: "data:image/png;base64," + base64.b64encode(png).decode()
        for name, png in charts.items()
    }


def chart_texts() -> dict:
    """The charts' labels in the current language."""
    return {
        "participation": _("Dossiers received per cluster"),
        "on_time": _("On time"),
        "late": _("Late (grace period)"),
        "missing": _("Not submitted"),
        "units": _("Number of units"),
        "distribution": _("Distribution of total points"),
        "points": _("Total points"),
        "groups": _("Average points per criterion group"),
        "share_of_max": _("Share of maximum points (%)"),
        "top": _("Leading units"),
        "compliance": _("Share of units reaching each indicator's target"),
        "share_units": _("Share of units (%)"),
        "comparison": _("Change in total points from the interim to the final review"),
        "interim": _("Interim review"),
        "final": _("Final review"),
    }


def percent_formatter(fmt):
    """'85,7%' from a share 0..1 with the given number formatter; '—' for None."""

    def percent(share) -> str:
        """The share as a percent."""
        return "—" if share is None else fmt(round(share * 100, 1)) + "%"

    return percent


def context(report: Report, charts: dict | None = None) -> dict:
    """What the report templates need, in the current language."""
    fmt = locale_number()
    if charts is None:
        charts = build_charts(report, chart_texts(), fmt)
    return {"r": report, "charts": data_uris(charts), "fmt": fmt, "pct": percent_formatter(fmt)}


def render_html(report: Report, charts: dict | None = None, *, locale: str = "vi") -> bytes:
    """The report as a standalone HTML file (Vietnamese unless told otherwise)."""
    with force_locale(locale):
        # The files' Vietnamese charts are reused only when the file is in Vietnamese.
        page = render_template(
            "reports/standalone.html",
            place_date=place_date(report.place, report.generated_at),
            **context(report, charts if locale == "vi" else None),
        )
    return page.encode("utf-8")
