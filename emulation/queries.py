"""Read-only queries shared by the pages."""

from dataclasses import dataclass

import click

from .extensions import db
from .lifecycle.participation import round_participation
from .lifecycle.window import SubmissionWindow
from .models import Candidate, Dossier, Movement, Round, Unit


@dataclass
class UnitRound:
    """A round as seen by one unit: its collective candidate and dossier, if any."""

    round: Round
    candidate: Candidate
    dossier: Dossier | None

    @property
    def window(self):
        """When this unit may submit (its extension and any supplement included)."""
        return SubmissionWindow.for_unit(self.round, self.candidate.unit, self.dossier)


def unit_rounds(unit: Unit) -> list[UnitRound]:
    """Every round of every movement the unit competes in, latest deadline first."""
    rows = db.session.execute(
        db.select(Round, Candidate)
        .join(Candidate, Candidate.movement_id == Round.movement_id)
        .where(Candidate.unit_id == unit.id, Candidate.kind == "collective")
        .order_by(Round.deadline.desc())
    ).all()
    dossiers = {
        (d.round_id, d.candidate_id): d
        for d in db.session.execute(
            db.select(Dossier).join(Candidate).where(Candidate.unit_id == unit.id)
        ).scalars()
    }
    return [UnitRound(r, c, dossiers.get((r.id, c.id))) for r, c in rows]


@dataclass
class RoundProgress:
    """Participation figures of one round."""

    round: Round
    expected: int
    submitted: int
    late: int

    @property
    def missing(self) -> int:
        """Candidates with no submitted dossier."""
        return self.expected - self.submitted


def round_progress(movement: Movement) -> list[RoundProgress]:
    """Expected, received and late dossiers for each round of `movement` (its participation)."""
    progress = []
    for round_ in movement.rounds:
        total = round_participation(round_)
        progress.append(RoundProgress(round_, total.expected, total.submitted, total.late))
    return progress


def all_movements() -> list[Movement]:
    """Every movement, newest first."""
    return list(
        db.session.execute(db.select(Movement).order_by(Movement.created_at.desc())).scalars()
    )


def find_round(reference: str) -> Round:
    """A round by id or by code; a code used by several movements must be given as an id."""
    if reference.isdigit():
        found = db.session.get(Round, int(reference))
        if found is not None:
            return found
    matches = db.session.execute(
        db.select(Round, Movement.code).join(Movement).where(Round.code == reference)
    ).all()
    if not matches:
        raise click.UsageError(f"no round with id or code {reference!r}")
    if len(matches) > 1:
        listed = ", ".join(f"{code}/{r.code} (id {r.id})" for r, code in matches)
        raise click.UsageError(f"several rounds have the code {reference!r}: {listed}; give an id")
    return matches[0][0]
