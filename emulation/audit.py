"""Write audit events: who did what to which object, and when."""

from datetime import datetime

from flask import has_request_context, request

from .extensions import db
from .models import AuditEvent, User


def record(
    action: str,
    *,
    now: datetime,
    actor: User | None = None,
    obj=None,
    details: dict | None = None,
) -> AuditEvent:
    """Add an audit event for `action` on `obj` by `actor` at `now`; flushes, never commits."""
    event = AuditEvent(
        at=now,
        actor_id=actor.id if actor is not None else None,
        action=action,
        object_type=type(obj).__name__ if obj is not None else "",
        object_id=getattr(obj, "id", None),
        details=details or {},
        remote_addr=request.remote_addr if has_request_context() else None,
    )
    db.session.add(event)
    db.session.flush()
    return event
