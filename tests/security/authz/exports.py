"""Ranking downloads: the secretariat and administrators only."""

from ._roles import STAFF, only

ROUTES = {
    "exports.download": {
        "url": lambda w: {"round_id": w.round.id, "fmt": "csv"},
        "GET": only(200, STAFF),
    },
}
