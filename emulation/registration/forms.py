"""Registration forms: one target per registrable indicator, titles, note; return reason."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from ..dossiers.forms import NumberBounds, NumberField
from ..dossiers.views_supervision import LocalDateTimeField
from .operations import registration_target_scale


def target_field_name(code: str) -> str:
    """The form field holding the target of indicator `code`."""
    return f"target_{code}"


def registration_form_class(rules):
    """A FlaskForm subclass with a target field per registrable indicator and the titles."""
    attrs = {}
    for item in rules.registrable:
        scale = registration_target_scale(item)
        attrs[target_field_name(item.code)] = NumberField(
            item.name,
            validators=[NumberBounds(0, 100 if scale == 100 else None)],
            render_kw={"inputmode": "decimal", "autocomplete": "off"},
        )
    attrs["titles"] = SelectMultipleField(
        _l("Titles the unit aims for"),
        choices=[SelectChoice(code, name) for code, name in rules.registration.titles],
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
    )
    attrs["note"] = TextAreaField(_l("Commitments and notes"), validators=[Length(max=4000)])
    return type("RegistrationForm", (FlaskForm,), attrs)


def form_targets(form, rules) -> dict[str, float | None]:
    """Targets from a validated form, converted to the engine's unit (shares for ratios)."""
    out = {}
    for item in rules.registrable:
        number = form[target_field_name(item.code)].number
        out[item.code] = None if number is None else number / registration_target_scale(item)
    return out


def fill_form(form, registration, rules) -> None:
    """Put a stored registration into an unsubmitted form, targets in display units."""
    from ..dossiers.forms import format_number_input

    stored = {t.indicator_code: t.target for t in registration.targets}
    for item in rules.registrable:
        if item.code in stored:
            value = stored[item.code] * registration_target_scale(item)
            form[target_field_name(item.code)].data = format_number_input(value)
    form.titles.data = list(registration.titles)
    form.note.data = registration.note


class ActionForm(FlaskForm):
    """A button-only form (confirm, accept), for the CSRF token."""


class ReturnRegistrationForm(FlaskForm):
    """Return a registration to its unit, with the reason and a due time for corrections."""

    until = LocalDateTimeField(_l("Correct and confirm by (Vietnam time, optional)"))
    reason = TextAreaField(
        _l("Reason for returning"),
        validators=[DataRequired(_l("A reason is required.")), Length(max=4000)],
    )
