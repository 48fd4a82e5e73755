"""Report routes: council members see the page, the secretariat downloads; units never."""

from io import BytesIO

import openpyxl
import pytest
from pypdf import PdfReader

from emulation.extensions import db

FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
}


def _urls(round_id: int) -> list[str]:
    return [f"/reports/rounds/{round_id}"] + [
        f"/reports/rounds/{round_id}/report.{fmt}" for fmt in FORMATS
    ]


@pytest.mark.parametrize("role", ["editor", "head"])
def test_unit_users_are_refused_every_report_route(movement, dossiers, auth, client, role):
    auth.login(getattr(movement, role))
    for url in _urls(movement.final.id):
        assert client.get(url).status_code == 403, url


def test_anonymous_visitors_are_sent_to_the_login_page(movement, client):
    for url in _urls(movement.final.id):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_council_members_view_the_page_but_download_nothing(movement, dossiers, auth, client):
    auth.login(movement.reviewer)
    page = client.get(f"/reports/rounds/{movement.final.id}")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "VKSND quận Sơn Trà" in body and 'data-key="U3"' in body
    assert body.count('src="data:image/png;base64,') == 6
    assert "report.pdf" not in body  # no download links for members
    for url in _urls(movement.final.id)[1:]:
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("role", ["secretariat", "admin"])
def test_secretariat_and_admin_download_every_format(movement, dossiers, auth, client, role):
    auth.login(getattr(movement, role))
    body = client.get(f"/reports/rounds/{movement.final.id}").get_data(as_text=True)
    for fmt, mimetype in FORMATS.items():
        assert f"/reports/rounds/{movement.final.id}/report.{fmt}" in body
        response = client.get(f"/reports/rounds/{movement.final.id}/report.{fmt}")
        assert response.status_code == 200 and response.mimetype == mimetype.split(";")[0]
        disposition = response.headers["Content-Disposition"]
        assert disposition == f"attachment; filename=bao-cao-tong-ket.{fmt}"
    pdf = client.get(f"/reports/rounds/{movement.final.id}/report.pdf").data
    assert "VKSND quận Hải Châu" in "".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages)
    xlsx = client.get(f"/reports/rounds/{movement.interim.id}/report.xlsx").data
    assert "So sánh sơ kết – tổng kết" not in openpyxl.load_workbook(BytesIO(xlsx)).sheetnames


def test_the_page_follows_the_interface_language(movement, dossiers, auth, client):
    auth.login(movement.secretariat)
    assert client.post("/lang", data={"lang": "en"}).status_code == 302
    body = client.get(f"/reports/rounds/{movement.interim.id}").get_data(as_text=True)
    assert "Interim review report" in body and "Weakest indicators" in body
    assert "Interim and final results compared" not in body


def test_unknown_round_and_format(movement, auth, client):
    auth.login(movement.secretariat)
    assert client.get("/reports/rounds/9999").status_code == 404
    assert client.get("/reports/rounds/9999/report.pdf").status_code == 404
    assert client.get(f"/reports/rounds/{movement.final.id}/report.odt").status_code == 404


def test_data_the_engine_refuses_is_listed_not_a_crash(movement, dossiers, auth, client):
    movement.final.rules_text = movement.final.rules_text.replace(
        'method = "steps"', 'method = "?"'
    )
    db.session.commit()
    auth.login(movement.secretariat)
    response = client.get(f"/reports/rounds/{movement.final.id}")
    assert response.status_code == 409  # the round's data, not the server, is at fault
    assert "?" in response.get_data(as_text=True)


def test_round_and_ranking_pages_link_to_the_report(movement, dossiers, auth, client):
    auth.login(movement.secretariat)
    page = client.get(f"/rounds/{movement.final.id}").get_data(as_text=True)
    assert f'href="/reports/rounds/{movement.final.id}" data-report-link' in page
    assert f"/reports/rounds/{movement.final.id}/report.docx" in page
    ranking = client.get(f"/council/rounds/{movement.final.id}/ranking").get_data(as_text=True)
    assert f'href="/reports/rounds/{movement.final.id}" data-report-link' in ranking
    auth.logout()
    auth.login(movement.reviewer)
    page = client.get(f"/rounds/{movement.final.id}").get_data(as_text=True)
    assert "data-report-link" in page and "report.docx" not in page


def test_the_report_bears_the_date_the_secretariat_sets_else_the_meetings(
    movement, dossiers, auth, client
):
    """Not the day the file happens to be made."""
    from docx import Document

    from emulation.council.votes import save_meeting

    from .conftest import AFTER

    def place_date(query: str = "") -> str:
        data = client.get(f"/reports/rounds/{movement.final.id}/report.docx{query}").data
        header = Document(BytesIO(data)).tables[0]
        return header.rows[1].cells[1].text

    auth.login(movement.secretariat)
    assert place_date("?dated=2025-09-12") == "Đà Nẵng, ngày 12 tháng 9 năm 2025"
    page = client.get(f"/reports/rounds/{movement.final.id}?dated=2025-09-12").get_data(True)
    assert 'value="12/09/2025"' in page and "dated=12/09/2025" in page
    # Typed the way every date in the system is typed, whatever the browser's language.
    assert place_date("?dated=12/09/2025") == "Đà Nẵng, ngày 12 tháng 9 năm 2025"
    assert 'type="date"' not in page
    assert place_date("?dated=1890-01-01") == place_date("?dated=nonsense") == place_date()
    save_meeting(
        movement.final, held_at=AFTER.replace(day=20), place="P", members_total=1,
        present_ids=[], chair_id=None, user=movement.secretariat, now=AFTER,
    )  # fmt: skip
    db.session.commit()
    assert place_date() == "Đà Nẵng, ngày 20 tháng 9 năm 2025"


def test_the_page_states_the_tie_policy_in_the_interface_language(movement, dossiers, auth, client):
    auth.login(movement.secretariat)
    client.post("/lang", data={"lang": "en"})
    body = client.get(f"/reports/rounds/{movement.interim.id}").get_data(as_text=True)
    assert "Ranked by total points, highest first" in body and "Xếp hạng theo tổng điểm" not in body
