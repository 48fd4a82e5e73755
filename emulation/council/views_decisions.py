"""The secretariat records each decision issued on a round's awards."""

from io import BytesIO

import pandas as pd
from flask import flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, StringField
from wtforms.validators import DataRequired, Length

from ..access import STAFF_ROLES, now, roles_required
from ..documents.certificates import certificate_rows, certificates, test_page
from ..documents.common import issuer_of
from ..dossiers.scoring import rules_of
from ..exports.cells import safe_cell
from ..extensions import db
from ..history.decisions import (
    EXPORT_COLUMNS,
    DecisionError,
    decisions_of,
    export_rows,
    record_decision,
    records_of,
)
from ..scoring.schema import CertificateModel
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
        "council/decisions.html",
        round=round_,
        form=form,
        decisions=decisions_of(round_),
        frozen=snapshot is not None,
    )
    return page, status


def _file(data: bytes, mimetype: str, name: str):
    return send_file(BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name)


@roles_required(*STAFF_ROLES)
def certificates_pdf(round_id: int):
    """Certificates of every awardee of the round's recorded decisions, one page each."""
    round_ = load_round(round_id)
    issuer = issuer_of(rules_of(round_), round_.movement)
    layout = issuer.certificate or CertificateModel()
    rows = certificate_rows(records_of(round_), issuer, round_.movement.place)
    if not rows:
        flash(_("Record the issued decision first."), "error")
        return redirect(url_for("council.decisions_page", round_id=round_.id))
    return _file(certificates(rows, layout), "application/pdf", f"giay-khen-{round_.code}.pdf")


@roles_required(*STAFF_ROLES)
def certificates_test_pdf(round_id: int):
    """A test page to align the certificates on the agency's pre-printed blanks."""
    round_ = load_round(round_id)
    issuer = issuer_of(rules_of(round_), round_.movement)
    layout = issuer.certificate or CertificateModel()
    return _file(test_page(layout), "application/pdf", "giay-khen-trang-thu.pdf")


@roles_required(*STAFF_ROLES)
def awards_xlsx(round_id: int):
    """The round's award records for the national civil-servant and emulation databases."""
    round_ = load_round(round_id)
    frame = pd.DataFrame(export_rows(round_), columns=EXPORT_COLUMNS).map(safe_cell)
    buffer = BytesIO()
    frame.to_excel(buffer, index=False, sheet_name="Khen thưởng")
    mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return _file(buffer.getvalue(), mimetype, f"khen-thuong-{round_.code}.xlsx")
