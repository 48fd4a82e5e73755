"""An uploaded PDF is checked for signatures; reviewers and the unit see the finding per file."""

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest

from emulation.extensions import db
from emulation.models import AuditEvent, Dossier, EvidenceFile
from emulation.operations import create_movement_from_rules, enrol_unit
from emulation.scoring import load_rules
from tests.support.instants import DEADLINE
from tests.support.pki import make_ca, make_signer, plain_pdf, sign_pdf

SMALL = Path(__file__).parents[1] / "data" / "rules_small.toml"
BEFORE = DEADLINE - timedelta(days=3)


@pytest.fixture
def signed_rules(tmp_path):
    """The small rule file with its achievement report (BCTT) to be digitally signed."""
    text = SMALL.read_text(encoding="utf-8").replace(
        'code = "BCTT"\n', 'code = "BCTT"\ndigitally_signed = true\n'
    )
    path = tmp_path / "rules_signed.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def setup(app, make, set_now, signed_rules, pki, monkeypatch):
    """A movement whose report must be signed, a unit editor, a reviewer; the PKI trusted."""
    set_now(BEFORE)
    monkeypatch.setitem(app.config, "SIGNATURE_TRUST_DIR", str(pki.trust_dir))
    rules = load_rules(signed_rules)
    movement = create_movement_from_rules(
        rules, filename=signed_rules.name, text=signed_rules.read_text(encoding="utf-8"),
        now=BEFORE,
    )
    unit = make.unit(code="VKS-HC", name="VKSND quận Hải Châu")
    enrol_unit(movement, unit)
    users = {
        "editor": make.user("unit_editor", unit, username="bientap"),
        "reviewer": make.user("reviewer", username="uyvien"),
    }
    db.session.commit()
    return {"round": movement.rounds[0], **users}


def _start(client, setup):
    response = client.post(f"/rounds/{setup['round'].id}/dossier")
    return int(re.search(r"/dossiers/(\d+)/edit", response.headers["Location"]).group(1))


def _upload(client, dossier_id, field, data, name):
    page = client.get(f"/dossiers/{dossier_id}/edit").get_data(as_text=True)
    lock = re.search(r'name="lock_version" type="hidden" value="(\d+)"', page).group(1)
    response = client.post(
        f"/dossiers/{dossier_id}/edit",
        data={"lock_version": lock, field: (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302


def test_signed_report_is_checked_on_upload_and_shown(setup, auth, client, pki):
    auth.login(setup["editor"])
    dossier_id = _start(client, setup)
    _upload(client, dossier_id, "doc_BCTT", sign_pdf(plain_pdf(), pki.signer, pki.ca), "bc.pdf")
    evidence = db.session.execute(db.select(EvidenceFile)).scalar_one()
    assert evidence.signature_verdict == "valid"
    assert evidence.signature_check["signatures"][0]["signer"] == "Nguyễn Văn An"
    audit = db.session.execute(
        db.select(AuditEvent).filter_by(action="evidence_added")
    ).scalar_one()
    assert audit.details["signature"] == "valid"
    page = client.get(f"/dossiers/{dossier_id}/edit").get_data(as_text=True)
    assert "Ký số hợp lệ: Nguyễn Văn An (Sở Nội vụ tỉnh Thử nghiệm)" in page
    assert "Văn bản chưa có chữ ký số hợp lệ" not in page
    auth.logout()
    auth.login(setup["reviewer"])
    page = client.get(f"/dossiers/{dossier_id}").get_data(as_text=True)
    assert "Ký số hợp lệ: Nguyễn Văn An" in page


@pytest.mark.parametrize(
    ("make_pdf", "shown"),
    [
        (lambda pki: plain_pdf(), "Không có chữ ký số"),
        (lambda pki: _stranger_signed(), "Chữ ký không tin cậy"),
        (lambda pki: _tampered(pki), "Tài liệu đã bị sửa sau khi ký"),
    ],
)
def test_a_report_without_valid_signature_is_shown_and_counted_missing(
    setup, auth, client, pki, make_pdf, shown
):
    auth.login(setup["editor"])
    dossier_id = _start(client, setup)
    _upload(client, dossier_id, "doc_BCTT", make_pdf(pki), "bc.pdf")
    page = client.get(f"/dossiers/{dossier_id}/edit").get_data(as_text=True)
    assert shown in page
    assert "Văn bản chưa có chữ ký số hợp lệ: Báo cáo thành tích" in page


def test_a_picture_is_not_checked(setup, auth, client):
    auth.login(setup["editor"])
    dossier_id = _start(client, setup)
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    _upload(client, dossier_id, "ev_TC1", png, "anh.png")
    evidence = db.session.execute(db.select(EvidenceFile)).scalar_one_or_none()
    if evidence is not None:  # the sniffer may refuse a bare header; then nothing to check
        assert evidence.signature_verdict is None


def _stranger_signed():
    stranger = make_ca("Stranger CA")
    return sign_pdf(plain_pdf(), make_signer(stranger), stranger)


def _tampered(pki):
    signed = bytearray(sign_pdf(plain_pdf(), pki.signer, pki.ca))
    signed[signed.index(b"/MediaBox") + 1] = ord("m")
    return bytes(signed)


@pytest.fixture
def counted_rules(tmp_path):
    """The small rule file with the signed-documents ratio counted from the evidence."""
    text = SMALL.read_text(encoding="utf-8").replace(
        'params = { input = "pair" }',
        'params = { input = "pair", count_from_evidence = "signed_pdfs" }',
    )
    path = tmp_path / "rules_counted.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_signed_share_is_counted_from_the_files_not_typed(
    app, make, set_now, counted_rules, pki, monkeypatch, auth, client
):
    set_now(BEFORE)
    monkeypatch.setitem(app.config, "SIGNATURE_TRUST_DIR", str(pki.trust_dir))
    rules = load_rules(counted_rules)
    movement = create_movement_from_rules(
        rules, filename=counted_rules.name, text=counted_rules.read_text(encoding="utf-8"),
        now=BEFORE,
    )
    unit = make.unit(code="VKS-HC", name="VKSND quận Hải Châu")
    enrol_unit(movement, unit)
    editor = make.user("unit_editor", unit, username="bientap")
    db.session.commit()
    auth.login(editor)
    dossier_id = _start(client, {"round": movement.rounds[0]})
    signed = sign_pdf(plain_pdf("Van ban 1"), pki.signer, pki.ca)
    _upload(client, dossier_id, "ev_TC1", signed, "vb1.pdf")
    _upload(client, dossier_id, "ev_TC1", sign_pdf(plain_pdf("Van ban 2"), pki.signer, pki.ca),
            "vb2.pdf")
    _upload(client, dossier_id, "ev_TC1", plain_pdf("Van ban 3"), "vb3.pdf")
    # A typed value for a counted column is ignored.
    page = client.get(f"/dossiers/{dossier_id}/edit").get_data(as_text=True)
    lock = re.search(r'name="lock_version" type="hidden" value="(\d+)"', page).group(1)
    client.post(f"/dossiers/{dossier_id}/edit",
                data={"lock_version": lock, "v_KYSO_a": "99", "v_KYSO_b": "100"})
    values = {v.column: v.value for v in db.session.get(Dossier, dossier_id).values}
    assert values["KYSO_a"] == 2 and values["KYSO_b"] == 3
    page = client.get(f"/dossiers/{dossier_id}/edit").get_data(as_text=True)
    assert "Hệ thống tự đếm từ các tệp PDF của tiêu chí này" in page
    # Removing a signed file counts again.
    first = db.session.execute(
        db.select(EvidenceFile).filter_by(original_name="vb1.pdf")
    ).scalar_one()
    lock = re.search(r'name="lock_version" type="hidden" value="(\d+)"', page).group(1)
    client.post(f"/evidence/{first.id}/delete", data={"lock_version": lock})
    db.session.expire_all()
    values = {v.column: v.value for v in db.session.get(Dossier, dossier_id).values}
    assert values["KYSO_a"] == 1 and values["KYSO_b"] == 2


def test_counting_needs_a_pair_and_the_error_says_so(tmp_path):
    from emulation.scoring import RuleError

    text = SMALL.read_text(encoding="utf-8").replace(
        'params = { input = "pair" }',
        'params = { input = "percent", count_from_evidence = "signed_pdfs" }',
    )
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleError) as error:
        load_rules(path)
    assert "count_from_evidence" in str(error.value) and "pair" in str(error.value)
