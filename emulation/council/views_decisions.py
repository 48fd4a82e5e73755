"""The secretariat records each decision issued on a round's awards."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, StringField
from wtforms.validators import DataRequired, Length

from ..access import STAFF_ROLES, now, roles_required
from ..extensions import db
from ..history.decisions import DecisionError, decisions_of, record_decision
from .common import error_text, load_round
from .state import active_snapshot


class DecisionForm(FlaskForm):
    """The issued decision's number, date and signer."""

    number = StringField(_l("Decision number"), validators=[
        DataRequired(_l("Give the decision number.")), Length(max=60)])  # fmt: skip
    signed_on = DateField(_l("Signed on"), validators=[DataRequired(_l("Give the date."))])
    signer = StringField(_l("Signed by"), validators=[
        DataRequired(_l("Give the signer's name.")), Length(max=200)])  # fmt: skip


@roles_required(*STAFF_ROLES)
def decisions_page(round_id: int):
    """The round's decision register; record an issued decision."""
    round_ = load_round(round_id)
    form = DecisionForm()
    snapshot = active_snapshot(round_)
    if form.validate_on_submit():
        if snapshot is None or snapshot.payload.get("votes") is None:
            flash(error_text("not_frozen"), "error")
            return redirect(url_for("council.decisions_page", round_id=round_.id))
        try:
            record_decision(round_, snapshot, number=form.number.data,
                            signed_on=form.signed_on.data, signer=form.signer.data,
                            user=current_user, now=now())  # fmt: skip
        except DecisionError as exc:
            form.number.errors = [*form.number.errors, str(exc.message)]
        else:
            db.session.commit()
            flash(_("The decision is recorded; its awardees are in the award history."), "success")
            return redirect(url_for("council.decisions_page", round_id=round_.id))
    status = 422 if form.errors else 200
    page = render_template(
        "council/decisions.html", round=round_, form=form, decisions=decisions_of(round_),
        frozen=snapshot is not None,
    )
    return page, status
