"""Fixtures for the scoring tests."""

from __future__ import annotations

import pytest

from emulation.scoring import load_rules

from .helpers import SEED_RULES


@pytest.fixture(scope="session")
def seed_rules():
    """The shipped rule set of the seed movement (VKSND Đà Nẵng)."""
    return load_rules(SEED_RULES)
