"""The secretariat sets up a movement and its rounds from a rule file: check, preview, create."""

from pathlib import Path

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from sqlalchemy.exc import IntegrityError
from wtforms import HiddenField, SelectField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

from ..access import STAFF_ROLES, now, roles_required
from ..actions import committed
from ..operations import OperationError
from ..scoring import RuleError
from . import setup

bp = Blueprint("movements", __name__, url_prefix="/movements")
UPLOAD = "__upload__"


class SetupForm(FlaskForm):
    """Choose a rule file (shipped or uploaded) and the clusters whose units take part."""

    # Not re-validated on confirm: the preview page carries the checked file's hash instead.
    source = SelectField(_l("Rule file"), validate_choice=False)
    upload = FileField(_l("Or upload a rule file (.toml)"))
    clusters = SelectMultipleField(
        _l("Clusters taking part"),
        coerce=int,
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
    )
    checked = HiddenField()
    filename = HiddenField()


def _form() -> SetupForm:
    form = SetupForm()
    form.source.choices = [SelectChoice(p.name, p.name) for p in setup.shipped_rule_files()] + [
        SelectChoice(UPLOAD, _("Upload a file…"))
    ]
    form.clusters.choices = [SelectChoice(c.id, c.name) for c in setup.clusters()]
    return form


def _pending() -> Path:
    return Path(current_app.instance_path) / "pending_rules"


def _text_of(form: SetupForm) -> tuple[str, str]:
    """(filename, text) from the upload, the checked text kept on the server, or a shipped file."""
    upload = form.upload.data
    if upload and getattr(upload, "filename", ""):
        # Read at most one byte past the limit; a large upload is refused, not loaded.
        with upload.stream as stream:
            data = stream.read(setup.MAX_RULES_BYTES + 1)
        return setup.clean_filename(upload.filename), setup.read_rules_upload(data, upload.filename)
    if form.checked.data:
        filename = setup.clean_filename(form.filename.data or "")
        return filename, setup.unstash(_pending(), form.checked.data)
    if form.source.data == UPLOAD:
        raise RuleError(_("Choose a .toml file to upload."))
    shipped = {p.name: p for p in setup.shipped_rule_files()}
    path = shipped.get(form.source.data or "")
    if path is None:
        raise RuleError(_("Choose one of the listed rule files."))
    return path.name, path.read_text(encoding="utf-8")


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES)
def new_movement():
    """Check a rule file and preview the movement; create it (or its new rounds) on confirm."""
    form = _form()
    errors, preview = [], None
    if form.validate_on_submit():
        try:
            filename, text = _text_of(form)
            rules = setup.check_rules(text, filename)
        except RuleError as exc:
            errors = [str(e) for e in exc.errors]
            form.checked.data = form.filename.data = ""
        else:
            units = setup.units_to_enrol(rules, form.clusters.data)
            if "create" in request.form and form.checked.data:
                return _create(rules, filename, text, units)
            form.checked.data, form.filename.data = setup.stash(_pending(), text), filename
            preview = _preview(rules, units)
    return render_template(
        "movements/new.html", form=form, errors=errors, preview=preview, upload=UPLOAD
    )


def _create(rules, filename: str, text: str, units):
    nothing_new = _("This movement already has every round in the file; nothing was changed.")
    # Nothing new, or someone created the same rounds a moment ago.
    with committed(
        refused=(OperationError, IntegrityError), explain=lambda _exc: nothing_new
    ) as outcome:
        movement, added = setup.set_up_movement(
            rules, filename=filename, text=text, units=units, user=current_user, now=now()
        )
        outcome.message = _(
            "Movement “%(name)s” set up: %(rounds)d round(s) added, %(units)d unit(s) taking part.",
            name=movement.name,
            rounds=len(added),
            units=len(units),
        )
    if not outcome.ok:
        return redirect(url_for("movements.new_movement"))
    return redirect(url_for("main.home"))


def _preview(rules, units) -> dict:
    """What creating would do, for the confirmation page."""
    new = {spec.code for spec in setup.new_round_specs(rules)}
    return {
        "rules": rules,
        "exists": len(new) < len(rules.rounds),
        "rounds": [(spec, spec.code in new) for spec in rules.rounds],
        "criteria": sum(len(g.criteria) for g in rules.groups),
        "indicators": len(rules.indicators),
        "max_points": sum(g.max_points for g in rules.groups),
        "units": units,
        "nothing_new": not new,
    }
