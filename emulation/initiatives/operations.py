"""The initiatives register: record a recognised initiative, count it for a candidate.

An initiative counts for at most one candidate in a movement (a unit, or one of its authors),
so the same initiative never earns points or eligibility twice — unless the rule file says
`[initiatives] shared = true`: then it counts for each of its authors and its unit, once
each. Write operations flush only.
"""

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from ..audit import record
from ..extensions import db
from ..folding import fold
from ..lifecycle.rules import rules_of
from ..models import (
    INITIATIVE_LEVELS,
    Candidate,
    Initiative,
    InitiativeClaim,
    Movement,
    Unit,
    User,
)
from ..scoring.authority import CandidateFacts


class InitiativeError(ValueError):
    """An initiative that cannot be recorded or counted, with a message for the user."""

    def __init__(self, message):
        super().__init__("initiative refused")
        self.message = message


@dataclass
class InitiativeInput:
    """What the secretariat records of a recognised initiative."""

    unit: Unit
    title: str
    authors: str
    field: str
    decision_no: str
    decision_date: date
    level: str
    scope: str = ""


def add_initiative(data: InitiativeInput, *, user: User | None, now: datetime) -> Initiative:
    """Record a recognised initiative with its recognising decision."""
    title, authors = " ".join(data.title.split()), "; ".join(
        " ".join(a.split()) for a in data.authors.replace(",", ";").split(";") if a.strip()
    )
    if not title or not authors or not data.decision_no.strip():
        raise InitiativeError(_l("Give the title, the authors and the decision number."))
    if data.level not in INITIATIVE_LEVELS:
        raise InitiativeError(_l("Unknown level of the recognising decision."))
    if not date(1990, 1, 1) <= data.decision_date <= now.date():
        raise InitiativeError(_l("The decision date must be a past date after 1990."))
    initiative = Initiative(
        unit=data.unit, title=title, authors=authors, field=data.field.strip(),
        decision_no=data.decision_no.strip(), decision_date=data.decision_date, level=data.level,
        scope=data.scope.strip(), created_at=now, created_by=user,
    )  # fmt: skip
    db.session.add(initiative)
    db.session.flush()
    record("initiative_added", now=now, actor=user, obj=initiative,
           details={"unit": data.unit.code, "decision": initiative.decision_no})  # fmt: skip
    return initiative


def shared_in(movement: Movement) -> bool:
    """Whether the movement's rules (as its latest round froze them) share initiatives."""
    rounds = sorted(movement.rounds, key=lambda r: r.opens_at)
    if not rounds:
        return False
    rules = rules_of(rounds[-1])
    return bool(rules.initiatives and rules.initiatives.shared)


def claim(initiative: Initiative, candidate: Candidate, *, user: User | None,
          now: datetime) -> InitiativeClaim:  # fmt: skip
    """Count the initiative for its unit or one of its authors (shared only if rules allow)."""
    shared = shared_in(candidate.movement)
    authors = {fold(a) for a in initiative.author_names}
    is_author = candidate.kind == "individual" and fold(candidate.person_name or "") in authors
    # Co-authors may work in other units; a shared initiative counts for each of them.
    if candidate.unit_id != initiative.unit_id and not (shared and is_author):
        raise InitiativeError(_l("An initiative counts only for its own unit or its authors."))
    if candidate.kind == "individual" and not is_author:
        raise InitiativeError(_l("This person is not among the initiative's authors."))
    claims = db.session.execute(
        db.select(InitiativeClaim).filter_by(
            initiative_id=initiative.id, movement_id=candidate.movement_id
        )
    ).scalars()
    mine = list(claims)
    for c in mine:
        if c.candidate_id == candidate.id:
            return c
    existing = mine[0] if mine else None
    if existing is not None and not shared:
        raise InitiativeError(
            _l("This initiative already counts for %(name)s in this movement.",
               name=existing.candidate.display_name)  # fmt: skip
        )
    made = InitiativeClaim(initiative=initiative, movement_id=candidate.movement_id,
                           candidate=candidate, claimed_at=now)  # fmt: skip
    db.session.add(made)
    db.session.flush()
    record("initiative_claimed", now=now, actor=user, obj=initiative,
           details={"candidate": candidate.id, "movement": candidate.movement_id})  # fmt: skip
    return made


def register(unit: Unit | None = None) -> list[Initiative]:
    """Every recorded initiative (or one unit's), newest decision first."""
    query = db.select(Initiative).order_by(Initiative.decision_date.desc(), Initiative.id.desc())
    if unit is not None:
        query = query.filter_by(unit_id=unit.id)
    return list(db.session.execute(query).scalars())


def counted_for(candidate: Candidate) -> list[Initiative]:
    """The initiatives that count for this candidate in its movement."""
    return list(
        db.session.execute(
            db.select(Initiative)
            .join(InitiativeClaim, InitiativeClaim.initiative_id == Initiative.id)
            .where(InitiativeClaim.candidate_id == candidate.id)
            .order_by(Initiative.decision_date)
        ).scalars()
    )


def facts_of(candidate: Candidate, year: int) -> CandidateFacts:
    """The candidate's facts for award conditions: the levels of its counted initiatives."""
    return CandidateFacts(year=year, initiative_levels=[i.level for i in counted_for(candidate)])
