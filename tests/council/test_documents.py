"""Decision, proposal letter and minutes in the state's format (Decree 30/2020, Appendix I).

Measured with python-docx, then converted to PDF by LibreOffice (headless) to check that the
text survives and the page count; a PNG of page 1 of each is kept under screenshots/documents.
"""

import os
import re
import shutil
import subprocess
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm
from pypdf import PdfReader

from emulation.council.votes import save_meeting
from emulation.documents.decree30 import count_phrase, text_width_mm, vn_date, vn_number
from emulation.extensions import db

from .conftest import AFTER, ISSUER, use_rules

SCREENSHOTS = Path(os.environ.get("E2E_SCREENSHOTS") or Path(__file__).parents[2] / "screenshots")


def _tolerant(value, mm) -> bool:
    return abs(value - Mm(mm)) < Mm(0.2)


def _text(data: bytes) -> str:
    doc = Document(BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _runs(doc):
    for p in doc.paragraphs:
        yield p, from_runs(p)
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                for p in cell.paragraphs:
                    yield p, from_runs(p)


def from_runs(p):
    return list(p.runs)


def _run(doc, text):
    for _p, runs in _runs(doc):
        for run in runs:
            if run.text.strip() == text:
                return run
    raise AssertionError(f"no run {text!r}")


@pytest.mark.parametrize("name", ["decision", "proposal", "minutes"])
def test_page_margins_fonts_and_header_follow_the_decree(documents, name):
    doc = Document(BytesIO(documents[name]))
    section = doc.sections[0]
    assert _tolerant(section.page_width, 210) and _tolerant(section.page_height, 297)
    for margin, mm in (("top", 20), ("bottom", 20), ("left", 30), ("right", 15)):
        assert _tolerant(getattr(section, f"{margin}_margin"), mm), margin
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size.pt == 14
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == fonts.get(qn("w:cs")) == "Times New Roman"
    nation = _run(doc, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert nation.bold and nation.font.size.pt == 12
    # the national title fits its cell on one line
    header = doc.tables[0]
    cell_width = header.rows[0].cells[1].width
    assert Mm(text_width_mm(nation.text, 12, bold=True) + 2) <= cell_width
    motto = _run(doc, "Độc lập - Tự do - Hạnh phúc")
    assert motto.bold and motto.underline and motto.font.size.pt == 13
    kind = {"decision": "QUYẾT ĐỊNH", "proposal": "TỜ TRÌNH", "minutes": "BIÊN BẢN"}[name]
    title = _run(doc, kind)
    assert title.bold and title.font.size.pt == 14
    # a solid line under the issuing body, 1/3 to 1/2 of the name's width
    left = header.rows[0].cells[0]
    body = [p for p in left.paragraphs if p.runs and p.runs[0].bold][0]
    if name != "minutes":  # two balanced lines, none wider than its cell
        lines = [r.text.strip() for r in body.runs]
        assert lines == ["VIỆN KIỂM SÁT NHÂN DÂN", "THÀNH PHỐ ĐÀ NẴNG"]
    rule = [p for p in left.paragraphs if p._p.find(f".//{qn('w:bottom')}") is not None][0]
    length = left.width - rule.paragraph_format.left_indent * 2 - Mm(2)
    name_width = Mm(max(text_width_mm(r.text.strip(), 12, bold=True) for r in body.runs))
    assert name_width / 3 <= length <= name_width / 2
    assert body.runs[0].font.size.pt == 12 and body.text.isupper()
    assert Mm(text_width_mm(nation.text, 12, bold=True) + 3.8) <= cell_width  # LibreOffice too
    superior = left.paragraphs[0].runs[0]
    assert not superior.bold and superior.font.size.pt == 12
    if name != "minutes":  # the superior body's name stays on one line
        assert Mm(text_width_mm(superior.text, 12) + 2) <= left.width
    date = next(r for _p, runs in _runs(doc) for r in runs if r.text.startswith("Đà Nẵng, ngày"))
    assert date.italic and re.search(r"ngày \d\d tháng ([3-9]|1[0-2]|0[12]) năm \d{4}", date.text)
    # page numbers at the top, centred, not on page 1
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml
    assert not section.first_page_header.paragraphs[0].text


@pytest.mark.parametrize("name", ["decision", "proposal", "minutes"])
def test_body_is_justified_14pt_without_codes_hashes_or_file_names(documents, name):
    doc = Document(BytesIO(documents[name]))
    assert doc.styles["Normal"].paragraph_format.alignment == 3  # 3 = JUSTIFY
    body = [p for p in doc.paragraphs if p.paragraph_format.first_line_indent and len(p.text) > 80]
    assert body and all(p.alignment is None for p in body)
    assert all(r.font.size is None or r.font.size.pt in (13, 14) for p in body for r in p.runs)
    text = _text(documents[name])
    assert documents["hash"] not in text and ".toml" not in text
    assert "bang-khen" not in text and "giay-khen" not in text and "THỦ TRƯỞNG" not in text
    assert not re.search(r"\d\.\d", text.replace("01/2019", ""))  # decimal commas only


def test_decision_grants_only_own_awards_in_numbered_articles(documents):
    doc = Document(BytesIO(documents["decision"]))
    text = _text(documents["decision"])
    assert "Tặng Giấy khen cho 1 tập thể:" in text and "VKSND U1" in text
    assert "Bằng khen" not in text and "VKSND U2" not in text  # decided above, not here
    articles = [p for p in doc.paragraphs if p.text.startswith("Điều ")]
    assert [p.text[:8] for p in articles] == ["Điều 1. ", "Điều 2. ", "Điều 3. "]
    for p in articles:
        assert p.runs[0].bold and not any(r.bold for r in p.runs[1:])
    assert "Điều 1.1" not in text and "Số: ……/QĐ-VKSĐN" in text
    assert "VIỆN TRƯỞNG VIỆN KIỂM SÁT NHÂN DÂN THÀNH PHỐ ĐÀ NẴNG" in text
    basis = next(p for p in doc.paragraphs if p.text.startswith("Căn cứ Luật"))
    assert basis.runs[0].italic
    assert "Đà Nẵng, ngày 10 tháng 10 năm 2024" in text
    where = _run(doc, "Nơi nhận:")
    assert where.bold and where.italic and where.font.size.pt == 12
    item = _run(doc, "- Như Điều 3;")
    assert item.font.size.pt == 11
    for line in ("KT. VIỆN TRƯỞNG", "PHÓ VIỆN TRƯỞNG", "Nguyễn Văn Thành"):
        assert _run(doc, line).bold


def test_proposal_goes_to_the_higher_body_with_achievements_and_votes(documents):
    text = _text(documents["proposal"])
    assert "Kính gửi: Viện trưởng Viện kiểm sát nhân dân tối cao" in text
    assert "Số: ……/TTr-VKSĐN" in text
    assert "tặng Bằng khen cho 1 tập thể" in text and "VKSND U2" in text
    assert "Giấy khen" not in text and "VKSND U1" not in text  # granted here, not proposed
    assert "Tổng điểm 77,5/100, xếp loại Tốt, xếp thứ 1 trong Cụm 1." in text
    assert "3/3 (100%)" in text and "Hồ sơ kèm theo:" in text
    doc = Document(BytesIO(documents["proposal"]))
    table = doc.tables[-2]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_minutes_record_attendance_quorum_votes_and_two_signatures(documents):
    text = _text(documents["minutes"])
    assert "Vào hồi 09 giờ 00 phút, ngày 05 tháng 9 năm 2025, tại Phòng họp số 1" in text
    assert "Chủ trì: Ủy viên Một" in text and "Thư ký: Lê Thị Hoa" in text
    assert "có mặt 3 thành viên, vắng mặt 1 thành viên" in text and "hợp lệ" in text
    assert "THƯ KÝ" in text and "CHỦ TỌA" in text and "DỰ THẢO" not in text
    assert "trình Viện kiểm sát nhân dân tối cao xem xét tặng Bằng khen cho 1 tập thể" in text
    assert "quyết định tặng Giấy khen cho 1 tập thể" in text
    doc = Document(BytesIO(documents["minutes"]))
    assert not [p for p in doc.paragraphs if p.style.name.startswith("Heading")]
    votes = next(t for t in doc.tables if t.rows[0].cells[0].text == "STT")
    header = votes.rows[0]._tr.trPr
    assert header.find(qn("w:tblHeader")) is not None and header.find(qn("w:cantSplit")) is not None
    # every word of every cell fits its column (no word broken across lines)
    for row in votes.rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                for run in p.runs:
                    for word in run.text.split():
                        width = text_width_mm(word, run.font.size.pt, bold=bool(run.bold))
                        assert Mm(width + 3.8) <= cell.width, (word, cell.width)


def test_numbers_dates_and_counts_in_vietnamese():
    from datetime import date

    assert vn_number(95.38) == "95,38" and vn_number(90.0) == "90" and vn_number(77.5) == "77,5"
    assert vn_date(date(2025, 9, 5)) == "ngày 05 tháng 9 năm 2025"
    assert vn_date(date(2025, 2, 14)) == "ngày 14 tháng 02 năm 2025"
    assert vn_date(date(2024, 10, 10)) == "ngày 10 tháng 10 năm 2024"
    assert count_phrase(5, 0) == "5 tập thể" and count_phrase(0, 2) == "2 cá nhân"
    assert count_phrase(3, 2) == "3 tập thể và 2 cá nhân"


def _office() -> str:
    found = shutil.which("soffice")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (libreoffice-writer-nogui) is needed in CI")
        pytest.skip("LibreOffice is not installed")
    return found


def test_documents_convert_to_pdf_with_their_text(documents, tmp_path):
    office = _office()
    profile = tmp_path / "profile"
    for name in ("decision", "proposal", "minutes"):
        (tmp_path / f"{name}.docx").write_bytes(documents[name])
    subprocess.run(
        [office, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), *(str(tmp_path / f"{n}.docx") for n in
                                      ("decision", "proposal", "minutes"))],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    expected = {
        "decision": ("QUYẾT ĐỊNH", "Điều 3.", "Nguyễn Văn Thành", 1),
        "proposal": ("TỜ TRÌNH", "Kính gửi", "77,5/100", 2),
        "minutes": ("BIÊN BẢN", "Tán thành", "CHỦ TỌA", 2),
    }
    SCREENSHOTS.joinpath("documents").mkdir(parents=True, exist_ok=True)
    for name, (*phrases, max_pages) in expected.items():
        pdf = PdfReader(tmp_path / f"{name}.pdf")
        assert 1 <= len(pdf.pages) <= max_pages, (name, len(pdf.pages))
        box = pdf.pages[0].mediabox
        assert abs(float(box.width) - 595.3) < 1 and abs(float(box.height) - 841.9) < 1  # A4
        text = " ".join(page.extract_text() for page in pdf.pages)
        text = re.sub(r"\s+", " ", text)
        for phrase in phrases:
            assert phrase in text, (name, phrase)
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
        if shutil.which("pdftoppm"):
            out = SCREENSHOTS / "documents" / name
            subprocess.run(
                ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile",
                 str(tmp_path / f"{name}.pdf"), str(out)],
                check=True, timeout=60,
            )  # fmt: skip


def test_an_award_with_its_own_threshold_needs_more_votes(council, interim_dossiers, auth, client):
    """Giấy khen at 90 %: three of four present members agreeing pass U2 only under 1/2."""
    from emulation.council.ranking import live_ranking
    from emulation.council.votes import tally

    c = council
    use_rules(
        c.interim,
        **{
            'quota = { percent = 50, per = "group" }': "quota = { percent = 50,"
            ' per = "group" }\npass_threshold = "90%"\npass_rule = "at_least"'
        },
    )
    members = [c.r1, c.r2, c.r3]
    save_meeting(
        c.interim, held_at=AFTER, place="P", members_total=3,
        present_ids=[m.id for m in members], chair_id=c.r1.id, user=c.secretariat, now=AFTER,
    )  # fmt: skip
    db.session.commit()
    for m, choice in zip(members, ("agree", "agree", "disagree"), strict=True):
        auth.login(m)
        client.post(f"/council/rounds/{c.interim.id}/vote",
                    data={f"v_{interim_dossiers['U2'].id}": choice})  # fmt: skip
        auth.logout()
    ranking = live_ranking(c.interim)
    dossier_of = {k: e.dossier_id for k, e in ranking.entries.items()}
    result = tally(c.interim, ranking.results()["results"], dossier_of)
    row = next(r for r in result["candidates"] if r["key"] == "U2")
    assert row["agree"] == 2 and row["eligible"] == 3 and not row["passed"]  # 67 % < 90 %
    assert (row["pass_threshold"], row["pass_rule"]) == ("9/10", "at_least")
    assert result["meeting"]["pass_threshold"] == "1/2"  # the council's default is unchanged


def _payload(people: list[tuple[str, str, str, float]]) -> dict:
    """A frozen payload: (key, name, kind, total) all passed for the own Giấy khen."""
    results = [
        {"unit_code": k, "unit_name": n, "kind": kind, "total": t, "band": "Xuất sắc",
         "ranking_group": "Khối phòng", "rank_in_group": i, "award_code": "gk",
         "award_tier": "Giấy khen"}
        for i, (k, n, kind, t) in enumerate(people, start=1)
    ]  # fmt: skip
    candidates = [
        {"key": k, "name": n, "award_code": "gk", "award_tier": "Giấy khen", "agree": 3,
         "disagree": 0, "abstain": 0, "not_voted": 0, "eligible": 3, "recused": [],
         "passed": True}
        for k, n, _kind, _t in people
    ]  # fmt: skip
    meeting = {"held_at": "2025-02-05T02:00:00+00:00", "place": "P", "members_total": 3,
               "present": ["A", "B", "C"], "chair": "A", "quorum": "2/3", "quorum_met": True,
               "pass_threshold": "1/2", "pass_rule": "greater"}  # fmt: skip
    return {
        "results": {"results": results},
        "votes": {"meeting": meeting, "candidates": candidates},
    }


def test_long_award_lists_go_to_an_attached_list_with_collectives_and_individuals(app):
    from types import SimpleNamespace

    from emulation.documents.decision import decision
    from emulation.scoring import loads_rules

    from .conftest import RULES

    text = (
        RULES.read_text(encoding="utf-8")
        .replace("[ranking]", ISSUER + "\n")
        .replace('symbol = "VKSĐN"', 'symbol = "VKSĐN"\nlong_list = 3')
    )
    rules = loads_rules(text.replace('code = "giay-khen"', 'code = "gk"'))
    people = [(f"P{i}", f"Phòng {i}", "collective", 95.38 - i) for i in range(3)] + [
        ("P1/7", "Nguyễn Thị Lan", "individual", 96.5),
        ("P2/8", "Trần Văn Minh", "individual", 91.25),
    ]
    movement = SimpleNamespace(name="Phong trào", place="Đà Nẵng", organisation="VKSND")
    round_ = SimpleNamespace(movement=movement, award_date=None, name="Sơ kết năm 2024")
    data = decision(round_, _payload(people), rules)
    text = _text(data)
    assert "Tặng Giấy khen cho 3 tập thể và 2 cá nhân (có danh sách kèm theo)." in text
    assert "Về việc khen thưởng các tập thể, cá nhân có thành tích" in text
    assert "Đà Nẵng, ngày 05 tháng 02 năm 2025" in text  # February keeps its zero
    assert "DANH SÁCH" in text and "95,38" in text and "96,5" in text and "95.38" not in text
    doc = Document(BytesIO(data))
    listing = doc.tables[-1]
    assert listing.rows[0].cells[1].text == "Tập thể, cá nhân"
    assert listing.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    names = [row.cells[1].text for row in listing.rows[1:]]
    assert names[:3] == ["Phòng 0", "Phòng 1", "Phòng 2"]  # collectives first
    assert names[3:] == ["Nguyễn Thị Lan", "Trần Văn Minh"]


def test_recorded_decision_enters_the_register_and_the_award_history(documents, council, client):
    from emulation.history.operations import history_of
    from emulation.models import AwardDecision

    url = f"/council/rounds/{council.interim.id}/decisions"
    data = {"number": "125/QĐ-VKSĐN", "signed_on": "2024-10-10", "signer": "Nguyễn Văn Thành"}
    assert client.post(url, data=data).status_code == 302
    (decision,) = db.session.execute(db.select(AwardDecision)).scalars()
    assert decision.issuing_body == "Viện kiểm sát nhân dân thành phố Đà Nẵng"
    (record,) = history_of(council.units["U1"], None)  # the own Giấy khen only
    assert (record.year, record.award_code, record.decision_no) == (
        2024,
        "giay-khen",
        "125/QĐ-VKSĐN",
    )
    assert history_of(council.units["U2"], None) == []  # Bằng khen is decided above
    again = client.post(url, data=data)
    assert again.status_code == 422 and "đã được ghi" in again.get_data(as_text=True)
    page = client.get(url).get_data(as_text=True)
    assert "125/QĐ-VKSĐN" in page and "10/10/2024" in page


def test_certificates_test_page_and_national_export(documents, council, client):
    import unicodedata

    import openpyxl

    url = f"/council/rounds/{council.interim.id}"
    assert client.get(f"{url}/certificates.pdf").status_code == 302  # no decision yet
    data = {"number": "125/QĐ-VKSĐN", "signed_on": "2024-10-10", "signer": "Nguyễn Văn Thành"}
    client.post(f"{url}/decisions", data=data)
    pdf = PdfReader(BytesIO(client.get(f"{url}/certificates.pdf").data))
    assert len(pdf.pages) == 1  # U1's Giấy khen; U2's Bằng khen is decided above
    text = unicodedata.normalize("NFC", pdf.pages[0].extract_text())
    assert "GIẤY KHEN" in text and "VKSND U1" in text and "125/QĐ-VKSĐN" in text
    box = pdf.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)  # A4 landscape
    fonts = pdf.pages[0]["/Resources"]["/Font"].values()
    assert all("LiberationSerif" in f.get_object()["/BaseFont"] for f in fonts)
    test = PdfReader(BytesIO(client.get(f"{url}/certificates-test.pdf").data))
    assert "Nguyễn Văn Mẫu" in unicodedata.normalize("NFC", test.pages[0].extract_text())
    book = openpyxl.load_workbook(BytesIO(client.get(f"{url}/awards.xlsx").data))
    header, *rows = list(book.active.iter_rows(values_only=True))
    row = dict(zip(header, rows[0], strict=True))
    assert len(rows) == 1 and row["Tập thể, cá nhân"] == "VKSND U1"
    assert (row["Số quyết định"], row["Ngày quyết định"], row["Năm"]) == (
        "125/QĐ-VKSĐN",
        "10/10/2024",
        2024,
    )
    assert row["Cơ quan ban hành"] == "Viện kiểm sát nhân dân thành phố Đà Nẵng"
    assert row["Loại"] == "Hình thức khen thưởng" and row["Tóm tắt thành tích"]
