"""Units change mid-movement: renamed, merged into a successor, or split, on a date.

A rename keeps the unit's row (everything stays with it) and remembers the former name. A
merge moves each predecessor's candidates (with their dossiers and scores), registrations and
people to the successor when the successor has none of its own in that movement, and retires
the predecessor. A split links the predecessor to every successor. Award history follows the
links, and `unit_label` names both: "VKSND khu vực 1 (trước đây VKSND quận Hải Châu)".
Write operations flush, never commit.
"""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from ..audit import record
from ..extensions import db
from ..models import Candidate, Registration, Unit, UnitChange, User


class SuccessionError(ValueError):
    """A unit change that cannot be made, with a message for the user."""

    def __init__(self, message):
        super().__init__("unit change refused")
        self.message = message


def _check_date(effective_on: date) -> None:
    if not date(2000, 1, 1) <= effective_on <= date(2100, 12, 31):
        raise SuccessionError(_l("The effective date must be between 2000 and 2100."))


def _change(kind, predecessor, successor, name, effective_on, user, now) -> UnitChange:
    change = UnitChange(kind=kind, predecessor=predecessor, successor=successor,
                        predecessor_name=name, effective_on=effective_on, created_at=now,
                        created_by_id=user.id if user else None)  # fmt: skip
    db.session.add(change)
    return change


def rename_unit(unit: Unit, new_name: str, *, effective_on: date, user: User | None,
                now: datetime) -> UnitChange:  # fmt: skip
    """Rename a unit from a date; its former name stays known."""
    _check_date(effective_on)
    name = " ".join(new_name.split())
    if not name or len(name) > 200 or name == unit.name:
        raise SuccessionError(_l("Give the unit's new name."))
    change = _change("rename", unit, unit, unit.name, effective_on, user, now)
    unit.name = name
    db.session.flush()
    record("unit_renamed", now=now, actor=user, obj=unit,
           details={"from": change.predecessor_name, "to": name})  # fmt: skip
    return change


def merge_units(predecessors: list[Unit], successor: Unit, *, effective_on: date,
                user: User | None, now: datetime) -> list[UnitChange]:  # fmt: skip
    """Merge units into a successor, which carries their dossiers, people and registrations."""
    _check_date(effective_on)
    if not predecessors or successor in predecessors:
        raise SuccessionError(_l("Choose the merged units and a different successor."))
    changes = []
    for unit in predecessors:
        changes.append(_change("merge", unit, successor, unit.name, effective_on, user, now))
        _carry(unit, successor)
        unit.active = False
    db.session.flush()
    record("units_merged", now=now, actor=user, obj=successor,
           details={"from": [u.code for u in predecessors]})  # fmt: skip
    return changes


def _carry(unit: Unit, successor: Unit) -> None:
    """Move the unit's candidates and registrations where the successor has none."""
    mine = db.session.execute(db.select(Candidate).filter_by(unit_id=unit.id)).scalars()
    for candidate in list(mine):
        if candidate.kind == "collective":
            taken = db.select(Candidate.id).filter_by(
                movement_id=candidate.movement_id, unit_id=successor.id, kind="collective"
            )
            if db.session.execute(taken).first():
                continue  # the successor competes itself: the predecessor's record stays
        candidate.unit_id = successor.id
        db.session.flush()
    for registration in list(
        db.session.execute(db.select(Registration).filter_by(unit_id=unit.id)).scalars()
    ):
        taken = db.select(Registration.id).filter_by(
            movement_id=registration.movement_id, unit_id=successor.id
        )
        if not db.session.execute(taken).first():
            registration.unit_id = successor.id
            db.session.flush()


def split_unit(unit: Unit, successors: list[Unit], *, effective_on: date, user: User | None,
               now: datetime) -> list[UnitChange]:  # fmt: skip
    """Split a unit into successors; each inherits its award history, none its dossiers."""
    _check_date(effective_on)
    if len(successors) < 2 or unit in successors:
        raise SuccessionError(_l("A split needs at least two other successor units."))
    changes = [_change("split", unit, s, unit.name, effective_on, user, now) for s in successors]
    unit.active = False
    db.session.flush()
    record("unit_split", now=now, actor=user, obj=unit,
           details={"into": [s.code for s in successors]})  # fmt: skip
    return changes


def lineage(unit: Unit) -> list[UnitChange]:
    """Every change that led to this unit, nearest first (renames, merges, splits)."""
    out, seen, todo = [], {unit.id}, [unit.id]
    while todo:
        current = todo.pop(0)
        found = db.session.execute(
            db.select(UnitChange)
            .filter_by(successor_id=current)
            .order_by(UnitChange.effective_on.desc(), UnitChange.id.desc())
        ).scalars()
        for change in found:
            out.append(change)
            if change.predecessor_id not in seen:
                seen.add(change.predecessor_id)
                todo.append(change.predecessor_id)
    return out


def predecessor_ids(unit: Unit) -> set[int]:
    """The unit and every unit it succeeded."""
    return {unit.id} | {c.predecessor_id for c in lineage(unit)}


def unit_label(unit: Unit) -> str:
    """'VKSND khu vực 1 (trước đây VKSND quận Hải Châu)' when the unit has predecessors."""
    former = []
    for change in lineage(unit):
        if change.predecessor_name != unit.name and change.predecessor_name not in former:
            former.append(change.predecessor_name)
    return f"{unit.name} (trước đây {', '.join(former)})" if former else unit.name


def former_labels() -> dict[str, str]:
    """Per unit code with predecessors: its label naming them, as `unit_label` (one query)."""
    changes = db.session.execute(
        db.select(UnitChange).order_by(UnitChange.effective_on.desc(), UnitChange.id.desc())
    ).scalars()
    into: dict[int, list[UnitChange]] = {}
    units: dict[int, Unit] = {}
    for change in changes:
        into.setdefault(change.successor_id, []).append(change)
        units[change.successor_id] = change.successor
    labels = {}
    for unit_id, unit in units.items():
        former, seen, todo = [], {unit_id}, [unit_id]
        while todo:
            for change in into.get(todo.pop(0), []):
                name = change.predecessor_name
                if name != unit.name and name not in former:
                    former.append(name)
                if change.predecessor_id not in seen:
                    seen.add(change.predecessor_id)
                    todo.append(change.predecessor_id)
        if former:
            labels[unit.code] = f"{unit.name} (trước đây {', '.join(former)})"
    return labels
