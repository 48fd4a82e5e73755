"""The audit log: the secretariat and administrators only; a unit or council member never."""

from ._roles import STAFF, only

ROUTES = {
    "auditlog.index": {"query": {"unit": "1"}, "GET": only(200, STAFF)},
    "auditlog.export": {"url": lambda w: {"fmt": "csv"}, "GET": only(200, STAFF)},
}
