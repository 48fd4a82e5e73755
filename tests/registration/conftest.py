"""A movement whose rule file asks units to register, with two units and every role."""

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from emulation.extensions import db
from emulation.models import Movement, Unit, User
from tests.support.instants import DEADLINE

RULES = Path(__file__).with_name("rules_registration.toml")
# Named instants around the registration deadline (23:59:59 on 31/03/2024, Vietnam time).
REG_DEADLINE = datetime(2024, 3, 31, 16, 59, 59, tzinfo=UTC)
NOT_OPEN = datetime(2023, 12, 31, 16, 59, 59, tzinfo=UTC)
BEFORE = REG_DEADLINE - timedelta(seconds=1)
AT = REG_DEADLINE + timedelta(microseconds=400_000)
AFTER = REG_DEADLINE + timedelta(seconds=1)
ROUND_DEADLINE = DEADLINE


@dataclass
class World:
    """The movement, its units and users."""

    movement: Movement
    unit: Unit
    other: Unit
    editor: User
    head: User
    other_editor: User
    secretariat: User
    reviewer: User


def rules_round(make, movement):
    """Add the registration rule file's round to `movement`."""
    return make.round_(
        movement=movement,
        code="so-ket-2024",
        opens_at=datetime(2024, 5, 31, 17, tzinfo=UTC),
        deadline=ROUND_DEADLINE,
        rules_filename=RULES.name,
        rules_text=RULES.read_text(encoding="utf-8"),
        rules_hash=hashlib.sha256(RULES.read_bytes()).hexdigest(),
    )


@pytest.fixture
def world(make):
    """Two enrolled units (VKS-HC, VKS-TK) and a user of every role."""
    movement = Movement(code="dang-ky", name="Phong trào thử")
    db.session.add(movement)
    db.session.flush()
    rules_round(make, movement)
    unit = make.unit(code="VKS-HC", name="VKSND quận Hải Châu")
    other = make.unit(code="VKS-TK", name="VKSND quận Thanh Khê")
    for u in (unit, other):
        make.candidate(movement, u)
    world = World(
        movement,
        unit,
        other,
        make.user("unit_editor", unit=unit, username="editor"),
        make.user("unit_head", unit=unit, username="head"),
        make.user("unit_editor", unit=other, username="other"),
        make.user("secretariat", username="thuky"),
        make.user("reviewer", username="uyvien"),
    )
    db.session.commit()
    return world
