"""Access checks shared by every view: roles, and which unit a user may see."""

from functools import wraps

from flask import abort, current_app
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .extensions import db
from .models import Dossier, Unit, utcnow

COUNCIL_ROLES = ("reviewer", "secretariat", "admin")
STAFF_ROLES = ("secretariat", "admin")


def roles_required(*roles: str):
    """Decorator: the view needs a logged-in user holding one of `roles` (403 otherwise)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def get_unit(code: str) -> Unit:
    """Load a unit the current user may see: 404 when missing, 403 when it is another unit's."""
    unit = db.session.execute(db.select(Unit).filter_by(code=code)).scalar_one_or_none()
    if unit is None:
        abort(404)
    if not current_user.can_see_unit(unit):
        abort(403)
    return unit


def get_dossier(dossier_id: int) -> Dossier:
    """Load a dossier the current user may see: 404 when missing, 403 for another unit's."""
    dossier = db.session.get(Dossier, dossier_id)
    if dossier is None:
        abort(404)
    if not current_user.can_see_unit(dossier.candidate.unit):
        abort(403)
    return dossier


def now():
    """The current instant; tests replace the clock through the NOW config key."""
    clock = current_app.config.get("NOW")
    return clock() if clock else utcnow()


def role_label(role: str) -> str:
    """A role's name in the user's language."""
    labels = {
        "unit_editor": _("Unit editor"),
        "unit_head": _("Unit head"),
        "reviewer": _("Council member"),
        "secretariat": _("Council secretariat"),
        "admin": _("Administrator"),
    }
    return labels.get(role, role)
