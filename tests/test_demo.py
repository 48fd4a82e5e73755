"""The demo movement, loaded once for this module: notifications, the plan, report workbooks.

Loading the demo (units, dossiers with evidence PDFs, signed reports, the council's work) is
the slowest set-up of the suite, so the tests here share one load held in an outer
transaction; each test rolls back to it. `emulation demo` itself is tested in test_cli.py.
"""

from collections import Counter
from datetime import UTC, datetime
from email import message_from_bytes, policy
from io import BytesIO

import openpyxl
import pytest
from sqlalchemy import select

from emulation.demo import load_demo
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
    """The demo loaded at NOW, rolled back when the module ends."""
    instance = tmp_path_factory.mktemp("demo")
    app = shared_app(test_config(migrated, instance))
    with world_layer(app, instance), app.app_context():
        load_demo(now=NOW)
        db.session.commit()
        yield


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
