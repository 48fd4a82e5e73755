"""Language switch, error pages (403, 404, 500, 413) in the app's style and language."""

import re

from playwright.sync_api import expect

from .conftest import MAX_UPLOAD_MB, login, shoot
from .seed import BEFORE


def test_switching_to_english_and_back(page, site):
    site.set_clock(BEFORE)
    page.goto(site.url("/login"))
    expect(page.locator("h1")).to_have_text("Đăng nhập")
    login(page, site, "thuky")
    nav = page.locator("nav.main-nav")
    expect(nav).to_contain_text("Trang chủ")

    page.locator("button.lang[value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(nav).to_contain_text("Home")
    page.goto(site.url(f"/rounds/{site.ids.round_id}"))  # the choice follows the user
    expect(page.locator("h2").first).to_have_text("Dossiers")
    expect(page.locator("footer")).to_contain_text("Times are shown in Vietnam time")
    shoot(page, site, "english-round")

    page.locator("button.lang[value=vi]").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page).to_have_url(site.url(f"/rounds/{site.ids.round_id}"))  # same page
    expect(page.locator("h2").first).to_have_text("Hồ sơ")


def test_error_pages_speak_the_users_language(page, site):
    site.set_clock(BEFORE)
    login(page, site, "canbo.lienchieu")
    cases = [
        (f"/council/rounds/{site.ids.round_id}/ranking", 403, "Không có quyền truy cập"),
        ("/dossiers/987654/edit", 404, "Không tìm thấy trang"),
        ("/e2e/broken", 500, "Lỗi hệ thống"),
    ]
    for path, status, title in cases:
        response = page.goto(site.url(path))
        assert response.status == status
        expect(page.locator("h1")).to_have_text(title)
        expect(page.locator("nav.main-nav")).to_be_visible()  # the way back is there
        shoot(page, site, f"error-{status}")


def test_wrong_values_are_explained_and_nothing_typed_is_lost(page, site):
    site.set_clock(BEFORE)
    login(page, site, "canbo.lienchieu")
    _open_dossier(page, site)
    page.fill("#v_KYSO_a", "120")  # more signed than sent
    page.fill("#v_KYSO_b", "100")
    page.fill("#v_HOP", "ba")
    page.fill("#note_TC1", "Thuyết minh đã gõ.")
    page.get_by_role("button", name="Lưu nháp").click()

    summary = page.locator("#form-errors")
    expect(summary).to_be_visible()
    expect(summary.locator("li")).to_have_count(2)
    expect(page.locator("#v_HOP")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#v_HOP")).to_have_value("ba")
    expect(page.locator("#note_TC1")).to_have_value("Thuyết minh đã gõ.")
    shoot(page, site, "unit-dossier-errors")
    summary.locator("a[href='#v_HOP']").click()
    expect(page.locator("#v_HOP")).to_be_focused()


def _big_file(tmp_path, megabytes: float):
    path = tmp_path / "bien-ban-hop.pdf"
    path.write_bytes(b"%PDF-1.4\n" + b"0" * int(megabytes * 1024 * 1024))
    return path


def _open_dossier(page, site):
    page.goto(site.url("/"))
    opening = page.locator("form[action$='/dossier'] button, a:text('Mở hồ sơ')").first
    opening.click()
    page.wait_for_url(re.compile(r"/dossiers/\d+/edit$"))


def test_a_file_above_the_limit_is_refused_as_soon_as_it_is_chosen(page, site, tmp_path):
    site.set_clock(BEFORE)
    login(page, site, "canbo.lienchieu")
    _open_dossier(page, site)
    page.set_input_files("#doc_BCTT", _big_file(tmp_path, MAX_UPLOAD_MB + 0.5))

    message = page.locator(".document .upload-error")
    expect(message).to_contain_text("bien-ban-hop.pdf")
    expect(message).to_contain_text(f"{MAX_UPLOAD_MB} MB")
    assert page.eval_on_selector("#doc_BCTT", "input => input.files.length") == 0
    shoot(page, site, "unit-upload-too-big")


def test_without_scripts_an_oversized_request_gets_a_friendly_page(open_page, site, tmp_path):
    site.set_clock(BEFORE)
    page = open_page(java_script_enabled=False)
    login(page, site, "canbo.lienchieu")
    _open_dossier(page, site)
    dossier_url = page.url
    page.fill("#v_HOP", "2")
    page.set_input_files("#doc_BCTT", _big_file(tmp_path, 4 * MAX_UPLOAD_MB + 2))
    page.get_by_role("button", name="Lưu nháp").click()

    expect(page.locator("h1")).to_have_text("Tệp quá lớn")
    expect(page.locator("main")).to_contain_text(f"{MAX_UPLOAD_MB} MB")
    back = page.locator("a[data-back]")
    expect(back).to_have_attribute("href", dossier_url)
    shoot(page, site, "error-413")
