"""Forms of the initiatives register."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

LEVEL_LABELS = {
    "unit": _l("Unit (grassroots) level"),
    "provincial": _l("Provincial level"),
    "sector": _l("Sector level (Supreme Procuracy)"),
    "national": _l("National level"),
}


class InitiativeForm(FlaskForm):
    """A recognised initiative and its recognising decision."""

    unit = SelectField(_l("Unit"), validators=[DataRequired(_l("Choose a unit."))])
    title = StringField(_l("Title"), validators=[DataRequired(_l("Give the title.")),
                                                 Length(max=500)])  # fmt: skip
    authors = StringField(
        _l("Authors"),
        validators=[DataRequired(_l("Give the authors.")), Length(max=1000)],
        description=_l("Separate names with ';'."),
    )
    field = StringField(_l("Field"), validators=[Length(max=200)])
    decision_no = StringField(
        _l("Recognising decision number"),
        validators=[DataRequired(_l("Give the decision number.")), Length(max=100)],
    )
    decision_date = DateField(
        _l("Decision date"), validators=[DataRequired(_l("Give the decision date."))]
    )
    level = SelectField(
        _l("Level"), choices=[SelectChoice(k, v) for k, v in LEVEL_LABELS.items()], default="unit"
    )
    scope = TextAreaField(_l("Scope of application"), validators=[Length(max=4000)])


class ClaimForm(FlaskForm):
    """Count an initiative for one candidate of its unit."""

    candidate = SelectField(_l("Counts for"), validators=[DataRequired(_l("Choose a candidate."))])
