"""Council forms (WTForms); choices are filled by the views from the database."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateTimeLocalField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..dossiers.forms import NumberField
from ..validation import IntField as IntegerField
from ..validation import check_date_range

REASON = [DataRequired(_l("A reason is required.")), Length(max=4000)]


class AssignForm(FlaskForm):
    """Assign one council member to one dossier."""

    dossier = SelectField(_l("Dossier"), validators=[DataRequired(_l("Choose a dossier."))])
    reviewer = SelectField(_l("Council member"), validators=[DataRequired(_l("Choose a member."))])


class AutoAssignForm(FlaskForm):
    """Fill every dossier up to a number of reviewers, balancing the load."""

    per_dossier = IntegerField(
        _l("Reviewers per dossier"),
        default=2,
        validators=[InputRequired(_l("Enter a number.")), NumberRange(1, 10)],
    )


class ButtonForm(FlaskForm):
    """A bare form for POST buttons (CSRF only)."""


class RecuseForm(FlaskForm):
    """Step aside from a dossier, saying why."""

    reason = TextAreaField(_l("Reason for recusal"), validators=REASON)


class AdjustForm(FlaskForm):
    """Council points for one indicator, with the reason."""

    indicator_code = HiddenField(validators=[DataRequired()])
    points = NumberField(
        _l("Council points"), render_kw={"inputmode": "decimal", "autocomplete": "off"}
    )
    reason = TextAreaField(_l("Reason"), validators=REASON)


class FlagForm(FlaskForm):
    """Mark a criterion's evidence insufficient."""

    criterion_code = HiddenField(validators=[DataRequired()])
    note = TextAreaField(_l("What is lacking"), validators=REASON)


class ReopenForm(FlaskForm):
    """Reopen a frozen ranking, saying why."""

    reason = TextAreaField(_l("Reason for reopening"), validators=REASON)


class MeetingForm(FlaskForm):
    """The council meeting: when, where, how many members, who is present, who chairs."""

    held_at = DateTimeLocalField(
        _l("Held at (Vietnam time)"),
        validators=[DataRequired(_l("Enter a date and time.")), check_date_range],
    )
    place = StringField(_l("Place"), validators=[Optional(), Length(max=300)])
    members_total = IntegerField(
        _l("Number of council members"),
        validators=[InputRequired(_l("Enter a number.")), NumberRange(1, 500)],
    )
    present = SelectMultipleField(
        _l("Members present"),
        coerce=int,
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
    )
    chair = SelectField(_l("Chair"), validators=[Optional()])


def vote_choices() -> list[SelectChoice]:
    """Agree / disagree / abstain."""
    return [
        SelectChoice("agree", _l("Agree")),
        SelectChoice("disagree", _l("Disagree")),
        SelectChoice("abstain", _l("Abstain")),
    ]


def vote_form_class(dossier_ids: list[int]):
    """A form with one agree/disagree/abstain choice per proposed awardee."""
    attrs = {
        f"v_{d}": RadioField(choices=vote_choices(), validators=[Optional()]) for d in dossier_ids
    }
    return type("VoteForm", (FlaskForm,), attrs)


def paper_form_class(cells: list[tuple[int, int]], dossier_ids: list[int]):
    """One choice per (member, proposed awardee) to type in, and the tier each row showed."""
    choices = [SelectChoice("", "—"), *vote_choices()]
    attrs = {
        f"p_{member}_{dossier}": SelectField(choices=choices, validators=[Optional()])
        for member, dossier in cells
    }
    attrs |= {f"a_{dossier}": HiddenField() for dossier in dossier_ids}
    return type("PaperBallotForm", (FlaskForm,), attrs)


class WhatIfForm(FlaskForm):
    """A sandbox scenario: group weights given by hand, or random perturbations."""

    mode = SelectField(
        _l("Scenario"),
        choices=[
            SelectChoice("given", _l("Change group weights")),
            SelectChoice("random", _l("Random perturbations of every indicator's weight")),
        ],
        default="given",
    )
    runs = IntegerField(_l("Perturbations"), default=200, validators=[NumberRange(10, 1000)])
    spread = IntegerField(
        _l("Largest change of a weight, in percent"), default=10, validators=[NumberRange(1, 50)]
    )
    seed = IntegerField(_l("Random seed"), default=1, validators=[NumberRange(0, 10**9)])


def whatif_form_class(groups):
    """The sandbox form with one weight field (percent) per criterion group."""
    attrs = {
        f"w_{g.code}": IntegerField(
            f"{g.code}. {g.name}", default=100, validators=[NumberRange(0, 300)]
        )
        for g in groups
    }
    return type("GroupWhatIfForm", (WhatIfForm,), attrs)
