"""The council's documents for a round: minutes, decision (own awards), proposal letter (higher).

Thin wrappers that pick the rule set of the round; the documents themselves live in
`emulation.documents`, in the format of Decree 30/2020/NĐ-CP, loaded (with python-docx) when
the first document is made.
"""

from ..documents.common import awardees, higher_bodies
from ..dossiers.scoring import rules_of
from ..extensions import db
from ..history.succession import unit_label
from ..models import Candidate, Round, Unit


def with_people(payload: dict) -> dict:
    """The payload with full designations: a person's position and unit, a unit's former names."""
    ids = {}
    for row in payload["results"]["results"]:
        key = row["unit_code"]
        if row.get("kind") == "individual" and "/" in key and key.rsplit("/", 1)[1].isdigit():
            ids[int(key.rsplit("/", 1)[1])] = key
    people = {}
    for row in payload["results"]["results"]:
        if row.get("kind", "collective") == "collective":
            unit = db.session.execute(
                db.select(Unit).filter_by(code=row["unit_code"])
            ).scalar_one_or_none()
            if unit is not None and (label := unit_label(unit)) != row["unit_name"]:
                people[row["unit_code"]] = label
    if ids:
        found = db.session.execute(db.select(Candidate).where(Candidate.id.in_(ids))).scalars()
        for c in found:
            parts = [c.person_name, c.position, c.unit.name]
            people[ids[c.id]] = ", ".join(p for p in parts if p)
    return {**payload, "people": people}


def minutes(round_: Round, payload: dict, *, frozen_hash: str | None) -> bytes:
    """The minutes of the council meeting; a draft while the ranking is not frozen."""
    from ..documents.minutes import minutes as _minutes

    return _minutes(round_, with_people(payload), rules_of(round_), draft=frozen_hash is None)


def decision(round_: Round, payload: dict, *, frozen_hash: str) -> bytes:
    """The decision of the council's head on the awards it grants itself."""
    from ..documents.decision import decision as _decision

    return _decision(round_, with_people(payload), rules_of(round_))


def proposal(round_: Round, payload: dict, *, frozen_hash: str) -> bytes:
    """The proposal letter to each higher body for the awards only it may grant."""
    from ..documents.proposal import proposal as _proposal

    return _proposal(round_, with_people(payload), rules_of(round_))


def has_higher(round_: Round, payload: dict) -> bool:
    """True when the council passed an award that must be proposed upward."""
    return bool(higher_bodies(payload, rules_of(round_)))


def has_own(round_: Round, payload: dict) -> bool:
    """True when the council passed an award its head grants."""
    return any(tier.is_own for tier, _people in awardees(payload, rules_of(round_)))
