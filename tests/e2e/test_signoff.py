"""The unit head's sign-off in the browser: the head reads the dossier, confirms; then it submits.

The journey has its own movement (a copy of the e2e rules requiring the head's confirmation)
and its own unit, so the other journeys see nothing of it.
"""

import re

from playwright.sync_api import expect

from emulation.models import Dossier
from emulation.operations import create_movement_from_rules, create_user, enrol_unit, upsert_unit
from emulation.scoring import load_rules

from .conftest import login, make_pdf, shoot
from .seed import BEFORE, PASSWORD, RULES, SEEDED_AT
from .test_accessibility import _blocking, _check


def _signoff_world(site, tmp_path):
    text = RULES.read_text(encoding="utf-8")
    text = text.replace('code = "e2e-cds"', 'code = "e2e-signoff"', 1)
    text = text.replace('kind = "interim"\n', 'kind = "interim"\nhead_confirmation = true\n', 1)
    path = tmp_path / "rules_signoff.toml"
    path.write_text(text, encoding="utf-8")
    with site.session() as session:
        movement = create_movement_from_rules(
            load_rules(path), filename=path.name, text=text, now=SEEDED_AT
        )
        unit = upsert_unit(code="VKS-HV", name="VKSND huyện Hòa Vang", cluster_code="CUM-HV",
                           cluster_name="Cụm thử xác nhận")
        enrol_unit(movement, unit)
        for username, role, name in (("canbo.hoavang", "unit_editor", "Đặng Văn Tín"),
                                     ("truong.hoavang", "unit_head", "Ngô Thị Hạnh")):
            create_user(username=username, password=PASSWORD, role=role, full_name=name,
                        unit=unit, now=SEEDED_AT, check_strength=False)
        session.commit()


def test_head_confirms_then_the_editor_submits(open_page, site, tmp_path):
    _signoff_world(site, tmp_path)
    site.set_clock(BEFORE)
    editor = open_page()
    login(editor, site, "canbo.hoavang")
    editor.get_by_role("button", name="Lập hồ sơ").click()
    expect(editor).to_have_url(re.compile(r"/dossiers/\d+/edit$"))
    dossier_url = editor.url
    editor.fill("#v_KYSO_a", "95")
    editor.fill("#v_KYSO_b", "100")
    editor.fill("#v_HOP", "3")
    editor.get_by_role("button", name="Lưu nháp").click()
    expect(editor.locator("[data-signoff=pending]")).to_be_visible()
    # Submitting before the head confirms is refused, with the reason.
    editor.get_by_role("button", name="Nộp hồ sơ").click()
    expect(editor.locator("[data-confirm]")).to_contain_text("Thủ trưởng đơn vị chưa xác nhận")
    editor.locator("[data-confirm] button[type=submit]").click()
    expect(editor.locator(".flash-error")).to_contain_text("cần thủ trưởng đơn vị xác nhận")

    head = open_page()
    login(head, site, "truong.hoavang")
    head.goto(dossier_url)
    head.get_by_role("link", name="Xem và xác nhận hồ sơ").click()
    content_hash = head.locator("[data-content-hash]").inner_text()
    assert re.fullmatch(r"[0-9a-f]{64}", content_hash)
    expect(head.locator("table")).to_contain_text("95")
    shoot(head, site, "head-signoff")
    found = _check(head, "signoff")
    assert _blocking(found) == [], "\n".join(_blocking(found))
    head.get_by_role("button", name="Tôi xác nhận hồ sơ này").click()
    expect(head.locator("[data-signoff=confirmed]")).to_contain_text("Ngô Thị Hạnh")

    editor.goto(dossier_url)
    expect(editor.locator("[data-signoff=confirmed]")).to_contain_text("Ngô Thị Hạnh")
    editor.get_by_role("button", name="Nộp hồ sơ").click()
    editor.locator("[data-confirm] button[type=submit]").click()
    expect(editor).to_have_url(re.compile(r"/receipt$"))
    expect(editor.locator("[data-receipt-signoff]")).to_contain_text(content_hash)
    with site.session() as session:
        dossier_id = int(re.search(r"/dossiers/(\d+)/", dossier_url).group(1))
        version = session.get(Dossier, dossier_id).versions[-1]
        assert version.payload["head_confirmation"]["hash"] == content_hash


def test_verify_page_reports_an_unsigned_file_and_is_accessible(page, site, tmp_path):
    site.set_clock(BEFORE)
    login(page, site, "thuky")
    page.goto(site.url("/verify"))
    pdf = make_pdf(tmp_path / "khong-ky.pdf", "Van ban chua ky so")
    page.set_input_files("#file", pdf)
    page.get_by_role("button", name="Kiểm tra", exact=True).click()
    expect(page.locator("[data-verdict=not_signed]")).to_contain_text("Không có chữ ký số")
    found = _check(page, "/verify")
    assert _blocking(found) == [], "\n".join(_blocking(found))
