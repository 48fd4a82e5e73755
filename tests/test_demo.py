"""The demo movement, loaded once for this module by `emulation demo --no-serve`, as the
README's first command loads it: the command's output, notifications, the plan, report workbooks.

Loading the demo (units, dossiers with evidence PDFs, signed reports, the council's work) is
the slowest set-up of the suite, so the tests here share one load held in an outer
transaction; each test rolls back to it.
"""

import re
from collections import Counter
from datetime import UTC, datetime
from email import message_from_bytes, policy
from io import BytesIO

import openpyxl
import pytest
from sqlalchemy import select

from emulation.demo import DEMO_LOGINS
from emulation.extensions import db
from emulation.models import Movement, PlanActivity, Registration, User
from emulation.notify.models import Notification
from emulation.registration.operations import RegistrationWindow
from emulation.reports import RENDERERS, build_charts, build_report
from tests.reports.xlsx_openpyxl import render_xlsx as reference_xlsx
from tests.support.database import shared_app, test_config, world_layer

NOW = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # 10:00 in Vietnam


@pytest.fixture(scope="module", autouse=True)
def demo(migrated, tmp_path_factory):
    """`emulation demo --no-serve` run at NOW (its result), rolled back when the module ends."""
    instance = tmp_path_factory.mktemp("demo")
    app = shared_app(test_config(migrated, instance))
    with world_layer(app, instance), app.app_context():
        app.config["NOW"] = lambda: NOW
        yield app.test_cli_runner().invoke(args=["demo", "--no-serve"])


def _kinds(username):
    user = db.session.scalars(db.select(User).filter_by(username=username)).one()
    return {n.kind for n in db.session.scalars(db.select(Notification).filter_by(user_id=user.id))}


def test_demo_notifications_for_each_role(app, runner, tmp_path):
    editor = _kinds("canbo.haichau")
    assert {"reminder_round", "dossier_returned", "dossier_received", "announcement"} <= editor
    reminder = db.session.scalars(
        db.select(Notification)
        .join(User)
        .where(User.username == "canbo.haichau", Notification.kind == "reminder_round")
    ).one()
    assert "2026" in reminder.subject and "23:59:59 ngày 12/03/2026" in reminder.subject
    assert {"reminder_round", "results_published"} <= _kinds("truong.haichau")
    assert {"review_assigned", "vote_opened"} <= _kinds("uyvien.tran")
    assert "digest" in _kinds("thuky")
    assert "lockout_reported" in _kinds("admin") and "account_locked" in _kinds("uyvien.le")

    app.config["NOW"] = lambda: NOW
    result = runner.invoke(args=["notify", "run", "--mail-dir", str(tmp_path / "mail")])
    assert result.exit_code == 0, result.output
    files = list((tmp_path / "mail").glob("*.eml"))
    waiting = db.session.scalar(
        db.select(db.func.count(Notification.id)).where(Notification.email_to.is_not(None))
    )
    statuses = db.session.execute(
        db.select(Notification.kind, Notification.status).where(Notification.email_to.is_not(None))
    ).all()
    assert len(files) == waiting > 0, statuses
    subjects = {message_from_bytes(f.read_bytes(), policy=policy.default)["Subject"] for f in files}
    assert any(s.startswith("Hồ sơ bị trả lại để bổ sung") for s in subjects)
    # Without --mail-dir and without SMTP, the command says where the messages wait.
    result = runner.invoke(args=["notify", "run"])
    assert "No SMTP server configured" in result.output


def test_demo_registrations_and_plan(app):
    seed, open_ = db.session.execute(select(Movement).order_by(Movement.id)).scalars().all()
    statuses = Counter(
        r.status
        for r in db.session.execute(select(Registration).filter_by(movement_id=seed.id)).scalars()
    )
    assert statuses == {"accepted": 16, "confirmed": 1, "draft": 1}  # one unit never registered
    activities = (
        db.session.execute(select(PlanActivity).filter_by(movement_id=seed.id)).scalars().all()
    )
    assert len(activities) == 11
    assert all(a.lead_unit and a.due_at for a in activities)
    assert sum(a.overdue(NOW) for a in activities) == 1
    assert sum(1 for a in activities if a.completed_at and not a.on_time()) == 1
    assert RegistrationWindow.for_movement(open_).is_open(NOW)
    assert not RegistrationWindow.for_movement(seed).is_open(NOW)


def _cells(sheet) -> list[tuple]:
    """Every cell's value and, for numbers, the format a spreadsheet shows it in."""
    return [
        tuple((c.value, c.number_format if isinstance(c.value, int | float) else None) for c in row)
        for row in sheet.iter_rows()
    ]


def _layout(sheet) -> tuple:
    setup = sheet.page_setup
    return (
        str(sheet.freeze_panes), sheet.print_title_rows, setup.orientation, int(setup.paperSize),
        # an absent fitToWidth means 1, the file format's default
        (setup.fitToWidth or 1, setup.fitToHeight), sheet.oddFooter.center.text,
        [(round(i.width), round(i.height)) for i in sheet._images],
        [c.font.b for c in next(sheet.iter_rows(max_row=1))],
    )  # fmt: skip


def test_demo_report_workbooks_equal_the_cell_by_cell_ones_value_for_value(app):
    """The streaming workbook holds what the former cell-by-cell openpyxl workbook held."""
    movement = db.session.execute(select(Movement).order_by(Movement.id)).scalars().first()
    compared = 0
    for round_ in movement.rounds:
        report = build_report(round_, now=NOW)
        charts = build_charts(report)
        new = openpyxl.load_workbook(BytesIO(RENDERERS["xlsx"][0](report, charts)))
        old = openpyxl.load_workbook(BytesIO(reference_xlsx(report, charts)))
        assert new.sheetnames == old.sheetnames
        for name in old.sheetnames:
            assert _cells(new[name]) == _cells(old[name]), name
            assert _layout(new[name]) == _layout(old[name]), name
            compared += sum(1 for row in old[name].iter_rows() for c in row if c.value is not None)
    # both rounds, every candidate's points per indicator among them
    assert compared > 5000


def test_demo_loads_once_and_prints_working_logins(demo, runner, app, client):
    result = demo
    assert result.exit_code == 0, result.output
    assert "Demo data loaded." in result.output
    movements = db.session.execute(db.select(Movement).order_by(Movement.id)).scalars().all()
    assert len(movements) == 2
    seed, open_now = movements
    assert [r.kind for r in seed.rounds] == ["interim", "final"]
    from emulation.access import now

    assert all(r.state(now()) == "closed" for r in seed.rounds)
    assert open_now.rounds[0].state(now()) == "open"
    _assert_demo_council_work(seed)
    _assert_final_dossiers_have_narratives_and_evidence(seed, client)
    logins = re.findall(r"^  (\S+) +(\S+) +.+$", result.output, re.MULTILINE)
    assert logins[1:] == [(u, p) for u, p, _d in DEMO_LOGINS]
    logins = logins[1:]
    roles = {
        db.session.execute(db.select(User.role).filter_by(username=u)).scalar_one()
        for u, _p in logins
    }
    assert roles == {"admin", "secretariat", "reviewer", "unit_editor", "unit_head"}
    for username, password in logins:
        response = client.post("/login", data={"username": username, "password": password})
        assert response.status_code == 302, username
        assert client.get("/").status_code == 200
        client.post("/logout")
    again = runner.invoke(args=["demo", "--no-serve"])
    assert "present" in again.output
    assert db.session.execute(db.select(Movement)).scalars().all() == movements


def _assert_final_dossiers_have_narratives_and_evidence(movement, client) -> None:
    """A reviewer of the final round has narratives to read and files to open."""
    from emulation.models import Dossier

    final = movement.rounds[-1]
    dossiers = (
        db.session.execute(db.select(Dossier).filter_by(round_id=final.id, status="submitted"))
        .scalars()
        .all()
    )
    assert dossiers
    for dossier in dossiers:
        payload = dossier.latest_version.payload
        assert len(payload["notes"]) >= 10 and all(len(t) > 80 for t in payload["notes"].values())
        kinds = {f["name"].rsplit(".", 1)[1] for f in payload["evidence"]}
        assert len(payload["evidence"]) >= 10 and kinds == {"png", "pdf"}
    evidence = dossiers[0].evidence[0]
    client.post("/login", data={"username": "thuky", "password": DEMO_LOGINS[0][1]})
    response = client.get(f"/evidence/{evidence.id}")
    assert response.status_code == 200 and len(response.data) == evidence.size_bytes
    response.close()
    client.post("/logout")


def _assert_demo_council_work(movement) -> None:
    """The interim round is reviewed, voted on and frozen; the final one is under review."""
    from emulation.council.snapshots import matches_live
    from emulation.council.state import active_snapshot
    from emulation.models import Review

    interim, final = movement.rounds
    snapshot = active_snapshot(interim)
    assert snapshot is not None and snapshot.payload["votes"]["meeting"]["quorum_met"]
    assert any(c["passed"] for c in snapshot.payload["votes"]["candidates"])
    assert matches_live(snapshot)  # nothing in the demo drifted from what was frozen
    statuses = {
        r.status
        for r in db.session.execute(
            db.select(Review).where(Review.dossier.has(round_id=final.id))
        ).scalars()
    }
    assert statuses == {"assigned", "done"}
    for review in db.session.execute(db.select(Review)).scalars():
        assert review.reviewer.unit_id != review.dossier.candidate.unit_id
