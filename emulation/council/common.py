"""Helpers shared by the council views: loading objects with access checks, messages."""

from zoneinfo import ZoneInfo

from flask import abort, current_app, flash
from flask_babel import gettext as _
from flask_login import current_user

from ..access import STAFF_ROLES
from ..extensions import db
from ..models import Review, Round
from .assignment import has_conflict


def load_round(round_id: int) -> Round:
    """The round, or 404."""
    return db.session.get(Round, round_id) or abort(404)


def load_review(review_id: int, *, write: bool = False) -> Review:
    """A review its member may work on, or (read-only) the secretariat may see; else 403."""
    review = db.session.get(Review, review_id) or abort(404)
    if current_user.role == "reviewer":
        if review.reviewer_id != current_user.id or has_conflict(current_user, review.dossier):
            abort(403)
    elif write or current_user.role not in STAFF_ROLES:
        abort(403)
    return review


def is_staff() -> bool:
    """Whether the current user is the secretariat or an administrator."""
    return current_user.role in STAFF_ROLES


def local_aware(value):
    """A naive local time from a form, made aware in the display time zone."""
    return value.replace(tzinfo=ZoneInfo(current_app.config["TIMEZONE"]))


def error_text(code: str, detail: str = "") -> str:
    """The message shown for a refused council action."""
    messages = {
        "frozen": _(
            "The ranking of this round is frozen. The secretariat must reopen it, with a "
            "reason, before anything changes."
        ),
        "not_submitted": _("Only a submitted dossier can be reviewed."),
        "not_reviewer": _("Only an active council member can review dossiers."),
        "own_unit": _("A council member never reviews a dossier of their own unit."),
        "already_assigned": _("This member already has (or stepped aside from) this dossier."),
        "per_dossier": _("Choose between 1 and 10 reviewers per dossier."),
        "in_progress": _("This review has started; it can no longer be removed."),
        "already_recused": _("You already stepped aside from this dossier."),
        "reason": _("A reason is required."),
        "not_open": _("This review is finished or recused; it can no longer be changed."),
        "not_done": _("Only a finished review can be reopened."),
        "unknown_indicator": _("There is no such indicator in the rule file."),
        "unknown_criterion": _("There is no such criterion in the rule file."),
        "out_of_range": _("The points must lie between %(range)s.", range=detail),
        "no_flag": _("There is no such mark."),
        "empty": _("There is no submitted dossier to rank."),
        "not_frozen": _("The ranking of this round is not frozen."),
        "returned_open": _(
            "A dossier of this round is out for supplement. Freeze once the unit has sent "
            "it back or its due time has passed."
        ),
        "members": _("The number of members cannot be smaller than the number present."),
        "chair": _("The chair must be one of the members present."),
        "no_meeting": _("The secretariat has not recorded the council meeting yet."),
        "not_present": _("Only members recorded as present at the meeting vote."),
        "recused": _("You stepped aside from this candidate and do not vote on it."),
        "not_proposed": _("This candidate is not proposed for an award."),
        "proposals_changed": _(
            "The proposed awards changed while you were typing (the ranking moved). Nothing "
            "was stored; check the ballots against the page again."
        ),
        "no_vote": _("The frozen ranking holds no council vote."),
    }
    return messages.get(code, _("The request could not be processed."))


def error_message(exc) -> str:
    """The message of a CouncilError, in the user's language."""
    return error_text(exc.code, exc.detail)


def flash_error(exc) -> None:
    """Flash the message of a CouncilError."""
    flash(error_message(exc), "error")
