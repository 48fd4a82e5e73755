"""Forms of the nominations page."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from .operations import MAX_ACHIEVEMENT, MAX_NAME, MAX_POSITION, RATINGS


class NomineeForm(FlaskForm):
    """One person the unit nominates."""

    name = StringField(
        _l("Full name"), validators=[DataRequired(_l("Give the person's full name.")),
                                     Length(max=MAX_NAME)]
    )  # fmt: skip
    position = StringField(_l("Position"), validators=[Length(max=MAX_POSITION)])
    rating = SelectField(
        _l("Rating of the year"),
        choices=[SelectChoice("", "—")] + [SelectChoice(k, v) for k, v in RATINGS.items()],
        default="",
    )
    achievement = TextAreaField(
        _l("Summary of achievements"), validators=[Length(max=MAX_ACHIEVEMENT)]
    )


class NomineeImportForm(FlaskForm):
    """A table of people to nominate at once."""

    file = FileField(_l("CSV or XLSX file"), validators=[FileRequired(_l("Choose a file."))])
