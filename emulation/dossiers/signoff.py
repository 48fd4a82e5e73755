"""The unit head's sign-off: confirm exactly one content of the dossier, or send it back.

The sign-off records the content hash the head saw; any edit changes the hash, so a sign-off
that no longer matches is void without anything having to remember to clear it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from ..audit import record
from ..extensions import db
from ..lifecycle.rules import rules_of
from ..models import Dossier, User
from .payload import content_hash, dossier_payload

CONFIRMED = "confirmed"
VOIDED = "voided"  # confirmed, then edited: the confirmation no longer covers the content
RETURNED = "returned"
PENDING = "pending"


class SignoffError(Exception):
    """A sign-off refused: `code` says why ('changed', 'no_comment', 'submitted')."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


class HeadConfirmationMissing(Exception):
    """Submission refused: the round requires the unit head's confirmation of this content."""

    reason = "head_confirmation"


def required(dossier: Dossier) -> bool:
    """Whether the dossier's round requires the unit head's confirmation before submission."""
    rules = rules_of(dossier.round)
    spec = next((r for r in rules.rounds if r.code == dossier.round.code), None)
    return bool(spec and spec.head_confirmation)


def current_hash(dossier: Dossier) -> str:
    """The sha256 of what would be submitted now (values, points, narratives, files)."""
    return content_hash(dossier_payload(dossier))


def state(dossier: Dossier) -> str:
    """PENDING, CONFIRMED, VOIDED (confirmed, then edited) or RETURNED to the editor."""
    if dossier.head_confirmed_hash:
        return CONFIRMED if dossier.head_confirmed_hash == current_hash(dossier) else VOIDED
    if dossier.head_returned_at is not None:
        return RETURNED
    return PENDING


def confirm(dossier: Dossier, *, seen_hash: str, user: User, now: datetime) -> None:
    """The head confirms the content they were shown (its hash); refused if it changed since."""
    if dossier.status == "submitted":
        raise SignoffError("submitted")
    if seen_hash != current_hash(dossier):
        raise SignoffError("changed")
    dossier.head_confirmed_hash = seen_hash
    dossier.head_confirmed_at = now
    dossier.head_confirmed_by_id = user.id
    dossier.head_returned_at = None
    dossier.head_return_comment = None
    db.session.flush()
    record("dossier_head_confirmed", now=now, actor=user, obj=dossier,
           details={"content_hash": seen_hash})


def send_back(dossier: Dossier, *, comment: str, user: User, now: datetime) -> None:
    """The head sends the draft back to the editor with a comment; any confirmation ends."""
    comment = (comment or "").strip()
    if not comment:
        raise SignoffError("no_comment")
    if dossier.status == "submitted":
        raise SignoffError("submitted")
    dossier.head_confirmed_hash = None
    dossier.head_confirmed_at = None
    dossier.head_confirmed_by_id = None
    dossier.head_returned_at = now
    dossier.head_return_comment = comment[:2000]
    db.session.flush()
    record("dossier_head_returned", now=now, actor=user, obj=dossier,
           details={"comment": comment[:2000], "content_hash": current_hash(dossier)})


def for_submission(dossier: Dossier) -> dict | None:
    """What a submitted version records of the sign-off; raises when required and missing."""
    if state(dossier) == CONFIRMED:
        by = dossier.head_confirmed_by
        at = dossier.head_confirmed_at
        return {
            "by": by.full_name if by else None,
            "by_id": dossier.head_confirmed_by_id,
            "at": at.astimezone(UTC).isoformat() if at else None,
            "hash": dossier.head_confirmed_hash,
        }
    if required(dossier):
        raise HeadConfirmationMissing()
    return None
