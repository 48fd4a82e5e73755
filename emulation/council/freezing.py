"""What is still unfinished in a round before its ranking is frozen."""

from dataclasses import dataclass, field
from datetime import datetime

from ..extensions import db
from ..models import Candidate, Dossier, Review, Round, Unit
from .votes import get_meeting


@dataclass
class Unfinished:
    """Unfinished work of a round, each list naming what it concerns."""

    reviews: list[tuple[str, str]] = field(default_factory=list)  # (unit, member)
    never_reviewed: list[str] = field(default_factory=list)  # units
    supplements: list[tuple[str, datetime]] = field(default_factory=list)  # (unit, due)
    votes: list[tuple[str, int]] = field(default_factory=list)  # (candidate, votes missing)
    no_meeting: bool = False

    @property
    def empty(self) -> bool:
        """Whether nothing is left to do."""
        return not (
            self.reviews or self.never_reviewed or self.supplements or self.votes or self.no_meeting
        )

    def summary(self) -> dict:
        """Counts for the snapshot and the audit trail."""
        return {
            "reviews_open": len(self.reviews),
            "never_reviewed": len(self.never_reviewed),
            "supplements_open": len(self.supplements),
            "votes_pending": sum(n for _, n in self.votes),
            "no_meeting": self.no_meeting,
        }


def unfinished(round_: Round, payload: dict) -> Unfinished:
    """Reviews not finished, dossiers never reviewed, supplements open, votes not cast.

    `payload` is what freezing now would store (its results name the proposed awardees).
    """
    out = Unfinished()
    rows = db.session.execute(
        db.select(Dossier, Unit.name)
        .join(Candidate, Dossier.candidate_id == Candidate.id)
        .join(Unit, Candidate.unit_id == Unit.id)
        .where(Dossier.round_id == round_.id, Dossier.status.in_(("submitted", "returned")))
        .order_by(Unit.name, Dossier.id)
    ).all()
    for dossier, unit_name in rows:
        reviews = list(
            db.session.execute(
                db.select(Review).filter_by(dossier_id=dossier.id).order_by(Review.id)
            ).scalars()
        )
        out.reviews += [
            (unit_name, r.reviewer.full_name) for r in reviews if r.status == "assigned"
        ]
        if not any(r.status == "done" for r in reviews):
            out.never_reviewed.append(unit_name)
        for request in dossier.supplements:
            if request.resolved_at is None and dossier.status == "returned":
                out.supplements.append((unit_name, request.due_at))
    votes = payload.get("votes")
    if get_meeting(round_) is None:
        out.no_meeting = any(r.get("award_code") for r in payload["results"]["results"])
    elif votes is not None:
        out.votes = [(c["name"], c["not_voted"]) for c in votes["candidates"] if c["not_voted"]]
    return out
