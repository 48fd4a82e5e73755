"""A movement with an interim and a final round, six units in two clusters, council accounts."""

from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from emulation.dossiers.operations import fill_and_submit
from emulation.extensions import db
from emulation.models import CriterionNote, Dossier
from emulation.operations import create_movement_from_rules, enrol_unit
from emulation.scoring import load_rules
from tests.support.instants import (  # noqa: F401  (the tests here import them from this module)
    COUNCIL_AT,
    FINAL_DEADLINE,
    INTERIM_DEADLINE,
)

RULES = Path(__file__).parent / "rules_council.toml"
AFTER = COUNCIL_AT

# unit code: (cluster, KYSO_a of 100, HOP, SAOLUU, TIN, LOLOT) — interim values
INTERIM = {
    "U1": ("Cụm 1", 90, 4, 1, 10, 0),  # 27 + 10 + 20 + 20 = 77
    "U2": ("Cụm 1", 100, 3, 1, 10, 0),  # 77.5
    "U3": ("Cụm 1", 50, 2, 0, 5, 0),  # 30, no band
    "U4": ("Cụm 1", 100, 4, 1, 10, 1),  # disqualified (data leak)
    "U5": ("Cụm 2", 90, 4, 1, 10, 0),  # 77, tied with U6
    "U6": ("Cụm 2", 96.66666667, 4, 1, 9, 0),  # 29 + 10 + 20 + 18 = 77, another mix
}


def values_of(kyso, hop, saoluu, tin, lolot=0) -> dict:
    """The VALUES columns of one dossier."""
    return {
        "KYSO_a": float(kyso),
        "KYSO_b": 100.0,
        "HOP": float(hop),
        "SAOLUU": float(saoluu),
        "TIN": float(tin),
        "LOLOT": float(lolot),
    }


@pytest.fixture
def clock(set_now):
    """The app's clock, after both deadlines."""
    return set_now(AFTER)


@pytest.fixture
def council(app, make, clock):
    """Movement, rounds, units, candidates and accounts; no dossier yet."""
    rules = load_rules(RULES)
    movement = create_movement_from_rules(
        rules, filename=RULES.name, text=RULES.read_text(encoding="utf-8"), now=AFTER
    )
    clusters = {name: make.cluster(name=name) for name in ("Cụm 1", "Cụm 2")}
    units, candidates = {}, {}
    for code, (cluster, *_rest) in INTERIM.items():
        units[code] = make.unit(code=code, name=f"VKSND {code}", cluster=clusters[cluster])
        candidates[code] = enrol_unit(movement, units[code])
    ns = SimpleNamespace(
        movement=movement,
        interim=movement.rounds[0],
        final=movement.rounds[1],
        units=units,
        candidates=candidates,
        secretariat=make.user("secretariat", username="thuky", full_name="Thư ký"),
        admin=make.user("admin", username="quantri", full_name="Quản trị"),
        r1=make.user("reviewer", username="uyvien1", full_name="Ủy viên Một"),
        r2=make.user("reviewer", username="uyvien2", full_name="Ủy viên Hai"),
        r3=make.user("reviewer", unit=units["U1"], username="uyvien3", full_name="Ủy viên Ba"),
        editor=make.user("unit_editor", unit=units["U1"], username="bientap"),
        head=make.user("unit_head", unit=units["U1"], username="truong"),
    )
    db.session.commit()
    return ns


def submit(round_, candidate, values, at) -> Dossier:
    """A dossier with these values, submitted at `at`."""
    return fill_and_submit(round_, candidate, values, user=None, now=at)


@pytest.fixture
def interim_dossiers(council):
    """Every unit's interim dossier, submitted a day before the deadline."""
    dossiers = {}
    for i, (code, (_c, *vals)) in enumerate(INTERIM.items()):
        at = INTERIM_DEADLINE - timedelta(days=1, minutes=i)
        dossiers[code] = submit(council.interim, council.candidates[code], values_of(*vals), at)
    db.session.add(CriterionNote(dossier=dossiers["U2"], criterion_code="A1", text="Ký số 100%."))
    db.session.commit()
    return dossiers


def reviewed(dossier, member, points: dict, *, by, finish=True):
    """A review of `dossier` by `member` with {indicator: points} adjustments, finished."""
    from emulation.council.assignment import assign_reviewer
    from emulation.council.reviewing import adjust
    from emulation.council.reviewing import finish as finish_review

    review = assign_reviewer(dossier, member, user=by, now=AFTER)
    for code, value in points.items():
        adjust(
            review,
            indicator_code=code,
            points=value,
            reason=f"Lý do {code}",
            user=member,
            now=AFTER,
        )
    if finish:
        finish_review(review, user=member, now=AFTER)
    db.session.commit()
    return review


def use_rules(round_, **replacements) -> None:
    """Change the round's rule text (e.g. aggregation or tie policy) for one test."""
    import hashlib

    text = round_.rules_text
    for old, new in replacements.items():
        assert old in text
        text = text.replace(old, new)
    round_.rules_text = text
    round_.rules_hash = hashlib.sha256(text.encode()).hexdigest()
    db.session.commit()
