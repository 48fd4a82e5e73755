"""Registration pages: the unit fills and confirms; the secretariat accepts or returns."""

from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import COUNCIL_ROLES, STAFF_ROLES, get_unit, now, roles_required
from ..actions import committed
from ..extensions import db
from ..models import UNIT_ROLES, Candidate, Movement, Registration, Unit
from ..timefmt import format_deadline
from . import operations as ops
from .forms import (
    ActionForm,
    ReturnRegistrationForm,
    fill_form,
    form_targets,
    registration_form_class,
    target_field_name,
)

bp = Blueprint("registration", __name__)
ALL_ROLES = (*UNIT_ROLES, *COUNCIL_ROLES)


@bp.app_template_global()
def registration_reminders(unit) -> list[tuple]:
    """(movement, window, registration) where `unit` may still register or confirm now."""
    instant = now()
    movements = db.session.execute(
        db.select(Movement)
        .join(Candidate, Candidate.movement_id == Movement.id)
        .where(Candidate.unit_id == unit.id, Candidate.kind == "collective")
    ).scalars()
    out = []
    for movement in movements:
        registration = ops.get_registration(movement, unit)
        window = ops.RegistrationWindow.for_unit(movement, registration)
        if window is None or not window.is_open(instant):
            continue
        if registration is None or registration.status in ("draft", "returned"):
            out.append((movement, window, registration))
    return out


def _movement(movement_id: int):
    """The movement and its rules; 404 when either is missing or it has no registration."""
    movement = db.session.get(Movement, movement_id) or abort(404)
    rules = ops.movement_rules(movement)
    if rules is None or rules.registration is None:
        abort(404)
    return movement, rules


def _enrolled_unit(movement: Movement, code: str) -> Unit:
    unit = get_unit(code)
    enrolled = db.session.execute(
        db.select(Candidate.id).filter_by(
            movement_id=movement.id, unit_id=unit.id, kind="collective"
        )
    ).first()
    if enrolled is None:
        abort(404)
    return unit


def refusal_message(error: ops.RegistrationError) -> str:
    """Why a registration action was refused, in the user's language."""
    details = error.details
    if error.code == "closed":
        return _(
            "Registration closed at %(deadline)s; the server received your request at "
            "%(now)s. Nothing was saved.",
            deadline=format_deadline(details["deadline"]),
            now=format_deadline(now()),
        )
    if error.code == "not_started":
        return _("Registration opens at %(at)s.", at=format_deadline(details["opens_at"]))
    if error.code == "locked":
        return _(
            "This registration has been confirmed and can no longer be changed; ask the "
            "council secretariat to return it if it must be corrected."
        )
    if error.code == "missing_targets":
        return _("Enter a target for every indicator before confirming: %(codes)s.",
                 codes=", ".join(details["codes"]))  # fmt: skip
    if error.code == "until_past":
        return _("The due time for corrections must be in the future.")
    if error.code == "not_confirmed":
        return _("Only a registration confirmed by the unit head can be accepted or returned.")
    return _("This movement has no registration.")


@bp.route("/movements/<int:movement_id>/registrations")
@roles_required(*ALL_ROLES)
def overview(movement_id: int):
    """Unit users go to their own registration; the council sees every unit's status."""
    movement, rules = _movement(movement_id)
    if current_user.is_unit_user:
        return redirect(url_for(".unit_page", movement_id=movement.id, code=current_user.unit.code))
    units = db.session.execute(
        db.select(Unit)
        .join(Candidate, Candidate.unit_id == Unit.id)
        .where(Candidate.movement_id == movement.id, Candidate.kind == "collective")
        .order_by(Unit.code)
    ).scalars()
    registrations = {
        r.unit_id: r
        for r in db.session.execute(
            db.select(Registration).filter_by(movement_id=movement.id)
        ).scalars()
    }
    rows = [(unit, registrations.get(unit.id)) for unit in units]
    return render_template(
        "registration/overview.html",
        movement=movement,
        rules=rules,
        rows=rows,
        window=ops.RegistrationWindow.for_movement(movement),
        now=now(),
    )


@bp.route("/movements/<int:movement_id>/registrations/<code>", methods=["GET", "POST"])
@roles_required(*ALL_ROLES)
def unit_page(movement_id: int, code: str):
    """The unit's registration: a form for its own users, read-only for the council."""
    movement, rules = _movement(movement_id)
    unit = _enrolled_unit(movement, code)
    registration = ops.get_registration(movement, unit)
    form = registration_form_class(rules)()
    instant = now()
    if form.is_submitted():
        if not current_user.is_unit_user:
            abort(403)
        if form.validate():
            saved = _("Registration saved as a draft.")
            with committed(saved, refused=ops.RegistrationError, explain=refusal_message) as done:
                ops.save_draft(
                    movement, unit,
                    targets=form_targets(form, rules), titles=form.titles.data or [],
                    note=form.note.data or "", user=current_user, now=instant,
                )  # fmt: skip
            if not done.ok:
                return _page(movement, rules, unit, registration, form), 409
            return redirect(url_for(".unit_page", movement_id=movement.id, code=unit.code))
        return _page(movement, rules, unit, registration, form), 422
    if registration is not None:
        fill_form(form, registration, rules)
    return _page(movement, rules, unit, registration, form)


def _page(movement, rules, unit, registration, form):
    window = ops.RegistrationWindow.for_unit(movement, registration)
    instant = now()
    editable = (
        current_user.is_unit_user
        and window.is_open(instant)
        and (registration is None or registration.status in ("draft", "returned"))
    )
    stored = {t.indicator_code: t.target for t in registration.targets} if registration else {}
    items = [
        (item, form[target_field_name(item.code)], stored.get(item.code),
         ops.registration_target_scale(item))
        for item in rules.registrable
    ]  # fmt: skip
    return render_template(
        "registration/unit.html",
        movement=movement,
        rules=rules,
        unit=unit,
        registration=registration,
        form=form,
        items=items,
        titles=dict(rules.registration.titles),
        window=window,
        editable=editable,
        action_form=ActionForm(),
        return_form=ReturnRegistrationForm(),
        now=instant,
    )


def _local(value):
    """A time typed in the display zone, as an aware instant."""
    if value is None:
        return None
    return value.replace(tzinfo=ZoneInfo(current_app.config["TIMEZONE"]))


def _registration(movement_id: int, code: str) -> Registration:
    movement, _rules = _movement(movement_id)
    unit = _enrolled_unit(movement, code)
    return ops.get_registration(movement, unit) or abort(404)


def _act(registration: Registration, action, message: str):
    with committed(message, refused=ops.RegistrationError, explain=refusal_message):
        action()
    return redirect(
        url_for(".unit_page", movement_id=registration.movement_id, code=registration.unit.code)
    )


@bp.route("/movements/<int:movement_id>/registrations/<code>/confirm", methods=["POST"])
@roles_required("unit_head")
def confirm(movement_id: int, code: str):
    """The unit head confirms the registration."""
    registration = _registration(movement_id, code)
    if not ActionForm().validate_on_submit():
        abort(400)
    return _act(
        registration,
        lambda: ops.confirm(registration, user=current_user, now=now()),
        _("Registration confirmed and sent to the council secretariat."),
    )


@bp.route("/movements/<int:movement_id>/registrations/<code>/accept", methods=["POST"])
@roles_required(*STAFF_ROLES)
def accept(movement_id: int, code: str):
    """The secretariat accepts a confirmed registration."""
    registration = _registration(movement_id, code)
    if not ActionForm().validate_on_submit():
        abort(400)
    return _act(
        registration,
        lambda: ops.accept(registration, user=current_user, now=now()),
        _("Registration accepted."),
    )


@bp.route("/movements/<int:movement_id>/registrations/<code>/return", methods=["POST"])
@roles_required(*STAFF_ROLES)
def return_(movement_id: int, code: str):
    """The secretariat returns a registration to its unit with a reason."""
    registration = _registration(movement_id, code)
    form = ReturnRegistrationForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(message, "error")
        return redirect(url_for(".unit_page", movement_id=movement_id, code=registration.unit.code))
    return _act(
        registration,
        lambda: ops.return_registration(
            registration,
            reason=form.reason.data,
            until=_local(form.until.data),
            user=current_user,
            now=now(),
        ),
        _("Registration returned to the unit."),
    )
