"""Dossier tests run in New York's time zone to prove local time is never used.

Tests that read the app's clock (through `set_now`, a request or a CLI command) run twice,
in UTC and in New York, so a date taken from the process clock would differ between the two.
"""

import time

import pytest

ZONES = ["UTC", "America/New_York"]
# Fixtures through which a test reaches code that reads the app's clock.
CLOCK_READERS = {"set_now", "client", "auth", "runner"}


def pytest_generate_tests(metafunc):
    """Both zones for tests that read the clock; New York alone (not UTC) for the others."""
    if "process_timezone" not in metafunc.fixturenames:
        return
    zones = ZONES if CLOCK_READERS & set(metafunc.fixturenames) else ZONES[1:]
    metafunc.parametrize("process_timezone", zones, indirect=True)


@pytest.fixture(autouse=True)
def process_timezone(request, monkeypatch):
    """Set the process time zone (TZ) for the test."""
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    yield request.param
    monkeypatch.undo()
    time.tzset()
