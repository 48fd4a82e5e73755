"""The secretariat's initiatives register: record initiatives, count each for one candidate."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from ..access import STAFF_ROLES, now, roles_required
from ..extensions import db
from ..models import Candidate, Initiative, InitiativeClaim, Unit
from .forms import LEVEL_LABELS, ClaimForm, InitiativeForm
from .operations import InitiativeError, InitiativeInput, add_initiative, claim, register

bp = Blueprint("initiatives", __name__)


def _units() -> list[Unit]:
    return list(db.session.execute(db.select(Unit).order_by(Unit.name)).scalars())


def _choices(initiative: Initiative) -> list[SelectChoice]:
    candidates = db.session.execute(
        db.select(Candidate).filter_by(unit_id=initiative.unit_id).order_by(Candidate.id)
    ).scalars()
    return [
        SelectChoice(str(c.id), f"{c.display_name} — {c.movement.name}") for c in candidates
    ]


def _page(form, status=200):
    entries = register()
    claims: dict[int, list[InitiativeClaim]] = {}
    for c in db.session.execute(db.select(InitiativeClaim)).scalars():
        claims.setdefault(c.initiative_id, []).append(c)
    claim_forms = {}
    for initiative in entries:
        claim_form = ClaimForm(formdata=None, prefix=f"c{initiative.id}")
        claim_form.candidate.choices = _choices(initiative)
        claim_forms[initiative.id] = claim_form
    return render_template(
        "initiatives/page.html", entries=entries, claims=claims, form=form,
        claim_forms=claim_forms, levels=LEVEL_LABELS,
    ), status  # fmt: skip


def _form() -> InitiativeForm:
    form = InitiativeForm()
    form.unit.choices = [SelectChoice("", "—")] + [
        SelectChoice(str(u.id), u.name) for u in _units()
    ]
    return form


@bp.route("/initiatives", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES)
def page():
    """The register of recognised initiatives; record one."""
    form = _form()
    if form.validate_on_submit():
        unit = db.session.get(Unit, int(form.unit.data)) or abort(404)
        data = InitiativeInput(
            unit, form.title.data, form.authors.data, form.field.data or "",
            form.decision_no.data, form.decision_date.data, form.level.data,
            form.scope.data or "",
        )  # fmt: skip
        try:
            add_initiative(data, user=current_user, now=now())
        except InitiativeError as exc:
            form.title.errors = [*form.title.errors, str(exc.message)]
            return _page(form, 422)
        db.session.commit()
        flash(_("The initiative is recorded."), "success")
        return redirect(url_for("initiatives.page"))
    return _page(form, 422 if form.errors else 200)


@bp.route("/initiatives/<int:initiative_id>/claim", methods=["POST"])
@roles_required(*STAFF_ROLES)
def claim_view(initiative_id: int):
    """Count the initiative for one candidate (never for two in a movement)."""
    initiative = db.session.get(Initiative, initiative_id) or abort(404)
    form = ClaimForm(prefix=f"c{initiative.id}")
    form.candidate.choices = _choices(initiative)
    if not form.validate_on_submit():
        flash(_("Choose a candidate."), "error")
        return redirect(url_for("initiatives.page"))
    candidate = db.session.get(Candidate, int(form.candidate.data)) or abort(404)
    try:
        claim(initiative, candidate, user=current_user, now=now())
    except InitiativeError as exc:
        flash(str(exc.message), "error")
        return redirect(url_for("initiatives.page"))
    db.session.commit()
    flash(_("The initiative counts for %(name)s.", name=candidate.display_name), "success")
    return redirect(url_for("initiatives.page"))
