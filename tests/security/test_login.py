"""Login throttling (per address and per account), cookie flags, logout everywhere."""

from datetime import UTC, datetime, timedelta

import pytest

from emulation import create_app
from emulation.extensions import db
from emulation.models import AuditEvent
from emulation.security import limiter

T0 = datetime(2026, 8, 30, 9, 0, tzinfo=UTC)


def _actions():
    return db.session.execute(db.select(AuditEvent.action).order_by(AuditEvent.id)).scalars().all()


@pytest.fixture
def thuky(make, client, set_now):
    set_now(T0)
    user = make.user("secretariat", username="thuky")
    db.session.commit()
    with client.session_transaction() as session:
        session["lang"] = "en"  # new strings are translated by the lead after merging
    return user


def _from(auth, address, name, password):
    return auth.client.post(
        "/login", data={"username": name, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )  # fmt: skip


def test_pair_locks_after_five_failures_even_for_the_right_password(thuky, auth, password):
    for _ in range(4):
        assert auth.login("thuky", "sai-mat-khau").status_code == 401
    response = auth.login("thuky", "sai-mat-khau")
    assert response.status_code == 429
    text = response.get_data(as_text=True)
    # 09:00 UTC + 15 minutes, shown in Vietnam time
    assert "Too many wrong passwords" in text and "16:15:00 30/08/2026" in text
    assert auth.login("thuky", password).status_code == 429
    assert _actions() == ["login_failed"] * 5 + ["login_locked", "login_refused_locked"]


def test_unknown_and_existing_names_get_the_same_answers(thuky, auth):
    answers = {}
    for name in ("thuky", "khong-ai-ca"):
        limiter.reset()
        answers[name] = []
        for _ in range(6):
            response = auth.login(name, "sai-mat-khau")
            text = response.get_data(as_text=True)
            answers[name].append((response.status_code, "Too many wrong passwords" in text))
    assert answers["thuky"] == answers["khong-ai-ca"]
    assert [status for status, _locked in answers["thuky"]] == [401] * 4 + [429, 429]


def test_an_attacker_elsewhere_cannot_lock_the_owner_out(thuky, auth, password):
    for _ in range(10):
        _from(auth, "203.0.113.66", "thuky", "doan-mo")
    assert _from(auth, "203.0.113.66", "thuky", password).status_code == 429
    # The owner, at the office's address, signs in as usual.
    assert _from(auth, "10.1.2.3", "thuky", password).status_code == 302


def test_lockout_ends_after_the_window_and_success_resets_the_count(thuky, auth, password, set_now):
    for _ in range(5):
        auth.login("thuky", "sai-mat-khau")
    set_now(T0 + timedelta(minutes=15, seconds=1))
    limiter.reset()  # the per-address limit (10 a minute) is not under test here
    assert auth.login("thuky", password).status_code == 302
    auth.logout()
    for _ in range(4):
        assert auth.login("thuky", "sai-mat-khau").status_code == 401
    assert auth.login("thuky", password).status_code == 302


def test_failures_spread_over_time_do_not_lock(thuky, auth, password, set_now):
    for minute in range(0, 100, 20):
        set_now(T0 + timedelta(minutes=minute))
        assert auth.login("thuky", "sai-mat-khau").status_code == 401
    assert auth.login("thuky", password).status_code == 302


def test_the_lockout_is_shared_by_every_worker(thuky, app_config, auth, set_now):
    for _ in range(5):
        auth.login("thuky", "sai-mat-khau")
    # A second app (another gunicorn worker) reads the same database.
    other = create_app(dict(app_config, NOW=lambda: T0 + timedelta(minutes=1)))
    with other.app_context():
        response = other.test_client().post(
            "/login", data={"username": "thuky", "password": "Mat-khau-2024"}
        )
        db.session.remove()
        db.engine.dispose()
    assert response.status_code == 429


def test_per_address_rate_limit(make, app_config, password):
    make.user("secretariat", username="thuky")
    db.session.commit()
    app = create_app(dict(app_config, LOGIN_RATE_LIMIT="3 per minute"))
    with app.app_context():
        client = app.test_client()
        client.post("/lang", data={"lang": "en"})
        for _ in range(3):
            client.post("/login", data={"username": "khong-co", "password": "x"})
        response = client.post("/login", data={"username": "thuky", "password": password})
        db.session.remove()
        db.engine.dispose()
    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.get_data(as_text=True)
    assert int(response.headers["Retry-After"]) <= 60
    # Another address is not affected.
    with app.app_context():
        response = app.test_client().post(
            "/login",
            data={"username": "thuky", "password": password},
            environ_base={"REMOTE_ADDR": "10.0.0.9"},
        )
        db.session.remove()
        db.engine.dispose()
    assert response.status_code == 302


def test_production_cookies_are_secure_httponly_lax(app_config):
    config = dict(app_config)
    del config["TESTING"]
    app = create_app(config)
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["REMEMBER_COOKIE_HTTPONLY"]
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["REMEMBER_COOKIE_DURATION"] <= timedelta(days=30)
    plain = create_app(dict(config, PLAIN_HTTP=True))
    assert not plain.config["SESSION_COOKIE_SECURE"]


def test_session_cookie_flags_on_the_wire(make, app_config, password):
    make.user("secretariat", username="thuky")
    db.session.commit()
    app = create_app(dict(app_config, PLAIN_HTTP=False))
    with app.app_context():
        response = app.test_client().post(
            "/login",
            data={"username": "thuky", "password": password, "remember": "y"},
            base_url="https://localhost",
        )
        db.session.remove()
        db.engine.dispose()
    cookies = response.headers.getlist("Set-Cookie")
    session_cookie = next(c for c in cookies if c.startswith("session="))
    remember = next(c for c in cookies if c.startswith("remember_token="))
    for cookie in (session_cookie, remember):
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_logout_everywhere_ends_other_sessions_and_remember_cookies(app, thuky, password):
    browsers = [app.test_client() for _ in range(2)]
    for browser in browsers:
        data = {"username": "thuky", "password": password, "remember": "y"}
        assert browser.post("/login", data=data).status_code == 302
    assert browsers[0].post("/account/sessions/end").status_code == 302
    for browser in browsers:
        assert browser.get("/").status_code == 302
    # A new login works and is not ended by the old version.
    assert browsers[1].post("/login", data=data).status_code == 302
    assert browsers[1].get("/").status_code == 200
    assert "sessions_ended" in _actions()


def test_admin_ends_another_users_sessions(app, make, thuky, password):
    admin = make.user("admin", username="quantri")
    db.session.commit()
    victim, admin_browser = app.test_client(), app.test_client()
    victim.post("/login", data={"username": "thuky", "password": password})
    admin_browser.post("/login", data={"username": "quantri", "password": password})
    assert victim.post(f"/users/{admin.id}/sessions/end").status_code == 403
    assert admin_browser.post(f"/users/{thuky.id}/sessions/end").status_code == 302
    assert victim.get("/").status_code == 302
    assert admin_browser.get("/").status_code == 200
    event = db.session.execute(
        db.select(AuditEvent).filter_by(action="sessions_ended")
    ).scalar_one()
    assert (event.actor_id, event.object_id) == (admin.id, thuky.id)
    assert event.details["reason"] == "forced"


def test_a_lockout_is_told_to_the_owner_and_to_every_administrator(thuky, auth, make):
    from emulation.notify.models import Notification

    admin = make.user("admin", username="quantri", full_name="Quản trị")
    make.user("admin", username="cu", active=False)
    db.session.commit()
    for _ in range(5):
        _from(auth, "198.51.100.9", "thuky", "sai-mat-khau")
    messages = db.session.scalars(db.select(Notification).order_by(Notification.id)).all()
    assert [(m.user_id, m.kind) for m in messages] == [
        (thuky.id, "account_locked"), (admin.id, "lockout_reported"),
    ]
    told = messages[1]
    assert told.subject == "Tạm chặn đăng nhập do nhập sai mật khẩu nhiều lần: thuky"
    assert "198.51.100.9" in told.body and "16:15:00 ngày 30/08/2026" in told.body
    assert "/audit/?action=login_locked" in told.body
    # A name nobody has tells no one: guessing names cannot flood the administrators.
    for _ in range(5):
        _from(auth, "198.51.100.9", "khong-ai-ca", "sai-mat-khau")
    assert db.session.scalar(db.select(db.func.count(Notification.id))) == 2


def test_unknown_names_are_checked_against_a_hash_as_costly_as_a_real_one(app):
    """The written-out dummy hash has the method and parameters of a password set today."""
    from werkzeug.security import check_password_hash, generate_password_hash

    from emulation.auth.views import DUMMY_HASH

    assert DUMMY_HASH.split("$")[0] == generate_password_hash("x").split("$")[0]
    assert check_password_hash(DUMMY_HASH, "not-a-password")
