"""Interim and final reports: the council reads the page, the secretariat downloads files."""

from ._roles import COUNCIL, STAFF, only

ROUTES = {
    "reports.report_page": {"url": lambda w: {"round_id": w.round.id}, "GET": only(200, COUNCIL)},
    "reports.report_file": {
        "url": lambda w: {"round_id": w.round.id, "fmt": "html"},
        "GET": only(200, STAFF),
    },
}
