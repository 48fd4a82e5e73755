"""Home page (by role) and the language switch."""

from flask import Blueprint, abort, current_app, redirect, render_template, request, session
from flask_login import current_user, login_required

from ..access import STAFF_ROLES, now
from ..extensions import db
from ..queries import all_movements, round_progress, unit_rounds
from ..security.redirects import safe_next
from ..standings.outcome import decided_rounds
from .glance import glance

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def home():
    """A unit sees its rounds and deadlines; the council sees every movement's progress."""
    if current_user.is_unit_user:
        rows = unit_rounds(current_user.unit)
        return render_template(
            "main/home_unit.html",
            unit=current_user.unit,
            rows=rows,
            now=now(),
            decided=decided_rounds({r.round for r in rows}),
        )
    moment = now()
    movements = [(m, round_progress(m)) for m in all_movements()]
    figures = None
    if current_user.role in STAFF_ROLES:
        figures = {m.id: glance(progress, moment) for m, progress in movements}
    return render_template(
        "main/home_council.html", movements=movements, now=moment, figures=figures
    )


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
