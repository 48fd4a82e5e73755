"""The dossier form, built from the round's rule set with WTForms."""

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, MultipleFileField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional, ValidationError

from .fields import criteria_forms, extra_forms, input_fields

NOTE_LIMIT = 20000


class NumberField(StringField):
    """A number typed the Vietnamese way or the English way: '99,5' or '99.5'; blank is None."""

    def __init__(self, *args, integer=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.integer = integer
        self.number = None

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        text = (self.data or "").strip().replace(" ", "").replace("\u00a0", "")
        self.data = text
        self.number = None
        if not text:
            return
        if "," in text and "." not in text:
            text = text.replace(",", ".")
        elif "," in text and "." in text:
            # 1.234,5 (Vietnamese grouping) or 1,234.5 (English grouping).
            text = (
                text.replace(".", "").replace(",", ".")
                if text.rfind(",") > text.rfind(".")
                else text.replace(",", "")
            )
        if not re.fullmatch(r"[+-]?\d+(\.\d+)?", text):
            raise ValueError(_l("Enter a number, for example 12 or 99,5."))
        value = float(text)
        if self.integer and not value.is_integer():
            raise ValueError(_l("Enter a whole number."))
        self.number = value

    def pre_validate(self, form):
        pass


class NumberBounds:
    """Validator: the parsed number lies within [minimum, maximum]."""

    def __init__(self, minimum=None, maximum=None):
        self.minimum, self.maximum = minimum, maximum

    def __call__(self, form, field):
        value = field.number
        if value is None:
            return
        if self.minimum is not None and value < self.minimum:
            raise ValidationError(_l("Must be at least %(n)s.", n=f"{self.minimum:g}"))
        if self.maximum is not None and value > self.maximum:
            raise ValidationError(_l("Must be at most %(n)s.", n=f"{self.maximum:g}"))


def _value_field(spec):
    if spec.input == "choice":
        choices = [SelectChoice("", _l("— choose —"))] + [
            SelectChoice(value, label) for value, label in spec.choices
        ]
        return SelectField(spec.label, choices=choices, validators=[Optional()])
    if spec.input == "boolean":
        choices = [
            SelectChoice("", _l("— choose —")),
            SelectChoice("1", _l("Yes")),
            SelectChoice("0", _l("No")),
        ]
        return SelectField(spec.label, choices=choices, validators=[Optional()])
    return NumberField(
        spec.label,
        integer=spec.input == "count",
        validators=[NumberBounds(spec.minimum, spec.maximum)],
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )


def dossier_form_class(rules):
    """A FlaskForm subclass with one input per VALUES column, narrative, points and uploads."""
    attrs = {"lock_version": HiddenField()}
    criteria = criteria_forms(rules)
    indicators = [i for c in criteria for i in c.indicators] + extra_forms(rules)
    for indicator in indicators:
        for spec in indicator.fields:
            attrs[f"v_{spec.column}"] = _value_field(spec)
        attrs[f"sp_{indicator.code}"] = NumberField(
            _l("Self-assessed points"),
            validators=[NumberBounds(0, indicator.max_points)],
            render_kw={"inputmode": "decimal", "autocomplete": "off"},
        )
    for spec in input_fields(rules):
        attrs[f"v_{spec.column}"] = _value_field(spec)
    for criterion in criteria:
        attrs[f"note_{criterion.code}"] = TextAreaField(
            _l("Narrative"), validators=[Optional(), _max_length(NOTE_LIMIT)]
        )
        attrs[f"ev_{criterion.code}"] = MultipleFileField(_l("Add evidence files"))
    for code, _name, _required in rules.documents:
        attrs[f"doc_{code}"] = MultipleFileField(_l("Add the document"))
    return type("DossierForm", (FlaskForm,), attrs)


def _max_length(limit):
    def check(form, field):
        if field.data and len(field.data) > limit:
            raise ValidationError(_l("At most %(n)d characters.", n=limit))

    return check


class ConfirmForm(FlaskForm):
    """A bare form for POST buttons (submit, withdraw) carrying the lock version."""

    lock_version = HiddenField()


class ReasonForm(FlaskForm):
    """A reason, for actions the audit must explain."""

    reason = TextAreaField(_l("Reason"), validators=[Optional()])
