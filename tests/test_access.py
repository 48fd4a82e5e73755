"""A unit sees only its own unit; the council sees every unit."""

import re

import pytest

from emulation.extensions import db


@pytest.fixture
def two_units(make):
    movement = make.movement(name="Phong trào chuyển đổi số")
    unit_a = make.unit(code="VKS-HC", name="VKSND quận Hải Châu")
    unit_b = make.unit(code="VKS-TK", name="VKSND quận Thanh Khê")
    dossier_a = make.dossier(movement.rounds[0], make.candidate(movement, unit_a))
    dossier_b = make.dossier(movement.rounds[0], make.candidate(movement, unit_b))
    users = {
        "editor_a": make.user("unit_editor", unit_a, username="bientap_a"),
        "head_a": make.user("unit_head", unit_a, username="truong_a"),
        "reviewer": make.user("reviewer", username="uyvien"),
        "secretariat": make.user("secretariat", username="thuky"),
        "admin": make.user("admin", username="quantri"),
    }
    db.session.commit()
    return {"a": unit_a, "b": unit_b, "dossier_a": dossier_a.id, "dossier_b": dossier_b.id, **users}


@pytest.mark.parametrize("role", ["editor_a", "head_a"])
def test_unit_user_sees_own_unit_and_dossier(two_units, auth, client, role):
    auth.login(two_units[role])
    page = client.get("/units/VKS-HC")
    assert page.status_code == 200
    assert "VKSND quận Hải Châu" in page.get_data(as_text=True)
    assert client.get(f"/dossiers/{two_units['dossier_a']}").status_code == 200


@pytest.mark.parametrize("role", ["editor_a", "head_a"])
def test_unit_user_refused_other_units_pages(two_units, auth, client, role):
    auth.login(two_units[role])
    assert client.get("/units/VKS-TK").status_code == 403
    assert client.get(f"/dossiers/{two_units['dossier_b']}").status_code == 403
    home = client.get("/").get_data(as_text=True)
    assert "Thanh Khê" not in home


@pytest.mark.parametrize("role", ["reviewer", "secretariat", "admin"])
def test_council_sees_every_unit(two_units, auth, client, role):
    auth.login(two_units[role])
    assert client.get("/units/VKS-TK").status_code == 200
    assert client.get(f"/dossiers/{two_units['dossier_b']}").status_code == 200


@pytest.mark.parametrize("url", ["/", "/units/VKS-HC", "/dossiers/1"])
def test_anonymous_redirected_to_login(two_units, client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_missing_objects_are_404_in_the_apps_style(two_units, auth, client):
    auth.login(two_units["secretariat"])
    response = client.get("/units/NOPE")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.get_data(as_text=True)
    assert client.get("/dossiers/999999").status_code == 404


def test_forbidden_page_is_explained(two_units, auth, client):
    auth.login(two_units["editor_a"])
    body = client.get("/units/VKS-TK").get_data(as_text=True)
    assert "Bạn không có quyền" in body


def test_progress_counts_a_returned_dossier_as_received(two_units, auth, client):
    from datetime import UTC, datetime, timedelta

    from emulation.dossiers import operations as ops
    from emulation.dossiers.supervision import return_for_supplement
    from emulation.models import Dossier

    dossier = db.session.get(Dossier, two_units["dossier_a"])
    when = datetime(2024, 8, 1, tzinfo=UTC)
    ops.submit_dossier(dossier, user=two_units["editor_a"], now=when)
    return_for_supplement(
        dossier,
        criteria=["TC1"],
        reason="Thiếu",
        due_at=when + timedelta(days=3),
        user=two_units["reviewer"],
        now=when,
    )
    db.session.commit()
    auth.login(two_units["secretariat"])
    body = client.get("/").get_data(as_text=True)
    cells = re.findall(r'class="num">(\d+)</td>', body)
    assert cells[:4] == ["2", "1", "0", "1"]  # expected, received, late, missing
