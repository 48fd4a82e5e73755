"""Start long work in the background and follow it: progress, error, download when ready."""

import io
import re

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange

from ..access import STAFF_ROLES, now, roles_required
from ..extensions import db
from ..models import ROLES, Job, Round
from .runner import create_job, dispatch, reconcile

bp = Blueprint("jobs", __name__)
_JOB_ID = re.compile(r"[0-9a-f]{32}")


class ReportJobForm(FlaskForm):
    """Which report file to prepare."""

    format = SelectField(choices=[SelectChoice(v, v) for v in ("pdf", "docx", "xlsx", "html")])


class ExportJobForm(FlaskForm):
    """Which export to prepare."""

    format = SelectField(choices=[SelectChoice(v, v) for v in ("xlsx", "csv", "json")])
    table = SelectField(
        choices=[SelectChoice(v, v) for v in ("ranking", "detail")], default="ranking"
    )


class WhatIfJobForm(FlaskForm):
    """Random perturbations of every weight, more of them than a page can wait for."""

    runs = IntegerField(_l("Perturbations"), validators=[InputRequired(), NumberRange(10, 20000)])
    spread = IntegerField(
        _l("Largest change of a weight, in percent"),
        validators=[InputRequired(), NumberRange(1, 50)],
    )
    seed = IntegerField(_l("Random seed"), validators=[InputRequired(), NumberRange(0, 10**9)])


def _start(kind: str, params: dict, title: str):
    job = create_job(kind, params, title=title, user=current_user, now=now())
    db.session.commit()
    dispatch(current_app._get_current_object(), job.id)
    return redirect(url_for("jobs.job_page", job_id=job.id))


@bp.route("/rounds/<int:round_id>/jobs/report", methods=["POST"])
@roles_required(*STAFF_ROLES)
def start_report(round_id: int):
    """Prepare the round's report file in the background."""
    round_ = db.session.get(Round, round_id) or abort(404)
    form = ReportJobForm()
    if not form.validate_on_submit():
        abort(400)
    title = _("Report %(round)s (%(fmt)s)", round=round_.name, fmt=form.format.data.upper())
    return _start("report", {"round_id": round_.id, "format": form.format.data}, title)


@bp.route("/rounds/<int:round_id>/jobs/export", methods=["POST"])
@roles_required(*STAFF_ROLES)
def start_export(round_id: int):
    """Prepare the round's ranking or score detail export in the background."""
    round_ = db.session.get(Round, round_id) or abort(404)
    form = ExportJobForm()
    if not form.validate_on_submit():
        abort(400)
    params = {"round_id": round_.id, "format": form.format.data, "table": form.table.data}
    title = _("Export %(round)s (%(fmt)s)", round=round_.name, fmt=form.format.data.upper())
    return _start("export", params, title)


@bp.route("/rounds/<int:round_id>/jobs/whatif", methods=["POST"])
@roles_required(*STAFF_ROLES)
def start_whatif(round_id: int):
    """Run the what-if stability check in the background; its table comes back as a CSV."""
    round_ = db.session.get(Round, round_id) or abort(404)
    form = WhatIfJobForm()
    if not form.validate_on_submit():
        for name, errors in form.errors.items():
            flash(f"{form[name].label.text}: {errors[0]}", "error")
        return redirect(url_for("council.whatif_page", round_id=round_.id))
    params = {"round_id": round_.id, "runs": form.runs.data, "spread": form.spread.data / 100,
              "seed": form.seed.data}  # fmt: skip
    title = _("Stability of %(round)s (%(n)d perturbations)", round=round_.name, n=form.runs.data)
    return _start("whatif", params, title)


@bp.route("/import/confirm/background", methods=["POST"])
@roles_required(*STAFF_ROLES)
def start_values_import():
    """Import a previewed VALUES file in the background: large files outlast a web request."""
    import hashlib

    from ..admin.forms import ConfirmImportForm
    from ..admin.views_import import forget_upload, previewed_upload
    from ..evidence.backends import evidence_store

    upload = previewed_upload(ConfirmImportForm())
    if upload is None:
        return redirect(url_for("admin.import_upload"))
    meta, data_path = upload
    if meta["kind"] != "values" or db.session.get(Round, meta["round_id"]) is None:
        abort(404)
    data = data_path.read_bytes()
    sha256 = hashlib.sha256(data).hexdigest()
    # The job may run on another server: the file goes where every server finds it.
    evidence_store().put_verified(sha256, io.BytesIO(data))
    forget_upload(data_path)
    params = {"round_id": meta["round_id"], "sha256": sha256, "source": meta["filename"]}
    return _start("import_values", params, _("Import of %(file)s", file=meta["filename"]))


def _own_job(job_id: str) -> Job:
    """A job its starter (or an administrator) may see; 404 for anyone else."""
    if not _JOB_ID.fullmatch(job_id):
        abort(404)
    job = db.session.get(Job, job_id)
    if job is None:
        abort(404)
    if job.created_by_id != current_user.id and current_user.role != "admin":
        abort(404)
    return reconcile(current_app, job)


@bp.route("/jobs/<job_id>")
@roles_required(*ROLES)
def job_page(job_id: str):
    """The job's progress (the page refreshes itself), its error, or its download."""
    return render_template("jobs/page.html", job=_own_job(job_id))


@bp.route("/jobs/<job_id>/status")
@roles_required(*ROLES)
def job_status(job_id: str):
    """The job's state as JSON: status, done, total, percent, error, download address."""
    job = _own_job(job_id)
    return jsonify(
        id=job.id,
        status=job.status,
        done=job.done,
        total=job.total,
        percent=job.percent,
        error=job.error,
        download=url_for("jobs.download", job_id=job.id) if job.status == "done" else None,
    )


@bp.route("/jobs/<job_id>/download")
@roles_required(*ROLES)
def download(job_id: str):
    """The finished job's file."""
    from ..evidence.download import blob_response

    job = _own_job(job_id)
    if job.status != "done" or not job.result_sha256:
        abort(404)
    try:
        return blob_response(
            job.result_sha256, download_name=job.result_name, mimetype=job.result_mimetype
        )
    except FileNotFoundError:
        abort(404)
