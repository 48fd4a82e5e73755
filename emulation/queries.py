"""Read-only queries shared by the pages."""

from dataclasses import dataclass

from sqlalchemy import func

from .extensions import db
from .models import Candidate, Dossier, DossierVersion, Movement, Round, Unit


@dataclass
class UnitRound:
    """A round as seen by one unit: its collective candidate and dossier, if any."""

    round: Round
    candidate: Candidate
    dossier: Dossier | None

    @property
    def window(self):
        """When this unit may submit (its extension and any supplement included)."""
        from .dossiers.window import SubmissionWindow

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
    """Expected, submitted and late dossiers for each round of `movement`."""
    expected = db.session.scalar(
        db.select(func.count()).select_from(Candidate).filter_by(movement_id=movement.id)
    )
    # A dossier returned or withdrawn after an on-time submission was still received.
    ever_submitted = db.select(DossierVersion.dossier_id).distinct().scalar_subquery()
    submitted = dict(
        db.session.execute(
            db.select(Dossier.round_id, func.count())
            .join(Round)
            .where(Round.movement_id == movement.id, Dossier.id.in_(ever_submitted))
            .group_by(Dossier.round_id)
        ).all()
    )
    late_versions = (
        db.select(DossierVersion.dossier_id)
        .where(DossierVersion.late.is_(True))
        .distinct()
        .scalar_subquery()
    )
    late = dict(
        db.session.execute(
            db.select(Dossier.round_id, func.count())
            .join(Round)
            .where(
                Round.movement_id == movement.id,
                Dossier.id.in_(late_versions),
            )
            .group_by(Dossier.round_id)
        ).all()
    )
    return [
        RoundProgress(r, expected, submitted.get(r.id, 0), late.get(r.id, 0))
        for r in movement.rounds
    ]


def all_movements() -> list[Movement]:
    """Every movement, newest first."""
    return list(
        db.session.execute(db.select(Movement).order_by(Movement.created_at.desc())).scalars()
    )
