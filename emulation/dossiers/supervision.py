"""Secretariat and council actions on dossiers: return for supplement, extend a deadline."""

from datetime import datetime

from ..audit import record
from ..extensions import db
from ..models import DeadlineExtension, Dossier, Round, SupplementRequest, Unit, User
from ..notify import events as notify_events
from .operations import NotEditable, ranking_frozen


def return_for_supplement(
    dossier: Dossier,
    *,
    criteria: list[str],
    reason: str,
    due_at: datetime,
    user: User,
    now: datetime,
) -> SupplementRequest:
    """Reopen the named criteria of a submitted dossier until `due_at`, with the reason."""
    if dossier.status != "submitted":
        raise NotEditable("not_submitted")
    if ranking_frozen(dossier.round):
        raise NotEditable("frozen")
    if not reason.strip() or not criteria:
        raise ValueError("a reason and at least one criterion are needed")
    if due_at <= now:
        raise ValueError("the new due time must be in the future")
    request = SupplementRequest(
        dossier=dossier,
        reason=reason.strip(),
        criteria=sorted(set(criteria)),
        due_at=due_at,
        requested_by_id=user.id,
        requested_at=now,
    )
    db.session.add(request)
    dossier.status = "returned"
    dossier.touch(now)
    db.session.flush()
    record(
        "dossier_returned",
        now=now,
        actor=user,
        obj=dossier,
        details={
            "criteria": request.criteria,
            "reason": request.reason,
            "due_at": due_at.isoformat(),
        },
    )
    notify_events.dossier_returned(request, now=now)
    return request


def grant_extension(
    round_: Round, unit: Unit, *, until: datetime, reason: str, user: User, now: datetime
) -> DeadlineExtension:
    """Give one unit a later deadline for a round (or change the one it has), with the reason."""
    if not reason.strip():
        raise ValueError("a reason is needed")
    if until <= round_.deadline:
        raise ValueError("an extension must end after the round's deadline")
    extension = db.session.execute(
        db.select(DeadlineExtension).filter_by(round_id=round_.id, unit_id=unit.id)
    ).scalar_one_or_none()
    previous = extension.until.isoformat() if extension else None
    if extension is None:
        extension = DeadlineExtension(
            round=round_,
            unit=unit,
            until=until,
            reason=reason,
            granted_by_id=user.id,
            granted_at=now,
        )
        db.session.add(extension)
    else:
        extension.until, extension.reason = until, reason
        extension.granted_by_id, extension.granted_at = user.id, now
    db.session.flush()
    record(
        "deadline_extended",
        now=now,
        actor=user,
        obj=round_,
        details={
            "unit": unit.code,
            "until": until.isoformat(),
            "previous": previous,
            "reason": reason,
        },
    )
    notify_events.extension_granted(extension, now=now)
    return extension
