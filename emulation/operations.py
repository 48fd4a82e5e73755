"""Write operations shared by the CLI, the demo and the pages; they flush, never commit."""

from datetime import datetime

from .audit import record
from .extensions import db
from .models import ROLES, UNIT_ROLES, Candidate, Cluster, Movement, Round, Unit, User
from .security.passwords import check_password_policy


class OperationError(ValueError):
    """A request that cannot be carried out; `code` names the reason (the message by default)."""

    def __init__(self, message: str, *, code: str | None = None):
        super().__init__(message)
        self.code = code or message


def create_user(
    *,
    username: str,
    password: str,
    role: str,
    full_name: str,
    now: datetime,
    unit: Unit | None = None,
    email: str | None = None,
    actor: User | None = None,
    must_change_password: bool = False,
    check_strength: bool = True,
) -> User:
    """Create an account after checking its role and unit make sense together."""
    if role not in ROLES:
        raise OperationError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
    if role in UNIT_ROLES and unit is None:
        # a code, so each caller words it: the web page in the user's language, the CLI its own
        raise OperationError("unit_needed")
    problems = check_password_policy(password, username, full_name=full_name)
    if problems and check_strength:
        raise OperationError(" ".join(problems))
    if db.session.execute(db.select(User).filter_by(username=username)).first():
        raise OperationError(f"username {username!r} is already taken")
    user = User(username=username, full_name=full_name, role=role, unit=unit, email=email)
    user.set_password(password)
    # A password someone else chose (a one-time password) is changed at the first sign-in.
    user.must_change_password = must_change_password
    db.session.add(user)
    db.session.flush()
    record("user_created", now=now, actor=actor, obj=user, details={"role": role})
    return user


def upsert_unit(
    *, code: str, name: str, cluster_code: str | None, cluster_name: str | None = None
) -> Unit:
    """Create or update a unit (and its cluster) by code."""
    cluster = None
    if cluster_code:
        cluster = db.session.execute(
            db.select(Cluster).filter_by(code=cluster_code)
        ).scalar_one_or_none()
        if cluster is None:
            cluster = Cluster(code=cluster_code, name=cluster_name or cluster_code)
            db.session.add(cluster)
    unit = db.session.execute(db.select(Unit).filter_by(code=code)).scalar_one_or_none()
    if unit is None:
        unit = Unit(code=code, name=name)
        db.session.add(unit)
    unit.name = name
    unit.cluster = cluster
    db.session.flush()
    return unit


def create_movement_from_rules(
    rules, *, filename: str, text: str, now: datetime, actor: User | None = None
) -> Movement:
    """Create a movement and its rounds from a validated rule set."""
    code = rules.movement.code
    if db.session.execute(db.select(Movement).filter_by(code=code)).first():
        raise OperationError(f"movement {code!r} already exists")
    movement = Movement(
        code=code,
        name=rules.movement.name,
        organisation=rules.movement.organisation or "",
        place=rules.movement.place or "",
        created_at=now,
    )
    for spec in rules.rounds:
        movement.rounds.append(round_from_spec(spec, rules, filename=filename, text=text))
    db.session.add(movement)
    db.session.flush()
    record(
        "movement_created",
        now=now,
        actor=actor,
        obj=movement,
        details={"rules": filename, "rules_hash": rules.content_hash},
    )
    return movement


def round_from_spec(spec, rules, *, filename: str, text: str) -> Round:
    """A round as the rule file describes it, carrying the file's text and hash."""
    return Round(
        code=spec.code,
        kind=spec.kind,
        name=spec.name,
        opens_at=spec.opens_at,
        deadline=spec.deadline,
        grace_seconds=int(spec.grace.total_seconds()),
        late_policy=spec.late_policy,
        award_date=spec.award_date,
        rules_filename=filename,
        rules_text=text,
        rules_hash=rules.content_hash,
    )


def enrol_unit(movement: Movement, unit: Unit) -> Candidate:
    """Make `unit` a collective candidate of `movement` (idempotent)."""
    candidate = db.session.execute(
        db.select(Candidate).filter_by(movement_id=movement.id, unit_id=unit.id, kind="collective")
    ).scalar_one_or_none()
    if candidate is None:
        candidate = Candidate(movement=movement, unit=unit, kind="collective")
        db.session.add(candidate)
        db.session.flush()
    return candidate
