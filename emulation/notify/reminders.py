"""Reminders planned from the rule file's offsets and today's deadlines, at each sender pass.

Nothing is stored ahead: at every pass the planner looks at the current deadline of each unit
(the round's, its extension, or the council's supplement due time) and writes the reminder of
the latest offset that has been reached. So a changed deadline re-plans every reminder not yet
written, a submitted unit gets none, and one that withdraws is due again. The key holds the
deadline itself, so an extension starts the unit's reminders afresh.
"""

from datetime import UTC, datetime, timedelta

from sqlalchemy import update
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..lifecycle.freeze import active_snapshot
from ..lifecycle.rules import rules_of
from ..lifecycle.window import RegistrationWindow, movement_rules
from ..models import (
    UNIT_ROLES,
    Candidate,
    DeadlineExtension,
    Dossier,
    Movement,
    PlanActivity,
    Registration,
    Round,
    User,
)
from .models import Notification
from .outbox import Batch, default_offsets, enqueue, offset_label

# Older deadlines are left alone: a first start never floods anyone about the past.
LOOK_BACK = timedelta(days=400)


def due_offset(deadline: datetime, offsets, now: datetime, since: datetime | None):
    """The latest offset whose instant (deadline − offset) has passed, if the deadline has not.

    Offsets whose instant fell before `since` (the window opened later) are skipped.
    """
    if now >= deadline:
        return None
    reached = [
        o for o in offsets if deadline - o <= now and (since is None or deadline - o >= since)
    ]
    return min(reached) if reached else None


def _active_unit_users():
    return db.select(User).where(User.active, User.role.in_(UNIT_ROLES)).order_by(User.id)


def unit_users(unit_id: int) -> list[User]:
    """The active editors and heads of a unit."""
    # Only this unit's: every submission asks, and loading every account costs O(units).
    return list(db.session.scalars(_active_unit_users().where(User.unit_id == unit_id)))


def all_unit_users() -> dict[int, list[User]]:
    """Active editors and heads by unit, in one query."""
    found: dict[int, list[User]] = {}
    for user in db.session.scalars(_active_unit_users()):
        found.setdefault(user.unit_id, []).append(user)
    return found


def round_offsets(round_: Round) -> tuple[timedelta, ...]:
    """The offsets the round's rule file declares (`reminders`), else the configured ones.

    A round set up under another code than the file's (a copy for a new year) takes those
    of the file's first round of its kind.
    """
    specs = rules_of(round_).rounds
    spec = next((r for r in specs if r.code == round_.code), None) or next(
        (r for r in specs if r.kind == round_.kind), None
    )
    return tuple(spec.reminders) if spec is not None and spec.reminders else default_offsets()


def _key(deadline: datetime) -> str:
    # In UTC: the same instant must give the same key whatever zone it was written in.
    return deadline.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def plan_round(round_: Round, now: datetime) -> int:
    """Reminders for every unit of the round that has not submitted. Flushes."""
    if active_snapshot(round_) is not None:
        return 0
    offsets = round_offsets(round_)
    people = all_unit_users()
    batch = Batch(f"remind:r{round_.id}:")
    extensions = {
        e.unit_id: e.until
        for e in db.session.scalars(db.select(DeadlineExtension).filter_by(round_id=round_.id))
    }
    dossiers = {
        d.candidate.unit_id: d
        for d in db.session.scalars(
            db.select(Dossier)
            .join(Candidate)
            .where(Dossier.round_id == round_.id, Candidate.kind == "collective")
            .options(selectinload(Dossier.candidate), selectinload(Dossier.supplements))
        )
    }
    candidates = db.session.scalars(
        db.select(Candidate)
        .where(Candidate.movement_id == round_.movement_id, Candidate.kind == "collective")
        .options(selectinload(Candidate.unit))
    )
    written = 0
    current: dict[int, str] = {}
    for candidate in candidates:
        if not candidate.unit.active:
            continue
        dossier = dossiers.get(candidate.unit_id)
        if dossier is not None and dossier.status == "submitted":
            continue
        supplement = dossier.open_supplement if dossier is not None else None
        if supplement is not None:
            kind, deadline = "reminder_supplement", supplement.due_at
            since = supplement.requested_at
        else:
            until = extensions.get(candidate.unit_id)
            deadline = max(round_.deadline, until) if until else round_.deadline
            kind, since = "reminder_round", round_.opens_at
        current[candidate.unit_id] = _key(deadline)
        offset = due_offset(deadline, offsets, now, since)
        if offset is None:
            continue
        base = f"remind:r{round_.id}:n{candidate.unit_id}:{_key(deadline)}:{offset_label(offset)}"
        for user in people.get(candidate.unit_id, []):
            written += enqueue(
                user,
                key=base,
                batch=batch,
                category="reminder",
                kind=kind,
                link=("units.unit_page", {"code": candidate.unit.code}),
                now=now,
                round=round_,
                unit=candidate.unit,
                deadline=deadline,
                extended=supplement is None and deadline != round_.deadline,
                supplement=supplement,
                dossier=dossier,
            )
    batch.flush()
    cancel_stale(f"remind:r{round_.id}:", current, now)
    return written


def cancel_stale(prefix: str, current: dict[int, str], now: datetime) -> int:
    """Withdraw e-mails not sent yet whose deadline changed or whose unit is done. Flushes.

    `current` maps each unit still due to its deadline's key part; a queued reminder for
    another deadline, or for a unit no longer due (submitted, confirmed), is cancelled.
    """
    stale = []
    for notification_id, key in db.session.execute(
        db.select(Notification.id, Notification.key).where(
            Notification.key.startswith(prefix), Notification.status == "pending"
        )
    ):
        unit_part, deadline_part = key[len(prefix) :].split(":")[:2]
        if current.get(int(unit_part[1:])) != deadline_part:
            stale.append(notification_id)
    if stale:
        db.session.execute(
            update(Notification)
            .where(Notification.id.in_(stale), Notification.status == "pending")
            .values(
                status="cancelled",
                read_at=now,
                last_error="not sent: the deadline changed or the unit no longer needs it",
            )
        )
    return len(stale)


def plan_registrations(movement: Movement, now: datetime) -> int:
    """Reminders to units whose registration is not confirmed before its deadline. Flushes."""
    rules = movement_rules(movement)
    if rules is None or rules.registration is None:
        return 0
    offsets = tuple(rules.registration.reminders) or default_offsets()
    people = all_unit_users()
    batch = Batch(f"remind-reg:m{movement.id}:")
    current: dict[int, str] = {}
    registrations = {
        r.unit_id: r
        for r in db.session.scalars(db.select(Registration).filter_by(movement_id=movement.id))
    }
    written = 0
    for candidate in db.session.scalars(
        db.select(Candidate)
        .filter_by(movement_id=movement.id, kind="collective")
        .options(selectinload(Candidate.unit))
    ):
        registration = registrations.get(candidate.unit_id)
        if registration is not None and registration.counts or not candidate.unit.active:
            continue
        window = RegistrationWindow.for_unit(movement, registration)
        current[candidate.unit_id] = _key(window.deadline)
        offset = due_offset(window.deadline, offsets, now, window.opens_at)
        if offset is None:
            continue
        base = f"remind-reg:m{movement.id}:n{candidate.unit_id}:{_key(window.deadline)}"
        for user in people.get(candidate.unit_id, []):
            written += enqueue(
                user,
                key=f"{base}:{offset_label(offset)}",
                batch=batch,
                category="reminder",
                kind="reminder_registration",
                link=(
                    "registration.unit_page",
                    {"movement_id": movement.id, "code": candidate.unit.code},
                ),
                now=now,
                movement=movement,
                unit=candidate.unit,
                deadline=window.deadline,
            )
    batch.flush()
    cancel_stale(f"remind-reg:m{movement.id}:", current, now)
    return written


def plan_activities(now: datetime) -> int:
    """Lead units: before an activity's due time, and once when it becomes overdue. Flushes."""
    offsets = default_offsets()
    written = 0
    activities = db.session.scalars(
        db.select(PlanActivity).where(
            PlanActivity.completed_at.is_(None),
            PlanActivity.due_at > now - timedelta(days=7),
        )
    )
    for activity in activities:
        if activity.overdue(now):
            kind, key = "plan_overdue", f"plan-overdue:a{activity.id}:{_key(activity.due_at)}"
        else:
            offset = due_offset(activity.due_at, offsets, now, activity.created_at)
            if offset is None:
                continue
            kind = "plan_due"
            key = f"plan-due:a{activity.id}:{_key(activity.due_at)}:{offset_label(offset)}"
        for user in unit_users(activity.lead_unit_id):
            written += enqueue(
                user,
                key=key,
                category="plan",
                kind=kind,
                link=("plan.activity_page", {"activity_id": activity.id}),
                now=now,
                activity=activity,
                deadline=activity.due_at,
            )
    return written
