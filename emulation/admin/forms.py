"""Forms of the administration pages; choices are filled by the views from the database."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import EmailField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from ..models import MAX_HEADCOUNT
from ..plan.forms import DayField
from ..validation import IntField

CODE = [
    DataRequired(_l("Enter a code.")),
    Length(max=40),
    Regexp(r"^\S+$", message=_l("A code has no spaces.")),
]
NAME = [DataRequired(_l("Enter a name.")), Length(max=200)]


class ClusterForm(FlaskForm):
    """A cluster's code and name."""

    code = StringField(_l("Code"), validators=CODE)
    name = StringField(_l("Name"), validators=NAME)


class UnitForm(FlaskForm):
    """A unit's code, name, cluster and movements."""

    code = StringField(_l("Unit code"), validators=CODE)
    name = StringField(_l("Unit name"), validators=NAME)
    cluster = SelectField(_l("Emulation cluster"), validate_choice=True)
    headcount = IntField(
        _l("Headcount (staff)"),
        validators=[Optional(), NumberRange(1, MAX_HEADCOUNT)],
        description=_l("Needed for a collective title's condition on its members' share."),
    )
    movements = SelectMultipleField(
        _l("Takes part in"),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=True,
    )


class UserForm(FlaskForm):
    """An account: username (at creation), name, e-mail, role and unit."""

    username = StringField(
        _l("Username"),
        validators=[
            DataRequired(_l("Enter a username.")),
            Length(max=80),
            Regexp(r"^\S+$", message=_l("A username has no spaces.")),
        ],
    )
    full_name = StringField(_l("Full name"), validators=NAME)
    email = EmailField(
        _l("E-mail"),
        validators=[
            Optional(),
            Regexp(r"^[^@\s]+@[^@\s]+$", message=_l("Enter an e-mail address.")),
            Length(max=200),
        ],
    )
    role = SelectField(_l("Role"), validate_choice=True)
    unit = SelectField(_l("Unit"), validate_choice=True)
    password = PasswordField(
        _l("Password"),
        validators=[Optional(), Length(min=10, max=200)],
        description=_l("Leave empty to generate a one-time password, shown once."),
    )


class ImportForm(FlaskForm):
    """Upload a file to check (dry run) before importing it."""

    kind = SelectField(_l("What the file holds"), validate_choice=True)
    round = SelectField(_l("Round (for indicator values)"), validate_choice=True)
    file = FileField(_l("CSV or XLSX file"), validators=[FileRequired(_l("Choose a file."))])


class ConfirmImportForm(FlaskForm):
    """Import the file checked in the preview."""

    upload = StringField(validators=[DataRequired(), Regexp(r"^[0-9a-f]{32}$")])


class ButtonForm(FlaskForm):
    """A CSRF-protected button."""


class UnitChangeForm(FlaskForm):
    """A unit renamed, units merged into one, or a unit split, from a date."""

    kind = SelectField(
        _l("Change"),
        choices=[
            SelectChoice("rename", _l("Rename a unit")),
            SelectChoice("merge", _l("Merge units into a successor")),
            SelectChoice("split", _l("Split a unit into successors")),
        ],
        validate_choice=True,
    )
    units = SelectMultipleField(
        _l("Unit(s) that change"),
        validate_choice=True,
        validators=[DataRequired(_l("Choose the unit that changes."))],
        description=_l("For a merge, every unit merged; otherwise one unit."),
    )
    successors = SelectMultipleField(
        _l("Successor unit(s)"),
        validate_choice=True,
        description=_l("For a merge, the unit they merge into; for a split, two or more units."),
    )
    new_name = StringField(_l("New name (rename)"), validators=[Optional(), Length(max=200)])
    effective_on = DayField(
        _l("Effective date"), validators=[DataRequired(_l("Enter the effective date."))]
    )
