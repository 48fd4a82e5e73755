"""Notifications: everyone their own list and choices; the outbox and announcements for staff."""

from emulation.extensions import db
from emulation.notify.models import Notification
from emulation.notify.outbox import unsubscribe_token

from ._roles import STAFF, only, statuses
from ._world import AFTER


def _notification(w, status="none") -> Notification:
    user = w.users["editor_a"]
    row = Notification(
        key=f"authz:{status}", user_id=user.id, category="reminder", kind="reminder_round",
        subject="Nhắc hạn", body="Nội dung", link="http://localhost/", created_at=AFTER,
        email_to="a@donvi.example" if status != "none" else None, message_id="<authz@thidua>",
        status=status, attempts=3,
    )  # fmt: skip
    db.session.add(row)
    db.session.commit()
    return row


def _mine(w) -> dict:
    """A notification of editor_a."""
    return {"notification_id": _notification(w).id}


def _failed(w) -> dict:
    """A failed e-mail to editor_a."""
    return {"notification_id": _notification(w, "failed").id}


def _token(w) -> dict:
    """editor_a's signed link to stop reminders."""
    return {"token": unsubscribe_token(w.users["editor_a"].id, "reminder")}


ROUTES = {
    "notify.inbox": {"GET": statuses(200)},
    "notify.read": {"url": _mine, "POST": only(302, ("editor_a",))},
    "notify.read_all": {"POST": statuses(302)},
    # An empty form turns every optional e-mail off: a valid choice.
    "notify.settings": {"GET": statuses(200), "POST": statuses(302)},
    # The signed link works without signing in (it names the user itself).
    "notify.unsubscribe": {
        "url": _token,
        "GET": statuses(200, anonymous=200),
        "POST": statuses(200, anonymous=200),
    },
    "notify.outbox": {"GET": only(200, STAFF)},
    "notify.resend_one": {"url": _failed, "POST": only(302, STAFF)},
    # POST without a subject and text: the form answers 422.
    "notify.announcement": {
        "url": lambda w: {"movement_id": w.movement.id},
        "GET": only(200, STAFF),
        "POST": only(422, STAFF),
    },
}
