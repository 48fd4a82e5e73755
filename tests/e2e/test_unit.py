"""A unit's journeys: fill, upload and submit; refused after the deadline; keyboard only."""

import re
from datetime import timedelta

from playwright.sync_api import expect

from emulation.extensions import db
from emulation.models import Dossier, Unit

from .conftest import login, make_pdf, shoot
from .seed import AFTER, BEFORE


def _dossier_of(site, unit_code: str) -> Dossier:
    with site.session() as session:
        unit = session.execute(db.select(Unit).filter_by(code=unit_code)).scalar_one()
        dossier = session.execute(
            db.select(Dossier)
            .where(Dossier.round_id == site.ids.round_id)
            .join(Dossier.candidate)
            .filter_by(unit_id=unit.id)
        ).scalar_one()
        session.expunge_all()
        return dossier


def test_unit_editor_fills_uploads_submits_and_gets_a_receipt(page, site, pdfs):
    site.set_clock(BEFORE)
    login(page, site, "canbo.haichau")
    shoot(page, site, "unit-home")
    page.get_by_role("button", name="Lập hồ sơ").click()
    expect(page).to_have_url(re.compile(r"/dossiers/\d+/edit$"))
    completeness = page.locator(".completeness")
    expect(completeness).to_have_class(re.compile("is-incomplete"))
    shoot(page, site, "unit-dossier-empty")

    page.fill("#v_KYSO_a", "95")  # a ratio: 95 of 100 documents signed
    page.fill("#v_KYSO_b", "100")
    page.fill("#v_HOP", "3")  # a number: three steering meetings
    page.select_option("#v_TRUONGBAN", label="Thủ trưởng")  # a choice
    page.select_option("#v_SAOLUU", label="Có")
    page.fill("#note_TC1", "Toàn bộ văn bản đi của đơn vị được ký số từ tháng 3/2024.")
    page.set_input_files("#ev_TC1", pdfs[0])
    page.set_input_files("#doc_BCTT", pdfs[1])
    page.get_by_role("button", name="Lưu nháp").click()

    expect(page.locator(".flash-success")).to_contain_text("Đã lưu bản nháp.")
    expect(completeness).to_have_class(re.compile("is-complete"))
    # 95/100 × 30 + 7,5 (three meetings) + 10 (the head chairs) + 10 (backups) = 56
    expect(page.locator(".provisional .score-total")).to_contain_text("56")
    expect(page.locator(".provisional")).to_contain_text("Xuất sắc")
    files = page.locator("ul.files")
    expect(files).to_contain_text(["thong-ke-van-ban-di.pdf", "bao-cao-thanh-tich.pdf"])
    shoot(page, site, "unit-dossier-complete")

    page.get_by_role("button", name="Nộp hồ sơ").click()
    # Saved, then asked to confirm: nothing is submitted before the second click.
    expect(page.locator("[data-confirm]")).to_contain_text("2 tệp minh chứng")
    shoot(page, site, "unit-submit-confirm")
    assert _dossier_of(site, "VKS-HC").status == "draft"
    page.get_by_role("button", name="Xác nhận nộp hồ sơ").click()
    expect(page).to_have_url(re.compile(r"/versions/1/receipt$"))
    receipt = page.locator("article.receipt")
    expect(receipt.locator("h1")).to_have_text("BIÊN NHẬN HỒ SƠ ĐỀ NGHỊ KHEN THƯỞNG")
    expect(receipt).to_contain_text("09:00:00 ngày 20/08/2024")  # the server's time, in Vietnam
    expect(receipt).to_contain_text("23:59:59 ngày 30/08/2024")
    expect(receipt).to_contain_text("bao-cao-thanh-tich.pdf")
    shoot(page, site, "unit-receipt")

    dossier = _dossier_of(site, "VKS-HC")
    assert dossier.status == "submitted"


def test_after_the_deadline_the_unit_is_refused_with_the_deadline_shown(page, site):
    # Shortly before the deadline: a sign-in lasts at most 14 days, so it still holds at AFTER.
    site.set_clock(AFTER - timedelta(days=7))
    login(page, site, "canbo.sontra")
    page.get_by_role("link", name="Mở hồ sơ").click()
    page.get_by_role("button", name="Rút hồ sơ để sửa").click()
    page.get_by_role("button", name="Xác nhận rút hồ sơ").click()
    expect(page.locator(".flash-warning")).to_be_visible()
    page.fill("#v_HOP", "4")

    site.set_clock(AFTER)  # the deadline passes while the form is open
    page.get_by_role("button", name="Nộp hồ sơ").click()

    refusal = page.locator(".flash-error")
    expect(refusal).to_contain_text("Không nhận hồ sơ")
    expect(refusal).to_contain_text("23:59:59 ngày 30/08/2024")
    expect(refusal).to_contain_text("09:00:00 ngày 05/09/2024")
    closed = "Đợt đã đóng: hạn nộp là 23:59:59 ngày 30/08/2024"
    expect(page.locator(".dossier-side")).to_contain_text(closed)
    expect(page.locator("#v_HOP")).to_be_disabled()
    shoot(page, site, "unit-refused-after-deadline")
    dossier = _dossier_of(site, "VKS-ST")
    assert dossier.status == "withdrawn"


def _tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the focused element matches `selector`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


def test_the_dossier_can_be_completed_and_submitted_with_the_keyboard(page, site, pdfs):
    site.set_clock(BEFORE)
    files = {"ev_TC1": pdfs[0], "doc_BCTT": pdfs[1]}

    def choose_file(chooser):
        chooser.set_files(files[chooser.element.get_attribute("id")])

    # A listener for the whole test: Playwright intercepts file dialogs only while one exists,
    # and re-arming it per dialog races with the key press that opens the next one.
    page.on("filechooser", choose_file)
    page.goto(site.url("/login"))
    expect(page.locator("#username")).to_be_focused()  # autofocus: type straight away
    page.keyboard.type("canbo.thanhkhe")
    page.keyboard.press("Tab")
    page.keyboard.type("ThiDua@2026")
    page.keyboard.press("Enter")
    page.wait_for_url(site.url("/"))
    _tab_to(page, "form[action$='/dossier'] button")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/dossiers/\d+/edit$"))

    for selector, text in (("#v_KYSO_a", "80"), ("#v_KYSO_b", "100"), ("#v_HOP", "2")):
        _tab_to(page, selector)
        page.keyboard.type(text)
    _tab_to(page, "#ev_TC1")
    page.keyboard.press("Space")  # opens the file dialog, answered by choose_file
    expect(page.locator("#ev_TC1")).to_have_value(re.compile("thong-ke-van-ban-di.pdf$"))
    _tab_to(page, "#v_TRUONGBAN")
    page.keyboard.press("ArrowDown")
    _tab_to(page, "#v_SAOLUU")
    page.keyboard.press("ArrowDown")
    _tab_to(page, "#doc_BCTT")
    page.keyboard.press("Space")
    expect(page.locator("#doc_BCTT")).to_have_value(re.compile("bao-cao-thanh-tich.pdf$"))
    assert page.input_value("#v_TRUONGBAN") == "Thủ trưởng"
    assert page.input_value("#v_SAOLUU") == "1"

    _tab_to(page, "button[value=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/submit$"))
    _tab_to(page, "[data-confirm] button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/versions/1/receipt$"))
    expect(page.locator("article.receipt")).to_contain_text("bao-cao-thanh-tich.pdf")
    dossier = _dossier_of(site, "VKS-TK")
    assert dossier.status == "submitted"


def test_the_history_shows_a_file_added_in_the_second_version(page, site, pdfs, tmp_path):
    site.set_clock(BEFORE)
    login(page, site, "canbo.lienchieu")
    # An earlier journey on the same site may already have opened this unit's draft.
    create = page.get_by_role("button", name="Lập hồ sơ")
    if create.count():
        create.click()
    else:
        page.get_by_role("link", name="Mở hồ sơ").first.click()
    page.fill("#v_KYSO_a", "90")
    page.fill("#v_KYSO_b", "100")
    page.fill("#v_HOP", "2")
    page.set_input_files("#ev_TC1", pdfs[0])
    page.set_input_files("#doc_BCTT", pdfs[1])
    page.get_by_role("button", name="Nộp hồ sơ").click()
    page.get_by_role("button", name="Xác nhận nộp hồ sơ").click()
    expect(page).to_have_url(re.compile(r"/versions/1/receipt$"))

    page.goto(site.url(f"/dossiers/{_dossier_of(site, 'VKS-LC').id}/edit"))
    page.get_by_role("button", name="Rút hồ sơ để sửa").click()
    page.get_by_role("button", name="Xác nhận rút hồ sơ").click()
    extra = make_pdf(tmp_path / "bien-ban-hop-ban-chi-dao.pdf", "Bien ban hop Ban chi dao")
    page.set_input_files("#ev_TC1", extra)
    page.get_by_role("button", name="Nộp hồ sơ").click()
    page.get_by_role("button", name="Xác nhận nộp hồ sơ").click()
    expect(page).to_have_url(re.compile(r"/versions/2/receipt$"))

    page.goto(site.url(f"/dossiers/{_dossier_of(site, 'VKS-LC').id}/history"))
    added = page.locator("[data-file-change=added]")
    expect(added).to_have_count(1)
    expect(added).to_contain_text("bien-ban-hop-ban-chi-dao.pdf")
    shoot(page, site, "unit-history-file-added")
