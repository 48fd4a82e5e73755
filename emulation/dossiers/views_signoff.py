"""The unit head's sign-off page: see exactly the content and its hash, confirm or send back."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from ..access import get_dossier, now, roles_required
from ..extensions import db
from ..models import UNIT_ROLES
from . import signoff
from .blueprint import bp
from .fields import all_value_fields, criteria_forms
from .forms import ConfirmForm
from .operations import dossier_payload
from .scoring import rules_of


def _own(dossier_id: int):
    dossier = get_dossier(dossier_id)
    if current_user.unit_id != dossier.candidate.unit_id:
        abort(403)
    return dossier


def _head_only():
    if current_user.role != "unit_head":
        abort(403)


@bp.route("/dossiers/<int:dossier_id>/signoff")
@roles_required(*UNIT_ROLES)
def signoff_page(dossier_id: int):
    """The content the head is asked to confirm, with its hash; both sides see its state."""
    dossier = _own(dossier_id)
    rules = rules_of(dossier.round)
    payload = dossier_payload(dossier)
    parts = {"a": _("Achieved (a)"), "b": _("Total (b)")}
    labels = {
        f.column: f"{f.label} — {parts[f.part]}" if f.part in parts else f.label
        for f in all_value_fields(rules)
    }
    criteria = {c.code: c.name for c in criteria_forms(rules)}
    documents = {code: name for code, name, _required in rules.documents}
    return render_template(
        "dossiers/signoff.html",
        dossier=dossier,
        payload=payload,
        labels=labels,
        criteria=criteria,
        documents=documents,
        content_hash=signoff.current_hash(dossier),
        state=signoff.state(dossier),
        required=signoff.required(dossier),
        form=ConfirmForm(lock_version=dossier.lock_version),
    )


def _refusal(error: signoff.SignoffError) -> str:
    if error.code == "changed":
        return _("The dossier changed while you were reading it. Read it again, then confirm.")
    if error.code == "no_comment":
        return _("Say what the editor should correct before sending the dossier back.")
    return _("The dossier has been submitted; withdraw it first to change the sign-off.")


@bp.route("/dossiers/<int:dossier_id>/signoff/confirm", methods=["POST"])
@roles_required(*UNIT_ROLES)
def signoff_confirm(dossier_id: int):
    """The head confirms the content whose hash the page showed."""
    dossier = _own(dossier_id)
    _head_only()
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        signoff.confirm(dossier, seen_hash=request.form.get("content_hash", ""),
                        user=current_user, now=now())
        db.session.commit()
    except (signoff.SignoffError, StaleDataError) as error:
        db.session.rollback()
        code = error if isinstance(error, signoff.SignoffError) else signoff.SignoffError("changed")
        flash(_refusal(code), "error")
        return redirect(url_for("dossiers.signoff_page", dossier_id=dossier_id))
    flash(_("You confirmed the dossier; the editor may now submit it."), "success")
    return redirect(url_for("dossiers.signoff_page", dossier_id=dossier_id))


@bp.route("/dossiers/<int:dossier_id>/signoff/return", methods=["POST"])
@roles_required(*UNIT_ROLES)
def signoff_return(dossier_id: int):
    """The head sends the draft back to the editor with a comment."""
    dossier = _own(dossier_id)
    _head_only()
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        signoff.send_back(dossier, comment=request.form.get("comment", ""),
                          user=current_user, now=now())
        db.session.commit()
    except (signoff.SignoffError, StaleDataError) as error:
        db.session.rollback()
        code = error if isinstance(error, signoff.SignoffError) else signoff.SignoffError("changed")
        flash(_refusal(code), "error")
        return redirect(url_for("dossiers.signoff_page", dossier_id=dossier_id))
    flash(_("The dossier was sent back to the editor with your comment."), "success")
    return redirect(url_for("dossiers.signoff_page", dossier_id=dossier_id))
