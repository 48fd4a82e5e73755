"""Fill the dossier form from a dossier, and apply a posted form (with uploads) to it."""

from flask import current_app
from werkzeug.datastructures import FileStorage

from ..evidence import UploadRefused
from ..evidence.backends import evidence_store
from ..evidence.messages import refusal_text
from ..evidence.signature import check_stored
from . import operations as ops
from .counted import counted_columns, recount
from .fields import criteria_forms, extra_forms, input_fields
from .forms import dossier_form_class, format_number_input


def column_owners(rules) -> dict[str, str]:
    """Map each VALUES column and indicator code to the criterion it belongs to."""
    owners = {}
    for criterion in criteria_forms(rules):
        for indicator in criterion.indicators:
            owners[indicator.code] = criterion.code
            for spec in indicator.fields:
                owners[spec.column] = criterion.code
    return owners


def form_for(dossier, rules):
    """The dossier form: posted data on POST, else the dossier's stored values."""
    form_class = dossier_form_class(rules)
    form = form_class()
    if form.is_submitted():
        return form
    form.lock_version.data = dossier.lock_version
    values = {v.column: v for v in dossier.values}
    for name, field in form._fields.items():
        if name.startswith("v_") and name[2:] in values:
            stored = values[name[2:]]
            if stored.text_value is not None:
                field.data = stored.text_value
            elif field.type == "SelectField":
                field.data = "1" if stored.value else "0"
            else:
                field.data = format_number_input(stored.value)
    for assessment in dossier.self_points:
        field = form._fields.get(f"sp_{assessment.indicator_code}")
        if field is not None:
            field.data = format_number_input(assessment.points)
    for note in dossier.notes:
        field = form._fields.get(f"note_{note.criterion_code}")
        if field is not None:
            field.data = note.text
    return form


def _posted_values(form, rules) -> dict[str, float | str | None]:
    values = {}
    indicators = [i for c in criteria_forms(rules) for i in c.indicators] + extra_forms(rules)
    specs = [f for i in indicators for f in i.fields] + input_fields(rules)
    counted = counted_columns(rules)
    for spec in specs:
        if spec.column in counted:
            continue  # the system counts these from the files
        field = form._fields[f"v_{spec.column}"]
        if spec.input == "choice":
            values[spec.column] = field.data or None
        elif spec.input == "boolean":
            values[spec.column] = None if field.data in ("", None) else float(field.data)
        else:
            values[spec.column] = field.number
    return values


def _new_uploads(form) -> int:
    return sum(
        1
        for name, field in form._fields.items()
        if name.startswith(("ev_", "doc_"))
        for upload in field.data or []
        if isinstance(upload, FileStorage) and upload.filename
    )


def file_count_problem(dossier, form) -> str | None:
    """Why this save carries too many files (per save, or for the dossier), or None."""
    from flask_babel import gettext as _

    new = _new_uploads(form)
    per_save = int(current_app.config["MAX_FILES_PER_SAVE"])
    per_dossier = int(current_app.config["MAX_FILES_PER_DOSSIER"])
    if new > per_save:
        return _(
            "This save carries %(n)s files; at most %(max)s files may be sent in one save. "
            "Nothing was saved: send them in several saves.",
            n=new, max=per_save,
        )  # fmt: skip
    if new and len(dossier.evidence) + new > per_dossier:
        return _(
            "A dossier may hold at most %(max)s files; it has %(have)s and this save adds "
            "%(n)s. Nothing was saved: remove files no longer needed first.",
            max=per_dossier, have=len(dossier.evidence), n=new,
        )  # fmt: skip
    return None


def apply_form(dossier, rules, form, *, user, now, stored: list) -> tuple[list[str], list[str]]:
    """Save the posted draft and store its uploads; returns (changed keys, refusal messages).

    Every blob written is appended to `stored`, so a caller whose transaction fails can
    remove the ones no row refers to.
    """
    owners = column_owners(rules)
    indicators = [i for c in criteria_forms(rules) for i in c.indicators] + extra_forms(rules)
    changed = ops.save_draft(
        dossier,
        values=_posted_values(form, rules),
        self_points={i.code: form._fields[f"sp_{i.code}"].number for i in indicators},
        notes={c.code: form._fields[f"note_{c.code}"].data or "" for c in criteria_forms(rules)},
        owners=owners,
        user=user,
        now=now,
    )
    allowed = ops.editable_criteria(dossier, now)
    refused = []
    uploads = [(f"ev_{c.code}", c.code, None) for c in criteria_forms(rules)]
    if allowed is None:
        uploads += [(f"doc_{code}", None, code) for code, _name, _req in rules.documents]
    for field_name, criterion, document in uploads:
        if allowed is not None and criterion not in allowed:
            continue
        for upload in form._fields[field_name].data or []:
            if not isinstance(upload, FileStorage) or not upload.filename:
                continue
            try:
                stored_file = evidence_store().store(
                    upload.stream,
                    upload.filename,
                    max_bytes=current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024,
                )
            except UploadRefused as exc:
                refused.append(refusal_text(exc))
                continue
            stored.append(stored_file)
            check = check_stored(stored_file.sha256, stored_file.content_type)
            ops.attach_evidence(
                dossier,
                stored_file,
                criterion_code=criterion,
                document_code=document,
                user=user,
                now=now,
                signature=check.to_json() if check else None,
            )
            changed.append(stored_file.original_name)
    recount(dossier, rules)
    return changed, refused


def discard_unreferenced(stored: list) -> None:
    """After a failed request, delete the blobs it created itself that no row refers to.

    A blob that already existed may belong to a submitted version or to another request
    in flight, so only ones this request wrote are candidates; `evidence cleanup` does the rest.
    """
    from ..extensions import db
    from ..models import EvidenceFile

    for item in stored:
        if not item.created:
            continue
        referenced = db.session.execute(
            db.select(EvidenceFile.id).filter_by(sha256=item.sha256).limit(1)
        ).first()
        if referenced is None:
            evidence_store().delete(item.sha256)
