"""Dossier tests run twice, in UTC and in New York, to prove local time is never used."""

import time

import pytest


@pytest.fixture(autouse=True, params=["UTC", "America/New_York"])
def process_timezone(request, monkeypatch):
    """Set the process time zone (TZ) for the test."""
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    yield request.param
    monkeypatch.undo()
    time.tzset()
