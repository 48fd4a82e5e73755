"""Home page (by role) and the language switch."""

from flask import Blueprint, abort, current_app, redirect, render_template, request, session
from flask_login import current_user, login_required

from ..access import now
from ..extensions import db
from ..queries import all_movements, round_progress, unit_rounds
from ..security.redirects import safe_next

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def home():
    """A unit sees its rounds and deadlines; the council sees every movement's progress."""
    if current_user.is_unit_user:
        return render_template(
            "main/home_unit.html",
            unit=current_user.unit,
            rows=unit_rounds(current_user.unit),
            now=now(),
        )
    movements = [(m, round_progress(m)) for m in all_movements()]
    return render_template("main/home_council.html", movements=movements, now=now())


@bp.route("/lang", methods=["POST"])
def set_language():
    """Switch the interface language and go back to the page the user was on."""
    lang = request.form.get("lang", "")
    if lang not in current_app.config["LANGUAGES"]:
        abort(400)
    session["lang"] = lang
    if current_user.is_authenticated:
        current_user.locale = lang
        db.session.commit()
    return redirect(safe_next(request.form.get("next")))
