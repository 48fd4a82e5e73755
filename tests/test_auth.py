"""Login, logout and the audit of both."""

import pytest

from emulation.extensions import db
from emulation.models import AuditEvent


def _actions():
    return [
        e.action
        for e in db.session.execute(db.select(AuditEvent).order_by(AuditEvent.id)).scalars()
    ]


def test_anonymous_is_sent_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_login_and_logout(make, client, auth):
    user = make.user("secretariat", username="thuky")
    db.session.commit()
    response = auth.login(user)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    assert auth.logout().status_code == 302
    assert client.get("/").status_code == 302
    assert _actions() == ["login", "logout"]


def test_wrong_password_refused_and_audited(make, client, auth):
    make.user("secretariat", username="thuky")
    db.session.commit()
    response = auth.login("thuky", "sai-mat-khau")
    assert response.status_code == 401
    assert "Sai tên đăng nhập hoặc mật khẩu" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302
    assert _actions() == ["login_failed"]


def test_inactive_user_cannot_log_in(make, auth):
    make.user("secretariat", username="cu", active=False)
    db.session.commit()
    assert auth.login("cu").status_code == 401


def test_login_follows_local_next_only(make, client, password):
    make.user("secretariat", username="thuky")
    db.session.commit()
    data = {"username": "thuky", "password": password}
    response = client.post("/login?next=//evil.example/x", data=data)
    assert response.headers["Location"] == "/"
    client.post("/logout")
    response = client.post("/login?next=/units/X", data=data)
    assert response.headers["Location"] == "/units/X"


def test_logout_needs_post(make, client, auth):
    make.user("secretariat", username="thuky")
    db.session.commit()
    auth.login("thuky")
    assert client.get("/logout").status_code == 405
    assert client.get("/").status_code == 200


@pytest.fixture
def csrf_client(app_config):
    from emulation import create_app

    app_config = dict(app_config, WTF_CSRF_ENABLED=True)
    app = create_app(app_config)
    with app.app_context():
        yield app.test_client()
        db.session.remove()
        db.engine.dispose()


def test_login_form_needs_csrf_token(make, csrf_client, password):
    make.user("secretariat", username="thuky")
    db.session.commit()
    response = csrf_client.post("/login", data={"username": "thuky", "password": password})
    assert response.status_code == 400


def test_session_is_renewed_at_login(make, client, auth):
    make.user("secretariat", username="thuky")
    db.session.commit()
    with client.session_transaction() as session:
        session["planted"] = "by-attacker"
    auth.login("thuky")
    with client.session_transaction() as session:
        assert "planted" not in session


def test_security_headers_on_every_page(client):
    response = client.get("/login")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("style-src")[0]
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get("/nope").headers["X-Frame-Options"] == "DENY"
