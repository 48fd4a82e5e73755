"""The verify page and `emulation verify FILE`: a sealed document verifies, a changed one fails."""

import io

import pytest

from emulation.signatures.seal import make_self_signed_seal, seal_pdf
from emulation.verify.cli import verify_command
from tests.support.pki import plain_pdf, sign_pdf


@pytest.fixture
def sealed_app(app, tmp_path, monkeypatch, pki):
    """The app with a self-signed seal and the test PKI's root as trust."""
    cert, key = make_self_signed_seal(tmp_path / "seal", "Sở Nội vụ tỉnh Thử nghiệm")
    monkeypatch.setitem(app.config, "SEAL_CERT_FILE", str(cert))
    monkeypatch.setitem(app.config, "SEAL_KEY_FILE", str(key))
    monkeypatch.setitem(app.config, "SIGNATURE_TRUST_DIR", str(pki.trust_dir))
    return app


def _check(client, data, name="tep.pdf"):
    return client.post(
        "/verify", data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data"
    )


def test_page_names_who_sealed_and_catches_a_changed_byte(sealed_app, make, auth, client):
    auth.login(make.user("unit_editor", make.unit(), username="bientap"))
    sealed = seal_pdf(plain_pdf(), sealed_app.config)
    body = _check(client, sealed).get_data(as_text=True)
    assert 'data-verdict="valid"' in body
    assert "Ký số hợp lệ: Con dấu hệ thống (Sở Nội vụ tỉnh Thử nghiệm)" in body
    changed = bytearray(sealed)
    changed[sealed.index(b"/MediaBox") + 1] = ord("m")
    body = _check(client, bytes(changed)).get_data(as_text=True)
    assert 'data-verdict="modified"' in body and "Tài liệu đã bị sửa sau khi ký" in body
    body = _check(client, plain_pdf()).get_data(as_text=True)
    assert "Không có chữ ký số" in body
    body = _check(client, b"not a pdf").get_data(as_text=True)
    assert 'data-verdict="unreadable"' in body


def test_page_needs_a_file_and_a_login(sealed_app, make, auth, client):
    assert client.get("/verify").status_code == 302
    auth.login(make.user("reviewer", username="uyvien"))
    assert client.post("/verify", data={}).status_code == 422


def test_cli_reports_sealed_valid_then_modified(sealed_app, runner, tmp_path, pki):
    path = tmp_path / "bien-nhan.pdf"
    path.write_bytes(seal_pdf(plain_pdf(), sealed_app.config))
    result = runner.invoke(verify_command, [str(path)])
    assert result.exit_code == 0, result.output
    assert "Ký số hợp lệ" in result.output
    assert "Con dấu hệ thống — Sở Nội vụ tỉnh Thử nghiệm" in result.output
    changed = bytearray(path.read_bytes())
    changed[changed.index(b"/MediaBox") + 1] = ord("m")
    path.write_bytes(bytes(changed))
    result = runner.invoke(verify_command, [str(path)])
    assert result.exit_code == 1
    assert "Tài liệu đã bị sửa sau khi ký" in result.output


def test_cli_trusts_configured_roots_for_agency_signatures(sealed_app, runner, tmp_path, pki):
    path = tmp_path / "bao-cao.pdf"
    path.write_bytes(sign_pdf(plain_pdf(), pki.signer, pki.ca))
    result = runner.invoke(verify_command, [str(path)])
    assert result.exit_code == 0 and "Nguyễn Văn An — Sở Nội vụ tỉnh Thử nghiệm" in result.output


def test_frozen_snapshot_pdf_carries_its_hash_and_verifies(sealed_app, make, auth, client,
                                                          set_now):
    from datetime import timedelta

    from pypdf import PdfReader

    from emulation.council.snapshots import freeze
    from emulation.dossiers.operations import fill_and_submit
    from emulation.extensions import db
    from emulation.signatures.seal import verify_file
    from tests.support.instants import DEADLINE

    set_now(DEADLINE + timedelta(days=5))
    secretariat = make.user("secretariat", username="thuky")
    movement = make.movement()
    unit = make.unit(code="UA", name="VKSND quận Hải Châu")
    values = {"KYSO_a": 90.0, "KYSO_b": 100.0, "HOP": 4.0, "TRUONGBAN": "Thủ trưởng",
              "SAOLUU": 1.0}
    fill_and_submit(movement.rounds[0], make.candidate(movement, unit), values, user=None,
                    now=DEADLINE - timedelta(days=3))
    snapshot = freeze(movement.rounds[0], user=secretariat, now=DEADLINE + timedelta(days=5))
    db.session.commit()
    auth.login(secretariat)
    response = client.get(f"/council/snapshots/{snapshot.id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert verify_file(response.data, sealed_app.config).verdict == "valid"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert snapshot.payload_hash in text.replace("\n", "")
    assert "VKSND quận Hải Châu" in text
