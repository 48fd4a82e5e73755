"""World factories shared by the areas: a movement made from a rule file, its units and accounts."""

from pathlib import Path
from types import SimpleNamespace

from emulation.dossiers.operations import fill_and_submit
from emulation.extensions import db
from emulation.models import Dossier
from emulation.operations import create_movement_from_rules, enrol_unit
from emulation.scoring import load_rules

# The council's and the secretariat's accounts, and unit U1's editor and head.
STAFF_ACCOUNTS = {
    "secretariat": {"role": "secretariat", "username": "thuky", "full_name": "Thư ký"},
    "admin": {"role": "admin", "username": "quantri", "full_name": "Quản trị"},
}
UNIT_ACCOUNTS = {
    "editor": {"role": "unit_editor", "unit": "U1", "username": "bientap"},
    "head": {"role": "unit_head", "unit": "U1", "username": "truong"},
}


def movement_world(make, rules: Path, units: dict, accounts: dict, *, now) -> SimpleNamespace:
    """A movement (with its rounds) made from `rules`, its units enrolled, and accounts; committed.

    `units` maps a unit code to (cluster name, unit name); `accounts` maps an attribute name
    to the factory's user arguments, where `unit` is a unit code. The namespace has the
    movement, `interim` and `final` (its first two rounds), `units`, `candidates` (by code)
    and one attribute per account.
    """
    movement = create_movement_from_rules(
        load_rules(rules), filename=rules.name, text=rules.read_text(encoding="utf-8"), now=now
    )
    clusters = {
        name: make.cluster(name=name) for name in dict.fromkeys(c for c, _n in units.values())
    }
    made_units, candidates = {}, {}
    for code, (cluster, name) in units.items():
        made_units[code] = make.unit(code=code, name=name, cluster=clusters[cluster])
        candidates[code] = enrol_unit(movement, made_units[code])
    users = {}
    for attribute, spec in accounts.items():
        spec = dict(spec)
        unit = made_units[spec.pop("unit")] if "unit" in spec else None
        users[attribute] = make.user(spec.pop("role"), unit=unit, **spec)
    db.session.commit()
    return SimpleNamespace(
        movement=movement,
        interim=movement.rounds[0],
        final=movement.rounds[1] if len(movement.rounds) > 1 else None,
        units=made_units,
        candidates=candidates,
        **users,
    )


def values_of(kyso, hop, saoluu, tin, lolot=0) -> dict:
    """The VALUES columns of one dossier under the council and report rule files."""
    return {
        "KYSO_a": float(kyso),
        "KYSO_b": 100.0,
        "HOP": float(hop),
        "SAOLUU": float(saoluu),
        "TIN": float(tin),
        "LOLOT": float(lolot),
    }


def submit(round_, candidate, values, at) -> Dossier:
    """A dossier with these values, submitted at `at`."""
    return fill_and_submit(round_, candidate, values, user=None, now=at)
