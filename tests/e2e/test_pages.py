"""Language switch, error pages (403, 404, 500, 413) in the app's style and language."""

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


def test_an_upload_above_the_request_limit_gets_a_friendly_page(page, site, tmp_path):
    site.set_clock(BEFORE)
    login(page, site, "canbo.lienchieu")
    page.get_by_role("button", name="Lập hồ sơ").click()
    page.fill("#v_HOP", "2")
    big = tmp_path / "bien-ban-hop.pdf"
    big.write_bytes(b"%PDF-1.4\n" + b"0" * (4 * MAX_UPLOAD_MB + 2) * 1024 * 1024)
    page.set_input_files("#doc_BCTT", big)
    page.get_by_role("button", name="Lưu nháp").click()

    expect(page.locator("h1")).to_have_text("Tệp quá lớn")
    expect(page.locator("main")).to_contain_text(f"{MAX_UPLOAD_MB} MB")
    shoot(page, site, "error-413")
