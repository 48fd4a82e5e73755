"""The secretariat's home: per round submitted, late, missing, returned, days left, reviews."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from emulation.extensions import db
from emulation.main.glance import days_left
from emulation.models import DossierVersion, Review
from tests.support.instants import DEADLINE


@pytest.mark.parametrize(
    ("before_deadline", "days"),
    [(timedelta(days=3), 3), (timedelta(hours=50), 3), (timedelta(minutes=1), 1),
     (timedelta(0), 0), (-timedelta(hours=5), 0), (-timedelta(days=2, hours=1), -2)],
)  # fmt: skip
def test_days_left(before_deadline, days):
    assert days_left(DEADLINE, DEADLINE - before_deadline) == days


@pytest.fixture
def home_world(make, set_now):
    """Four units: one on time, one late, one returned, one missing; two members' reviews."""
    set_now(DEADLINE - timedelta(days=4, hours=2))
    movement = make.movement()
    round_ = movement.rounds[0]
    dossiers = {}
    for code in ("A", "B", "C", "D"):
        candidate = make.candidate(movement, make.unit(code=code))
        if code != "D":
            status = "returned" if code == "C" else "submitted"
            dossiers[code] = make.dossier(round_, candidate, status=status)
            db.session.add(DossierVersion(
                dossier=dossiers[code], number=1, receipt_no=f"R-{code}", late=code == "B",
                submitted_at=datetime(2024, 8, 20, tzinfo=UTC), content_hash="0" * 64, payload={},
            ))  # fmt: skip
    one = make.user("reviewer", full_name="Ủy viên Một")
    two = make.user("reviewer", full_name="Ủy viên Hai")
    db.session.add_all([
        Review(dossier=dossiers["A"], reviewer_id=one.id, status="done"),
        Review(dossier=dossiers["B"], reviewer_id=one.id, status="assigned"),
        Review(dossier=dossiers["A"], reviewer_id=two.id, status="assigned"),
    ])  # fmt: skip
    staff = make.user("secretariat")
    db.session.commit()
    return dict(round=round_, staff=staff, member=one)


def test_secretariat_home_shows_the_round_at_a_glance(client, auth, home_world):
    auth.login(home_world["staff"])
    page = client.get("/").get_data(as_text=True)
    row = re.search(rf'<tr data-glance="{home_world["round"].id}">(.*?)</tr>', page, re.S).group(1)
    assert 'aria-label="Đã nộp 3 / 4, muộn 1, chưa nộp 1"' in row
    assert '<td class="num">1</td>' in row  # returned
    assert 'data-days="5"' in row and "Còn 5 ngày" in row
    assert "Ủy viên Hai: 0/1 · Ủy viên Một: 1/2" in row
    widths = [float(w) for w in re.findall(r'<rect x="[\d.]+" y="0" width="([\d.]+)"', row)]
    assert widths == [120.0, 60.0, 60.0]  # 2 on time, 1 late, 1 missing of 4


def test_council_members_do_not_get_the_secretariats_figures(client, auth, home_world):
    auth.login(home_world["member"])
    page = client.get("/")
    assert page.status_code == 200 and "data-glance" not in page.get_data(as_text=True)
