"""Assigning council members to dossiers (by hand or balanced), unassigning and recusal."""

from dataclasses import dataclass, field
from datetime import datetime

from ..audit import record
from ..extensions import db
from ..models import Candidate, Dossier, Review, Round, User
from ..notify import events as notify_events
from .state import CouncilError, council_members, ensure_not_frozen


def has_conflict(reviewer: User, dossier: Dossier) -> bool:
    """Whether the member belongs to the dossier's unit (and so may never review it)."""
    return reviewer.unit_id is not None and reviewer.unit_id == dossier.candidate.unit_id


def assign_reviewer(dossier: Dossier, reviewer: User, *, user: User, now: datetime) -> Review:
    """Assign one council member to a submitted dossier, refusing a conflict of interest."""
    ensure_not_frozen(dossier.round)
    if dossier.status != "submitted":
        raise CouncilError("not_submitted")
    if reviewer.role != "reviewer" or not reviewer.active:
        raise CouncilError("not_reviewer")
    if has_conflict(reviewer, dossier):
        raise CouncilError("own_unit")
    existing = db.session.execute(
        db.select(Review).filter_by(dossier_id=dossier.id, reviewer_id=reviewer.id)
    ).scalar_one_or_none()
    if existing is not None:
        raise CouncilError("already_assigned")
    review = _create(dossier.id, reviewer, how="manual", user=user, now=now)
    notify_events.reviews_assigned([review], now=now)
    return review


def _create(dossier_id: int, reviewer: User, *, how: str, user: User, now: datetime) -> Review:
    review = Review(
        dossier_id=dossier_id,
        reviewer_id=reviewer.id,
        assigned_by_id=user.id,
        assigned_at=now,
        status="assigned",
    )
    db.session.add(review)
    db.session.flush()
    record(
        "review_assigned",
        now=now,
        actor=user,
        obj=review,
        details={"dossier": dossier_id, "reviewer": reviewer.username, "how": how},
    )
    return review


@dataclass
class Plan:
    """Assignments to make, and the dossiers left short of reviewers (no eligible member)."""

    pairs: list[tuple[int, int]] = field(default_factory=list)
    short: dict[int, int] = field(default_factory=dict)


def plan_assignments(
    dossiers: dict[int, int | None],
    reviewers: dict[int, int | None],
    existing: dict[int, dict[int, str]],
    per_dossier: int,
) -> Plan:
    """Give each dossier `per_dossier` active reviews, least-loaded member first.

    `dossiers` and `reviewers` map ids to unit ids; `existing` maps a dossier to
    {reviewer: status}. A member never gets a dossier of their own unit, nor one they
    already hold or recused from. The most constrained dossiers are served first; ties go to
    the lower id, so the plan is reproducible.
    """
    load = {r: 0 for r in reviewers}
    for held in existing.values():
        for reviewer_id, status in held.items():
            if status != "recused" and reviewer_id in load:
                load[reviewer_id] += 1

    def eligible(dossier_id: int) -> list[int]:
        """Members who may take this dossier (other unit, not holding or recused from it)."""
        unit = dossiers[dossier_id]
        held = existing.get(dossier_id, {})
        return [
            r
            for r, r_unit in reviewers.items()
            if (r_unit is None or r_unit != unit) and r not in held
        ]

    plan = Plan()
    order = sorted(dossiers, key=lambda d: (len(eligible(d)), d))
    for dossier_id in order:
        active = sum(1 for s in existing.get(dossier_id, {}).values() if s != "recused")
        need = per_dossier - active
        if need <= 0:
            continue
        chosen = sorted(eligible(dossier_id), key=lambda r: (load[r], r))[:need]
        for reviewer_id in chosen:
            load[reviewer_id] += 1
            plan.pairs.append((dossier_id, reviewer_id))
        if len(chosen) < need:
            plan.short[dossier_id] = need - len(chosen)
    return plan


def auto_assign(round_: Round, *, per_dossier: int, user: User, now: datetime) -> Plan:
    """Fill every submitted dossier of the round up to `per_dossier` reviewers, balanced."""
    ensure_not_frozen(round_)
    if not 1 <= per_dossier <= 10:
        raise CouncilError("per_dossier")
    members = {m.id: m for m in council_members()}
    dossiers = dict(
        db.session.execute(
            db.select(Dossier.id, Candidate.unit_id)
            .join(Candidate, Dossier.candidate_id == Candidate.id)
            .where(Dossier.round_id == round_.id, Dossier.status == "submitted")
        ).all()
    )
    existing: dict[int, dict[int, str]] = {}
    for dossier_id, reviewer_id, status in db.session.execute(
        db.select(Review.dossier_id, Review.reviewer_id, Review.status)
        .join(Dossier, Review.dossier_id == Dossier.id)
        .where(Dossier.round_id == round_.id)
    ):
        existing.setdefault(dossier_id, {})[reviewer_id] = status
    plan = plan_assignments(
        dossiers, {m.id: m.unit_id for m in members.values()}, existing, per_dossier
    )
    created = [
        _create(dossier_id, members[reviewer_id], how="automatic", user=user, now=now)
        for dossier_id, reviewer_id in plan.pairs
    ]
    notify_events.reviews_assigned(created, now=now)
    record(
        "reviews_auto_assigned",
        now=now,
        actor=user,
        obj=round_,
        details={
            "per_dossier": per_dossier,
            "created": len(plan.pairs),
            "short": {str(k): v for k, v in plan.short.items()},
        },
    )
    return plan


def unassign(review: Review, *, user: User, now: datetime) -> None:
    """Remove an assignment the member has not started (no adjustment, not finished)."""
    ensure_not_frozen(review.dossier.round)
    if review.status != "assigned" or review.adjustments:
        raise CouncilError("in_progress")
    record(
        "review_unassigned",
        now=now,
        actor=user,
        obj=review.dossier,
        details={"review": review.id, "reviewer": review.reviewer.username},
    )
    db.session.delete(review)
    db.session.flush()


def recuse(review: Review, *, reason: str, user: User, now: datetime) -> None:
    """Record that the member steps aside from this dossier, with the reason."""
    ensure_not_frozen(review.dossier.round)
    if review.status == "recused":
        raise CouncilError("already_recused")
    if not reason.strip():
        raise CouncilError("reason")
    previous = review.status
    review.status = "recused"
    review.recusal_reason = reason.strip()
    review.finished_at = None
    db.session.flush()
    record(
        "review_recused",
        now=now,
        actor=user,
        obj=review,
        details={"dossier": review.dossier_id, "reason": review.recusal_reason, "was": previous},
    )


def round_reviews(round_: Round) -> list[Review]:
    """Every review of the round's dossiers, by dossier then member."""
    return list(
        db.session.execute(
            db.select(Review)
            .join(Dossier, Review.dossier_id == Dossier.id)
            .where(Dossier.round_id == round_.id)
            .order_by(Review.dossier_id, Review.id)
        ).scalars()
    )
