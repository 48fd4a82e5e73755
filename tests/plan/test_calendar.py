"""The .ics export parses back to the same instants (UTC), per unit."""

from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar

from emulation.extensions import db
from emulation.plan.operations import ActivityInput, add_activity
from tests.registration.conftest import BEFORE, REG_DEADLINE, ROUND_DEADLINE


def _events(response) -> dict[str, datetime]:
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    events = list(calendar.walk("VEVENT"))
    for event in events:  # a deadline is the half hour ending at it; UIDs never name a host
        assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(minutes=30)
        assert str(event["uid"]).endswith(".emulation") and "127.0.0.1" not in str(event["uid"])
    return {str(e["uid"]).split("@")[0]: e.decoded("dtend") for e in events}


def _plan(world):
    own = ActivityInput("1", "Tập huấn", world.unit, [], None, date(2024, 6, 30))
    helping = ActivityInput("2", "Hội thảo", world.other, [world.unit], None, date(2024, 7, 15))
    elsewhere = ActivityInput("3", "Khảo sát", world.other, [], None, date(2024, 7, 20))
    made = [
        add_activity(world.movement, a, user=None, now=BEFORE) for a in (own, helping, elsewhere)
    ]
    db.session.commit()
    return made


def test_unit_calendar_round_trips_to_the_same_instants(world, client, auth):
    own, helping, _elsewhere = _plan(world)
    auth.login(world.editor)
    events = _events(client.get(f"/movements/{world.movement.id}/calendar.ics"))
    round_ = world.movement.rounds[0]
    assert events == {
        f"registration-{world.movement.id}": REG_DEADLINE,
        f"round-{round_.id}": ROUND_DEADLINE,
        f"activity-{own.id}": datetime(2024, 6, 30, 16, 59, 59, tzinfo=UTC),
        f"activity-{helping.id}": datetime(2024, 7, 15, 16, 59, 59, tzinfo=UTC),
    }
    assert all(at.tzinfo is not None and at.utcoffset().total_seconds() == 0
               for at in events.values())  # fmt: skip


def test_council_gets_every_activity_or_one_unit(world, client, auth):
    made = _plan(world)
    auth.login(world.secretariat)
    url = f"/movements/{world.movement.id}/calendar.ics"
    everything = _events(client.get(url))
    assert {f"activity-{a.id}" for a in made} <= set(everything)
    only = _events(client.get(url + "?unit=VKS-TK"))
    assert {k for k in only if k.startswith("activity")} == {f"activity-{made[1].id}",
                                                             f"activity-{made[2].id}"}  # fmt: skip
    assert client.get(url + "?unit=NOPE").status_code == 404


def test_unit_cannot_ask_for_another_units_calendar(world, client, auth):
    made = _plan(world)
    auth.login(world.editor)
    events = _events(client.get(f"/movements/{world.movement.id}/calendar.ics?unit=VKS-TK"))
    assert f"activity-{made[2].id}" not in events


def test_unit_calendar_shows_its_extended_deadline(world, client, auth):
    from datetime import timedelta

    from emulation.models import DeadlineExtension

    round_ = world.movement.rounds[0]
    until = ROUND_DEADLINE + timedelta(days=2)
    db.session.add(
        DeadlineExtension(round=round_, unit=world.unit, until=until, reason="Mất điện",
                          granted_at=BEFORE)
    )  # fmt: skip
    db.session.commit()
    auth.login(world.editor)
    events = _events(client.get(f"/movements/{world.movement.id}/calendar.ics"))
    assert events[f"round-{round_.id}"] == until
    auth.logout()
    auth.login(world.other_editor)
    events = _events(client.get(f"/movements/{world.movement.id}/calendar.ics"))
    assert events[f"round-{round_.id}"] == ROUND_DEADLINE
