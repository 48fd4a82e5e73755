"""The awards journey: a unit nominates two people, the secretariat records an initiative and
counts it for one of them, the member votes, the secretariat freezes and downloads the decision
(this council's own awards only) and the proposal letter (the higher body's only).

It runs on a movement of its own (rules_e2e.toml with the awards of a provincial procuracy),
with a unit and an account of its own and two offices no other journey opens, so freezing it
changes nothing the other journeys see. A page of each document, converted by LibreOffice, is
kept under screenshots/documents/.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from playwright.sync_api import expect

from emulation.dossiers.operations import fill_and_submit
from emulation.extensions import db
from emulation.models import Candidate, Unit
from emulation.operations import create_movement_from_rules, create_user, enrol_unit, upsert_unit
from emulation.scoring import loads_rules

from .conftest import login, shoot
from .seed import AFTER, BEFORE, PASSWORD, RULES, SEEDED_AT, values_of

AWARDS = """[ranking]
group_by = ["kind", "cluster"]

[[awards]]
code = "bang-khen-vksndtc"
name = "Bằng khen của Viện trưởng VKSND tối cao"
authority = "higher"
proposed_to = "Viện kiểm sát nhân dân tối cao"
kinds = ["collective"]
min_band = "xuat-sac"
quota = { count = 1, per = "group" }

[[awards]]
code = "cstd-co-so"
name = "Chiến sĩ thi đua cơ sở"
category = "title"
kinds = ["individual"]
min_band = "xuat-sac"
conditions = [{ type = "initiative", count = 1 }]

[[awards]]
code = "giay-khen"
name = "Giấy khen của Viện trưởng VKSND thành phố Đà Nẵng"
min_band = "xuat-sac"

[[awards]]
code = "ldtt"
name = "Lao động tiên tiến"
category = "title"
kinds = ["individual"]
min_band = "kha"

[issuer]
superior = "Viện kiểm sát nhân dân tối cao"
name = "Viện kiểm sát nhân dân thành phố Đà Nẵng"
symbol = "VKSĐN"
council_chair = "Trần Văn Minh"
council_secretary = "Nguyễn Thị Thu"
legal_bases = ["Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;"]
recipients = ["Như Điều 3;", "Lưu: VT, HĐTĐKT."]
signer = { authority = "VIỆN TRƯỞNG", name = "Nguyễn Văn Thành" }
"""
LAN, BINH = "Nguyễn Thị Lan", "Trần Văn Bình"
EDITOR = "canbo.nguhanhson"
SCREENSHOTS_DIR = "documents"


def _rules_text() -> str:
    text = RULES.read_text(encoding="utf-8")
    text = text.replace('code = "e2e-cds"', 'code = "e2e-awards"', 1)
    text = text.replace('name = "Phong trào thi đua chuyển đổi số"',
                        'name = "Phong trào thi đua khen thưởng năm 2024"', 1)  # fmt: skip
    return text[: text.index("[[awards]]")] + AWARDS


@pytest.fixture
def awards_movement(site):
    """A movement of its own: two offices submitted, and Ngũ Hành Sơn with its editor."""
    text = _rules_text()
    with site.session() as session:
        own = upsert_unit(code="VKS-NHS", name="VKSND quận Ngũ Hành Sơn", cluster_code="CUM-QH",
                          cluster_name="Cụm quận, huyện")  # fmt: skip
        create_user(username=EDITOR, password=PASSWORD, role="unit_editor",
                    full_name="Đặng Văn Sơn", check_strength=False, now=SEEDED_AT,
                    unit=own)  # fmt: skip
        rules = loads_rules(text, source="rules_e2e_awards.toml")
        movement = create_movement_from_rules(
            rules, filename="rules_e2e_awards.toml", text=text, now=SEEDED_AT
        )
        round_ = movement.rounds[0]
        units = {u.code: u for u in session.execute(db.select(Unit)).scalars()}
        for code, values in (("TTR", (100, 4, "Thủ trưởng", 1)),
                             ("P7", (90, 4, "Thủ trưởng", 1)), ("VKS-NHS", None)):  # fmt: skip
            candidate = enrol_unit(movement, units[code])
            if values:
                fill_and_submit(round_, candidate, values_of(*values), user=None, now=SEEDED_AT)
        session.commit()
        return movement.id, round_.id


def _submit_people(site, movement_id: int, round_id: int) -> None:
    """The nominated people's dossiers, submitted as their unit would (their forms are tested
    in the unit journey)."""
    figures = {LAN: (100, 4, "Thủ trưởng", 1), BINH: (80, 2, "Phó thủ trưởng", 0)}
    with site.session() as session:
        from emulation.models import Round

        round_ = session.get(Round, round_id)
        people = session.execute(
            db.select(Candidate).filter_by(movement_id=movement_id, kind="individual")
        ).scalars()
        for person in people:
            values = values_of(*figures[person.person_name])
            fill_and_submit(round_, person, values, user=None, now=BEFORE)
        session.commit()


def _docx_text(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return re.sub(r"\s+", " ", "\n".join(parts))


def _render(site, path: Path, name: str, tmp_path: Path) -> str:
    """Convert a DOCX with LibreOffice, keep page 1 as a PNG; the PDF's text."""
    from pypdf import PdfReader

    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    subprocess.run(
        [office, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pdf = tmp_path / f"{path.stem}.pdf"
    folder = site.screenshots / SCREENSHOTS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf),
             str(folder / name)],
            check=True, timeout=60,
        )  # fmt: skip
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(pdf).pages))


def test_nominate_count_an_initiative_vote_freeze_and_download(
    open_page, site, tmp_path, awards_movement
):
    movement_id, round_id = awards_movement
    site.set_clock(BEFORE)

    # The unit nominates two of its people.
    unit = open_page()
    login(unit, site, EDITOR)
    unit.goto(site.url(f"/movements/{movement_id}/nominees"))
    for name, position, rating in ((LAN, "Kiểm sát viên trung cấp", "xuat-sac"),
                                   (BINH, "Chuyên viên", "tot")):  # fmt: skip
        unit.fill("#name", name)
        unit.fill("#position", position)
        unit.select_option("#rating", value=rating)
        unit.fill("#achievement", "Số hóa hồ sơ nghiệp vụ, tra cứu án trực tuyến.")
        unit.get_by_role("button", name="Đề cử", exact=True).click()
        expect(unit.locator(".flash-success")).to_be_visible()
    expect(unit.locator("table")).to_contain_text(LAN)
    expect(unit.locator("table")).to_contain_text(BINH)
    shoot(unit, site, "awards-nominees")
    _submit_people(site, movement_id, round_id)

    # The secretariat records Lan's recognised initiative and counts it for her.
    secretariat = open_page()
    login(secretariat, site, "thuky")
    secretariat.goto(site.url("/initiatives"))
    secretariat.select_option("#unit", label="VKSND quận Ngũ Hành Sơn")
    secretariat.fill("#title", "Phần mềm tra cứu hồ sơ án trực tuyến")
    secretariat.fill("#authors", LAN)
    secretariat.fill("#decision_no", "15/QĐ-HĐSK")
    secretariat.fill("#decision_date", "2024-07-15")
    secretariat.get_by_role("button", name="Ghi nhận", exact=True).click()
    expect(secretariat.locator(".flash-success")).to_be_visible()
    row = secretariat.locator("tr", has_text="Phần mềm tra cứu hồ sơ án trực tuyến")
    with site.session() as session:
        lan = session.execute(
            db.select(Candidate.id).filter_by(movement_id=movement_id, person_name=LAN)
        ).scalar_one()
    row.locator("select").select_option(value=str(lan))
    row.get_by_role("button", name="Tính").click()
    expect(secretariat.locator(".flash-success")).to_contain_text(LAN)
    shoot(secretariat, site, "awards-initiative")

    # After the deadline (16 days on: a sign-in lasts 14): the meeting, the vote, the freeze.
    site.set_clock(AFTER)
    secretariat = open_page()
    login(secretariat, site, "thuky")
    base = f"/council/rounds/{round_id}"
    secretariat.goto(site.url(f"{base}/meeting"))
    secretariat.fill("#held_at", "10/09/2024 09:00")
    secretariat.fill("#members_total", "1")
    secretariat.get_by_label("Trần Văn Minh").check()
    secretariat.select_option("#chair", label="Trần Văn Minh")
    secretariat.get_by_role("button", name="Lưu phiên họp").click()
    expect(secretariat.locator(".flash-success")).to_be_visible()
    member = open_page()
    login(member, site, "uyvien.tran")
    member.goto(site.url(f"{base}/vote"))
    agree = member.locator("input[value=agree]")
    expect(agree).to_have_count(4)  # Thanh tra, Phòng 7, Lan and Bình are proposed
    for i in range(agree.count()):
        agree.nth(i).check()
    member.get_by_role("button", name="Ghi nhận biểu quyết").click()
    expect(member.locator(".flash-success")).to_be_visible()
    shoot(member, site, "awards-vote")

    secretariat.goto(site.url(f"{base}/ranking"))
    secretariat.get_by_role("link", name="Chốt kết quả xếp hạng").click()
    secretariat.locator("#confirm").check()
    secretariat.get_by_role("button", name="Chốt kết quả xếp hạng").click()
    expect(secretariat.locator(".flash-success")).to_contain_text("Đã chốt kết quả xếp hạng")
    shoot(secretariat, site, "awards-ranking-frozen")

    # The decision grants this council's own awards; the proposal carries the higher one.
    secretariat.goto(site.url(f"{base}/meeting"))
    files = {}
    for name, link in (("decision", "Quyết định khen thưởng (DOCX)"),
                       ("proposal", "Tờ trình đề nghị cấp trên khen thưởng (DOCX)")):  # fmt: skip
        with secretariat.expect_download() as download:
            secretariat.get_by_role("link", name=link).click()
        files[name] = tmp_path / f"{name}.docx"
        download.value.save_as(files[name])
    decision = _docx_text(files["decision"])
    assert "QUYẾT ĐỊNH" in decision and "Điều 1." in decision
    for granted in ("Chiến sĩ thi đua cơ sở", LAN, "Lao động tiên tiến", BINH, "Phòng 7"):
        assert granted in decision, granted
    assert "Bằng khen của Viện trưởng VKSND tối cao" not in decision
    assert "Thanh tra" not in decision
    proposal = _docx_text(files["proposal"])
    assert "TỜ TRÌNH" in proposal and "Viện kiểm sát nhân dân tối cao" in proposal
    assert "Bằng khen của Viện trưởng VKSND tối cao" in proposal
    assert "Thanh tra" in proposal
    for own in (LAN, BINH, "Lao động tiên tiến", "Giấy khen"):
        assert own not in proposal, own
    assert "VIỆN TRƯỞNG" in decision and "Nguyễn Văn Thành" in decision

    # The decision is recorded; the unit is told and finds its people's titles on its page.
    secretariat.goto(site.url(f"{base}/decisions"))
    secretariat.fill("#number", "125/QĐ-VKSĐN")
    secretariat.fill("#signed_on", "2024-09-05")
    secretariat.fill("#signer", "Nguyễn Văn Thành")
    secretariat.get_by_role("button", name="Ghi nhận", exact=True).click()
    expect(secretariat.locator(".flash-success")).to_be_visible()
    unit = open_page()
    login(unit, site, EDITOR)
    unit.goto(site.url("/units/VKS-NHS/awards"))
    awards = unit.locator("main")
    for shown in (LAN, "Chiến sĩ thi đua cơ sở", BINH, "Lao động tiên tiến", "125/QĐ-VKSĐN"):
        expect(awards).to_contain_text(shown)
    shoot(unit, site, "awards-unit-page")
    with site.session() as session:
        from emulation.notify.models import Notification

        told = session.execute(
            db.select(Notification).filter_by(kind="awards_decided")
        ).scalars()
        assert {n.user.username for n in told} == {EDITOR}  # the two offices have no accounts

    for name, path in files.items():
        text = _render(site, path, f"awards-{name}", tmp_path)
        assert ("QUYẾT ĐỊNH" if name == "decision" else "TỜ TRÌNH") in text
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
