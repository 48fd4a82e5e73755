"""The secretariat sets up a movement and its rounds from a rule file: check, preview, create."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, SelectField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

from ..access import STAFF_ROLES, now, roles_required
from ..extensions import db
from ..operations import OperationError
from ..scoring import RuleError
from . import setup

bp = Blueprint("movements", __name__, url_prefix="/movements")
UPLOAD = "__upload__"


class SetupForm(FlaskForm):
    """Choose a rule file (shipped or uploaded) and the clusters whose units take part."""

    source = SelectField(_l("Rule file"))
    upload = FileField(_l("Or upload a rule file (.toml)"))
    clusters = SelectMultipleField(
        _l("Clusters taking part"),
        coerce=int,
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
    )
    # After a successful check the page carries the checked text, so creating uses exactly it.
    rules_text = HiddenField()
    filename = HiddenField()


def _form() -> SetupForm:
    form = SetupForm()
    form.source.choices = [SelectChoice(p.name, p.name) for p in setup.shipped_rule_files()] + [
        SelectChoice(UPLOAD, _("Upload a file…"))
    ]
    form.clusters.choices = [SelectChoice(c.id, c.name) for c in setup.clusters()]
    return form


def _text_of(form: SetupForm) -> tuple[str, str]:
    """(filename, text) from the checked text, the upload or the chosen shipped file."""
    upload = form.upload.data
    if upload and getattr(upload, "filename", ""):
        # Read at most one byte past the limit; a large upload is refused, not loaded.
        with upload.stream as stream:
            data = stream.read(setup.MAX_RULES_BYTES + 1)
        return upload.filename, setup.read_rules_upload(data, upload.filename)
    if form.rules_text.data and form.filename.data:
        return form.filename.data, form.rules_text.data
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
            form.rules_text.data = form.filename.data = ""
        else:
            units = setup.units_to_enrol(form.clusters.data)
            if "create" in _submitted_buttons():
                return _create(rules, filename, text, units)
            form.rules_text.data, form.filename.data = text, filename
            preview = _preview(rules, units)
    return render_template(
        "movements/new.html", form=form, errors=errors, preview=preview, upload=UPLOAD
    )


def _submitted_buttons() -> set[str]:
    from flask import request

    return {key for key in ("check", "create") if key in request.form}


def _create(rules, filename: str, text: str, units):
    try:
        movement, added = setup.set_up_movement(
            rules, filename=filename, text=text, units=units, user=current_user, now=now()
        )
    except OperationError:
        db.session.rollback()
        flash(_("This movement already has every round in the file; nothing was changed."), "error")
        return redirect(url_for("movements.new_movement"))
    db.session.commit()
    flash(
        _(
            "Movement “%(name)s” set up: %(rounds)d round(s) added, %(units)d unit(s) taking part.",
            name=movement.name,
            rounds=len(added),
            units=len(units),
        ),
        "success",
    )
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
