"""Pages: my notifications and e-mail choices, unsubscribe, the secretariat's outbox."""

from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..access import STAFF_ROLES, now, roles_required
from ..extensions import db
from ..models import Movement, User
from .models import Notification
from .operations import (
    OPTIONAL,
    announce,
    mark_read,
    opted_out_categories,
    resend,
    set_email_choices,
)
from .outbox import read_unsubscribe_token

bp = Blueprint("notify", __name__)
PAGE = 50
OUTBOX_FILTERS = ("problems", "pending", "sent", "none", "all")

CATEGORY_LABELS = {
    "reminder": _l("Deadline reminders"),
    "dossier": _l("Dossier events: returned, extension, receipt, results"),
    "registration": _l("Registration: awaiting confirmation, returned"),
    "council": _l("Council: assignments, meeting reminders, vote, daily summary"),
    "plan": _l("Activity plan: due and overdue activities"),
    "announcement": _l("Announcements of the council secretariat"),
    "security": _l("Account security (always sent)"),
}
STATUS_LABELS = {
    "none": _l("In the app only"),
    "pending": _l("Waiting"),
    "claimed": _l("Being sent"),
    "sending": _l("Being sent"),
    "sent": _l("Sent"),
    "failed": _l("Failed"),
    "uncertain": _l("Uncertain: the sender stopped while sending"),
    "cancelled": _l("Cancelled: the deadline changed or it was no longer needed"),
}


class ButtonForm(FlaskForm):
    """A bare POST button (CSRF only)."""


class ChoicesForm(FlaskForm):
    """Which categories of e-mail the user receives."""

    reminder = BooleanField(CATEGORY_LABELS["reminder"])
    dossier = BooleanField(CATEGORY_LABELS["dossier"])
    registration = BooleanField(CATEGORY_LABELS["registration"])
    council = BooleanField(CATEGORY_LABELS["council"])
    plan = BooleanField(CATEGORY_LABELS["plan"])
    announcement = BooleanField(CATEGORY_LABELS["announcement"])


class AnnouncementForm(FlaskForm):
    """An announcement to every unit of a movement."""

    title = StringField(_l("Subject"), validators=[DataRequired(), Length(max=200)])
    text = TextAreaField(_l("Text"), validators=[DataRequired(), Length(max=5000)])


@bp.route("/notifications")
@login_required
def inbox():
    """The signed-in user's notifications, newest first."""
    page = request.args.get("page", 1, type=int)
    page = min(max(page, 1), 10_000)
    items = db.session.scalars(
        db.select(Notification)
        .where(Notification.user_id == current_user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(PAGE + 1)
        .offset((page - 1) * PAGE)
    ).all()
    return render_template(
        "notify/inbox.html",
        items=items[:PAGE],
        more=len(items) > PAGE,
        page=page,
        button=ButtonForm(),
        category_labels=CATEGORY_LABELS,
    )


@bp.route("/notifications/<int:notification_id>/read", methods=["POST"])
@login_required
def read(notification_id: int):
    """Mark one of my notifications read, then open its page when asked to."""
    notification = db.session.get(Notification, notification_id)
    if notification is None:
        abort(404)
    if notification.user_id != current_user.id:
        abort(403)
    if not ButtonForm().validate_on_submit():
        abort(400)
    mark_read(current_user, now=now(), notification_id=notification.id)
    db.session.commit()
    if request.form.get("open"):
        # The page on this site (the stored link may name another host in BASE_URL).
        target = urlsplit(notification.link)
        return redirect(target.path + (f"?{target.query}" if target.query else ""))
    return redirect(url_for("notify.inbox"))


@bp.route("/notifications/read-all", methods=["POST"])
@login_required
def read_all():
    """Mark every notification of mine read."""
    if not ButtonForm().validate_on_submit():
        abort(400)
    mark_read(current_user, now=now())
    db.session.commit()
    return redirect(url_for("notify.inbox"))


@bp.route("/notifications/settings", methods=["GET", "POST"])
@login_required
def settings():
    """Which e-mails I receive (security messages always)."""
    off = opted_out_categories(current_user)
    # Unticked boxes are absent from the form: an all-off choice must not read as "no form".
    formdata = request.form if request.method == "POST" else None
    form = ChoicesForm(formdata=formdata, data={c: c not in off for c in OPTIONAL})
    if form.validate_on_submit():
        wanted = {c for c in OPTIONAL if form[c].data}
        set_email_choices(current_user, wanted, now=now(), actor=current_user)
        db.session.commit()
        flash(_("Your e-mail choices were saved."), "success")
        return redirect(url_for("notify.settings"))
    return render_template("notify/settings.html", form=form, has_email=bool(current_user.email))


@bp.route("/notifications/unsubscribe/<token>", methods=["GET", "POST"])
def unsubscribe(token: str):
    """Turn off one category of e-mail from the signed link in a message (no sign-in)."""
    found = read_unsubscribe_token(token)
    if found is None or found[1] not in OPTIONAL:
        abort(404)
    user = db.session.get(User, found[0])
    if user is None:
        abort(404)
    form = ButtonForm()
    done = False
    if form.validate_on_submit():
        wanted = set(OPTIONAL) - opted_out_categories(user) - {found[1]}
        set_email_choices(user, wanted, now=now(), actor=None)
        db.session.commit()
        done = True
    return render_template(
        "notify/unsubscribe.html", form=form, label=CATEGORY_LABELS[found[1]], done=done
    )


@bp.route("/notifications/outbox")
@roles_required(*STAFF_ROLES)
def outbox():
    """What was sent, to whom and when, what failed and why (dead letters first)."""
    shown = request.args.get("show", "problems")
    if shown not in OUTBOX_FILTERS:
        shown = "problems"
    query = db.select(Notification).order_by(Notification.id.desc()).limit(200)
    groups = {
        "problems": ("failed", "uncertain"),
        "pending": ("pending", "claimed", "sending"),
        "sent": ("sent",),
        "none": ("none", "cancelled"),
    }
    if shown in groups:
        query = query.where(Notification.status.in_(groups[shown]))
    counts = dict(
        db.session.execute(
            db.select(Notification.status, db.func.count(Notification.id)).group_by(
                Notification.status
            )
        ).all()
    )
    movements = db.session.scalars(db.select(Movement).order_by(Movement.id.desc())).all()
    return render_template(
        "notify/outbox.html",
        items=db.session.scalars(query).all(),
        shown=shown,
        counts=counts,
        status_labels=STATUS_LABELS,
        button=ButtonForm(),
        movements=movements,
    )


@bp.route("/notifications/outbox/<int:notification_id>/resend", methods=["POST"])
@roles_required(*STAFF_ROLES)
def resend_one(notification_id: int):
    """Send a failed or uncertain message again."""
    notification = db.session.get(Notification, notification_id)
    if notification is None:
        abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        resend(notification, actor=current_user, now=now())
    except ValueError:
        flash(_("Only a failed or uncertain message can be sent again."), "error")
        return redirect(url_for("notify.outbox")), 409
    db.session.commit()
    flash(_("The message is back in the outbox and goes out with the next pass."), "success")
    return redirect(url_for("notify.outbox"))


@bp.route("/movements/<int:movement_id>/announce", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES)
def announcement(movement_id: int):
    """Send an announcement to every unit of a movement."""
    movement = db.session.get(Movement, movement_id)
    if movement is None:
        abort(404)
    form = AnnouncementForm()
    if form.validate_on_submit():
        count = announce(
            movement, title=form.title.data, text=form.text.data, actor=current_user, now=now()
        )
        db.session.commit()
        flash(_("The announcement was sent to %(count)s people.", count=count), "success")
        return redirect(url_for("notify.outbox", show="pending"))
    status = 422 if request.method == "POST" else 200
    return render_template("notify/announce.html", form=form, movement=movement), status
