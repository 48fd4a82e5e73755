"""A movement with an interim and a final round whose totals are known, six units, accounts.

Totals (KYSO a/100 with target 0.9 → 30; HOP steps; SAOLUU 20; TIN 2 per class; GOPY is
council-scored and stays 0):
  interim  U1 80, U2 65, U3 27.5, U4 76 (disqualified), U5 71.5 (late, in grace), U6 —
  final    U1 77.5, U2 80, U3 78, U4 77, U5 71.5, U6 45
"""

from datetime import timedelta
from pathlib import Path

import pytest

from emulation.extensions import db
from tests.support.instants import COUNCIL_AT, FINAL_DEADLINE, INTERIM_DEADLINE
from tests.support.worlds import (  # noqa: F401  (the tests here import them from this module)
    STAFF_ACCOUNTS,
    UNIT_ACCOUNTS,
    movement_world,
    submit,
    values_of,
)

RULES = Path(__file__).parent / "rules_reports.toml"
AFTER = COUNCIL_AT  # 09:00 on 05/09/2025 in Vietnam

UNITS = {
    "U1": ("Cụm quận, huyện", "VKSND quận Hải Châu"),
    "U2": ("Cụm quận, huyện", "VKSND quận Thanh Khê"),
    "U3": ("Cụm quận, huyện", "VKSND quận Sơn Trà"),
    "U4": ("Khối phòng nghiệp vụ", "Phòng Thống kê tội phạm"),
    "U5": ("Khối phòng nghiệp vụ", "Văn phòng"),
    "U6": ("Khối phòng nghiệp vụ", "Thanh tra"),
}
# unit: (KYSO_a of 100, HOP, SAOLUU, TIN, LOLOT)
INTERIM = {
    "U1": (90, 4, 1, 10, 0),
    "U2": (90, 2, 1, 5, 0),
    "U3": (45, 1, 0, 5, 0),
    "U4": (90, 4, 1, 8, 1),
    "U5": (90, 3, 1, 7, 0),
}
FINAL = {
    "U1": (90, 3, 1, 10, 0),
    "U2": (90, 4, 1, 10, 0),
    "U3": (90, 4, 1, 9, 0),
    "U4": (81, 4, 1, 10, 0),
    "U5": (90, 3, 1, 7, 0),
    "U6": (90, 2, 0, 5, 0),
}


@pytest.fixture
def movement(app, make):
    """Movement, rounds, units in two clusters, candidates and one account per role."""
    app.config["NOW"] = lambda: AFTER
    accounts = {
        **STAFF_ACCOUNTS,
        "reviewer": {"role": "reviewer", "username": "uyvien", "full_name": "Ủy viên"},
        **UNIT_ACCOUNTS,
    }
    return movement_world(make, RULES, UNITS, accounts, now=AFTER)


@pytest.fixture
def dossiers(movement):
    """Both rounds' dossiers: U5 late (in grace) at the interim, U6 missing from it."""
    made = {"interim": {}, "final": {}}
    for i, (code, values) in enumerate(INTERIM.items()):
        at = INTERIM_DEADLINE - timedelta(days=1, minutes=i)
        if code == "U5":
            at = INTERIM_DEADLINE + timedelta(minutes=30)
        made["interim"][code] = submit(
            movement.interim, movement.candidates[code], values_of(*values), at
        )
    for i, (code, values) in enumerate(FINAL.items()):
        at = FINAL_DEADLINE - timedelta(days=2, minutes=i)
        made["final"][code] = submit(
            movement.final, movement.candidates[code], values_of(*values), at
        )
    db.session.commit()
    return made
