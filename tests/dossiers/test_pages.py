"""The unit's dossier pages through the browser's eyes: form, draft, completeness, submit."""

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

RULES = Path(__file__).parents[1] / "data" / "rules_small.toml"
BEFORE = DEADLINE - timedelta(days=3)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def clock(set_now):
    """Freeze the app's `now` three days before the deadline."""
    return set_now(BEFORE)


@pytest.fixture
def setup(app, make, clock):
    """A movement from the small rule file, two units with an editor each, and a reviewer."""
    rules = load_rules(RULES)
    movement = create_movement_from_rules(
        rules, filename=RULES.name, text=RULES.read_text(encoding="utf-8"), now=BEFORE
    )
    unit_a = make.unit(code="VKS-HC", name="VKSND quận Hải Châu")
    unit_b = make.unit(code="VKS-TK", name="VKSND quận Thanh Khê")
    enrol_unit(movement, unit_a)
    enrol_unit(movement, unit_b)
    users = {
        "editor_a": make.user("unit_editor", unit_a, username="bientap_a"),
        "editor_b": make.user("unit_editor", unit_b, username="bientap_b"),
        "reviewer": make.user("reviewer", username="uyvien"),
        "secretariat": make.user("secretariat", username="thuky"),
    }
    db.session.commit()
    return {"round": movement.rounds[0], **users}


def _start(client, setup):
    response = client.post(f"/rounds/{setup['round'].id}/dossier")
    assert response.status_code == 302
    return int(re.search(r"/dossiers/(\d+)/edit", response.headers["Location"]).group(1))


def _post(client, dossier_id, action):
    lock = _lock(client, dossier_id)
    return client.post(
        f"/dossiers/{dossier_id}/{action}", data={"lock_version": lock, "confirmed": "1"}
    )


def _lock(client, dossier_id):
    page = client.get(f"/dossiers/{dossier_id}/edit").get_data(as_text=True)
    return re.search(r'name="lock_version" type="hidden" value="(\d+)"', page).group(1)


def _save(client, dossier_id, lock=None, **fields):
    data = {"lock_version": lock or _lock(client, dossier_id), **fields}
    return client.post(
        f"/dossiers/{dossier_id}/edit", data=data, content_type="multipart/form-data"
    )


FULL = {
    "v_KYSO_a": "98",
    "v_KYSO_b": "100",
    "v_HOP": "4",
    "v_TRUONGBAN": "Thủ trưởng",
    "v_SAOLUU": "1",
    "sp_KYSO": "29,5",
    "note_TC1": "Đã ký số 98/100 văn bản đi.",
}


def test_home_shows_deadline_in_full_and_time_left(setup, auth, client):
    auth.login(setup["editor_a"])
    body = client.get("/").get_data(as_text=True)
    assert "23:59:59 ngày 30/08/2024, giờ Việt Nam (UTC+7)" in body
    assert "Còn lại: 3 ngày 0 giờ" in body
    assert "Lập hồ sơ" in body


def test_form_has_the_right_input_for_each_method(setup, auth, client):
    auth.login(setup["editor_a"])
    body = client.get(f"/dossiers/{_start(client, setup)}/edit").get_data(as_text=True)
    assert "Số đạt (a)" in body and "Tổng số (b)" in body
    assert '<option value="Phó thủ trưởng">Phó thủ trưởng</option>' in body
    assert '<option value="Không có">Chưa thành lập Ban chỉ đạo</option>' in body
    assert '<option value="1">Có</option>' in body
    assert "tối đa 30" in body
    assert "Báo cáo thành tích" in body


def test_save_draft_then_completeness_and_provisional_score(setup, auth, client):
    auth.login(setup["editor_a"])
    dossier_id = _start(client, setup)
    response = _save(client, dossier_id, **FULL)
    assert response.status_code == 302
    dossier = db.session.get(Dossier, dossier_id)
    values = {v.column: (v.value if v.text_value is None else v.text_value) for v in dossier.values}
    assert values == {
        "KYSO_a": 98.0,
        "KYSO_b": 100.0,
        "HOP": 4.0,
        "TRUONGBAN": "Thủ trưởng",
        "SAOLUU": 1.0,
    }
    assert dossier.self_points[0].points == 29.5
    body = client.get(f"/dossiers/{dossier_id}/edit").get_data(as_text=True)
    assert "Đã lưu bản nháp" in body
    assert "Còn thiếu 2 mục" in body  # the achievement report and TC1's evidence
    assert "Điểm tạm tính" in body
    assert 'value="29,5"' in body  # shown back the Vietnamese way


def test_bad_values_get_messages_next_to_the_fields_and_nothing_is_saved(setup, auth, client):
    auth.login(setup["editor_a"])
    dossier_id = _start(client, setup)
    response = _save(client, dossier_id, **{**FULL, "v_HOP": "bốn", "sp_KYSO": "31"})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    # The message names the field and quotes what was typed.
    assert "“bốn” không phải là số; hãy nhập ví dụ 12 hoặc 99,5." in body
    assert "Không được lớn hơn 30." in body
    assert 'value="bốn"' in body  # what the user typed is kept on the page
    assert db.session.get(Dossier, dossier_id).values == []


def test_upload_evidence_and_submit_with_receipt(setup, auth, client):
    auth.login(setup["editor_a"])
    dossier_id = _start(client, setup)
    files = {
        "ev_TC1": (io.BytesIO(PDF), "Thống kê văn bản đi.pdf"),
        "doc_BCTT": (io.BytesIO(PDF + b"%report"), "Báo cáo thành tích.pdf"),
    }
    assert _save(client, dossier_id, **FULL, **files).status_code == 302
    body = client.get(f"/dossiers/{dossier_id}/edit").get_data(as_text=True)
    assert "Đầy đủ: đã có mọi số liệu" in body
    names = sorted(e.original_name for e in db.session.execute(db.select(EvidenceFile)).scalars())
    assert names == ["Báo cáo thành tích.pdf", "Thống kê văn bản đi.pdf"]
    response = client.post(
        f"/dossiers/{dossier_id}/submit",
        data={"lock_version": _lock(client, dossier_id), "confirmed": "1"},
    )
    assert response.status_code == 302 and "/receipt" in response.headers["Location"]
    receipt = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "BIÊN NHẬN HỒ SƠ ĐỀ NGHỊ KHEN THƯỞNG" in receipt
    assert "SO-KET-2024-" in receipt
    assert "ngày 27/08/2024, giờ Việt Nam (UTC+7)" in receipt
    evidence_id = db.session.execute(db.select(EvidenceFile.id)).scalars().first()
    download = client.get(f"/evidence/{evidence_id}")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    download.close()
    auth.logout()
    auth.login(setup["editor_b"])
    assert client.get(f"/evidence/{evidence_id}").status_code == 403
    assert client.get(f"/dossiers/{dossier_id}/edit").status_code == 403
    assert client.post(f"/dossiers/{dossier_id}/submit", data={}).status_code == 403


def test_disguised_upload_refused_and_values_kept(setup, auth, client):
    auth.login(setup["editor_a"])
    dossier_id = _start(client, setup)
    files = {"ev_TC1": (io.BytesIO(b"MZ\x90\x00 not a pdf"), "báo cáo.pdf")}
    response = _save(client, dossier_id, **FULL, **files)
    assert response.status_code == 302
    body = client.get(f"/dossiers/{dossier_id}/edit").get_data(as_text=True)
    assert "báo cáo.pdf" in body  # the refusal names the file
    assert db.session.execute(db.select(EvidenceFile)).first() is None
    assert len(db.session.get(Dossier, dossier_id).values) == 5


def test_late_submission_refused_with_deadline_and_server_time(setup, auth, client, clock):
    auth.login(setup["editor_a"])
    dossier_id = _start(client, setup)
    _save(client, dossier_id, **FULL)
    lock = _lock(client, dossier_id)
    clock.instant = DEADLINE + timedelta(hours=1, seconds=1)  # after the 60-minute grace
    response = client.post(
        f"/dossiers/{dossier_id}/submit", data={"lock_version": lock, "confirmed": "1"}
    )
    body = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Không nhận hồ sơ: hạn nộp là 23:59:59 ngày 30/08/2024" in body
    assert "01:00:00 ngày 31/08/2024" in body
    assert db.session.get(Dossier, dossier_id).versions == []


def test_inside_grace_accepted_and_flagged_late(setup, auth, client, clock):
    auth.login(setup["editor_a"])
    dossier_id = _start(client, setup)
    _save(client, dossier_id, **FULL)
    lock = _lock(client, dossier_id)
    clock.instant = DEADLINE + timedelta(minutes=30)
    client.post(f"/dossiers/{dossier_id}/submit", data={"lock_version": lock, "confirmed": "1"})
    assert db.session.get(Dossier, dossier_id).versions[0].late


def test_second_tab_save_refused_not_overwritten(setup, auth, client):
    auth.login(setup["editor_a"])
    dossier_id = _start(client, setup)
    stale = _lock(client, dossier_id)
    assert _save(client, dossier_id, lock=stale, **FULL).status_code == 302
    response = _save(client, dossier_id, lock=stale, **{**FULL, "v_HOP": "1"})
    assert response.status_code == 409
    assert "Thay đổi của bạn chưa được lưu" in response.get_data(as_text=True)
    db.session.expire_all()
    values = {v.column: v.value for v in db.session.get(Dossier, dossier_id).values}
    assert values["HOP"] == 4.0


def test_withdraw_and_resubmit_makes_a_new_version(setup, auth, client):
    auth.login(setup["editor_a"])
    dossier_id = _start(client, setup)
    _save(client, dossier_id, **FULL)
    _post(client, dossier_id, "submit")
    client.post(
        f"/dossiers/{dossier_id}/withdraw",
        data={"lock_version": _lock(client, dossier_id), "confirmed": "1"},
    )
    _save(client, dossier_id, **{**FULL, "v_HOP": "3"})
    _post(client, dossier_id, "submit")
    dossier = db.session.get(Dossier, dossier_id)
    db.session.refresh(dossier)
    assert [v.number for v in dossier.versions] == [1, 2]
    history = client.get(f"/dossiers/{dossier_id}/history").get_data(as_text=True)
    assert "HOP" in history and "<del>4</del>" in history and "<ins>3</ins>" in history


def test_council_returns_for_supplement_and_unit_fixes_only_that(setup, auth, client):
    auth.login(setup["editor_a"])
    dossier_id = _start(client, setup)
    _save(client, dossier_id, **FULL)
    _post(client, dossier_id, "submit")
    auth.logout()
    auth.login(setup["reviewer"])
    response = client.post(
        f"/dossiers/{dossier_id}/return",
        data={
            "criteria": ["TC2"],
            "reason": "Thiếu minh chứng sao lưu",
            "due_at": "05/09/2024 17:00",
            "confirmed": "1",
        },
    )
    assert response.status_code == 302
    auth.logout()
    auth.login(setup["editor_a"])
    body = client.get(f"/dossiers/{dossier_id}/edit").get_data(as_text=True)
    assert "Thiếu minh chứng sao lưu" in body and "17:00:00 ngày 05/09/2024" in body
    _save(client, dossier_id, **{**FULL, "v_HOP": "1", "v_SAOLUU": "0"})
    db.session.expire_all()
    values = {v.column: v.value for v in db.session.get(Dossier, dossier_id).values}
    assert values["HOP"] == 4.0 and values["SAOLUU"] == 0.0
    actions = db.session.execute(db.select(AuditEvent.action)).scalars().all()
    assert "dossier_returned" in actions


def test_secretariat_grants_an_extension_from_the_round_page(setup, auth, client, clock):
    auth.login(setup["secretariat"])
    round_id = setup["round"].id
    page = client.get(f"/rounds/{round_id}")
    assert page.status_code == 200 and "VKSND quận Hải Châu" in page.get_data(as_text=True)
    response = client.post(
        f"/rounds/{round_id}/extensions",
        data={"unit": "VKS-HC", "until": "2024-09-02T23:59", "reason": "Sự cố mất điện"},
    )
    assert response.status_code == 302
    auth.logout()
    auth.login(setup["editor_a"])
    dossier_id = _start(client, setup)
    _save(client, dossier_id, **FULL)
    lock = _lock(client, dossier_id)
    clock.instant = DEADLINE + timedelta(days=2)
    client.post(f"/dossiers/{dossier_id}/submit", data={"lock_version": lock, "confirmed": "1"})
    version = db.session.get(Dossier, dossier_id).versions[0]
    assert not version.late


@pytest.mark.parametrize("role", ["editor_b", "reviewer", "secretariat"])
def test_only_the_units_own_users_edit_its_dossier(setup, auth, client, role):
    auth.login(setup["editor_a"])
    dossier_id = _start(client, setup)
    auth.logout()
    auth.login(setup[role])
    assert client.get(f"/dossiers/{dossier_id}/edit").status_code == 403


def test_unit_user_cannot_return_or_extend(setup, auth, client):
    auth.login(setup["editor_a"])
    dossier_id = _start(client, setup)
    assert client.get(f"/dossiers/{dossier_id}/return").status_code == 403
    assert client.get(f"/rounds/{setup['round'].id}").status_code == 403


def test_failure_half_way_leaves_no_half_written_data_or_orphan_file(
    setup, auth, client, app, monkeypatch
):
    from emulation.dossiers import operations

    auth.login(setup["editor_a"])
    dossier_id = _start(client, setup)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full while recording the evidence")

    monkeypatch.setattr(operations, "attach_evidence", broken)
    with pytest.raises(RuntimeError):
        _save(client, dossier_id, **FULL, ev_TC1=(io.BytesIO(PDF), "minh chứng.pdf"))
    db.session.expire_all()
    assert db.session.get(Dossier, dossier_id).values == []
    assert db.session.execute(db.select(EvidenceFile)).first() is None
    uploads = Path(app.config["UPLOAD_DIR"])
    assert [p for p in uploads.rglob("*") if p.is_file()] == []


def test_remove_a_wrong_file_from_the_draft(setup, auth, client):
    auth.login(setup["editor_a"])
    dossier_id = _start(client, setup)
    _save(client, dossier_id, **FULL, ev_TC1=(io.BytesIO(PDF), "nhầm tệp.pdf"))
    evidence_id = db.session.execute(db.select(EvidenceFile.id)).scalar_one()
    body = client.get(f"/dossiers/{dossier_id}/edit").get_data(as_text=True)
    assert f'form="delete-{evidence_id}"' in body
    stale = client.post(f"/evidence/{evidence_id}/delete", data={"lock_version": "0"})
    assert stale.status_code == 302
    assert db.session.execute(db.select(EvidenceFile)).first() is not None  # stale tab: kept
    lock = _lock(client, dossier_id)
    client.post(f"/evidence/{evidence_id}/delete", data={"lock_version": lock})
    assert db.session.execute(db.select(EvidenceFile)).first() is None
    auth.logout()
    auth.login(setup["editor_b"])
    assert client.post("/evidence/1/delete").status_code in (403, 404)


def test_failed_save_never_deletes_a_file_a_submitted_version_keeps(
    setup, auth, client, monkeypatch
):
    from emulation.dossiers import operations
    from emulation.models import DossierVersion

    auth.login(setup["editor_a"])
    dossier_id = _start(client, setup)
    _save(client, dossier_id, **FULL, ev_TC1=(io.BytesIO(PDF), "x.pdf"))
    _post(client, dossier_id, "submit")
    _post(client, dossier_id, "withdraw")
    evidence_id = db.session.execute(db.select(EvidenceFile.id)).scalar_one()
    client.post(f"/evidence/{evidence_id}/delete", data={"lock_version": _lock(client, dossier_id)})
    monkeypatch.setattr(operations, "attach_evidence", _raise)
    with pytest.raises(RuntimeError):
        _save(client, dossier_id, **FULL, ev_TC1=(io.BytesIO(PDF), "x.pdf"))
    version = db.session.execute(db.select(DossierVersion)).scalar_one()
    sha = version.payload["evidence"][0]["sha256"]
    from emulation.evidence import open_blob

    assert open_blob(client.application.config["UPLOAD_DIR"], sha).is_file()


def _raise(*args, **kwargs):
    raise RuntimeError("failure after storing")


def test_extension_lets_a_unit_without_a_dossier_start_after_the_round_closed(
    setup, auth, client, clock, make
):
    from emulation.dossiers.supervision import grant_extension

    grant_extension(
        setup["round"],
        setup["editor_a"].unit,
        until=DEADLINE + timedelta(days=5),
        reason="Đơn vị mới thành lập",
        user=setup["secretariat"],
        now=BEFORE,
    )
    db.session.commit()
    clock.instant = DEADLINE + timedelta(days=2)
    auth.login(setup["editor_a"])
    home = client.get("/").get_data(as_text=True)
    assert "Đang mở" in home and "23:59:59 ngày 04/09/2024" in home and "Lập hồ sơ" in home
    _start(client, setup)
    auth.logout()
    auth.login(setup["editor_b"])
    response = client.post(f"/rounds/{setup['round'].id}/dossier")
    assert "/edit" not in response.headers["Location"]  # others: the round is closed


def test_ratio_achieved_above_total_is_refused_at_the_field(setup, auth, client):
    auth.login(setup["editor_a"])
    dossier_id = _start(client, setup)
    response = _save(client, dossier_id, **{**FULL, "v_KYSO_a": "120", "v_KYSO_b": "100"})
    assert response.status_code == 422
    assert "Số đạt (a) không được lớn hơn tổng số (b)." in response.get_data(as_text=True)


def test_one_units_bad_submitted_row_does_not_break_another_units_page(setup, auth, client):
    from emulation.dossiers import operations as ops

    auth.login(setup["editor_b"])
    other_id = _start(client, setup)
    other = db.session.get(Dossier, other_id)
    ops.set_values(other, {"KYSO_a": 120, "KYSO_b": 100})  # e.g. imported, not typed
    ops.submit_dossier(other, user=setup["editor_b"], now=BEFORE)
    db.session.commit()
    auth.logout()
    auth.login(setup["editor_a"])
    dossier_id = _start(client, setup)
    _save(client, dossier_id, **FULL)
    page = client.get(f"/dossiers/{dossier_id}/edit")
    assert page.status_code == 200 and "Điểm tạm tính" in page.get_data(as_text=True)


def test_submit_button_saves_what_is_on_the_page_first(setup, auth, client):
    auth.login(setup["editor_a"])
    dossier_id = _start(client, setup)
    _save(client, dossier_id, **FULL)
    response = _save(
        client, dossier_id, **{**FULL, "v_HOP": "3", "action": "submit", "confirmed": "1"}
    )
    assert "/receipt" in response.headers["Location"]
    version = db.session.get(Dossier, dossier_id).versions[0]
    assert version.payload["values"]["HOP"] == 3.0


def test_council_downloads_files_as_each_version_received_them(setup, auth, client):
    auth.login(setup["editor_a"])
    dossier_id = _start(client, setup)
    _save(client, dossier_id, **FULL, ev_TC1=(io.BytesIO(PDF), "thống kê.pdf"))
    _post(client, dossier_id, "submit")
    _post(client, dossier_id, "withdraw")
    evidence_id = db.session.execute(db.select(EvidenceFile.id)).scalar_one()
    client.post(f"/evidence/{evidence_id}/delete", data={"lock_version": _lock(client, dossier_id)})
    auth.logout()
    auth.login(setup["reviewer"])
    receipt = client.get(f"/dossiers/{dossier_id}/versions/1/receipt").get_data(as_text=True)
    link = re.search(r'href="(/dossiers/\d+/versions/1/files/[0-9a-f]{64})"', receipt).group(1)
    download = client.get(link)
    assert download.status_code == 200 and download.data == PDF
    download.close()
    assert client.get(link[:-64] + "0" * 64).status_code == 404
    auth.logout()
    auth.login(setup["editor_b"])
    assert client.get(link).status_code == 403


def test_submit_from_the_form_goes_to_its_receipt_and_the_log_names_the_user(
    setup, auth, client
):
    import logging

    records = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record)

    auth.login(setup["editor_a"])
    dossier_id = _start(client, setup)
    logger = logging.getLogger("emulation.requests")
    keep, level = Keep(), logger.level
    logger.addHandler(keep)
    logger.setLevel(logging.INFO)
    try:
        response = _save(
            client, dossier_id, **{**FULL, "action": "submit", "confirmed": "1"},
            lock=_lock(client, dossier_id),
        )  # fmt: skip
    finally:
        logger.removeHandler(keep)
        logger.setLevel(level)
    assert response.headers["Location"] == f"/dossiers/{dossier_id}/versions/1/receipt"
    assert records[-1].status == 302 and records[-1].user_id == setup["editor_a"].id
    assert client.get(response.headers["Location"]).status_code == 200
