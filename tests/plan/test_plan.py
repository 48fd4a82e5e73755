"""The activity plan: entering, importing (bad rows), progress with evidence, overdue flags."""

import io
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from emulation.extensions import db
from emulation.models import PlanActivity, PlanReport
from emulation.plan.operations import ActivityInput, add_activity, report_progress

from .conftest import workbook

DUE = datetime(2024, 6, 30, 16, 59, 59, tzinfo=UTC)  # 23:59:59 on 30/06/2024, Vietnam time
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def activity(world, **kw):
    """One activity led by the world's unit, due 30/06/2024, coordinated by the other."""
    data = ActivityInput(
        number=kw.pop("number", "1"),
        title=kw.pop("title", "Tập huấn ký số"),
        lead_unit=kw.pop("lead", world.unit),
        coordinators=kw.pop("coordinators", [world.other]),
        starts_on=None,
        due_on=kw.pop("due_on", date(2024, 6, 30)),
    )
    made = add_activity(world.movement, data, user=world.secretariat, now=DUE - timedelta(days=90))
    db.session.commit()
    return made


def count():
    """Activities stored."""
    return db.session.execute(select(func.count(PlanActivity.id))).scalar_one()


def test_due_date_means_the_last_second_of_the_day_in_vietnam(world):
    assert activity(world).due_at == DUE


def test_import_all_rows(world, client, auth):
    auth.login(world.secretariat)
    data = workbook(
        ["1", "Tuyên truyền Ngày Chuyển đổi số", "VKS-HC", "VKS-TK", "10/10/2024", "Tin bài"],
        ["2", "Tập huấn", "VKSND quận Thanh Khê", "", "01/06/2024 - 30/06/2024", ""],
    )
    response = client.post(
        f"/movements/{world.movement.id}/plan/import",
        data={"file": (io.BytesIO(data), "ke-hoach.xlsx")},
    )
    assert response.status_code == 302
    rows = db.session.execute(select(PlanActivity).order_by(PlanActivity.number)).scalars().all()
    assert [(a.title, a.lead_unit.code) for a in rows] == [
        ("Tuyên truyền Ngày Chuyển đổi số", "VKS-HC"), ("Tập huấn", "VKS-TK"),
    ]  # fmt: skip
    assert [u.code for u in rows[0].coordinating_units] == ["VKS-TK"]
    assert rows[1].starts_on == date(2024, 6, 1) and rows[1].due_at == DUE


def test_import_with_bad_rows_lists_every_error_and_writes_nothing(world, client, auth):
    auth.login(world.secretariat)
    data = workbook(
        ["1", "Đúng", "VKS-HC", "", "10/10/2024", ""],
        ["2", "", "VKS-XX", "VKS-HC; VKS-YY", "31/02/2024", ""],
        ["3", "Ngược", "VKS-HC", "", "30/06/2024 - 01/06/2024", ""],
    )
    response = client.post(
        f"/movements/{world.movement.id}/plan/import",
        data={"file": (io.BytesIO(data), "ke-hoach.xlsx")},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    for needle in ("VKS-XX", "VKS-YY", "Nội dung", "Thời hạn", "Đơn vị phối hợp"):
        assert needle in page
    # Spreadsheet numbering: the header is row 1, so the bad rows are 3 and 4.
    assert page.count("<tr><td>3</td>") == 4 and page.count("<tr><td>4</td>") == 1
    assert count() == 0


def test_import_refuses_missing_columns_and_non_excel(world, client, auth):
    auth.login(world.secretariat)
    url = f"/movements/{world.movement.id}/plan/import"
    bad = workbook(["1", "x"], header=["STT", "Nội dung"])
    page = client.post(url, data={"file": (io.BytesIO(bad), "a.xlsx")}).get_data(as_text=True)
    assert "Đơn vị chủ trì" in page and "Thời hạn" in page
    page = client.post(url, data={"file": (io.BytesIO(b"abc"), "a.xlsx")}).get_data(as_text=True)
    assert ".xlsx" in page
    assert count() == 0


def test_only_the_secretariat_edits_the_plan(world, client, auth):
    for user in (world.editor, world.head, world.reviewer):
        auth.login(user)
        url = f"/movements/{world.movement.id}/plan/activities"
        assert client.post(url, data={"title": "x"}).status_code == 403
        auth.logout()
    assert count() == 0


def test_secretariat_adds_an_activity(world, client, auth):
    auth.login(world.secretariat)
    response = client.post(
        f"/movements/{world.movement.id}/plan/activities",
        data={
            "number": "3",
            "title": "Rà soát hạ tầng",
            "lead_unit": str(world.unit.id),
            "coordinators": [str(world.other.id)],
            "due_on": "30/06/2024",
        },
    )
    assert response.status_code == 302
    assert db.session.execute(select(PlanActivity)).scalar_one().due_at == DUE
    bad = client.post(
        f"/movements/{world.movement.id}/plan/activities",
        data={"title": "x", "lead_unit": str(world.unit.id), "due_on": "30-06-2024"},
    )
    assert bad.status_code == 422 and "dd/mm/yyyy" in bad.get_data(as_text=True)


def test_lead_unit_reports_progress_with_evidence(world, client, auth, set_now):
    made = activity(world)
    set_now(DUE - timedelta(days=1))
    auth.login(world.editor)
    response = client.post(
        f"/plan/activities/{made.id}",
        data={"progress": "100", "done": "y", "note": "Đã tập huấn",
              "file": (io.BytesIO(PDF), "bien-ban.pdf")},
    )  # fmt: skip
    assert response.status_code == 302
    db.session.expire_all()
    stored = db.session.get(PlanActivity, made.id)
    assert stored.on_time() and stored.progress == 100
    report = db.session.execute(select(PlanReport)).scalar_one()
    download = client.get(f"/plan/reports/{report.id}/file")
    body = download.data
    download.close()
    assert download.status_code == 200 and body == PDF
    auth.logout()
    auth.login(world.reviewer)
    reviewed = client.get(f"/plan/reports/{report.id}/file")
    reviewed.close()
    assert reviewed.status_code == 200


def test_disguised_evidence_refused_and_nothing_saved(world, client, auth, set_now):
    made = activity(world)
    set_now(DUE - timedelta(days=1))
    auth.login(world.editor)
    response = client.post(
        f"/plan/activities/{made.id}",
        data={"progress": "50", "file": (io.BytesIO(b"MZ not a pdf"), "x.pdf")},
    )
    assert response.status_code == 422
    assert db.session.execute(select(func.count(PlanReport.id))).scalar_one() == 0


def test_coordinating_unit_sees_but_cannot_report(world, client, auth):
    made = activity(world)
    auth.login(world.other_editor)
    assert client.get(f"/plan/activities/{made.id}").status_code == 200
    assert client.post(f"/plan/activities/{made.id}", data={"progress": "10"}).status_code == 403


def test_uninvolved_unit_cannot_see(world, client, auth):
    made = activity(world, coordinators=[])
    auth.login(world.other_editor)
    assert client.get(f"/plan/activities/{made.id}").status_code == 403
    page = client.get(f"/movements/{world.movement.id}/plan").get_data(as_text=True)
    assert "Tập huấn ký số" not in page


def test_overdue_flag_with_injected_clock(world, client, auth, set_now):
    activity(world)
    clock = set_now(DUE)
    auth.login(world.editor)
    assert "Tập huấn ký số" not in client.get("/").get_data(as_text=True)
    clock.instant = DUE + timedelta(seconds=1)
    assert "Tập huấn ký số" in client.get("/").get_data(as_text=True)
    auth.logout()
    auth.login(world.secretariat)
    assert "Tập huấn ký số" in client.get("/").get_data(as_text=True)
    auth.logout()
    # The coordinating unit's home page does not flag another unit's lead activity.
    auth.login(world.other_editor)
    assert "Tập huấn ký số" not in client.get("/").get_data(as_text=True)


def test_completed_late_is_not_on_time_and_not_overdue(world):
    made = activity(world)
    late = DUE + timedelta(seconds=1)
    report_progress(made, progress=100, done=True, note="", user=world.editor, now=late)
    assert not made.on_time() and not made.overdue(late + timedelta(days=1))


def test_evidence_cleanup_keeps_progress_report_files(world, runner, app):
    import io as _io

    from emulation.evidence import store_upload

    made = activity(world)
    upload_dir = app.config["UPLOAD_DIR"]
    kept = store_upload(_io.BytesIO(PDF), "a.pdf", upload_dir=upload_dir, max_bytes=10**6)
    orphan = store_upload(_io.BytesIO(PDF + b"%x"), "b.pdf", upload_dir=upload_dir, max_bytes=10**6)
    report_progress(made, progress=10, done=False, note="", stored=kept, user=None, now=DUE)
    db.session.commit()
    result = runner.invoke(args=["evidence", "cleanup", "--min-age-hours", "0"])
    assert result.exit_code == 0, result.output
    assert kept.path.exists() and not orphan.path.exists()


def test_blank_workbook_imports_back(world, client, auth):
    auth.login(world.secretariat)
    blank = client.get(f"/movements/{world.movement.id}/plan/template.xlsx")
    assert blank.status_code == 200
    response = client.post(
        f"/movements/{world.movement.id}/plan/import",
        data={"file": (io.BytesIO(blank.data), "mau.xlsx")},
    )
    assert response.status_code == 302
    imported = db.session.execute(select(PlanActivity)).scalar_one()
    assert imported.lead_unit.code == "VKS-HC" and imported.starts_on == date(2024, 3, 1)


def test_progress_must_be_a_percentage(world, client, auth, set_now):
    made = activity(world)
    set_now(DUE - timedelta(days=1))
    auth.login(world.editor)
    response = client.post(f"/plan/activities/{made.id}", data={"progress": "150"})
    assert response.status_code == 422
    assert db.session.execute(select(func.count(PlanReport.id))).scalar_one() == 0
    assert client.post(f"/plan/activities/{made.id}", data={"progress": "40"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(PlanActivity, made.id).progress == 40


def test_secretariat_corrects_and_deletes_an_activity(world, client, auth, set_now):
    from emulation.models import AuditEvent

    made = activity(world)
    auth.login(world.secretariat)
    page = client.get(f"/plan/activities/{made.id}/edit").get_data(as_text=True)
    assert 'value="30/06/2024"' in page
    response = client.post(
        f"/plan/activities/{made.id}/edit",
        data={"title": "Tập huấn ký số (sửa)", "lead_unit": str(world.other.id),
              "coordinators": [str(world.unit.id)], "due_on": "15/07/2024"},
    )  # fmt: skip
    assert response.status_code == 302
    db.session.expire_all()
    changed = db.session.get(PlanActivity, made.id)
    assert (changed.title, changed.lead_unit.code) == ("Tập huấn ký số (sửa)", "VKS-TK")
    assert [u.code for u in changed.coordinating_units] == ["VKS-HC"]
    assert changed.due_at == DUE + timedelta(days=15)
    audit = db.session.execute(
        select(AuditEvent).filter_by(action="plan.activity_update")
    ).scalar_one()
    assert (
        audit.details["before"]["lead"] == "VKS-HC" and audit.details["after"]["lead"] == "VKS-TK"
    )
    assert client.post(f"/plan/activities/{made.id}/delete").status_code == 302
    assert count() == 0


def test_activity_with_reports_is_not_deleted(world, client, auth):
    made = activity(world)
    report_progress(made, progress=10, done=False, note="", user=world.editor, now=DUE)
    db.session.commit()
    auth.login(world.secretariat)
    client.post(f"/plan/activities/{made.id}/delete")
    assert count() == 1
