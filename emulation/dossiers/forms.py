"""The dossier form, built from the round's rule set with WTForms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, MultipleFileField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional, ValidationError

from ..numbers import input_number
from ..scoring.numbers import NumberRefused, read_number
from ..validation import parse_field_number
from .fields import criteria_forms, extra_forms, input_fields

NOTE_LIMIT = 20000


def parse_number(text: str) -> float | None:
    """Read '99,5', '1.234,5', '2.000' (thousands, Vietnamese) or '99.5'; None if refused."""
    try:
        return read_number(text)
    except NumberRefused:
        return None


def format_number_input(value: float) -> str:
    """A stored number written back into a field: full precision, decimal comma, no grouping."""
    return input_number(value)


class NumberField(StringField):
    """A number typed the Vietnamese way or the English way: '99,5' or '99.5'; blank is None."""

    def __init__(self, *args, integer=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.integer = integer
        self.number = None

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        # What was typed goes back into the field as typed; spaces only group digits.
        self.data = (self.data or "").strip()
        text = self.data.replace(" ", "").replace("\u00a0", "")
        self.number = None
        if not text:
            return
        # The shared reader: finite, sane, ASCII digits; the message names this field.
        value = parse_field_number(text, self.label.text)
        if value is None:
            return
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
    pairs = [
        (f"v_{i.code}_a", f"v_{i.code}_b")
        for i in indicators
        if {f.part for f in i.fields} == {"a", "b"}
    ]
    attrs["validate"] = _validate_with_pairs(pairs)
    for criterion in criteria:
        attrs[f"note_{criterion.code}"] = TextAreaField(
            _l("Narrative"), validators=[Optional(), _max_length(NOTE_LIMIT)]
        )
        attrs[f"ev_{criterion.code}"] = MultipleFileField(_l("Add evidence files"))
    for code, _name, _required in rules.documents:
        attrs[f"doc_{code}"] = MultipleFileField(_l("Add the document"))
    return type("DossierForm", (FlaskForm,), attrs)


def _validate_with_pairs(pairs):
    """A form validate() that also checks each ratio's achieved (a) ≤ total (b)."""

    def validate(self, extra_validators=None):
        valid = FlaskForm.validate(self, extra_validators)
        for name_a, name_b in pairs:
            a, b = self._fields[name_a].number, self._fields[name_b].number
            if a is not None and b is not None and a > b:
                self._fields[name_a].errors = [
                    *self._fields[name_a].errors,
                    _l("The achieved number (a) cannot exceed the total (b)."),
                ]
                valid = False
        return valid

    return validate


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
