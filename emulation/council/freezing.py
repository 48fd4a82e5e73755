"""What is still unfinished in a round before its ranking is frozen."""

from dataclasses import dataclass, field
from datetime import datetime

from ..extensions import db
from ..models import Candidate, Dossier, Review, Round, SupplementRequest, Unit, User
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
        db.select(Dossier.id, Dossier.status, Unit.name)
        .join(Candidate, Dossier.candidate_id == Candidate.id)
        .join(Unit, Candidate.unit_id == Unit.id)
        .where(Dossier.round_id == round_.id, Dossier.status.in_(("submitted", "returned")))
        .order_by(Unit.name, Dossier.id)
    ).all()
    reviews: dict[int, list[tuple[str, str]]] = {}
    for dossier_id, status, member in db.session.execute(
        db.select(Review.dossier_id, Review.status, User.full_name)
        .join(User, Review.reviewer_id == User.id)
        .join(Dossier, Review.dossier_id == Dossier.id)
        .where(Dossier.round_id == round_.id)
        .order_by(Review.id)
    ):
        reviews.setdefault(dossier_id, []).append((status, member))
    due = dict(
        db.session.execute(
            db.select(SupplementRequest.dossier_id, SupplementRequest.due_at)
            .join(Dossier, SupplementRequest.dossier_id == Dossier.id)
            .where(Dossier.round_id == round_.id, SupplementRequest.resolved_at.is_(None))
        ).all()
    )
    for dossier_id, status, unit_name in rows:
        mine = reviews.get(dossier_id, [])
        out.reviews += [(unit_name, member) for state, member in mine if state == "assigned"]
        if not any(state == "done" for state, _member in mine):
            out.never_reviewed.append(unit_name)
        if status == "returned" and dossier_id in due:
            out.supplements.append((unit_name, due[dossier_id]))
    votes = payload.get("votes")
    if get_meeting(round_) is None:
        out.no_meeting = any(r.get("award_code") for r in payload["results"]["results"])
    elif votes is not None:
        out.votes = [(c["name"], c["not_voted"]) for c in votes["candidates"] if c["not_voted"]]
    return out
