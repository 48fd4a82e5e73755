"""Council reminders before the meeting, and the secretariat's daily digest."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func

from ..extensions import db
from ..models import (
    Candidate,
    CouncilMeeting,
    Dossier,
    DossierVersion,
    Review,
    Round,
    SupplementRequest,
    Unit,
    User,
)
from .outbox import default_offsets, enqueue, offset_label
from .reminders import due_offset


def plan_review_reminders(now: datetime) -> int:
    """Members with unfinished reviews, at the reminder offsets before the meeting. Flushes."""
    written = 0
    offsets = default_offsets()
    for meeting in db.session.scalars(
        db.select(CouncilMeeting).where(CouncilMeeting.held_at > now)
    ):
        offset = due_offset(meeting.held_at, offsets, now, meeting.created_at)
        if offset is None:
            continue
        open_reviews = db.session.execute(
            db.select(Review.reviewer_id, func.count(Review.id))
            .join(Dossier, Review.dossier_id == Dossier.id)
            .where(Dossier.round_id == meeting.round_id, Review.status == "assigned")
            .group_by(Review.reviewer_id)
        ).all()
        for reviewer_id, count in open_reviews:
            written += enqueue(
                db.session.get(User, reviewer_id),
                key=f"review-remind:m{meeting.id}:{offset_label(offset)}",
                category="council",
                kind="review_reminder",
                link=("council.queue", {}),
                now=now,
                round=meeting.round,
                meeting=meeting,
                count=count,
            )
    return written


def digest_rows(now: datetime) -> list[dict]:
    """Per open or recently closed round: arrived in 24 hours, not yet in, late, stuck."""
    rows = []
    for round_ in db.session.scalars(
        db.select(Round)
        .where(Round.opens_at <= now, Round.deadline > now - timedelta(days=14))
        .order_by(Round.deadline)
    ):
        arrived = db.session.scalar(
            db.select(func.count(DossierVersion.id))
            .join(Dossier)
            .where(Dossier.round_id == round_.id, DossierVersion.submitted_at > now - timedelta(1))
        )
        statuses = dict(
            db.session.execute(
                db.select(Dossier.status, func.count(Dossier.id))
                .where(Dossier.round_id == round_.id)
                .group_by(Dossier.status)
            ).all()
        )
        stuck = db.session.scalar(
            db.select(func.count(SupplementRequest.id))
            .join(Dossier)
            .where(
                Dossier.round_id == round_.id,
                SupplementRequest.resolved_at.is_(None),
                SupplementRequest.due_at < now,
            )
        )
        enrolled = db.session.scalar(
            db.select(func.count(Candidate.id))
            .join(Unit, Candidate.unit_id == Unit.id)
            .where(
                Candidate.movement_id == round_.movement_id,
                Candidate.kind == "collective",
                Unit.active,
            )
        )
        # Units that never opened a dossier have not submitted either.
        waiting = max(enrolled - statuses.get("submitted", 0), 0)
        rows.append(
            {
                "round": round_,
                "arrived": arrived,
                "submitted": statuses.get("submitted", 0),
                "waiting": waiting,
                "late": waiting if now > round_.deadline else 0,
                "stuck": stuck,
            }
        )
    return rows


def plan_digests(now: datetime) -> int:
    """Once a day, after NOTIFY_DIGEST_HOUR Vietnam time, the secretariat's digest. Flushes."""
    local = now.astimezone(ZoneInfo(current_app.config["TIMEZONE"]))
    if local.hour < int(current_app.config["NOTIFY_DIGEST_HOUR"]):
        return 0
    return send_digests(now)


def send_digests(now: datetime) -> int:
    """The digest of the day to every secretariat account (once a day). Flushes."""
    local = now.astimezone(ZoneInfo(current_app.config["TIMEZONE"]))
    rows = digest_rows(now)
    if not rows:
        return 0
    written = 0
    for user in db.session.scalars(
        db.select(User).where(User.role == "secretariat", User.active).order_by(User.id)
    ):
        written += enqueue(
            user,
            key=f"digest:{local:%Y-%m-%d}",
            category="council",
            kind="digest",
            link=("main.home", {}),
            now=now,
            rows=rows,
            day=local,
        )
    return written
