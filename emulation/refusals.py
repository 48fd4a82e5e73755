"""When a round's stored data cannot be scored: one clear page (or API problem), never a 500."""

from flask import jsonify, render_template, request
from flask_babel import gettext as _

from .extensions import db
from .integrity import bad_values
from .models import Dossier, Round
from .scoring import RuleError

STATUS = 409  # the request is fine; the round's data is in a state that cannot be ranked


def _round_of_request() -> Round | None:
    args = request.view_args or {}
    if isinstance(args.get("round_id"), int):
        return db.session.get(Round, args["round_id"])
    if isinstance(args.get("dossier_id"), int):
        dossier = db.session.get(Dossier, args["dossier_id"])
        return dossier.round if dossier is not None else None
    return None


def refused_page(round_: Round | None, exc: RuleError):
    """The page that lists what the engine refused, naming each dossier holding a bad value."""
    problems = [str(p) for p in exc.errors] or [str(exc)]
    bad = bad_values(round_.id) if round_ is not None else []
    if request.path.startswith("/api/"):
        errors = [{"field": p.column, "message": p.message} for p in exc.errors]
        errors += [{"dossier_id": b.dossier_id, "field": b.place, "message": b.value} for b in bad]
        body = {
            "type": "about:blank",
            "title": _("The round's data cannot be ranked."),
            "status": STATUS,
            "errors": errors,
        }
        response = jsonify(body)
        response.status_code = STATUS
        response.content_type = "application/problem+json"
        return response
    page = render_template("council/ranking_error.html", round=round_, problems=problems, bad=bad)
    return page, STATUS


def handle_rule_error(exc: RuleError):
    """App-wide handler: a RuleError escaping any view becomes the refusal page."""
    db.session.rollback()
    return refused_page(_round_of_request(), exc)
