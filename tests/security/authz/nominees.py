"""Nominations of individuals: only the unit's own users, on their own unit's people."""

from emulation.extensions import db
from emulation.models import Candidate

from ._roles import UNIT_A, only

UNITS = ("editor_a", "head_a", "editor_b")


def _nominee(w) -> int:
    """A person unit A nominated (made once per world)."""
    found = getattr(w, "nominee_a", None)
    if found is None:
        found = Candidate(movement=w.movement, unit=w.dossier_a.candidate.unit,
                          kind="individual", person_name="Nguyễn Văn An")  # fmt: skip
        db.session.add(found)
        db.session.commit()
        w.nominee_a = found
    return found.id


ROUTES = {
    # Both units compete in the movement; an empty form is refused with its errors (422).
    "nominees.page": {
        "url": lambda w: {"movement_id": w.movement.id},
        "GET": only(200, UNITS),
        "POST": only(422, UNITS),
    },
    "nominees.import_table": {
        "url": lambda w: {"movement_id": w.movement.id},
        "POST": only(422, UNITS),
    },
    "nominees.remove": {
        "url": lambda w: {"candidate_id": _nominee(w)},
        "POST": only(302, UNIT_A),
    },
    # The round is closed: A is sent back to its page with a message; B is refused.
    "nominees.start_dossier": {
        "url": lambda w: {"round_id": w.round.id, "candidate_id": _nominee(w)},
        "POST": only(302, UNIT_A),
    },
}
