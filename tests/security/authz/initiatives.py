"""The initiatives register: the secretariat and the administrator only."""

from emulation.extensions import db
from emulation.models import Initiative

from ._roles import STAFF, only


def _initiative(w) -> int:
    """An initiative of unit A (made once per world)."""
    found = getattr(w, "initiative_a", None)
    if found is None:
        from datetime import date

        found = Initiative(unit=w.units["A"], title="Sáng kiến", authors="Nguyễn Văn An",
                           field="", decision_no="1/QĐ", decision_date=date(2024, 1, 2),
                           level="unit", scope="", created_at=w.round.deadline)  # fmt: skip
        db.session.add(found)
        db.session.commit()
        w.initiative_a = found
    return found.id


ROUTES = {
    # An empty form is refused with its errors (422).
    "initiatives.page": {"GET": only(200, STAFF), "POST": only(422, STAFF)},
    # No candidate chosen: back to the register with a message.
    "initiatives.claim_view": {
        "url": lambda w: {"initiative_id": _initiative(w)},
        "POST": only(302, STAFF),
    },
}
