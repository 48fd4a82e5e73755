"""Registration writes: draft, confirm (unit head), accept or return (secretariat). Audited."""

from datetime import datetime

from ..audit import record
from ..extensions import db
from ..lifecycle.window import RegistrationWindow, movement_rules
from ..models import Movement, Registration, RegistrationTarget, Unit, User

__all__ = ["RegistrationError", "RegistrationWindow", "movement_rules"]


class RegistrationError(Exception):
    """A registration action is not allowed now; `code` says why."""

    def __init__(self, code: str, **details):
        super().__init__(code)
        self.code = code
        self.details = details


def registration_target_scale(item) -> float:
    """Targets of share indicators are typed as percentages (95) and stored as shares (0.95)."""
    if item.method == "ratio" or (item.method == "target_ratio" and item.params["input"] == "pair"):
        return 100.0
    return 1.0


def get_registration(movement: Movement, unit: Unit) -> Registration | None:
    """The unit's registration in the movement, if it has one."""
    return db.session.execute(
        db.select(Registration).filter_by(movement_id=movement.id, unit_id=unit.id)
    ).scalar_one_or_none()


def _check_open(movement: Movement, now: datetime, registration=None) -> None:
    window = RegistrationWindow.for_unit(movement, registration)
    if window is None:
        raise RegistrationError("no_registration")
    if not window.is_open(now):
        raise RegistrationError(
            window.state(now), deadline=window.deadline, opens_at=window.opens_at
        )


def save_draft(
    movement: Movement,
    unit: Unit,
    *,
    targets: dict[str, float | None],
    titles: list[str],
    note: str,
    user: User | None,
    now: datetime,
) -> Registration:
    """Create or update the unit's draft (a returned one becomes a draft again); flushes."""
    registration = get_registration(movement, unit)
    _check_open(movement, now, registration)
    if registration is None:
        registration = Registration(movement=movement, unit=unit, status="draft", titles=[])
        db.session.add(registration)
    elif registration.status not in ("draft", "returned"):
        raise RegistrationError("locked", status=registration.status)
    rules = movement_rules(movement)
    known = {i.code for i in rules.registrable}
    allowed_titles = {code for code, _name in rules.registration.titles}
    current = {t.indicator_code: t for t in registration.targets}
    for code, value in targets.items():
        if code not in known:
            continue
        if value is None:
            if code in current:
                registration.targets.remove(current[code])
        elif code in current:
            current[code].target = value
        else:
            registration.targets.append(RegistrationTarget(indicator_code=code, target=value))
    registration.titles = sorted(set(titles) & allowed_titles)
    registration.note = note.strip()
    registration.status = "draft"
    registration.updated_at = now
    registration.updated_by_id = user.id if user else None
    db.session.flush()
    record(
        "registration.save",
        now=now,
        actor=user,
        obj=registration,
        details={
            "unit": unit.code,
            "targets": {t.indicator_code: t.target for t in registration.targets},
            "titles": registration.titles,
        },
    )
    return registration


def missing_targets(registration: Registration) -> list[str]:
    """Codes of registrable indicators still without a target."""
    rules = movement_rules(registration.movement)
    given = {t.indicator_code for t in registration.targets}
    return [i.code for i in rules.registrable if i.code not in given]


def confirm(registration: Registration, *, user: User | None, now: datetime) -> None:
    """The unit head confirms the draft before the deadline; every target must be given."""
    _check_open(registration.movement, now, registration)
    if registration.status != "draft":
        raise RegistrationError("locked", status=registration.status)
    missing = missing_targets(registration)
    if missing:
        raise RegistrationError("missing_targets", codes=missing)
    registration.status = "confirmed"
    registration.confirmed_at = now
    registration.confirmed_by_id = user.id if user else None
    registration.return_reason = None
    db.session.flush()
    record("registration.confirm", now=now, actor=user, obj=registration)


def accept(registration: Registration, *, user: User | None, now: datetime) -> None:
    """The secretariat accepts a confirmed registration."""
    if registration.status != "confirmed":
        raise RegistrationError("not_confirmed", status=registration.status)
    registration.status = "accepted"
    registration.decided_at = now
    registration.decided_by_id = user.id if user else None
    db.session.flush()
    record("registration.accept", now=now, actor=user, obj=registration)


def return_registration(
    registration: Registration,
    *,
    reason: str,
    until: datetime | None = None,
    user: User | None,
    now: datetime,
) -> None:
    """The secretariat returns a confirmed or accepted registration with a reason.

    `until` lets the unit correct and confirm it until then, even after the deadline.
    """
    if registration.status not in ("confirmed", "accepted"):
        raise RegistrationError("not_confirmed", status=registration.status)
    if not reason.strip():
        raise ValueError("a reason is required")
    if until is not None and until <= now:
        raise RegistrationError("until_past")
    registration.status = "returned"
    registration.return_reason = reason.strip()
    registration.reopened_until = until
    registration.decided_at = now
    registration.decided_by_id = user.id if user else None
    db.session.flush()
    record(
        "registration.return",
        now=now,
        actor=user,
        obj=registration,
        details={
            "reason": registration.return_reason,
            "until": until.isoformat() if until else None,
        },
    )
