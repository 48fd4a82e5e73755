"""Hostile numbers and dates at every entry point: no 500, the field named, nothing stored.

Forms (dossier values and self-assessed points, council points, meeting, auto-assignment,
plan activity and progress, registration), the API and the values import each get
infinities, NaN, hundreds of digits, negatives, non-ASCII digits and far-future dates.
"""

import json
from datetime import timedelta

import pytest
from flask_babel import force_locale

from emulation.dossiers.forms import NumberField, dossier_form_class
from emulation.dossiers.scoring import rules_of
from emulation.extensions import db
from emulation.imports.values import import_values
from emulation.models import (
    Adjustment,
    AuditEvent,
    CouncilMeeting,
    DeadlineExtension,
    IndicatorValue,
    PlanActivity,
    PlanReport,
    Registration,
    SelfAssessment,
    SupplementRequest,
)
from tests.security.authz._plan_world import plan_world
from tests.security.authz._world import DEADLINE, build_world
from tests.signin import signed_in_token

NUMBERS = ["inf", "-Infinity", "NaN", "1" * 400, "1e400", "99999999999999999", "-5", "١٢٣", "１２"]
DATES = ["31/12/9999 23:59", "01/01/0001 00:00", "31/12/2101 08:00", "30/02/2024 10:00"]
DAYS = ["31/12/9999", "01/01/0001", "31/12/2101", "30/02/2024"]


@pytest.fixture
def world(app, make, set_now):
    w = build_world(make, set_now)
    w.clients = {}
    return w


def _client(app, w, role):
    if role not in w.clients:
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = signed_in_token(w.users[role])
            session["lang"] = "en"
        w.clients[role] = client
    return w.clients[role]


def _count(model, **where) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model).filter_by(**where))


def _stored(dossier_id):
    rows = db.session.execute(
        db.select(IndicatorValue.column, IndicatorValue.value, IndicatorValue.text_value)
        .filter_by(dossier_id=dossier_id)
    ).all()  # fmt: skip
    points = db.session.execute(
        db.select(SelfAssessment.indicator_code, SelfAssessment.points).filter_by(
            dossier_id=dossier_id
        )
    ).all()
    return sorted(map(tuple, rows)), sorted(map(tuple, points))


def _refused(response, field: str):
    """The answer is the form again with an error attached to `field`; never a 500."""
    assert response.status_code in (200, 400, 413, 422), response.status_code
    body = response.get_data(as_text=True)
    assert f'id="{field}-err"' in body, f"no error shown for {field}"


def test_dossier_form_number_fields(app, world, set_now):
    set_now(DEADLINE - timedelta(days=1))
    dossier = world.dossier_b
    form_class = dossier_form_class(rules_of(dossier.round))
    with app.test_request_context():
        form = form_class(meta={"csrf": False})
        fields = [name for name, f in form._fields.items() if isinstance(f, NumberField)]
        # A negative is hostile only where the field cannot be negative.
        floor = {
            name: next((v.minimum for v in form[name].validators if hasattr(v, "minimum")), None)
            for name in fields
        }
    assert any(f.startswith("v_") for f in fields) and any(f.startswith("sp_") for f in fields)
    client = _client(app, world, "editor_b")
    before = _stored(dossier.id)
    for field in fields:
        for value in NUMBERS:
            if value == "-5" and floor[field] is None:
                continue
            data = {"lock_version": str(dossier.lock_version), field: value}
            response = client.post(f"/dossiers/{dossier.id}/edit", data=data)
            _refused(response, field)
            db.session.expire_all()
            assert _stored(dossier.id) == before, (field, value)


def test_api_value_fields(app, world, set_now):
    from emulation.api.tokens import create_token

    set_now(DEADLINE - timedelta(days=1))
    _token, secret = create_token(world.users["editor_b"], "x", now=DEADLINE)
    db.session.commit()
    client = app.test_client()
    headers = {
        "Authorization": f"Bearer {secret}",
        "Content-Type": "application/json",
        "Accept-Language": "en",
    }
    before = _stored(world.dossier_b.id)
    raw = ["Infinity", "-Infinity", "NaN", "1" * 400, "1e400", "1" + "0" * 20, "-5"]
    for column in ("HOP", "KYSO_a", "KYSO_b"):
        signed = column == "HOP"  # a 'steps' indicator reads any number, negatives too
        bodies = [f'{{"values": {{"{column}": {r}}}}}' for r in raw if not (signed and r == "-5")]
        bodies += [
            json.dumps({"values": {column: t}}) for t in NUMBERS if not (signed and t == "-5")
        ]
        for body in bodies:
            response = client.patch(
                f"/api/v1/rounds/{world.round.id}/values", data=body, headers=headers
            )
            assert response.status_code in (400, 422), (body[:60], response.status_code)
            problem = response.get_json()
            if response.status_code == 422:
                assert column in {e["field"] for e in problem["errors"]}, body[:60]
            db.session.expire_all()
            assert _stored(world.dossier_b.id) == before


def test_values_import_columns(app, world, set_now):
    set_now(DEADLINE - timedelta(days=1))
    before = _stored(world.dossier_b.id)
    for column in ("HOP", "KYSO_a", "KYSO_b"):
        for value in NUMBERS:
            if column == "HOP" and value == "-5":
                continue  # a 'steps' indicator reads any number, negatives too
            data = f"unit_code,{column}\nUB,{value}\n".encode()
            with force_locale("en"):  # as the import command and pages run it
                report = import_values(world.round, data, "v.csv", now=DEADLINE - timedelta(days=1))
            assert not report.ok, (column, value)
            assert any(p.column == column for p in report.problems), (column, value)
            db.session.rollback()
            assert _stored(world.dossier_b.id) == before


def test_extension_and_supplement_dates(app, world):
    client = _client(app, world, "secretariat")
    for value in DATES:
        response = client.post(
            f"/rounds/{world.round.id}/extensions",
            data={"unit": "UB", "until": value, "reason": "Mất điện"},
        )
        _refused(response, "until")
        response = client.post(
            f"/dossiers/{world.dossier_a.id}/return",
            data={"criteria": ["TC1"], "due_at": value, "reason": "Thiếu minh chứng"},
        )
        _refused(response, "due_at")
    assert _count(DeadlineExtension) == 0 and _count(SupplementRequest) == 0


def test_council_points_meeting_and_assignment(app, world):
    reviewer = _client(app, world, "reviewer")
    for value in NUMBERS:
        response = reviewer.post(
            f"/council/reviews/{world.review.id}/adjust",
            data={"indicator_code": "HOP", "points": value, "reason": "Kiểm tra lại"},
            follow_redirects=True,
        )
        assert response.status_code == 200
        text = response.get_data(as_text=True)
        assert "Council points" in text or value == "-5", value
    assert _count(Adjustment) == 0
    staff = _client(app, world, "secretariat")
    for value in NUMBERS:
        response = staff.post(
            f"/council/rounds/{world.round.id}/meeting",
            data={"held_at": "2024-09-20T09:00", "members_total": value, "place": "Hội trường"},
        )
        _refused(response, "members_total")
        response = staff.post(
            f"/council/rounds/{world.round.id}/reviews/auto", data={"per_dossier": value}
        )
        assert response.status_code != 500
    for value in ("9999-12-31T23:59", "0001-01-01T00:00", "2101-12-31T08:00"):
        response = staff.post(
            f"/council/rounds/{world.round.id}/meeting",
            data={"held_at": value, "members_total": "9", "place": "Hội trường"},
        )
        _refused(response, "held_at")
    assert _count(CouncilMeeting) == 0


def test_plan_dates_and_progress(app, world):
    plan = plan_world(world)
    db.session.commit()
    activity = plan["activity"]
    staff = _client(app, world, "secretariat")
    before = _count(PlanActivity)
    for value in DAYS:
        for field in ("due_on", "starts_on"):
            data = {
                "title": "Rà soát", "lead_unit": str(world.units["A"].id),
                "due_on": "30/06/2024", field: value,
            }  # fmt: skip
            response = staff.post(f"/movements/{plan['movement'].id}/plan/activities", data=data)
            _refused(response, field)
    assert _count(PlanActivity) == before
    editor = _client(app, world, "editor_a")
    reports = _count(PlanReport)
    for value in NUMBERS:
        response = editor.post(f"/plan/activities/{activity.id}", data={"progress": value})
        _refused(response, "progress")
    assert _count(PlanReport) == reports


def test_nothing_was_audited_as_saved(app, world):
    assert not db.session.execute(
        db.select(AuditEvent).where(AuditEvent.action.in_(("values_saved", "draft_saved")))
    ).first()


def test_registration_correction_date(app, world):
    plan = plan_world(world)
    db.session.commit()
    registration = db.session.execute(db.select(Registration)).scalar_one()
    staff = _client(app, world, "secretariat")
    url = f"/movements/{plan['movement'].id}/registrations/UA/return"
    for value in DATES:
        response = staff.post(
            url, data={"until": value, "reason": "Chỉ tiêu chưa phù hợp"}, follow_redirects=True
        )
        assert response.status_code == 200
        assert "Correct and confirm by" in response.get_data(as_text=True), value
        db.session.expire_all()
        assert db.session.get(Registration, registration.id).status == "confirmed"
