"""Upload a CSV/XLSX of units, accounts or values: preview (dry run), then confirm."""

import json
import secrets
import time
from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from ..access import STAFF_ROLES, now, roles_required
from ..extensions import db
from ..imports import import_units, import_users, import_values
from ..models import Movement, Round
from .forms import ConfirmImportForm, ImportForm
from .views import bp

KEEP_SECONDS = 24 * 3600  # an unconfirmed upload is removed after a day


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*"):
        if time.time() - old.stat().st_mtime > KEEP_SECONDS:
            old.unlink(missing_ok=True)
    return folder


def _kinds() -> list[SelectChoice]:
    return [
        SelectChoice("units", _("Units and clusters")),
        SelectChoice("users", _("Accounts")),
        SelectChoice("values", _("Indicator values of a round")),
    ]


def _run(meta: dict, data: bytes, *, dry_run: bool):
    """Run the import the upload asks for (the round is loaded again)."""
    kind = meta["kind"]
    if kind == "units":
        return import_units(data, meta["filename"], now=now(), actor=current_user, dry_run=dry_run)
    if kind == "users":
        return import_users(data, meta["filename"], now=now(), actor=current_user, dry_run=dry_run)
    round_ = db.session.get(Round, meta["round_id"]) or abort(404)
    return import_values(
        round_, data, meta["filename"], now=now(), actor=current_user, dry_run=dry_run
    )


@bp.route("/import", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES)
def import_upload():
    """Choose what the file holds and upload it; the answer is the dry run's preview."""
    form = ImportForm()
    form.kind.choices = _kinds()
    rounds = db.session.execute(
        db.select(Round).join(Movement).order_by(Round.deadline.desc())
    ).scalars()
    form.round.choices = [SelectChoice("", _("— not needed —"))] + [
        SelectChoice(str(r.id), f"{r.movement.name} — {r.name}") for r in rounds
    ]
    if form.validate_on_submit():
        if form.kind.data == "values" and not form.round.data:
            form.round.errors = [_("Choose the round the values belong to.")]
        else:
            data = form.file.data.read(current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024 + 1)
            if len(data) > current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024:
                form.file.errors = [_("The file is larger than %(mb)s MB.",
                                      mb=current_app.config["MAX_UPLOAD_MB"])]  # fmt: skip
            else:
                return _preview(form, data)
    return render_template("admin/import.html", form=form), 422 if form.errors else 200


def _preview(form: ImportForm, data: bytes):
    meta = {
        "kind": form.kind.data,
        "round_id": int(form.round.data) if form.kind.data == "values" else None,
        "filename": Path(form.file.data.filename or "upload").name[:200],
        "user_id": current_user.id,
    }
    report = _run(meta, data, dry_run=True)
    db.session.rollback()
    upload = None
    if report.ok:
        upload = secrets.token_hex(16)
        folder = _folder()
        (folder / f"{upload}.bin").write_bytes(data)
        (folder / f"{upload}.json").write_text(json.dumps(meta))
    confirm = ConfirmImportForm(upload=upload)
    return render_template("admin/import_result.html", report=report, confirm=confirm,
                           meta=meta), 200 if report.ok else 422  # fmt: skip


def previewed_upload(form: ConfirmImportForm) -> tuple[dict, Path] | None:
    """The checked upload the confirm form names (its meta and file), or None if it expired.

    Only the person who checked the file may import it (403 for anyone else).
    """
    if not form.validate_on_submit():
        abort(400)
    folder = _folder()
    meta_path = folder / f"{form.upload.data}.json"
    if not meta_path.exists():
        flash(_("The preview expired; upload the file again."), "error")
        return None
    meta = json.loads(meta_path.read_text())
    if meta["user_id"] != current_user.id:
        abort(403)
    return meta, folder / f"{form.upload.data}.bin"


def forget_upload(data_path: Path) -> None:
    """Remove a previewed upload once it is imported."""
    data_path.unlink(missing_ok=True)
    data_path.with_suffix(".json").unlink(missing_ok=True)


@bp.route("/import/confirm", methods=["POST"])
@roles_required(*STAFF_ROLES)
def import_confirm():
    """Import the previewed file for real: one transaction, all or nothing."""
    upload = previewed_upload(ConfirmImportForm())
    if upload is None:
        return redirect(url_for("admin.import_upload"))
    meta, data_path = upload
    report = _run(meta, data_path.read_bytes(), dry_run=False)
    if report.ok:
        db.session.commit()
        forget_upload(data_path)
    else:
        # Something changed since the preview: nothing is written, the new problems are listed.
        db.session.rollback()
    response = render_template("admin/import_result.html", report=report, confirm=None, meta=meta)
    return response, 200 if report.ok else 422, {"Cache-Control": "no-store"}
