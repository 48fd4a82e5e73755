"""Login and logout views."""

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.security import check_password_hash

from ..access import now
from ..audit import record
from ..extensions import db
from ..models import User
from ..security import events, throttle
from ..security.limits import limiter, login_limit
from ..security.redirects import safe_next
from ..security.sessions import end_login, start_login
from ..timefmt import format_retry
from .forms import LoginForm

__all__ = ["bp", "safe_next"]

bp = Blueprint("auth", __name__)

# Checked when the username is unknown, so both answers take as long (no user enumeration).
# Written out rather than made at import: scrypt takes 32 MB for a moment, which every process
# would pay on start. It has the parameters of the hashes set_password makes (a test checks).
DUMMY_HASH = (
    "scrypt:32768:8:1$Yo9h0y6TgZIK9yGq$ff14a0c7d06bc24c7bbf87fa37d464fc6b13c1708a97c4547f04f7c5d4"
    "59b5a5d64f1a92f7ef1bc9412495b94f8f86adb8710a2d345d05e6defb3816cba31d19"
)


def _locked_out(form, until):
    flash(
        _(
            "Too many wrong passwords for this username from this computer. "
            "Try again after %(time)s.",
            time=format_retry(until),
        ),
        "error",
    )
    return render_template("auth/login.html", form=form), 429


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
def login():
    """Show the login form and sign the user in."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        username = form.username.data.strip()
        address = request.remote_addr
        moment = now()
        # Known and unknown names go through the same steps, so the answers cannot tell them apart.
        until = throttle.locked_until(username, address, moment)
        if until is not None:
            record("login_refused_locked", now=moment, details={"username": username[:80]})
            db.session.commit()
            return _locked_out(form, until)
        user = db.session.execute(db.select(User).filter_by(username=username)).scalar_one_or_none()
        if user is None:
            check_password_hash(DUMMY_HASH, form.password.data)
        if user is None or not user.active or not user.check_password(form.password.data):
            record("login_failed", now=moment, actor=user, details={"username": username[:80]})
            until = throttle.register_failure(username, address, moment)
            if until is not None:
                events.login_locked(username, address, until=until, user=user, now=moment)
            db.session.commit()
            if until is not None:
                return _locked_out(form, until)
            flash(_("Wrong username or password."), "error")
            return render_template("auth/login.html", form=form), 401
        throttle.register_success(username, address)
        lang = session.get("lang")
        # A fresh session at login defeats session fixation.
        session.clear()
        if lang:
            session["lang"] = lang
        start_login(user, remember=bool(form.remember.data), now=moment)
        login_user(user, remember=form.remember.data)
        record("login", now=moment, actor=user, obj=user)
        db.session.commit()
        if user.must_change_password:
            return redirect(url_for("security.account"))
        return redirect(safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Sign the user out: this sign-in ends on the server, both its cookies with it."""
    moment = now()
    end_login(current_user.get_id(), now=moment)
    record("logout", now=moment, actor=current_user, obj=current_user._get_current_object())
    db.session.commit()
    lang = session.get("lang")
    # Clear first: logout_user() leaves the order to delete the remember-me cookie in the session.
    session.clear()
    logout_user()
    if lang:
        session["lang"] = lang
    flash(_("You have been signed out."), "info")
    return redirect(url_for("auth.login"))
