"""REST API under /api/v1: JSON, personal bearer tokens, RFC 9457 problem details.

Only a bearer token authenticates: the session cookie is ignored here, so a page on another
site cannot make a signed-in browser call the API (no CSRF), and tokens need no CSRF token.
"""

from datetime import timedelta

from flask import Blueprint, g, request
from werkzeug.exceptions import HTTPException

from ..access import now
from ..extensions import csrf, db
from .problems import ApiProblem, problem
from .tokens import user_for_secret

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
PUBLIC = {"api.openapi"}
# Writing last_used_at on every call would turn each read into a write.
LAST_USED_STEP = timedelta(minutes=10)


@bp.before_request
def authenticate():
    """Resolve the bearer token into the acting user, or answer 401."""
    if request.endpoint in PUBLIC:
        return None
    scheme, _sep, secret = request.headers.get("Authorization", "").partition(" ")
    found = user_for_secret(secret.strip()) if scheme.lower() == "bearer" else None
    if found is None:
        return problem(401)
    token, user = found
    # flask-login reads the current user from here; the session is never consulted.
    g._login_user = user
    g.api_token = token
    instant = now()
    if token.last_used_at is None or instant - token.last_used_at > LAST_USED_STEP:
        token.last_used_at = instant
        db.session.commit()
    return None


@bp.errorhandler(ApiProblem)
def api_problem(exc: ApiProblem):
    """A problem raised by a view."""
    db.session.rollback()
    return exc.response()


@bp.errorhandler(HTTPException)
def api_http_error(exc: HTTPException):
    """abort(403/404/...) from shared helpers, and server errors, as problem details."""
    if (exc.code or 500) >= 500:
        db.session.rollback()
    return problem(exc.code or 500)


from . import views  # noqa: E402,F401  registers the routes
