"""Plan forms: an activity, a plan import, a progress report."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..dossiers.forms import NumberBounds, NumberField
from ..validation import date_in_range, date_range_message
from .importing import parse_day


class DayField(StringField):
    """A date typed as dd/mm/yyyy; `day` holds the parsed date."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("render_kw", {"placeholder": "dd/mm/yyyy", "autocomplete": "off"})
        super().__init__(*args, **kwargs)
        self.day = None

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        text = (self.data or "").strip()
        self.data = text
        self.day = None
        if text:
            day = parse_day(text)
            if day is None:
                raise ValueError(_l("Write the date as dd/mm/yyyy, e.g. 30/06/2024."))
            if not date_in_range(day):
                raise ValueError(date_range_message(self.label.text))
            self.day = day


class ActivityForm(FlaskForm):
    """One activity of the plan."""

    number = StringField(_l("Item no."), validators=[Length(max=20)])
    title = TextAreaField(
        _l("Activity"), validators=[DataRequired(_l("Describe the activity.")), Length(max=4000)]
    )
    lead_unit = SelectField(_l("Lead unit"), validators=[DataRequired(_l("Choose a unit."))])
    coordinators = SelectMultipleField(_l("Coordinating units"), validators=[Optional()])
    starts_on = DayField(_l("Start date (optional)"))
    due_on = DayField(_l("Due date"), validators=[DataRequired(_l("Enter the due date."))])
    expected_output = TextAreaField(_l("Expected output"), validators=[Length(max=4000)])

    def validate_due_on(self, field):
        """The due date may not come before the start date."""
        if field.day and self.starts_on.day and field.day < self.starts_on.day:
            raise ValueError(_l("The due date is before the start date."))


class ImportForm(FlaskForm):
    """Upload a plan as an Excel workbook."""

    file = FileField(_l("Plan workbook (.xlsx)"), validators=[FileRequired(_l("Choose a file."))])


class ProgressForm(FlaskForm):
    """The lead unit reports progress, optionally with an evidence file."""

    progress = NumberField(
        _l("Progress (%)"),
        integer=True,
        validators=[NumberBounds(0, 100)],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    done = BooleanField(_l("The activity is completed"))
    note = TextAreaField(_l("Report"), validators=[Length(max=4000)])
    file = FileField(_l("Evidence file (optional)"))
