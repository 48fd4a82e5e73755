"""Write operations on clusters, units and accounts; each flushes, audits and never commits."""

from datetime import datetime

from ..audit import record
from ..extensions import db
from ..models import UNIT_ROLES, Candidate, Cluster, Dossier, Movement, Unit, User
from ..operations import OperationError, enrol_unit
from ..security import events
from ..security.sessions import end_all_sessions


def _changes(obj, values: dict) -> dict:
    """Set the attributes that differ; returns {name: [before, after]} as text."""
    changed = {}
    for name, value in values.items():
        before = getattr(obj, name)
        if before != value:
            changed[name] = [str(before) if before is not None else None, str(value)]
            setattr(obj, name, value)
    return changed


def code_taken(model, code: str, exclude_id: int | None = None) -> bool:
    """Whether another row of `model` already has `code`."""
    query = db.select(model.id).filter_by(code=code)
    if exclude_id is not None:
        query = query.where(model.id != exclude_id)
    return db.session.execute(query.limit(1)).first() is not None


def username_taken(username: str) -> bool:
    """Whether an account already has this username."""
    return db.session.execute(db.select(User.id).filter_by(username=username)).first() is not None


def save_cluster(cluster: Cluster | None, *, code: str, name: str, actor: User, now: datetime):
    """Create a cluster (cluster None) or change its code and name."""
    if code_taken(Cluster, code, cluster.id if cluster else None):
        raise OperationError("cluster_code_taken")
    created = cluster is None
    if created:
        cluster = Cluster(code=code, name=name)
        db.session.add(cluster)
        changed = {"code": [None, code], "name": [None, name]}
    else:
        changed = _changes(cluster, {"code": code, "name": name})
    db.session.flush()
    if changed:
        action = "cluster_created" if created else "cluster_updated"
        record(action, now=now, actor=actor, obj=cluster, details={"changed": changed})
    return cluster


def set_cluster_active(cluster: Cluster, active: bool, *, actor: User, now: datetime) -> None:
    """Retire or restore a cluster; one with active units cannot be retired."""
    if not active and any(u.active for u in cluster.units):
        raise OperationError("cluster_has_units")
    if cluster.active != active:
        cluster.active = active
        db.session.flush()
        action = "cluster_activated" if active else "cluster_deactivated"
        record(action, now=now, actor=actor, obj=cluster)


def save_unit(
    unit: Unit | None,
    *,
    code: str,
    name: str,
    cluster: Cluster | None,
    movements: list[Movement],
    actor: User,
    now: datetime,
    headcount: int | None = None,
) -> Unit:
    """Create or change a unit, its cluster, headcount and the movements it takes part in."""
    if code_taken(Unit, code, unit.id if unit else None):
        raise OperationError("unit_code_taken")
    created = unit is None
    if created:
        unit = Unit(code=code, name=name, cluster=cluster, headcount=headcount)
        db.session.add(unit)
        db.session.flush()
        changed = {"code": [None, code], "name": [None, name]}
    else:
        changed = _changes(
            unit,
            {"code": code, "name": name, "cluster_id": cluster.id if cluster else None,
             "headcount": headcount},
        )  # fmt: skip
    changed |= _set_movements(unit, movements)
    db.session.flush()
    if changed:
        action = "unit_created" if created else "unit_updated"
        record(action, now=now, actor=actor, obj=unit, details={"changed": changed})
    return unit


def _set_movements(unit: Unit, movements: list[Movement]) -> dict:
    current = {
        c.movement_id: c
        for c in db.session.execute(
            db.select(Candidate).filter_by(unit_id=unit.id, kind="collective")
        ).scalars()
    }
    wanted = {m.id: m for m in movements}
    added = [m.code for m_id, m in wanted.items() if m_id not in current]
    for m_id in wanted:
        if m_id not in current:
            enrol_unit(wanted[m_id], unit)
    removed = []
    for m_id, candidate in current.items():
        if m_id in wanted:
            continue
        has_dossier = db.session.execute(
            db.select(Dossier.id).filter_by(candidate_id=candidate.id).limit(1)
        ).first()
        if has_dossier:
            raise OperationError("movement_has_dossier")
        removed.append(candidate.movement.code)
        db.session.delete(candidate)
    changes = {}
    if added:
        changes["movements_added"] = [None, ", ".join(sorted(added))]
    if removed:
        changes["movements_removed"] = [", ".join(sorted(removed)), None]
    return changes


def set_unit_active(unit: Unit, active: bool, *, actor: User, now: datetime) -> None:
    """Retire or restore a unit; its history stays, it leaves pick lists and imports."""
    if unit.active != active:
        unit.active = active
        db.session.flush()
        record("unit_activated" if active else "unit_deactivated", now=now, actor=actor, obj=unit)


def check_role_change(actor: User, user: User | None, role: str) -> None:
    """Only an administrator creates, changes or grants administrator accounts."""
    touches_admin = role == "admin" or (user is not None and user.role == "admin")
    if touches_admin and actor.role != "admin":
        raise OperationError("admin_only")


def update_user(
    user: User,
    *,
    full_name: str,
    email: str | None,
    role: str,
    unit: Unit | None,
    actor: User,
    now: datetime,
) -> dict:
    """Change an account's name, e-mail, role and unit (unit roles need a unit)."""
    check_role_change(actor, user, role)
    if role in UNIT_ROLES and unit is None:
        raise OperationError("unit_needed")
    if user.id == actor.id and role != user.role:
        raise OperationError("own_role")
    unit = unit if role in UNIT_ROLES else None
    changed = _changes(
        user,
        {
            "full_name": full_name,
            "email": email,
            "role": role,
            "unit_id": unit.id if unit else None,
        },
    )
    db.session.flush()
    if changed:
        record("user_updated", now=now, actor=actor, obj=user, details={"changed": changed})
    return changed


def set_user_active(user: User, active: bool, *, actor: User, now: datetime) -> None:
    """Lock or unlock an account; nobody locks themselves out."""
    check_role_change(actor, user, user.role)
    if user.id == actor.id and not active:
        raise OperationError("own_account")
    if user.active != active:
        user.active = active
        db.session.flush()
        record("user_activated" if active else "user_deactivated", now=now, actor=actor, obj=user)


def reset_password(user: User, password: str, *, actor: User, now: datetime) -> None:
    """Give an account a one-time password it must change at its next sign-in.

    Every sign-in and API token of the account ends; the owner sees the reset when signing in.
    """
    check_role_change(actor, user, user.role)
    user.set_password(password)
    user.must_change_password = True
    user.password_reset_at = now
    db.session.flush()
    events.password_reset(user, actor=actor, now=now)
    end_all_sessions(user, actor=actor, now=now, reason="password_reset")
