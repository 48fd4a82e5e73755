"""Password policy: length, username, common passwords; applied by the CLI and the account page."""

import pytest

from emulation.extensions import db
from emulation.models import AuditEvent, User
from emulation.security import check_password_policy


@pytest.mark.parametrize(
    ("password", "username", "problem"),
    [
        ("Ngan-qua1", "thuky", "at least 10"),
        ("thuky-2024-dai", "thuky", "username"),
        ("THUKY20242024", "thuky", "username"),
        ("1234567890", "thuky", "too common"),
        ("Matkhau@123", "thuky", "too common"),
        ("aaaaaaaaaaaa", "thuky", "too common"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(app, password, username, problem):
    assert any(problem in p for p in check_password_policy(password, username))


def test_a_good_password_passes(app):
    assert check_password_policy("Thi-dua-chuyen-doi-so", "thuky") == []


def test_cli_refuses_a_weak_password(runner):
    result = runner.invoke(
        args=["users", "create", "thuky", "--role", "secretariat", "--password", "thuky12345"]
    )
    assert result.exit_code != 0 and "username" in result.output
    assert db.session.execute(db.select(User)).first() is None


@pytest.fixture
def signed_in(make, client, auth):
    user = make.user("secretariat", username="thuky")
    db.session.commit()
    auth.login(user)
    with client.session_transaction() as session:
        session["lang"] = "en"  # new strings are translated by the lead after merging
    return user


def test_change_password_checks_current_and_policy(signed_in, client, password):
    response = client.post(
        "/account",
        data={"current": "sai", "new": "Mot-mat-khau-moi", "confirm": "Mot-mat-khau-moi"},
    )
    assert response.status_code == 400
    assert "The current password is wrong" in response.get_data(as_text=True)
    response = client.post(
        "/account", data={"current": password, "new": "1234567890", "confirm": "1234567890"}
    )
    assert response.status_code == 400
    assert "too common" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, signed_in.id).check_password(password)


def test_change_password_keeps_this_browser_and_ends_the_others(
    signed_in, app, client, auth, password
):
    other = app.test_client()
    other.post("/login", data={"username": "thuky", "password": password})
    assert other.get("/").status_code == 200
    new = "Mot-mat-khau-moi-2026"
    response = client.post("/account", data={"current": password, "new": new, "confirm": new})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert other.get("/").status_code == 302  # the other browser is signed out
    db.session.expire_all()
    assert db.session.get(User, signed_in.id).check_password(new)
    actions = db.session.execute(db.select(AuditEvent.action)).scalars().all()
    assert "password_changed" in actions and "sessions_ended" in actions
