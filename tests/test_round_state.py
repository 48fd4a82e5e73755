"""Round.state / is_open at named instants around the deadline."""

from datetime import UTC, datetime, timedelta

import pytest

from emulation.models import Round
from tests.support.instants import DEADLINE

OPENS = datetime(2024, 7, 1, 0, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)

BEFORE_OPENING = OPENS - SECOND
AT_OPENING = OPENS
ONE_SECOND_BEFORE = DEADLINE - SECOND
AT_DEADLINE = DEADLINE
AT_DEADLINE_PLUS_HALF_SECOND = DEADLINE + timedelta(milliseconds=500)
ONE_SECOND_AFTER = DEADLINE + SECOND
INSIDE_GRACE = DEADLINE + timedelta(hours=1)
END_OF_GRACE = DEADLINE + timedelta(hours=2)
AFTER_GRACE = END_OF_GRACE + SECOND


def _round(policy="reject", grace_hours=0):
    return Round(
        opens_at=OPENS,
        deadline=DEADLINE,
        late_policy=policy,
        grace_seconds=grace_hours * 3600,
    )


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        (BEFORE_OPENING, "not_started"),
        (AT_OPENING, "open"),
        (ONE_SECOND_BEFORE, "open"),
        (AT_DEADLINE, "open"),
        (AT_DEADLINE_PLUS_HALF_SECOND, "open"),
        (ONE_SECOND_AFTER, "closed"),
        (INSIDE_GRACE, "closed"),
    ],
)
def test_reject_policy(instant, expected):
    assert _round("reject", grace_hours=2).state(instant) == expected


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        (AT_DEADLINE, "open"),
        (ONE_SECOND_AFTER, "grace"),
        (INSIDE_GRACE, "grace"),
        (END_OF_GRACE, "grace"),
        (AFTER_GRACE, "closed"),
    ],
)
def test_accept_flagged_policy(instant, expected):
    assert _round("accept_flagged", grace_hours=2).state(instant) == expected


def test_is_open_follows_state():
    round_ = _round("accept_flagged", grace_hours=2)
    assert not round_.is_open(BEFORE_OPENING)
    assert round_.is_open(AT_DEADLINE)
    assert round_.is_open(INSIDE_GRACE)
    assert not round_.is_open(AFTER_GRACE)


def test_same_instant_in_another_zone_gives_same_answer():
    from zoneinfo import ZoneInfo

    new_york = ONE_SECOND_AFTER.astimezone(ZoneInfo("America/New_York"))
    assert _round().state(new_york) == "closed"
    assert _round().state(AT_DEADLINE.astimezone(ZoneInfo("America/New_York"))) == "open"
