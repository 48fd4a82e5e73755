"""The unit's nominations page: add people by hand or from a table, open their dossiers."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from ..access import now, roles_required
from ..dossiers import operations as ops
from ..dossiers.window import SubmissionWindow
from ..extensions import db
from ..models import UNIT_ROLES, Candidate, Dossier, Movement, Round
from .forms import NomineeForm, NomineeImportForm
from .operations import (
    RATINGS,
    NominationError,
    NomineeInput,
    import_nominees,
    nominate,
    nominees_of,
    remove_nominee,
)

bp = Blueprint("nominees", __name__)


def _movement(movement_id: int) -> Movement:
    movement = db.session.get(Movement, movement_id) or abort(404)
    competes = db.session.execute(
        db.select(Candidate.id).filter_by(
            movement_id=movement.id, unit_id=current_user.unit_id, kind="collective"
        )
    ).first()
    if competes is None:
        abort(403)
    return movement


def _own_nominee(candidate_id: int) -> Candidate:
    candidate = db.session.get(Candidate, candidate_id) or abort(404)
    if candidate.kind != "individual" or candidate.unit_id != current_user.unit_id:
        abort(403)
    return candidate


def _page(movement, form, upload, status=200):
    people = nominees_of(movement, current_user.unit)
    dossiers = {
        (d.round_id, d.candidate_id): d
        for d in db.session.execute(
            db.select(Dossier).where(Dossier.candidate_id.in_([p.id for p in people]))
        ).scalars()
    }
    return render_template(
        "nominees/page.html", movement=movement, people=people, dossiers=dossiers,
        form=form, upload=upload, ratings=RATINGS, now=now(),
    ), status  # fmt: skip


@bp.route("/movements/<int:movement_id>/nominees", methods=["GET", "POST"])
@roles_required(*UNIT_ROLES)
def page(movement_id: int):
    """The people the unit nominates in the movement; add one."""
    movement = _movement(movement_id)
    form = NomineeForm()
    if form.validate_on_submit():
        data = NomineeInput(form.name.data, form.position.data or "", form.rating.data or "",
                            form.achievement.data or "")  # fmt: skip
        try:
            nominate(movement, current_user.unit, data, user=current_user, now=now())
        except NominationError as exc:
            form.name.errors = [*form.name.errors, str(exc.message)]
            return _page(movement, form, NomineeImportForm(), 422)
        db.session.commit()
        flash(_("%(name)s is nominated.", name=data.name), "success")
        return redirect(url_for("nominees.page", movement_id=movement.id))
    return _page(movement, form, NomineeImportForm(), 422 if form.errors else 200)


@bp.route("/movements/<int:movement_id>/nominees/import", methods=["POST"])
@roles_required(*UNIT_ROLES)
def import_table(movement_id: int):
    """Nominate everyone of an XLSX or CSV table (nothing is added if a row is wrong)."""
    movement = _movement(movement_id)
    upload = NomineeImportForm()
    if not upload.validate_on_submit():
        return _page(movement, NomineeForm(formdata=None), upload, 422)
    data = upload.file.data.read()
    result = import_nominees(movement, current_user.unit, data, upload.file.data.filename or "",
                             user=current_user, now=now())  # fmt: skip
    if result.problems:
        db.session.rollback()
        upload.file.errors = [
            (_("Row %(row)s: %(text)s", row=row, text=text) if row else text)
            for row, text in result.problems
        ]
        return _page(movement, NomineeForm(formdata=None), upload, 422)
    db.session.commit()
    flash(_("%(count)s people nominated.", count=len(result.added)), "success")
    return redirect(url_for("nominees.page", movement_id=movement.id))


@bp.route("/nominees/<int:candidate_id>/remove", methods=["POST"])
@roles_required(*UNIT_ROLES)
def remove(candidate_id: int):
    """Withdraw a nomination that has no dossier."""
    candidate = _own_nominee(candidate_id)
    movement_id = candidate.movement_id
    try:
        remove_nominee(candidate, user=current_user, now=now())
    except NominationError as exc:
        flash(str(exc.message), "error")
        return redirect(url_for("nominees.page", movement_id=movement_id))
    db.session.commit()
    flash(_("The nomination is withdrawn."), "success")
    return redirect(url_for("nominees.page", movement_id=movement_id))


@bp.route("/rounds/<int:round_id>/nominees/<int:candidate_id>/dossier", methods=["POST"])
@roles_required(*UNIT_ROLES)
def start_dossier(round_id: int, candidate_id: int):
    """Open (creating if needed) a nominee's dossier for a round."""
    round_ = db.session.get(Round, round_id) or abort(404)
    candidate = _own_nominee(candidate_id)
    if candidate.movement_id != round_.movement_id:
        abort(404)
    found = db.select(Dossier).filter_by(round_id=round_.id, candidate_id=candidate.id)
    existing = db.session.execute(found).scalar_one_or_none()
    if existing is not None:
        return redirect(url_for("dossiers.edit", dossier_id=existing.id))
    if not SubmissionWindow.for_unit(round_, candidate.unit).is_open(now()):
        flash(_("This round is not open for submissions."), "error")
        return redirect(url_for("nominees.page", movement_id=round_.movement_id))
    try:
        dossier = ops.get_or_create_dossier(round_, candidate, user=current_user, now=now())
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # two clicks at once: open the one the other request made
        dossier = db.session.execute(found).scalar_one()
    return redirect(url_for("dossiers.edit", dossier_id=dossier.id))
