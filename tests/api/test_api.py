"""The JSON API: tokens, each endpoint per role, deadlines, problem details."""

from datetime import UTC, datetime, timedelta

import pytest

from emulation.api.tokens import create_token
from emulation.dossiers.operations import fill_and_submit
from emulation.extensions import db
from emulation.models import ApiToken, AuditEvent, Dossier, IndicatorValue
from tests.support.instants import DEADLINE

OPEN = datetime(2024, 8, 1, tzinfo=UTC)
VALUES = {"KYSO_a": 90.0, "KYSO_b": 100.0, "HOP": 4.0, "TRUONGBAN": "Thủ trưởng", "SAOLUU": 1.0}


class World:
    """A movement with one round, units A (draft-less) and B (submitted), and accounts."""

    def __init__(self, make):
        self.movement = make.movement()
        self.round = self.movement.rounds[0]
        self.a, self.b = make.unit(code="A", name="Đơn vị A"), make.unit(code="B")
        make.candidate(self.movement, self.a)
        cand_b = make.candidate(self.movement, self.b)
        self.dossier_b = fill_and_submit(self.round, cand_b, VALUES, user=None, now=OPEN)
        self.users = {
            "editor_a": make.user("unit_editor", unit=self.a),
            "head_a": make.user("unit_head", unit=self.a),
            "editor_b": make.user("unit_editor", unit=self.b),
            "reviewer": make.user("reviewer"),
            "secretariat": make.user("secretariat"),
            "admin": make.user("admin"),
        }
        self.tokens = {
            role: create_token(user, "test", now=OPEN)[1] for role, user in self.users.items()
        }
        db.session.commit()

    def headers(self, role: str) -> dict:
        """The bearer header of a role's token (asking for English messages)."""
        return {"Authorization": f"Bearer {self.tokens[role]}", "Accept-Language": "en"}


@pytest.fixture
def world(app, make, set_now):
    set_now(OPEN)
    return World(make)


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.data
    assert response.mimetype == "application/problem+json"
    body = response.get_json(force=True)
    assert body["status"] == status and body["title"] and body["detail"]
    return body


def test_no_token_bad_token_revoked_token_and_session_cookie(client, auth, world):
    _problem(client.get("/api/v1/me"), 401)
    _problem(client.get("/api/v1/me", headers={"Authorization": "Bearer emt_nope"}), 401)
    # A signed-in browser session opens no API call (so no CSRF through the API).
    auth.login(world.users["secretariat"])
    response = client.get("/api/v1/movements")
    _problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    ok = client.get("/api/v1/me", headers=world.headers("editor_a"))
    assert ok.get_json() == {
        "username": world.users["editor_a"].username,
        "full_name": world.users["editor_a"].full_name,
        "role": "unit_editor",
        "unit": {"code": "A", "name": "Đơn vị A"},
    }
    token = db.session.execute(
        db.select(ApiToken).filter_by(user_id=world.users["editor_a"].id)
    ).scalar_one()
    token.revoked_at = OPEN
    db.session.commit()
    _problem(client.get("/api/v1/me", headers=world.headers("editor_a")), 401)


def test_secret_is_stored_hashed(world):
    stored = db.session.execute(db.select(ApiToken.token_hash, ApiToken.prefix)).all()
    secrets = set(world.tokens.values())
    assert all(h not in secrets and len(h) == 64 for h, _p in stored)


def test_movements_and_round(client, world):
    data = client.get("/api/v1/movements", headers=world.headers("reviewer")).get_json()
    assert [r["code"] for r in data[0]["rounds"]] == [world.round.code]
    assert data[0]["rounds"][0]["state"] == "open"
    mine = client.get(f"/api/v1/rounds/{world.round.id}", headers=world.headers("editor_b"))
    assert mine.get_json()["dossier_id"] == world.dossier_b.id
    assert mine.get_json()["unit_window"]["state"] == "open"
    _problem(client.get("/api/v1/rounds/999", headers=world.headers("admin")), 404)
    _problem(client.get("/api/v1/nothing-here", headers=world.headers("admin")), 404)


@pytest.mark.parametrize(
    ("role", "status"),
    [("editor_a", 403), ("head_a", 403), ("reviewer", 200), ("secretariat", 200), ("admin", 200)],
)
def test_ranking_is_for_the_council(client, world, role, status):
    response = client.get(f"/api/v1/rounds/{world.round.id}/ranking", headers=world.headers(role))
    if status == 200:
        assert [r["unit_code"] for r in response.get_json()["ranking"]] == ["B"]
    else:
        _problem(response, status)


@pytest.mark.parametrize(
    ("role", "status"),
    [("editor_a", 403), ("head_a", 403), ("editor_b", 200), ("reviewer", 200), ("admin", 200)],
)
def test_dossier_access_as_in_the_ui(client, world, role, status):
    response = client.get(f"/api/v1/dossiers/{world.dossier_b.id}", headers=world.headers(role))
    if status != 200:
        _problem(response, status)
        return
    data = response.get_json()
    assert data["values"]["HOP"] == 4.0 and data["status"] == "submitted"
    assert data["points"]["total"] == pytest.approx(data["explanation"]["total"])
    indicators = [
        i["code"]
        for g in data["explanation"]["groups"]
        for c in g["criteria"]
        for i in c["indicators"]
    ]
    assert {"KYSO", "HOP"} <= set(indicators)


def test_unit_sets_values_in_its_draft(client, world):
    url = f"/api/v1/rounds/{world.round.id}/values"
    response = client.patch(url, json={"values": {"HOP": 3, "TRUONGBAN": "thủ trưởng"}},
                            headers=world.headers("editor_a"))  # fmt: skip
    assert response.status_code == 200, response.data
    data = response.get_json()
    assert data["status"] == "draft" and data["changed"] == ["HOP", "TRUONGBAN"]
    assert data["values"] == {"HOP": 3.0, "TRUONGBAN": "Thủ trưởng"}
    again = client.patch(url, json={"values": {"HOP": None}, "lock_version": data["lock_version"]},
                         headers=world.headers("head_a"))  # fmt: skip
    assert again.get_json()["values"] == {"TRUONGBAN": "Thủ trưởng"}
    stale = client.patch(url, json={"values": {"HOP": 1}, "lock_version": data["lock_version"]},
                         headers=world.headers("editor_a"))  # fmt: skip
    assert _problem(stale, 409)["lock_version"] == data["lock_version"] + 1
    actions = db.session.execute(db.select(AuditEvent.action)).scalars().all()
    assert actions.count("dossier_saved") == 2 and "dossier_created" in actions


def test_values_are_checked_and_nothing_is_stored_on_error(client, world):
    url = f"/api/v1/rounds/{world.round.id}/values"
    headers = world.headers("editor_a")
    body = _problem(client.patch(url, json={"values": {"HOPP": 1}}, headers=headers), 422)
    assert body["errors"] == [{"field": "HOPP", "message": "not a column of this round"}]
    body = _problem(client.patch(url, json={"values": {"HOP": "bốn"}}, headers=headers), 422)
    assert body["errors"][0]["field"] == "HOP" and "bốn" in body["errors"][0]["message"]
    _problem(client.patch(url, data="not json", headers=headers), 400)
    _problem(client.patch(url, json={"values": [1]}, headers=headers), 400)
    assert db.session.scalar(db.select(db.func.count()).select_from(IndicatorValue)) == 5


def test_submitted_dossier_refused_and_deadline_enforced(client, world, set_now):
    url = f"/api/v1/rounds/{world.round.id}/values"
    body = _problem(client.patch(url, json={"values": {"HOP": 1}},
                                 headers=world.headers("editor_b")), 409)  # fmt: skip
    assert "submitted" in body["detail"]
    set_now(DEADLINE + timedelta(hours=2))  # after the deadline and the 60-minute grace
    body = _problem(client.patch(url, json={"values": {"HOP": 1}},
                                 headers=world.headers("editor_a")), 409)  # fmt: skip
    assert body["deadline"] == DEADLINE.isoformat() and "has passed" in body["detail"]
    assert db.session.scalar(db.select(db.func.count()).select_from(Dossier)) == 1


@pytest.mark.parametrize("role", ["reviewer", "secretariat", "admin"])
def test_only_unit_accounts_set_values(client, world, role):
    url = f"/api/v1/rounds/{world.round.id}/values"
    _problem(client.patch(url, json={"values": {"HOP": 1}}, headers=world.headers(role)), 403)


def test_problem_is_in_the_callers_language(client, world):
    response = client.get("/api/v1/me", headers={"Accept-Language": "en"})
    assert response.get_json()["title"] == "Authentication required"
    assert client.get("/api/v1/me").get_json()["title"] == "Cần xác thực"  # Vietnamese first


def test_token_page_shows_the_secret_once_and_revokes(client, auth, make, app):
    user = make.user("unit_editor")
    db.session.commit()
    auth.login(user)
    page = client.post("/account/tokens", data={"name": "Hệ thống thống kê"})
    assert page.status_code == 200
    secret = page.data.decode().split('<code class="hash">')[1].split("</code>")[0]
    assert (
        client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    )
    listing = client.get("/account/tokens").data.decode()
    assert secret not in listing and secret[:10] in listing
    token = db.session.execute(db.select(ApiToken).filter_by(user_id=user.id)).scalar_one()
    other = make.user("unit_editor")
    db.session.commit()
    client.post(f"/account/tokens/{token.id}/revoke")
    assert (
        client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    )
    auth.logout()
    auth.login(other)
    assert client.post(f"/account/tokens/{token.id}/revoke").status_code == 404
    actions = db.session.execute(db.select(AuditEvent.action)).scalars().all()
    assert {"api_token_created", "api_token_revoked"} <= set(actions)
