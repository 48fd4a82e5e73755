"""Registration: the deadline to the second, confirm by the head, accept or return, access."""

import pytest
from sqlalchemy import select

from emulation.extensions import db
from emulation.models import AuditEvent, Registration

from .conftest import AFTER, AT, BEFORE, NOT_OPEN, REG_DEADLINE

FORM = {"target_KYSO": "95", "target_HOP": "4", "titles": ["tt-ldxs"], "note": "Cam kết"}


def url(world, code=None, action=""):
    """The registration page of a unit (default: the world's unit)."""
    base = f"/movements/{world.movement.id}/registrations/{code or world.unit.code}"
    return base + (f"/{action}" if action else "")


def registration(world):
    """The stored registration of the world's unit."""
    db.session.expire_all()
    return db.session.execute(
        select(Registration).filter_by(unit_id=world.unit.id)
    ).scalar_one_or_none()


@pytest.mark.parametrize(("instant", "saved"), [(BEFORE, True), (AT, True), (AFTER, False)])
def test_deadline_to_the_second(world, client, auth, set_now, instant, saved):
    set_now(instant)
    auth.login(world.editor)
    response = client.post(url(world), data=FORM)
    assert (registration(world) is not None) is saved
    if saved:
        assert response.status_code == 302
    else:
        assert response.status_code == 409
        page = response.get_data(as_text=True)
        assert "23:59:59" in page and "31/03/2024" in page
        assert "00:00:00" in page and "01/04/2024" in page  # the server's own time


def test_not_open_yet(world, client, auth, set_now):
    set_now(NOT_OPEN)
    auth.login(world.editor)
    response = client.post(url(world), data=FORM)
    assert response.status_code == 409
    assert registration(world) is None


def test_targets_stored_in_engine_units_and_shown_back(world, client, auth, set_now):
    set_now(BEFORE)
    auth.login(world.editor)
    client.post(url(world), data=FORM)
    stored = registration(world)
    assert {t.indicator_code: t.target for t in stored.targets} == {"KYSO": 0.95, "HOP": 4.0}
    assert stored.titles == ["tt-ldxs"] and stored.status == "draft"
    page = client.get(url(world)).get_data(as_text=True)
    assert 'value="95"' in page and "Cam kết" in page


def test_bad_target_loses_nothing_and_says_why(world, client, auth, set_now):
    set_now(BEFORE)
    auth.login(world.editor)
    response = client.post(url(world), data={**FORM, "target_KYSO": "120"})
    assert response.status_code == 422
    assert registration(world) is None
    page = response.get_data(as_text=True)
    assert 'value="4"' in page  # what was typed is still there


def test_head_confirms_editor_cannot(world, client, auth, set_now):
    set_now(BEFORE)
    auth.login(world.editor)
    client.post(url(world), data=FORM)
    assert client.post(url(world, action="confirm")).status_code == 403
    auth.logout()
    auth.login(world.head)
    client.post(url(world, action="confirm"))
    stored = registration(world)
    assert stored.status == "confirmed" and stored.confirmed_by_id == world.head.id
    # Confirmed means locked: the editor can no longer change it.
    auth.logout()
    auth.login(world.editor)
    assert client.post(url(world), data={**FORM, "target_HOP": "2"}).status_code == 409
    assert {t.target for t in registration(world).targets} == {0.95, 4.0}


def test_confirm_needs_every_target(world, client, auth, set_now):
    set_now(BEFORE)
    auth.login(world.head)
    client.post(url(world), data={**FORM, "target_HOP": ""})
    page = client.post(url(world, action="confirm"), follow_redirects=True).get_data(as_text=True)
    assert registration(world).status == "draft"
    assert "HOP" in page


def test_confirm_after_deadline_refused(world, client, auth, set_now):
    clock = set_now(BEFORE)
    auth.login(world.head)
    client.post(url(world), data=FORM)
    clock.instant = AFTER
    client.post(url(world, action="confirm"))
    assert registration(world).status == "draft"


def test_secretariat_accepts_or_returns_with_reason(world, client, auth, set_now):
    set_now(BEFORE)
    auth.login(world.head)
    client.post(url(world), data=FORM)
    client.post(url(world, action="confirm"))
    auth.logout()
    auth.login(world.secretariat)
    client.post(url(world, action="return"), data={"reason": ""})
    assert registration(world).status == "confirmed"
    client.post(url(world, action="return"), data={"reason": "Chỉ tiêu ký số quá thấp"})
    stored = registration(world)
    assert stored.status == "returned" and stored.return_reason == "Chỉ tiêu ký số quá thấp"
    # The unit fixes it before the deadline, confirms again; then it is accepted.
    auth.logout()
    auth.login(world.head)
    page = client.get(url(world)).get_data(as_text=True)
    assert "Chỉ tiêu ký số quá thấp" in page
    client.post(url(world), data={**FORM, "target_KYSO": "99"})
    client.post(url(world, action="confirm"))
    auth.logout()
    auth.login(world.secretariat)
    client.post(url(world, action="accept"))
    assert registration(world).status == "accepted"
    actions = db.session.execute(select(AuditEvent.action).order_by(AuditEvent.id)).scalars()
    assert [a for a in actions if a.startswith("registration.")] == [
        "registration.save", "registration.confirm", "registration.return",
        "registration.save", "registration.confirm", "registration.accept",
    ]  # fmt: skip


def test_editor_and_reviewer_cannot_accept(world, client, auth, set_now):
    set_now(BEFORE)
    auth.login(world.head)
    client.post(url(world), data=FORM)
    client.post(url(world, action="confirm"))
    for user in (world.editor, world.head, world.reviewer):
        auth.logout()
        auth.login(user)
        assert client.post(url(world, action="accept")).status_code == 403
        assert client.post(url(world, action="return"), data={"reason": "x"}).status_code == 403
    assert registration(world).status == "confirmed"


def test_unit_sees_only_its_own_registration(world, client, auth, set_now):
    set_now(BEFORE)
    auth.login(world.other_editor)
    assert client.get(url(world)).status_code == 403
    assert client.post(url(world), data=FORM).status_code == 403
    overview = client.get(f"/movements/{world.movement.id}/registrations")
    assert overview.headers["Location"].endswith(url(world, code="VKS-TK"))
    assert registration(world) is None


def test_council_reads_but_does_not_write(world, client, auth, set_now):
    set_now(BEFORE)
    auth.login(world.reviewer)
    page = client.get(f"/movements/{world.movement.id}/registrations").get_data(as_text=True)
    assert "VKSND quận Hải Châu" in page and "VKSND quận Thanh Khê" in page
    assert client.get(url(world)).status_code == 200
    assert client.post(url(world), data=FORM).status_code == 403


def test_deadline_shown_on_the_page(world, client, auth, set_now):
    set_now(REG_DEADLINE)
    auth.login(world.editor)
    page = client.get(url(world)).get_data(as_text=True)
    assert "23:59:59" in page and "31/03/2024" in page


def test_csrf_token_required_when_enabled(world, client, auth, set_now, app):
    import re

    set_now(BEFORE)
    auth.login(world.editor)
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post(url(world), data=FORM).status_code == 400
    assert registration(world) is None
    page = client.get(url(world)).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post(url(world), data={**FORM, "csrf_token": token}).status_code == 302
    assert registration(world) is not None


def test_home_reminds_the_unit_until_confirmed(world, client, auth, set_now):
    clock = set_now(BEFORE)
    auth.login(world.head)
    link = url(world)
    assert link in client.get("/").get_data(as_text=True)
    client.post(link, data=FORM)
    assert link in client.get("/").get_data(as_text=True)
    client.post(url(world, action="confirm"))
    assert link not in client.get("/").get_data(as_text=True)
    auth.logout()
    auth.login(world.other_editor)
    clock.instant = AFTER
    assert url(world, code="VKS-TK") not in client.get("/").get_data(as_text=True)


def test_returned_after_the_deadline_with_a_due_time(world, client, auth, set_now):
    from datetime import UTC, datetime, timedelta

    clock = set_now(BEFORE)
    auth.login(world.head)
    client.post(url(world), data=FORM)
    client.post(url(world, action="confirm"))
    auth.logout()
    clock.instant = AFTER + timedelta(days=1)
    auth.login(world.secretariat)
    client.post(url(world, action="return"), data={"reason": "Sửa", "until": "01/04/2024 10:00"})
    assert registration(world).status == "confirmed"  # a due time already past is refused
    client.post(url(world, action="return"), data={"reason": "Sửa", "until": "10/04/2024 17:00"})
    stored = registration(world)
    assert stored.status == "returned"
    assert stored.reopened_until == datetime(2024, 4, 10, 10, 0, tzinfo=UTC)  # 17:00 in Vietnam
    auth.logout()
    auth.login(world.head)
    page = client.get(url(world)).get_data(as_text=True)
    assert "10/04/2024" in page and 'name="target_KYSO"' in page
    assert client.post(url(world), data={**FORM, "target_KYSO": "97"}).status_code == 302
    client.post(url(world, action="confirm"))
    assert registration(world).status == "confirmed"
    # After the due time the unit is refused like after any deadline.
    auth.logout()
    auth.login(world.secretariat)
    client.post(url(world, action="return"), data={"reason": "Lần 2", "until": "12/04/2024 17:00"})
    clock.instant = datetime(2024, 4, 12, 10, 0, 1, tzinfo=UTC)  # one second after 17:00
    auth.logout()
    auth.login(world.head)
    assert client.post(url(world), data=FORM).status_code == 409


def test_overview_counts_the_units(world, client, auth, set_now):
    import re

    set_now(BEFORE)
    auth.login(world.head)
    client.post(url(world), data=FORM)
    client.post(url(world, action="confirm"))
    auth.logout()
    auth.login(world.secretariat)
    page = client.get(f"/movements/{world.movement.id}/registrations").get_data(as_text=True)
    counts = ["2", "1", "0", "0", "1"]  # units, confirmed, accepted, returned, missing
    summary = page.split('<p id="registration-counts">')[1].split("</p>")[0]
    assert re.findall(r": (\d+)", summary) == counts
