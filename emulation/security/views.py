"""Account security pages: change my password, sign out everywhere, and the 429 page."""

from datetime import UTC, datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from ..access import now, roles_required
from ..extensions import db
from ..models import User
from ..timefmt import format_retry
from . import events
from .forms import ChangePasswordForm, ConfirmForm
from .limits import limiter
from .passwords import check_password_policy
from .redirects import safe_next
from .sessions import end_all_sessions

bp = Blueprint("security", __name__)


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """Change my password; the button to sign out on every device."""
    form = ChangePasswordForm()
    user = current_user._get_current_object()
    if form.validate_on_submit():
        if not user.check_password(form.current.data):
            form.current.errors.append(_("The current password is wrong."))
        else:
            problems = check_password_policy(form.new.data, user.username, full_name=user.full_name)
            if form.new.data == form.current.data:
                problems.append(_("The new password must differ from the current one."))
            if not problems:
                moment = now()
                user.set_password(form.new.data)
                user.must_change_password = False
                events.password_changed(user, now=moment)
                # Whoever knew the old password is signed out everywhere; this browser stays in.
                end_all_sessions(
                    user, actor=user, now=moment, keep=user.get_id(), reason="password_changed"
                )
                db.session.commit()
                flash(_("Your password was changed; other devices have been signed out."), "info")
                return redirect(url_for("security.account"))
            form.new.errors.extend(problems)
    status = 400 if form.errors else 200
    return render_template(
        "auth/account.html", form=form, end_form=ConfirmForm(), user=user
    ), status


@bp.route("/account/sessions/end", methods=["POST"])
@login_required
def end_my_sessions():
    """Sign me out on every device, this one included."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    user = current_user._get_current_object()
    end_all_sessions(user, actor=user, now=now())
    db.session.commit()
    lang = session.get("lang")
    session.clear()
    logout_user()
    if lang:
        session["lang"] = lang
    flash(_("You have been signed out on every device."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/users/<int:user_id>/sessions/end", methods=["POST"])
@roles_required("admin")
def end_user_sessions(user_id: int):
    """An administrator signs another user out on every device (e.g. a lost laptop)."""
    user = db.session.get(User, user_id) or abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    end_all_sessions(user, actor=current_user._get_current_object(), now=now(), reason="forced")
    db.session.commit()
    if user.id == current_user.id:
        session.clear()
        logout_user()
        return redirect(url_for("auth.login"))
    flash(_("%(name)s has been signed out on every device.", name=user.full_name), "info")
    return redirect(_back_to(request.referrer))


# Reachable while a one-time password waits to be changed: the account page and leaving.
PASSWORD_CHANGE_OPEN = {"security.account", "auth.logout", "main.set_language", "static"}


def require_password_change():
    """Before every request: an account with a one-time password sees only the account page."""
    if request.endpoint in PASSWORD_CHANGE_OPEN or request.path.startswith("/api/"):
        return None
    if not current_user.is_authenticated or not current_user.must_change_password:
        return None
    flash(_("Your password was reset. Choose a new password before continuing."), "warning")
    return redirect(url_for("security.account"))


def _back_to(referrer: str | None) -> str:
    if referrer and referrer.startswith(request.host_url):
        return safe_next("/" + referrer[len(request.host_url) :])
    return url_for("main.home")


def too_many_requests(exc):
    """The 429 page: too many login attempts from this address, and when to try again."""
    current = limiter.current_limit
    retry = datetime.fromtimestamp(current.reset_at, UTC) if current else now()
    message = _(
        "Too many sign-in attempts from this computer's address. Try again after %(time)s.",
        time=format_retry(retry),
    )
    response = render_template("auth/too_many.html", message=message)
    headers = {"Retry-After": str(max(1, int(retry.timestamp() - datetime.now(UTC).timestamp())))}
    return response, 429, headers
