"""The unit head's sign-off: confirm, send back, an edit voids it, submission needs it."""

import re
from datetime import timedelta
from pathlib import Path

import pytest

from emulation.extensions import db
from emulation.models import AuditEvent, Dossier
from emulation.operations import create_movement_from_rules, enrol_unit
from emulation.scoring import load_rules
from tests.support.instants import DEADLINE

SMALL = Path(__file__).parents[1] / "data" / "rules_small.toml"
BEFORE = DEADLINE - timedelta(days=3)
FULL = {"v_KYSO_a": "98", "v_KYSO_b": "100", "v_HOP": "4", "v_TRUONGBAN": "Thủ trưởng",
        "v_SAOLUU": "1", "note_TC1": "Đã ký số 98/100 văn bản đi."}


def _rules(tmp_path, required: bool) -> Path:
    text = SMALL.read_text(encoding="utf-8")
    if required:
        text = text.replace('kind = "interim"\n', 'kind = "interim"\nhead_confirmation = true\n', 1)
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _world(make, set_now, path):
    set_now(BEFORE)
    rules = load_rules(path)
    assert rules.rounds[0].head_confirmation == ("head_confirmation" in path.read_text())
    movement = create_movement_from_rules(
        rules, filename=path.name, text=path.read_text(encoding="utf-8"), now=BEFORE
    )
    unit = make.unit(code="VKS-HC", name="VKSND quận Hải Châu")
    enrol_unit(movement, unit)
    users = {
        "editor": make.user("unit_editor", unit, username="bientap", full_name="Lê Biên Tập"),
        "head": make.user("unit_head", unit, username="thutruong", full_name="Trần Thủ Trưởng"),
    }
    db.session.commit()
    return {"round": movement.rounds[0], **users}


@pytest.fixture
def required(app, make, set_now, tmp_path):
    """A round whose rule file requires the head's confirmation."""
    return _world(make, set_now, _rules(tmp_path, True))


@pytest.fixture
def optional(app, make, set_now, tmp_path):
    """The same round without the requirement."""
    return _world(make, set_now, _rules(tmp_path, False))


def _lock(client, dossier_id):
    page = client.get(f"/dossiers/{dossier_id}/edit").get_data(as_text=True)
    return re.search(r'name="lock_version" type="hidden" value="(\d+)"', page).group(1)


def _draft(client, world, auth, **fields):
    auth.login(world["editor"])
    response = client.post(f"/rounds/{world['round'].id}/dossier")
    dossier_id = int(re.search(r"/dossiers/(\d+)/edit", response.headers["Location"]).group(1))
    data = {"lock_version": _lock(client, dossier_id), **FULL, **fields}
    assert client.post(f"/dossiers/{dossier_id}/edit", data=data).status_code == 302
    auth.logout()
    return dossier_id


def _shown_hash(client, dossier_id):
    page = client.get(f"/dossiers/{dossier_id}/signoff").get_data(as_text=True)
    return re.search(r"data-content-hash>([0-9a-f]{64})<", page).group(1), page


def _submit(client, dossier_id):
    return client.post(
        f"/dossiers/{dossier_id}/submit",
        data={"lock_version": _lock(client, dossier_id), "confirmed": "1"},
    )


def test_submission_refused_until_the_head_confirms(required, auth, client):
    dossier_id = _draft(client, required, auth)
    auth.login(required["editor"])
    assert "Thủ trưởng đơn vị chưa xác nhận hồ sơ này" in client.get(
        f"/dossiers/{dossier_id}/edit").get_data(as_text=True)
    response = _submit(client, dossier_id)
    assert "/receipt" not in response.headers["Location"]
    assert "cần thủ trưởng đơn vị xác nhận" in client.get(
        response.headers["Location"]).get_data(as_text=True)
    assert db.session.get(Dossier, dossier_id).versions == []
    auth.logout()

    auth.login(required["head"])
    content_hash, page = _shown_hash(client, dossier_id)
    assert "Đã ký số 98/100 văn bản đi." in page  # the head sees the narrative itself
    response = client.post(f"/dossiers/{dossier_id}/signoff/confirm",
                           data={"content_hash": content_hash})
    assert response.status_code == 302
    auth.logout()

    auth.login(required["editor"])
    page = client.get(f"/dossiers/{dossier_id}/edit").get_data(as_text=True)
    assert "Trần Thủ Trưởng" in page and 'data-signoff="confirmed"' in page
    response = _submit(client, dossier_id)
    assert "/receipt" in response.headers["Location"]
    receipt = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Trần Thủ Trưởng" in receipt and content_hash in receipt
    version = db.session.get(Dossier, dossier_id).versions[0]
    assert version.payload["head_confirmation"]["hash"] == content_hash
    actions = [e.action for e in db.session.execute(db.select(AuditEvent)).scalars()]
    assert "dossier_head_confirmed" in actions


def test_an_edit_after_confirmation_voids_it_on_both_sides(required, auth, client):
    dossier_id = _draft(client, required, auth)
    auth.login(required["head"])
    content_hash, _page = _shown_hash(client, dossier_id)
    client.post(f"/dossiers/{dossier_id}/signoff/confirm", data={"content_hash": content_hash})
    auth.logout()
    auth.login(required["editor"])
    data = {"lock_version": _lock(client, dossier_id), **FULL, "v_HOP": "5"}
    client.post(f"/dossiers/{dossier_id}/edit", data=data)
    assert 'data-signoff="voided"' in client.get(
        f"/dossiers/{dossier_id}/edit").get_data(as_text=True)
    assert "/receipt" not in _submit(client, dossier_id).headers["Location"]
    auth.logout()
    auth.login(required["head"])
    new_hash, page = _shown_hash(client, dossier_id)
    assert new_hash != content_hash and 'data-signoff="voided"' in page


def test_the_head_cannot_confirm_content_that_changed_while_reading(required, auth, client):
    dossier_id = _draft(client, required, auth)
    auth.login(required["head"])
    old_hash, _page = _shown_hash(client, dossier_id)
    auth.logout()
    auth.login(required["editor"])
    data = {"lock_version": _lock(client, dossier_id), **FULL, "v_HOP": "6"}
    client.post(f"/dossiers/{dossier_id}/edit", data=data)
    auth.logout()
    auth.login(required["head"])
    client.post(f"/dossiers/{dossier_id}/signoff/confirm", data={"content_hash": old_hash})
    assert db.session.get(Dossier, dossier_id).head_confirmed_hash is None


def test_send_back_with_a_comment_is_shown_to_the_editor(required, auth, client):
    dossier_id = _draft(client, required, auth)
    auth.login(required["head"])
    client.post(f"/dossiers/{dossier_id}/signoff/return", data={"comment": "  "})
    assert db.session.get(Dossier, dossier_id).head_returned_at is None  # a comment is needed
    client.post(f"/dossiers/{dossier_id}/signoff/return",
                data={"comment": "Bổ sung biên bản họp tháng 6."})
    auth.logout()
    auth.login(required["editor"])
    page = client.get(f"/dossiers/{dossier_id}/edit").get_data(as_text=True)
    assert 'data-signoff="returned"' in page and "Bổ sung biên bản họp tháng 6." in page
    # The editor cannot sign off in the head's place.
    content_hash, _page = _shown_hash(client, dossier_id)
    response = client.post(f"/dossiers/{dossier_id}/signoff/confirm",
                           data={"content_hash": content_hash})
    assert response.status_code == 403


def test_without_the_requirement_the_current_flow_stays(optional, auth, client):
    dossier_id = _draft(client, optional, auth)
    auth.login(optional["editor"])
    page = client.get(f"/dossiers/{dossier_id}/edit").get_data(as_text=True)
    assert "data-signoff" not in page
    assert "/receipt" in _submit(client, dossier_id).headers["Location"]


def test_the_receipt_pdf_is_sealed_names_the_head_and_fails_when_changed(
    required, auth, client, app, tmp_path, monkeypatch
):
    import io

    from pypdf import PdfReader

    from emulation.signatures.seal import make_self_signed_seal, verify_file

    cert, key = make_self_signed_seal(tmp_path / "seal", "Hội đồng Thi đua - Khen thưởng")
    monkeypatch.setitem(app.config, "SEAL_CERT_FILE", str(cert))
    monkeypatch.setitem(app.config, "SEAL_KEY_FILE", str(key))
    dossier_id = _draft(client, required, auth)
    auth.login(required["head"])
    content_hash, _page = _shown_hash(client, dossier_id)
    client.post(f"/dossiers/{dossier_id}/signoff/confirm", data={"content_hash": content_hash})
    auth.logout()
    auth.login(required["editor"])
    receipt = _submit(client, dossier_id).headers["Location"]
    response = client.get(receipt + ".pdf")
    assert response.status_code == 200
    sealed = response.data
    result = verify_file(sealed, app.config)
    assert result.verdict == "valid" and result.signatures[0].signer == "Con dấu hệ thống"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(sealed)).pages)
    assert "Trần Thủ Trưởng" in text and content_hash in text.replace("\n", "")
    changed = bytearray(sealed)
    changed[sealed.index(b"/MediaBox") + 1] = ord("m")
    assert verify_file(bytes(changed), app.config).verdict == "modified"
