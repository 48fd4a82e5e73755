"""Council and secretariat pages: a round's dossiers, extensions, returns for supplement."""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from ..access import COUNCIL_ROLES, STAFF_ROLES, get_dossier, now, roles_required
from ..actions import committed, under
from ..confirm import confirmation_page, confirmed
from ..extensions import db
from ..models import Candidate, DeadlineExtension, Dossier, Round
from ..validation import date_in_range, date_range_message
from . import listing
from .fields import criteria_forms
from .operations import NotEditable
from .scoring import rules_of
from .supervision import grant_extension, return_for_supplement

bp = Blueprint("supervision", __name__)


class LocalDateTimeField(StringField):
    """A date and time typed as dd/mm/yyyy HH:MM (Vietnam time); ISO 8601 is accepted too."""

    FORMATS = ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("render_kw", {"placeholder": "dd/mm/yyyy HH:MM", "autocomplete": "off"})
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        text = " ".join((self.data or "").split())
        self.data = None
        self.raw_text = text
        if not text:
            return
        for fmt in self.FORMATS:
            try:
                parsed = datetime.strptime(text, fmt)
            except ValueError:
                continue
            if not date_in_range(parsed):
                # 31/12/9999 parses, but grace periods and time zones cannot be added to it.
                raise ValueError(date_range_message(self.label.text))
            self.data = parsed
            return
        raise ValueError(_l("Write the date and time as dd/mm/yyyy HH:MM, e.g. 05/09/2024 17:00."))

    def _value(self):
        return getattr(self, "raw_text", "") or (
            self.data.strftime("%d/%m/%Y %H:%M") if self.data else ""
        )


class ExtensionForm(FlaskForm):
    """Grant a unit a later deadline."""

    unit = SelectField(_l("Unit"), validators=[DataRequired(_l("Choose a unit."))])
    until = LocalDateTimeField(
        _l("New deadline (Vietnam time)"), validators=[DataRequired(_l("Enter a date and time."))]
    )
    reason = TextAreaField(
        _l("Reason"), validators=[DataRequired(_l("A reason is required.")), Length(max=2000)]
    )


class ReturnForm(FlaskForm):
    """Return a dossier for supplement."""

    criteria = SelectMultipleField(
        _l("Criteria to supplement"),
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
        validators=[DataRequired(_l("Choose at least one criterion."))],
    )
    due_at = LocalDateTimeField(
        _l("Resubmit by (Vietnam time)"), validators=[DataRequired(_l("Enter a date and time."))]
    )
    reason = TextAreaField(
        _l("What is missing"),
        validators=[DataRequired(_l("A reason is required.")), Length(max=4000)],
    )


def _aware(value):
    return value.replace(tzinfo=ZoneInfo(current_app.config["TIMEZONE"]))


@bp.route("/rounds/<int:round_id>")
@roles_required(*COUNCIL_ROLES)
def round_page(round_id: int):
    """Every candidate of the round with its dossier state, extensions and late flags."""
    round_ = db.session.get(Round, round_id) or abort(404)
    return render_template("dossiers/round.html", **_round_context(round_, ExtensionForm()))


def _round_context(round_, form):
    candidates = (
        db.session.execute(
            db.select(Candidate).filter_by(movement_id=round_.movement_id).order_by(Candidate.id)
        )
        .scalars()
        .all()
    )
    dossiers = {
        d.candidate_id: d
        for d in db.session.execute(db.select(Dossier).filter_by(round_id=round_.id)).scalars()
    }
    extensions = {
        e.unit_id: e
        for e in db.session.execute(
            db.select(DeadlineExtension).filter_by(round_id=round_.id)
        ).scalars()
    }
    form.unit.choices = [SelectChoice("", _("— choose —"))] + [
        SelectChoice(c.unit.code, f"{c.unit.code} — {c.unit.name}")
        for c in candidates
        if c.kind == "collective"
    ]
    chosen = listing.DossierFilter.from_args(request.args)
    clusters = {c.unit.cluster for c in candidates if c.unit.cluster is not None}
    return {
        "round": round_,
        "candidates": listing.filtered(candidates, dossiers, chosen),
        "total": len(candidates),
        "chosen": chosen,
        "clusters": sorted(clusters, key=lambda c: c.code),
        "dossiers": dossiers,
        "extensions": extensions,
        "form": form,
        "now": now(),
        "frozen": _frozen(round_),
    }


def _frozen(round_):
    """The round's frozen ranking, if any (a frozen round is read-only)."""
    # Imported here: the council package builds on this one, not the other way round.
    from ..lifecycle import active_snapshot

    return active_snapshot(round_)


@bp.route("/rounds/<int:round_id>/extensions", methods=["POST"])
@roles_required(*STAFF_ROLES)
def extend(round_id: int):
    """Grant (or change) one unit's extension."""
    round_ = db.session.get(Round, round_id) or abort(404)
    form = ExtensionForm()
    context = _round_context(round_, form)
    if context["frozen"] is not None:
        flash(_("The round's ranking is frozen: reopen it (with a reason) first."), "error")
        return redirect(url_for("supervision.round_page", round_id=round_.id))
    if form.validate_on_submit():
        unit = next(c.unit for c in context["candidates"] if c.unit.code == form.unit.data)
        granted = _("Extension granted to %(unit)s.", unit=unit.name)
        too_early = _("The new deadline must be after the round's deadline.")
        with committed(granted, refused=ValueError, explain=lambda _exc: too_early,
                       show=under(form.until)) as outcome:  # fmt: skip
            grant_extension(
                round_,
                unit,
                until=_aware(form.until.data),
                reason=form.reason.data,
                user=current_user,
                now=now(),
            )
        if outcome.ok:
            return redirect(url_for("supervision.round_page", round_id=round_.id))
    return render_template("dossiers/round.html", **context), 422


@bp.route("/dossiers/<int:dossier_id>/return", methods=["GET", "POST"])
@roles_required(*COUNCIL_ROLES)
def return_dossier(dossier_id: int):
    """Return a submitted dossier for supplement (after a confirmation step)."""
    # Imported here: the council package builds on this one, not the other way round.
    from ..lifecycle import active_snapshot

    dossier = get_dossier(dossier_id)
    if current_user.unit_id is not None and current_user.unit_id == dossier.candidate.unit_id:
        abort(403)  # no one acts as council on their own unit's dossier
    form = ReturnForm()
    form.criteria.choices = [
        SelectChoice(c.code, f"{c.code} {c.name}") for c in criteria_forms(rules_of(dossier.round))
    ]

    def page(status=200):
        frozen = active_snapshot(dossier.round)
        return render_template(
            "dossiers/return.html", dossier=dossier, form=form, frozen=frozen
        ), status

    if form.validate_on_submit():
        if _aware(form.due_at.data) <= now():
            form.due_at.errors = [_("The due time must be in the future.")]
            return page(422)
        if not confirmed() and active_snapshot(dossier.round) is None:
            return _return_confirmation(dossier, form)
        try:
            return_for_supplement(
                dossier,
                criteria=form.criteria.data,
                reason=form.reason.data,
                due_at=_aware(form.due_at.data),
                user=current_user,
                now=now(),
            )
        except NotEditable as exc:
            db.session.rollback()
            if exc.reason == "frozen":
                flash(
                    _(
                        "The round's ranking is frozen: reopen it (with a reason) before "
                        "returning a dossier."
                    ),
                    "error",
                )
            else:
                flash(_("Only a submitted dossier can be returned."), "error")
        except ValueError:
            db.session.rollback()
            form.due_at.errors = [_("The due time must be in the future.")]
            return page(422)
        else:
            db.session.commit()
            flash(_("The dossier was returned to the unit for supplement."), "success")
        return redirect(url_for("units.dossier_page", dossier_id=dossier.id))
    return page()


def _return_confirmation(dossier, form):
    """The page asking to confirm the return, repeating what the unit will be told."""
    names = {c.value: c.label for c in form.criteria.choices}
    criteria = "; ".join(names.get(code, code) for code in form.criteria.data)
    return confirmation_page(
        title=_("Return for supplement"),
        question=_(
            "Return the dossier of %(name)s to the unit?", name=dossier.candidate.display_name
        ),
        details=[
            _("Criteria to supplement: %(list)s", list=criteria),
            _("Resubmit by: %(at)s (Vietnam time)", at=form.due_at.data.strftime("%d/%m/%Y %H:%M")),
            _("What is missing: %(why)s", why=form.reason.data),
        ],
        button=_("Yes, return the dossier"),
        cancel_url=url_for("units.dossier_page", dossier_id=dossier.id),
    )
