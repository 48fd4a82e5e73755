"""A council member's work on one dossier: adjust points, flag evidence, finish the review."""

from datetime import datetime

from ..audit import record
from ..dossiers.scoring import rules_of
from ..extensions import db
from ..models import Adjustment, EvidenceFlag, Review, User
from .state import CouncilError, ensure_not_frozen


def _editable(review: Review) -> None:
    ensure_not_frozen(review.dossier.round)
    if review.status != "assigned":
        raise CouncilError("not_open")


def latest_adjustments(review: Review) -> dict[str, Adjustment]:
    """The member's current adjustment per indicator (later ones replace earlier ones)."""
    return {a.indicator_code: a for a in review.adjustments}


def adjust(
    review: Review, *, indicator_code: str, points: float, reason: str, user: User, now: datetime
) -> Adjustment:
    """Set the member's points for one indicator, within 0..max, with a mandatory reason."""
    _editable(review)
    try:
        item = rules_of(review.dossier.round).indicator(indicator_code)
    except KeyError:
        raise CouncilError("unknown_indicator") from None
    if not 0 <= points <= item.max_points:
        raise CouncilError("out_of_range", f"0..{item.max_points:g}")
    if not reason.strip():
        raise CouncilError("reason")
    previous = latest_adjustments(review).get(indicator_code)
    adjustment = Adjustment(
        review=review,
        indicator_code=indicator_code,
        points=float(points),
        reason=reason.strip(),
        created_at=now,
    )
    db.session.add(adjustment)
    db.session.flush()
    record(
        "points_adjusted",
        now=now,
        actor=user,
        obj=review,
        details={
            "dossier": review.dossier_id,
            "indicator": indicator_code,
            "points": float(points),
            "previous": previous.points if previous else None,
            "reason": adjustment.reason,
        },
    )
    return adjustment


def finish(review: Review, *, user: User, now: datetime) -> None:
    """Mark the review done: from now on its points count in the ranking."""
    _editable(review)
    review.status = "done"
    review.finished_at = now
    db.session.flush()
    record(
        "review_finished",
        now=now,
        actor=user,
        obj=review,
        details={"dossier": review.dossier_id, "adjustments": len(latest_adjustments(review))},
    )


def reopen_review(review: Review, *, user: User, now: datetime) -> None:
    """Take a finished review back to change it (before the ranking is frozen)."""
    ensure_not_frozen(review.dossier.round)
    if review.status != "done":
        raise CouncilError("not_done")
    review.status = "assigned"
    review.finished_at = None
    db.session.flush()
    record("review_reopened", now=now, actor=user, obj=review, details={})


def flag_evidence(
    review: Review, *, criterion_code: str, note: str, user: User, now: datetime
) -> EvidenceFlag:
    """Mark a criterion's evidence insufficient, with what is lacking (replaces the old note)."""
    _editable(review)
    rules = rules_of(review.dossier.round)
    if criterion_code not in {c.code for g in rules.groups for c in g.criteria}:
        raise CouncilError("unknown_criterion")
    if not note.strip():
        raise CouncilError("reason")
    flag = db.session.execute(
        db.select(EvidenceFlag).filter_by(review_id=review.id, criterion_code=criterion_code)
    ).scalar_one_or_none()
    if flag is None:
        flag = EvidenceFlag(review=review, criterion_code=criterion_code, note="", created_at=now)
        db.session.add(flag)
    flag.note = note.strip()
    db.session.flush()
    record(
        "evidence_flagged",
        now=now,
        actor=user,
        obj=review,
        details={"dossier": review.dossier_id, "criterion": criterion_code, "note": flag.note},
    )
    return flag


def clear_flag(review: Review, *, criterion_code: str, user: User, now: datetime) -> None:
    """Withdraw the member's 'evidence insufficient' mark on a criterion."""
    _editable(review)
    flag = db.session.execute(
        db.select(EvidenceFlag).filter_by(review_id=review.id, criterion_code=criterion_code)
    ).scalar_one_or_none()
    if flag is None:
        raise CouncilError("no_flag")
    db.session.delete(flag)
    db.session.flush()
    record(
        "evidence_flag_cleared",
        now=now,
        actor=user,
        obj=review,
        details={"dossier": review.dossier_id, "criterion": criterion_code},
    )


def flags_of(review: Review) -> dict[str, EvidenceFlag]:
    """The member's evidence flags by criterion code."""
    return {
        f.criterion_code: f
        for f in db.session.execute(
            db.select(EvidenceFlag).filter_by(review_id=review.id)
        ).scalars()
    }
