"""Sign-ins are server-side: logout, password change, sign-out everywhere and resets end them."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from emulation.api.tokens import create_token
from emulation.extensions import db
from emulation.models import AuditEvent, LoginSession, User
from emulation.security import check_password_policy

T0 = datetime(2026, 8, 30, 9, 0, tzinfo=UTC)
REMEMBER = "remember_token"


@pytest.fixture
def thuky(make, set_now):
    set_now(T0)
    user = make.user("secretariat", username="thuky", full_name="Nguyễn Thư Ký")
    db.session.commit()
    return user


def _login(client, password, remember=True):
    data = {"username": "thuky", "password": password}
    if remember:
        data["remember"] = "y"
    response = client.post("/login", data=data)
    assert response.status_code == 302
    return response


def _cookies(client) -> dict[str, str]:
    return {name: client.get_cookie(name).value for name in ("session", REMEMBER)}


def _replay(app, cookies: dict[str, str], only: str | None = None):
    """A fresh browser carrying copies of the given cookies; the status of GET /."""
    browser = app.test_client()
    for name, value in cookies.items():
        if only in (None, name):
            browser.set_cookie(name, value)
    return browser.get("/").status_code


def test_logout_deletes_the_remember_cookie(app, thuky, password):
    client = app.test_client()
    _login(client, password)
    assert client.get_cookie(REMEMBER) is not None
    response = client.post("/logout")
    assert any(
        c.startswith(f"{REMEMBER}=;")
        or c.startswith(f'{REMEMBER}=""')
        or (c.startswith(f"{REMEMBER}=") and "Expires=Thu, 01 Jan 1970" in c)
        for c in response.headers.getlist("Set-Cookie")
    )
    assert client.get_cookie(REMEMBER) is None
    assert client.get("/").status_code == 302  # really signed out


def test_cookies_copied_before_logout_are_refused_after_it(app, thuky, password):
    client = app.test_client()
    _login(client, password)
    copied = _cookies(client)
    assert _replay(app, copied, "session") == 200 and _replay(app, copied, REMEMBER) == 200
    client.post("/logout")
    assert _replay(app, copied, "session") == 302
    assert _replay(app, copied, REMEMBER) == 302
    login = db.session.execute(db.select(LoginSession)).scalar_one()
    assert login.ended_at is not None and login.end_reason == "logout"


def test_logout_ends_only_that_sign_in(app, thuky, password):
    office, home = app.test_client(), app.test_client()
    _login(office, password)
    _login(home, password)
    office.post("/logout")
    assert home.get("/").status_code == 200


def _token(user):
    token, secret = create_token(user, "Thống kê", now=T0)
    db.session.commit()
    return secret


def _api(app, secret):
    return app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})


def test_password_change_ends_other_sign_ins_and_api_tokens(app, thuky, password):
    secret = _token(thuky)
    here, elsewhere = app.test_client(), app.test_client()
    _login(here, password)
    _login(elsewhere, password)
    copied = _cookies(elsewhere)
    new = "Cay-tre-xanh-ven-song"
    here.post("/account", data={"current": password, "new": new, "confirm": new})
    assert here.get("/").status_code == 200
    assert _replay(app, copied, "session") == 302 and _replay(app, copied, REMEMBER) == 302
    assert _api(app, secret).status_code == 401


def test_sign_out_everywhere_and_forced_sign_out_end_api_tokens(app, make, thuky, password):
    secret = _token(thuky)
    client = app.test_client()
    _login(client, password)
    assert _api(app, secret).status_code == 200
    client.post("/account/sessions/end")
    assert _api(app, secret).status_code == 401
    make.user("admin", username="quantri")
    db.session.commit()
    secret = _token(thuky)
    admin_browser = app.test_client()
    admin_browser.post("/login", data={"username": "quantri", "password": password})
    admin_browser.post(f"/users/{thuky.id}/sessions/end")
    assert _api(app, secret).status_code == 401


def test_reset_password_must_be_changed_first_and_ends_other_sessions(app, make, thuky, password):
    owner = make.user("reviewer", username="uyvien", full_name="Trần Ủy Viên")
    db.session.commit()
    owner_browser = app.test_client()
    owner_browser.post("/login", data={"username": "uyvien", "password": password})
    owner_secret = _token(owner)
    secretariat = app.test_client()
    _login(secretariat, password, remember=False)
    page = secretariat.post(f"/admin/users/{owner.id}/password").get_data(as_text=True)
    db.session.expire_all()
    # The page shows the password once, in its own code element; it is the one now stored.
    one_time = re.search(r'<code class="hash">([^<]+)</code>', page).group(1)
    assert db.session.get(User, owner.id).check_password(one_time)
    # The owner's browser and API token were signed out.
    assert owner_browser.get("/").status_code == 302
    assert _api(app, owner_secret).status_code == 401
    # Whoever signs in with the one-time password reaches nothing but the account page.
    fresh = app.test_client()
    fresh.post("/lang", data={"lang": "en"})
    response = fresh.post("/login", data={"username": "uyvien", "password": one_time})
    assert response.headers["Location"].endswith("/account")
    for path in ("/", "/council/queue", "/admin/"):
        response = fresh.get(path)
        assert response.status_code == 302 and response.headers["Location"].endswith("/account")
    account = fresh.get("/account").get_data(as_text=True)
    assert "Your password was reset" in account
    new = "Hoa-sen-trong-dam-2026"
    fresh.post("/account", data={"current": one_time, "new": new, "confirm": new})
    assert fresh.get("/").status_code == 200
    events = (
        db.session.execute(
            db.select(AuditEvent.action).filter_by(object_id=owner.id, object_type="User")
        )
        .scalars()
        .all()
    )
    assert "user_password_reset" in events and "password_changed" in events


@pytest.mark.parametrize(
    "weak", ["abcdefghij", "12345678901", "qwertyuiop12", "matkhau@2026", "khenthuong1"]
)
def test_weak_passwords_are_refused(app, make, weak):
    make.movement(organisation="Viện kiểm sát nhân dân thành phố Đà Nẵng")
    db.session.flush()
    problems = check_password_policy(weak, "thuky")
    assert any("too common" in p or "guess" in p for p in problems), (weak, problems)


def test_the_agency_name_counts_as_a_dictionary_word(app, make):
    assert check_password_policy("sotuphapquangtri", "thuky") == []
    make.movement(organisation="Sở Tư pháp Quảng Trị")
    db.session.flush()
    assert check_password_policy("sotuphapquangtri", "thuky") != []


def test_no_sign_in_outlives_the_remember_duration(app, thuky, password, set_now):
    client = app.test_client()
    _login(client, password)
    copied = _cookies(client)
    set_now(T0 + timedelta(days=14, minutes=1))
    assert _replay(app, copied, "session") == 302 and _replay(app, copied, REMEMBER) == 302


def test_a_very_long_password_is_judged_not_crashed(app):
    assert check_password_policy("Cay-tre-xanh-ven-song-" * 8, "thuky") == []
    assert check_password_policy("a" * 150, "thuky") != []
