"""The council's journey: a reviewer adjusts one indicator; the secretariat sees the ranking
change, freezes it and downloads the interim report."""

import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from emulation.council.snapshots import reopen
from emulation.council.state import active_snapshot
from emulation.extensions import db
from emulation.models import AuditEvent, RankingSnapshot, Round, User

from .conftest import login, shoot
from .seed import AFTER


def _rank(page, unit_code: str):
    """The rank and total cells of a unit's row in the ranking table."""
    row = page.locator(f"tr[data-key='{unit_code}']").first
    return row.locator("td").first, row.locator("td.num strong")


@pytest.fixture
def reopened_afterwards(site):
    """Reopen the ranking after the test: a frozen round refuses the unit journeys' dossiers."""
    yield
    with site.session() as session:
        round_ = session.get(Round, site.ids.round_id)
        snapshot = active_snapshot(round_)
        if snapshot is not None:
            secretariat = session.execute(db.select(User).filter_by(username="thuky")).scalar_one()
            reopen(snapshot, reason="Kiểm thử kết thúc", user=secretariat, now=AFTER)
            session.commit()


def test_reviewer_adjusts_and_the_secretariat_freezes_and_reports(
    open_page, site, tmp_path, reopened_afterwards
):
    site.set_clock(AFTER)
    secretariat, reviewer = open_page(), open_page()
    login(secretariat, site, "thuky")
    secretariat.goto(site.url(f"/council/rounds/{site.ids.round_id}/ranking"))
    rank, total = _rank(secretariat, "P-TK")
    expect(rank).to_have_text("1")
    expect(total).to_have_text("60")
    expect(_rank(secretariat, "VP")[0]).to_have_text("2")

    login(reviewer, site, "uyvien.tran")
    reviewer.get_by_role("link", name="Hồ sơ tôi thẩm định").click()
    shoot(reviewer, site, "reviewer-queue")
    reviewer.get_by_role("link", name="Thẩm định", exact=True).click()
    indicator = reviewer.locator("#ind-KYSO")
    indicator.get_by_text("Điều chỉnh điểm").click()
    indicator.locator("#pts-KYSO").fill("20")
    reason = "Báo cáo thống kê chỉ chứng minh 67 văn bản được ký số hợp lệ."
    indicator.locator("#why-KYSO").fill(reason)
    indicator.get_by_role("button", name="Lưu điểm").click()
    expect(reviewer.locator(".flash-success")).to_contain_text("Đã lưu điểm của KYSO")
    expect(reviewer.locator("#ind-KYSO")).to_contain_text(reason)
    shoot(reviewer, site, "reviewer-review")
    reviewer.get_by_role("button", name="Hoàn thành thẩm định").click()
    shoot(reviewer, site, "reviewer-finish-confirm")
    reviewer.get_by_role("button", name="Đồng ý, hoàn thành thẩm định").click()
    expect(reviewer.locator(".flash-success")).to_be_visible()

    secretariat.reload()
    rank, total = _rank(secretariat, "P-TK")
    expect(rank).to_have_text("2")
    expect(total).to_have_text("50")
    expect(_rank(secretariat, "VP")[0]).to_have_text("1")
    shoot(secretariat, site, "secretariat-ranking")

    # The meeting, typed dd/mm/yyyy HH:MM; the member votes on the proposed award.
    secretariat.goto(site.url(f"/council/rounds/{site.ids.round_id}/meeting"))
    secretariat.fill("#held_at", "10/09/2024 09:00")
    secretariat.fill("#members_total", "1")
    secretariat.get_by_label("Trần Văn Minh").check()
    secretariat.select_option("#chair", label="Trần Văn Minh")
    secretariat.get_by_role("button", name="Lưu phiên họp").click()
    expect(secretariat.locator(".flash-success")).to_be_visible()
    expect(secretariat.locator("td[data-state=voting]").first).to_contain_text("đang biểu quyết")
    reviewer.goto(site.url(f"/council/rounds/{site.ids.round_id}/vote"))
    vp = site.ids.dossier_ids["VP"]
    reviewer.locator(f"input[name=v_{vp}][value=agree]").check()
    reviewer.get_by_role("button", name="Ghi nhận biểu quyết").click()
    expect(reviewer.locator(".flash-success")).to_be_visible()

    # Freezing lists what is unfinished and needs an explicit confirmation.
    secretariat.goto(site.url(f"/council/rounds/{site.ids.round_id}/ranking"))
    secretariat.get_by_role("link", name="Chốt kết quả xếp hạng").click()
    unfinished = secretariat.locator("[data-kind=never-reviewed]")
    expect(unfinished).to_contain_text("Văn phòng")
    expect(unfinished).to_contain_text("Thanh tra")
    shoot(secretariat, site, "secretariat-freeze-confirm")
    secretariat.get_by_role("button", name="Chốt kết quả xếp hạng").click()
    expect(secretariat.locator(".field-error")).to_be_visible()  # not ticked: nothing frozen
    with site.session() as session:
        mine = db.select(RankingSnapshot).filter_by(round_id=site.ids.round_id)
        assert session.execute(mine).first() is None
    secretariat.locator("#confirm").check()
    secretariat.get_by_role("button", name="Chốt kết quả xếp hạng").click()
    flash = secretariat.locator(".flash-success")
    expect(flash).to_contain_text("Đã chốt kết quả xếp hạng")
    expect(secretariat.locator("[data-integrity=ok]")).to_be_visible()
    snapshot_hash = re.search(r"[0-9a-f]{64}", flash.inner_text()).group()
    shoot(secretariat, site, "secretariat-ranking-frozen")

    # The member still sees the vote recorded, after the freeze.
    reviewer.reload()
    expect(reviewer.locator("[data-my-vote=agree]")).to_have_text("Tán thành")
    shoot(reviewer, site, "reviewer-vote-frozen")

    # The unit reads its result and the published ranking of its cluster.
    unit = open_page()
    login(unit, site, "canbo.vanphong")
    unit.get_by_role("link", name="Xem kết quả").click()
    result = unit.locator("[data-outcome]")
    expect(result.locator("[data-award]")).to_have_text("Giấy khen")
    expect(result.locator("[data-rank]")).to_have_text("1")
    expect(result.locator("[data-published-ranking]")).to_contain_text("Phòng Thống kê tội phạm")
    expect(result).to_contain_text("Hội đồng giữ nguyên điểm")  # no council adjustment of VP
    shoot(unit, site, "unit-result")

    secretariat.locator("nav.breadcrumb").get_by_role("link", name="Sơ kết năm 2024").click()
    with secretariat.expect_download() as xlsx:
        secretariat.get_by_role("link", name="XLSX").click()
    assert xlsx.value.suggested_filename == "bao-cao-so-ket-2024.xlsx"
    xlsx.value.save_as(tmp_path / xlsx.value.suggested_filename)
    workbook = load_workbook(tmp_path / xlsx.value.suggested_filename)
    cells = [str(c) for ws in workbook for row in ws.iter_rows(values_only=True) for c in row]
    assert snapshot_hash in cells  # the report states the frozen ranking it comes from
    ranking = [row for row in workbook["Xếp hạng"].iter_rows(values_only=True)]
    assert any("Văn phòng" in row and 57 in row for row in ranking), ranking
    assert any("Phòng Thống kê tội phạm" in row and 50 in row for row in ranking), ranking
    with secretariat.expect_download() as pdf:
        secretariat.get_by_role("link", name="PDF").click()
    text = "".join(page.extract_text() for page in PdfReader(pdf.value.path()).pages)
    assert "Phòng Thống kê tội phạm" in text

    with site.session() as session:
        adjusted = session.execute(
            db.select(AuditEvent).filter_by(action="points_adjusted")
        ).scalar_one()
        assert adjusted.details["reason"] == reason
        frozen = db.select(RankingSnapshot).filter_by(round_id=site.ids.round_id)
        assert session.execute(frozen).scalar_one().payload_hash == snapshot_hash
