"""Submitting, withdrawing and returning a dossier each ask for confirmation first."""

import re

from emulation.extensions import db
from emulation.models import Dossier

from . import test_pages
from .test_pages import FULL, _lock, _save, _start

clock, setup = test_pages.clock, test_pages.setup


def _form_fields(body: str) -> dict:
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', body))


def test_submit_asks_for_confirmation_and_the_confirmation_submits(setup, auth, client):
    auth.login(setup["editor_a"])
    dossier_id = _start(client, setup)
    response = _save(client, dossier_id, **{**FULL, "action": "submit"})
    # Saved, then sent to the confirmation page: nothing is submitted yet.
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/dossiers/{dossier_id}/submit"
    )
    dossier = db.session.get(Dossier, dossier_id)
    assert dossier.status == "draft" and dossier.versions == []
    page = client.get(f"/dossiers/{dossier_id}/submit")
    body = page.get_data(as_text=True)
    # The confirmation is a page of its own, not a script (every page has the shared a11y one).
    own = re.sub(r'<script src="[^"]*/js/a11y\.js" defer></script>', "", body)
    assert page.status_code == 200 and "data-confirm" in body and "<script" not in own
    fields = _form_fields(body)
    assert fields["confirmed"] == "1"
    # A bare POST (no confirmation) does not submit either.
    client.post(f"/dossiers/{dossier_id}/submit", data={"lock_version": fields["lock_version"]})
    db.session.refresh(dossier)
    assert dossier.versions == []
    response = client.post(f"/dossiers/{dossier_id}/submit", data=fields)
    assert "/receipt" in response.headers["Location"]
    db.session.refresh(dossier)
    assert dossier.status == "submitted" and len(dossier.versions) == 1


def test_withdraw_asks_for_confirmation(setup, auth, client):
    auth.login(setup["editor_a"])
    dossier_id = _start(client, setup)
    _save(client, dossier_id, **FULL)
    lock = _lock(client, dossier_id)
    client.post(f"/dossiers/{dossier_id}/submit", data={"lock_version": lock, "confirmed": "1"})
    lock = _lock(client, dossier_id)
    page = client.post(f"/dossiers/{dossier_id}/withdraw", data={"lock_version": lock})
    assert page.status_code == 200 and "data-confirm" in page.get_data(as_text=True)
    dossier = db.session.get(Dossier, dossier_id)
    assert dossier.status == "submitted"
    fields = _form_fields(page.get_data(as_text=True))
    client.post(f"/dossiers/{dossier_id}/withdraw", data=fields)
    db.session.refresh(dossier)
    assert dossier.status == "withdrawn"


def test_return_for_supplement_asks_for_confirmation_repeating_the_request(setup, auth, client):
    auth.login(setup["editor_a"])
    dossier_id = _start(client, setup)
    _save(client, dossier_id, **FULL)
    lock = _lock(client, dossier_id)
    client.post(f"/dossiers/{dossier_id}/submit", data={"lock_version": lock, "confirmed": "1"})
    auth.logout()
    auth.login(setup["reviewer"])
    data = {"criteria": ["TC2"], "reason": "Thiếu minh chứng sao lưu", "due_at": "05/09/2024 17:00"}
    page = client.post(f"/dossiers/{dossier_id}/return", data=data)
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and "data-confirm" in body
    assert "Thiếu minh chứng sao lưu" in body and "05/09/2024 17:00" in body
    assert db.session.get(Dossier, dossier_id).status == "submitted"
    assert 'name="criteria" value="TC2"' in body  # every field goes back with the confirmation
    client.post(f"/dossiers/{dossier_id}/return", data={**data, "confirmed": "1"})
    dossier = db.session.get(Dossier, dossier_id)
    db.session.refresh(dossier)
    assert dossier.status == "returned"
