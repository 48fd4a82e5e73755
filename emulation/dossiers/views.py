"""Unit pages for preparing, submitting and withdrawing a dossier."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from ..access import get_dossier, now, roles_required
from ..actions import committed
from ..confirm import confirmed
from ..extensions import db
from ..models import UNIT_ROLES, Candidate, Round
from ..observability import count_submission
from ..timefmt import format_deadline
from . import operations as ops
from . import signoff
from .blueprint import bp
from .completeness import completeness
from .confirmations import submit_confirmation, withdraw_confirmation
from .counted import counted_columns, recount
from .editing import apply_form, discard_unreferenced, file_count_problem, form_for
from .fields import criteria_forms, extra_forms, input_fields
from .forms import ConfirmForm
from .scoring import provisional_result, rules_of
from .window import SubmissionWindow

__all__ = ["bp"]



def _own_dossier(dossier_id: int):
    dossier = get_dossier(dossier_id)
    if current_user.unit_id != dossier.candidate.unit_id:
        abort(403)
    return dossier


@bp.route("/rounds/<int:round_id>/dossier", methods=["POST"])
@roles_required(*UNIT_ROLES)
def start(round_id: int):
    """Open (creating if needed) the unit's dossier for a round."""
    round_ = db.session.get(Round, round_id) or abort(404)
    candidate = db.session.execute(
        db.select(Candidate).filter_by(
            movement_id=round_.movement_id, unit_id=current_user.unit_id, kind="collective"
        )
    ).scalar_one_or_none()
    if candidate is None:
        abort(403)
    existing = db.session.execute(
        db.select(ops.Dossier).filter_by(round_id=round_.id, candidate_id=candidate.id)
    ).scalar_one_or_none()
    if existing is not None:
        return redirect(url_for("dossiers.edit", dossier_id=existing.id))
    if not SubmissionWindow.for_unit(round_, candidate.unit).is_open(now()):
        flash(_("This round is not open for submissions."), "error")
        return redirect(url_for("main.home"))
    try:
        dossier = ops.get_or_create_dossier(round_, candidate, user=current_user, now=now())
        db.session.commit()
    except IntegrityError:
        # Two clicks at once: the other request created it; open that one.
        db.session.rollback()
        dossier = db.session.execute(
            db.select(ops.Dossier).filter_by(round_id=round_.id, candidate_id=candidate.id)
        ).scalar_one()
    return redirect(url_for("dossiers.edit", dossier_id=dossier.id))


@bp.route("/dossiers/<int:dossier_id>/edit", methods=["GET", "POST"])
@roles_required(*UNIT_ROLES)
def edit(dossier_id: int):
    """The dossier form: values, narratives, self-assessed points and evidence."""
    dossier = _own_dossier(dossier_id)
    rules = rules_of(dossier.round)
    instant = now()
    try:
        editable = ops.editable_criteria(dossier, instant)
        can_edit = True
    except ops.NotEditable:
        editable, can_edit = set(), False
    form = form_for(dossier, rules)
    if request.method == "POST":
        if not can_edit:
            flash(_closed_message(dossier, instant), "error")
            return redirect(url_for("dossiers.edit", dossier_id=dossier.id))
        too_many = file_count_problem(dossier, form) if form.is_submitted() else None
        if too_many is not None:
            flash(too_many, "error")
            return _edit_page(dossier, rules, form, can_edit, editable), 413
        if form.validate_on_submit():
            stored = []
            try:
                ops.check_lock(dossier, form.lock_version.data)
                changed, refused = apply_form(
                    dossier, rules, form, user=current_user, now=instant, stored=stored
                )
                db.session.commit()
            except Exception as exc:
                db.session.rollback()
                discard_unreferenced(stored)
                if not isinstance(exc, ops.StaleDossier | StaleDataError):
                    raise
                flash(
                    _(
                        "Someone saved this dossier after you opened it (another tab or "
                        "colleague). Your changes were not saved: reload the page, then enter "
                        "them again."
                    ),
                    "error",
                )
                return _edit_page(dossier, rules, form, can_edit, editable), 409
            for message in refused:
                flash(message, "error")
            if request.form.get("action") == "submit" and not refused:
                # Saved first, so nothing typed is left out of the version; then confirmed.
                if not confirmed():
                    return redirect(url_for("dossiers.submit", dossier_id=dossier.id))
                return _submit_now(dossier)
            if changed or not refused:
                flash(_("Draft saved."), "success")
            return redirect(url_for("dossiers.edit", dossier_id=dossier.id))
        return _edit_page(dossier, rules, form, can_edit, editable), 422
    return _edit_page(dossier, rules, form, can_edit, editable)


def _closed_message(dossier, instant) -> str:
    """Why a save or submission was refused; past the deadline, say when it was."""
    if ops.dossier_window_state(dossier, instant) in ("open", "grace"):
        return _("This dossier can no longer be changed.")
    # A unit pressing Submit a minute late must see the deadline and the server's time.
    deadline, received = format_deadline(ops.effective_deadline(dossier)), format_deadline(instant)
    if request.form.get("action") == "submit":
        return _(
            "Submission refused: the deadline was %(deadline)s and the server received "
            "your dossier at %(now)s.",
            deadline=deadline,
            now=received,
        )
    return _(
        "Nothing was saved: the deadline was %(deadline)s and the server received your "
        "changes at %(now)s.",
        deadline=deadline,
        now=received,
    )


def _edit_page(dossier, rules, form, can_edit, editable) -> str:
    result, key = provisional_result(dossier)
    rows, details = [], []
    if result is not None:
        rows = result.table[result.table["unit_code"] == key].to_dict("records")
        details = result.details[result.details["unit_code"] == key].to_dict("records")
    row = rows[0] if rows else None
    return render_template(
        "dossiers/edit.html",
        score_row=row,
        score_details=details,
        group_points=[(g.code, g.name, row[g.code]) for g in rules.groups] if row else [],
        max_total=rules.scoring.max_total,
        dossier=dossier,
        form=form,
        criteria=criteria_forms(rules),
        extras=extra_forms(rules),
        inputs=input_fields(rules),
        documents=rules.documents,
        signed_documents=rules.signed_documents,
        counted_columns=counted_columns(rules),
        can_edit=can_edit,
        editable=editable,
        check=completeness(dossier, rules),
        confirm=ConfirmForm(lock_version=dossier.lock_version),
        deadline=ops.effective_deadline(dossier),
        state=ops.dossier_window_state(dossier, now()),
        now=now(),
        decided=_decided(dossier),
        signoff_state=signoff.state(dossier),
        signoff_required=signoff.required(dossier),
    )


def _decided(dossier) -> bool:
    """Whether the council's result of this round can be read (frozen and voted on)."""
    # Imported here: the council package builds on this one, not the other way round.
    from ..standings.outcome import decided_rounds

    return dossier.round.id in decided_rounds([dossier.round])


@bp.route("/dossiers/<int:dossier_id>/submit", methods=["GET", "POST"])
@roles_required(*UNIT_ROLES)
def submit(dossier_id: int):
    """Submit after confirming: freeze the dossier into a new version and issue a receipt."""
    dossier = _own_dossier(dossier_id)
    if request.method == "GET":
        if dossier.status == "submitted" or ops.dossier_window_state(dossier, now()) not in (
            "open",
            "grace",
        ):
            flash(_("This dossier cannot be submitted now."), "error")
            return redirect(url_for("dossiers.edit", dossier_id=dossier.id))
        return submit_confirmation(dossier)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        ops.check_lock(dossier, form.lock_version.data)
    except ops.StaleDossier:
        flash(_("The dossier changed since you opened it. Check it again, then submit."), "error")
        return redirect(url_for("dossiers.edit", dossier_id=dossier.id))
    if not confirmed():
        return submit_confirmation(dossier)
    return _submit_now(dossier)


def _submit_now(dossier):
    """Submit the saved dossier at the server's time; refusals are explained on the page."""
    instant = now()
    try:
        version = ops.submit_dossier(dossier, user=current_user, now=instant)
        # Before the commit, which would have both rows read again just for the address.
        receipt_url = url_for("dossiers.receipt", dossier_id=dossier.id, number=version.number)
        db.session.commit()
    except ops.DeadlinePassed as exc:
        db.session.rollback()
        count_submission("refused_late")
        flash(
            _(
                "Submission refused: the deadline was %(deadline)s and the server received "
                "your dossier at %(now)s.",
                deadline=format_deadline(exc.deadline),
                now=format_deadline(exc.now),
            ),
            "error",
        )
        return redirect(url_for("dossiers.edit", dossier_id=dossier.id))
    except StaleDataError:
        db.session.rollback()
        flash(_("The dossier changed since you opened it. Check it again, then submit."), "error")
        return redirect(url_for("dossiers.edit", dossier_id=dossier.id))
    except (ops.NotEditable, ops.RoundNotOpen, signoff.HeadConfirmationMissing) as exc:
        db.session.rollback()
        if getattr(exc, "reason", None) == "frozen":
            message = _(
                "Submission refused: the council has frozen this round's ranking. Contact the "
                "council secretariat."
            )
        elif getattr(exc, "reason", None) == "head_confirmation":
            message = _(
                "Submission refused: this round requires the unit head's confirmation of "
                "exactly this dossier, and it has not been given (or the dossier changed since)."
            )
        else:
            message = _("This dossier cannot be submitted now.")
        flash(message, "error")
        return redirect(url_for("dossiers.edit", dossier_id=dossier.id))
    count_submission("accepted")
    return redirect(receipt_url)


@bp.route("/dossiers/<int:dossier_id>/withdraw", methods=["POST"])
@roles_required(*UNIT_ROLES)
def withdraw(dossier_id: int):
    """Take the submitted dossier back to correct it before the deadline."""
    dossier = _own_dossier(dossier_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    open_ = ops.dossier_window_state(dossier, now()) in ("open", "grace")
    if not confirmed() and open_ and dossier.status == "submitted":
        return withdraw_confirmation(dossier)
    withdrawn = _(
        "The dossier was withdrawn. Correct it and submit it again before the "
        "deadline; the earlier version stays in the history."
    )
    with committed(withdrawn, category="warning", refused=(ops.DeadlinePassed, ops.NotEditable),
                   explain=lambda _exc: _("The dossier can no longer be withdrawn.")):  # fmt: skip
        ops.withdraw_dossier(dossier, user=current_user, now=now())
    return redirect(url_for("dossiers.edit", dossier_id=dossier.id))


@bp.route("/dossiers/<int:dossier_id>/versions/<int:number>/receipt")
@roles_required(*UNIT_ROLES, "reviewer", "secretariat", "admin")
def receipt(dossier_id: int, number: int):
    """The printable receipt of a submitted version."""
    dossier = get_dossier(dossier_id)
    version = next((v for v in dossier.versions if v.number == number), None) or abort(404)
    return render_template("dossiers/receipt.html", dossier=dossier, version=version)


@bp.route("/dossiers/<int:dossier_id>/versions/<int:number>/receipt.pdf")
@roles_required(*UNIT_ROLES, "reviewer", "secretariat", "admin")
def receipt_file(dossier_id: int, number: int):
    """The receipt of a submitted version as a PDF, with the place and date line."""
    from io import BytesIO

    from flask import current_app, send_file

    from ..documents.receipt import receipt_pdf
    from ..signatures.seal import SealError, seal_pdf

    dossier = get_dossier(dossier_id)
    version = next((v for v in dossier.versions if v.number == number), None) or abort(404)
    try:
        data = seal_pdf(receipt_pdf(dossier, version), current_app.config,
                        reason=f"Giấy biên nhận {version.receipt_no}")
    except SealError:
        current_app.logger.exception("the sealing certificate could not be used")
        abort(503)
    return send_file(
        BytesIO(data),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=f"bien-nhan-{version.receipt_no}.pdf",
    )


@bp.route("/dossiers/<int:dossier_id>/history")
@roles_required(*UNIT_ROLES, "reviewer", "secretariat", "admin")
def history(dossier_id: int):
    """Every submitted version with what changed from the one before."""
    dossier = get_dossier(dossier_id)
    diffs, previous = {}, None
    for version in dossier.versions:
        diffs[version.number] = ops.diff_payloads(previous, version.payload) if previous else []
        previous = version.payload
    return render_template("dossiers/history.html", dossier=dossier, diffs=diffs)


@bp.route("/evidence/<int:evidence_id>")
@roles_required(*UNIT_ROLES, "reviewer", "secretariat", "admin")
def evidence(evidence_id: int):
    """An evidence file for those who may see its dossier; `?inline=1` opens a PDF or image."""
    from ..evidence.download import blob_response
    from ..models import EvidenceFile

    item = db.session.get(EvidenceFile, evidence_id) or abort(404)
    get_dossier(item.dossier_id)
    try:
        return blob_response(
            item.sha256,
            mimetype=item.content_type,
            download_name=item.original_name,
            inline=request.args.get("inline") == "1",
        )
    except FileNotFoundError:
        abort(404)


@bp.route("/dossiers/<int:dossier_id>/files.zip")
@roles_required(*UNIT_ROLES, "reviewer", "secretariat", "admin")
def evidence_zip(dossier_id: int):
    """Every evidence file of a dossier as one ZIP, with a manifest of names, sizes, hashes."""
    from flask import send_file

    from ..evidence.bundle import bundle_file

    dossier = get_dossier(dossier_id)
    files = sorted(dossier.evidence, key=lambda f: (f.criterion_code or "", f.id))
    return send_file(
        bundle_file(files),
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"minh-chung-{dossier.candidate.unit.code}-{dossier.id}.zip",
    )


@bp.route("/evidence/<int:evidence_id>/delete", methods=["POST"])
@roles_required(*UNIT_ROLES)
def delete_evidence(evidence_id: int):
    """Remove a wrongly uploaded file from a draft (submitted versions keep theirs)."""
    from ..models import EvidenceFile

    item = db.session.get(EvidenceFile, evidence_id) or abort(404)
    dossier = _own_dossier(item.dossier_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        allowed = ops.editable_criteria(dossier, now())
        ops.check_lock(dossier, form.lock_version.data)
    except ops.NotEditable:
        allowed = set()
    except ops.StaleDossier:
        flash(_("The dossier changed since you opened it. Check it again, then submit."), "error")
        return redirect(url_for("dossiers.edit", dossier_id=dossier.id))
    if allowed is not None and item.criterion_code not in allowed:
        flash(_("This dossier can no longer be changed."), "error")
    else:
        ops.remove_evidence(item, user=current_user, now=now())
        recount(dossier, rules_of(dossier.round))
        db.session.commit()
        flash(_("File removed: %(name)s", name=item.original_name), "success")
    return redirect(url_for("dossiers.edit", dossier_id=dossier.id))


@bp.route("/dossiers/<int:dossier_id>/versions/<int:number>/files/<sha256>")
@roles_required(*UNIT_ROLES, "reviewer", "secretariat", "admin")
def version_file(dossier_id: int, number: int, sha256: str):
    """Download a file exactly as a submitted version received it."""
    from ..evidence.download import blob_response

    dossier = get_dossier(dossier_id)
    version = next((v for v in dossier.versions if v.number == number), None) or abort(404)
    item = next((f for f in version.payload["evidence"] if f["sha256"] == sha256), None)
    if item is None:
        abort(404)
    try:
        return blob_response(sha256, download_name=item["name"])
    except FileNotFoundError:
        abort(404)


# The head's sign-off pages hang on this blueprint.
from . import views_signoff  # noqa: E402, F401
