"""Blueprints, template helpers and error pages."""

from flask import Flask, current_app, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from . import engine_text, timefmt
from .access import now, role_label
from .explanation_text import explanation_lines

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)

ERROR_TITLES = {
    400: _l("Bad request"),
    403: _l("Access denied"),
    404: _l("Page not found"),
    405: _l("Method not allowed"),
    413: _l("Request too large"),
    500: _l("Internal error"),
}


def register_web(app: Flask) -> None:
    """Attach blueprints, Jinja filters and error handlers to `app`."""
    from .evidence.backends import evidence_store

    app.extensions["storage_ping"] = lambda: evidence_store().ping()
    from .admin import bp as admin_bp
    from .api import bp as api_bp
    from .api.account import bp as account_bp
    from .auditlog.views import bp as auditlog_bp
    from .auth.views import bp as auth_bp
    from .council.blueprint import bp as council_bp
    from .dossiers.views import bp as dossiers_bp
    from .dossiers.views_supervision import bp as supervision_bp
    from .exports.views import bp as exports_bp
    from .initiatives.views import bp as initiatives_bp
    from .jobs.views import bp as jobs_bp
    from .main.views import bp as main_bp
    from .movements.views import bp as movements_bp
    from .nominees.views import bp as nominees_bp
    from .notify.views import bp as notify_bp
    from .plan.views import bp as plan_bp
    from .registration.views import bp as registration_bp
    from .reports.views import bp as reports_bp
    from .units.views import bp as units_bp
    from .verify import bp as verify_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(main_bp)
    app.register_blueprint(movements_bp)
    app.register_blueprint(units_bp)
    app.register_blueprint(dossiers_bp)
    app.register_blueprint(supervision_bp)
    app.register_blueprint(council_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(exports_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(account_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(plan_bp)
    app.register_blueprint(registration_bp)
    app.register_blueprint(nominees_bp)
    app.register_blueprint(initiatives_bp)
    app.register_blueprint(notify_bp)
    app.register_blueprint(jobs_bp)
    app.register_blueprint(verify_bp)
    app.register_blueprint(auditlog_bp)

    app.jinja_env.filters["datetime"] = timefmt.format_datetime
    app.jinja_env.filters["date"] = timefmt.format_date
    app.jinja_env.filters["deadline"] = timefmt.format_deadline
    app.jinja_env.filters["num"] = timefmt.format_number
    app.jinja_env.filters["isotime"] = timefmt.format_iso
    app.jinja_env.filters["explanation_lines"] = explanation_lines
    engine_text.init_app(app)
    app.jinja_env.globals["remaining"] = timefmt.format_remaining
    app.jinja_env.globals["now"] = now
    app.jinja_env.globals["notify_unread"] = _notify_unread
    app.jinja_env.globals["plus"] = timefmt.plus
    from .history.operations import candidate_history

    app.jinja_env.globals["candidate_history"] = candidate_history
    from .history.succession import former_labels, unit_label

    app.jinja_env.globals["unit_label"] = unit_label
    app.jinja_env.globals["former_labels"] = former_labels

    @app.context_processor
    def inject_common():
        from flask_babel import get_locale

        return {
            "header_movement": _header_movement,
            "languages": app.config["LANGUAGES"],
            "current_locale": str(get_locale()),
            "role_label": role_label,
        }

    @app.after_request
    def security_headers(response):
        # No inline scripts anywhere: the policy lets a stray injected <script> do nothing.
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if request.path.startswith("/static/"):
            return exc
        return render_error(exc.code or 500, exc.description), exc.code

    from .refusals import handle_rule_error
    from .scoring import RuleError

    app.register_error_handler(RuleError, handle_rule_error)

    @app.errorhandler(500)
    def internal_error(exc):
        from .extensions import db

        db.session.rollback()
        return render_error(500, None), 500


def render_error(code: int, description: str | None) -> str:
    """An error page in the app's style and the user's language."""
    messages = {
        403: _("You do not have permission to open this page."),
        404: _("The page or record you asked for does not exist."),
        500: _("Something went wrong on the server. Nothing you saved was lost; try again."),
    }
    title = ERROR_TITLES.get(code, _("Error"))
    if code == 413:
        title, messages[413] = _too_large()
    return render_template(
        "error.html",
        code=code,
        title=title,
        message=messages.get(code, _("The request could not be processed.")),
        user=current_user,
    )


def _too_large() -> tuple[str, str]:
    """Why a request was too large: its size, or (within the size) its number of parts."""
    config = current_app.config
    length = request.content_length
    if length is not None and length <= int(config["MAX_CONTENT_LENGTH"]):
        return _("Too many files"), _(
            "The request carries too many files or fields at once; at most %(files)s files may "
            "be sent in one save. Send them in several saves. Nothing from this request was "
            "saved.",
            files=config["MAX_FILES_PER_SAVE"],
        )
    return _("File too large"), _(
        "The files sent together exceed %(total)s MB. Send them in several saves; each "
        "file may be at most %(mb)s MB. Nothing from this request was saved.",
        total=config["MAX_REQUEST_MB"],
        mb=config["MAX_UPLOAD_MB"],
    )


def _header_movement():
    """The movement named in the page header: the newest one (agencies run one at a time)."""
    from .extensions import db
    from .models import Movement

    return db.session.execute(
        db.select(Movement).order_by(Movement.created_at.desc(), Movement.id.desc()).limit(1)
    ).scalar_one_or_none()


def _notify_unread() -> int:
    """The signed-in user's unread notifications, for the header."""
    from .notify.operations import unread_count

    return unread_count(current_user) if current_user.is_authenticated else 0
