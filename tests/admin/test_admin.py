"""Administration pages: clusters, units, accounts by hand; upload with preview and confirm."""

import io
import re
from pathlib import Path

import pytest

from emulation import create_app
from emulation.extensions import db
from emulation.models import AuditEvent, Candidate, Cluster, IndicatorValue, Unit, User

DATA = Path(__file__).parents[1] / "data" / "imports"


@pytest.fixture
def staff(make, auth):
    """A signed-in secretariat member."""
    user = make.user("secretariat", username="thuky")
    db.session.commit()
    auth.login(user)
    return user


@pytest.mark.parametrize("role", ["unit_editor", "unit_head", "reviewer"])
def test_only_staff_open_the_pages(client, auth, make, role):
    user = make.user(role)
    db.session.commit()
    auth.login(user)
    for url in ("/admin/", "/admin/units", "/admin/users", "/admin/clusters", "/admin/import"):
        assert client.get(url).status_code == 403


def test_cluster_and_unit_by_hand(client, staff, make):
    movement = make.movement()
    db.session.commit()
    assert client.post("/admin/clusters", data={"code": "C1", "name": "Cụm 1"}).status_code == 302
    again = client.post("/admin/clusters", data={"code": "C1", "name": "Khác"})
    assert again.status_code == 422
    assert "Mã này đã được dùng cho một cụm thi đua khác." in again.data.decode()
    cluster = db.session.execute(db.select(Cluster)).scalar_one()
    response = client.post(
        "/admin/units/new",
        data={"code": "HC", "name": "VKSND Hải Châu", "cluster": str(cluster.id),
              "movements": [str(movement.id)]},
    )  # fmt: skip
    assert response.status_code == 302
    unit = db.session.execute(db.select(Unit)).scalar_one()
    assert unit.cluster_id == cluster.id
    assert db.session.execute(db.select(Candidate).filter_by(unit_id=unit.id)).scalar_one()
    page = client.get("/admin/units").data.decode()
    assert "VKSND Hải Châu" in page
    same_code = {"code": "HC", "name": "Trùng mã", "cluster": str(cluster.id), "movements": []}
    taken = client.post("/admin/units/new", data=same_code)
    assert taken.status_code == 422
    assert "Mã này đã được dùng cho một đơn vị khác." in taken.data.decode()
    # A cluster with an active unit cannot be retired; the unit can.
    client.post(f"/admin/clusters/{cluster.id}/active", data={"active": "0"})
    assert db.session.get(Cluster, cluster.id).active
    client.post(f"/admin/units/{unit.id}/active", data={"active": "0"})
    db.session.expire_all()
    assert not db.session.get(Unit, unit.id).active
    assert "VKSND Hải Châu" not in client.get("/admin/units").data.decode()
    actions = set(db.session.execute(db.select(AuditEvent.action)).scalars())
    assert {"cluster_created", "unit_created", "unit_deactivated"} <= actions


def test_account_with_one_time_password(client, staff, make, password):
    unit = make.unit(code="HC")
    db.session.commit()
    missing_unit = client.post(
        "/admin/users/new",
        data={"username": "canbo", "full_name": "Cán bộ", "role": "unit_editor", "unit": ""},
    )
    assert missing_unit.status_code == 422
    assert "needs a unit" not in missing_unit.data.decode()
    assert "phải thuộc một đơn vị" in missing_unit.data.decode()
    response = client.post(
        "/admin/users/new",
        data={"username": "canbo", "full_name": "Cán bộ", "role": "unit_editor",
              "unit": str(unit.id)},
    )  # fmt: skip
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    secret = re.search(r'<code class="hash">([^<]+)</code>', response.data.decode()).group(1)
    user = db.session.execute(db.select(User).filter_by(username="canbo")).scalar_one()
    assert user.check_password(secret) and user.unit_id == unit.id
    version = user.session_version
    reset = client.post(f"/admin/users/{user.id}/password")
    fresh = re.search(r'<code class="hash">([^<]+)</code>', reset.data.decode()).group(1)
    db.session.expire_all()
    user = db.session.get(User, user.id)
    assert fresh != secret and user.check_password(fresh) and not user.check_password(secret)
    assert user.session_version == version + 1  # the old password's sessions end


def test_secretariat_cannot_make_or_touch_administrators(client, staff, make):
    admin = make.user("admin")
    db.session.commit()
    response = client.post(
        "/admin/users/new", data={"username": "root2", "full_name": "R", "role": "admin"}
    )
    assert response.status_code == 422
    assert client.get(f"/admin/users/{admin.id}").status_code == 403
    client.post(f"/admin/users/{admin.id}/active", data={"active": "0"})
    assert db.session.get(User, admin.id).active
    client.post(f"/admin/users/{staff.id}/active", data={"active": "0"})
    assert db.session.get(User, staff.id).active


def test_upload_preview_then_confirm(client, staff):
    data = {
        "kind": "units",
        "round": "",
        "file": (io.BytesIO((DATA / "units.csv").read_bytes()), "don-vi.csv"),
    }
    preview = client.post("/admin/import", data=data, content_type="multipart/form-data")
    assert preview.status_code == 200
    assert db.session.scalar(db.select(db.func.count()).select_from(Unit)) == 0
    upload = re.search(r'name="upload" value="([0-9a-f]{32})"', preview.data.decode()).group(1)
    done = client.post("/admin/import/confirm", data={"upload": upload})
    assert done.status_code == 200 and "data-import-summary" in done.data.decode()
    assert db.session.scalar(db.select(db.func.count()).select_from(Unit)) == 3
    # The same upload cannot be imported twice.
    assert client.post("/admin/import/confirm", data={"upload": upload}).status_code == 302


def test_upload_with_problems_lists_them_and_offers_no_confirm(client, staff):
    bad = "Mã đơn vị,Tên đơn vị\n,Không mã\n".encode()
    data = {"kind": "units", "round": "", "file": (io.BytesIO(bad), "x.csv")}
    response = client.post("/admin/import", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    page = response.data.decode()
    assert "data-import-problems" in page and "import/confirm" not in page


def test_user_import_shows_passwords_once(client, staff, make):
    make.unit(code="HC")
    db.session.commit()
    data = {
        "kind": "users",
        "round": "",
        "file": (io.BytesIO(b"username,role\nreviewer1,reviewer\n"), "u.csv"),
    }
    preview = client.post("/admin/import", data=data, content_type="multipart/form-data")
    upload = re.search(r'name="upload" value="([0-9a-f]{32})"', preview.data.decode()).group(1)
    done = client.post("/admin/import/confirm", data={"upload": upload}).data.decode()
    password = re.search(r"<td>reviewer1</td><td><code>([^<]+)</code>", done).group(1)
    user = db.session.execute(db.select(User).filter_by(username="reviewer1")).scalar_one()
    assert user.check_password(password)


def test_csrf_is_on_outside_tests(tmp_path, migrated):
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": migrated, "INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "k"}
    )
    assert app.config.get("WTF_CSRF_ENABLED", True) is True


def test_values_upload_needs_a_round_and_fills_drafts(client, staff, make, set_now):
    from datetime import UTC, datetime

    set_now(datetime(2024, 8, 1, tzinfo=UTC))
    movement = make.movement()
    make.candidate(movement, make.unit(code="HC"))
    db.session.commit()
    body = b"unit_code,HOP,SAOLUU\nHC,3,1\n"
    no_round = {"kind": "values", "round": "", "file": (io.BytesIO(body), "v.csv")}
    response = client.post("/admin/import", data=no_round, content_type="multipart/form-data")
    assert response.status_code == 422
    data = {
        "kind": "values",
        "round": str(movement.rounds[0].id),
        "file": (io.BytesIO(body), "v.csv"),
    }
    preview = client.post("/admin/import", data=data, content_type="multipart/form-data")
    upload = re.search(r'name="upload" value="([0-9a-f]{32})"', preview.data.decode()).group(1)
    assert client.post("/admin/import/confirm", data={"upload": upload}).status_code == 200
    values = db.session.execute(db.select(IndicatorValue.column, IndicatorValue.value)).all()
    assert sorted(values) == [("HOP", 3.0), ("SAOLUU", 1.0)]


def test_preview_details_in_the_users_language(client, staff, make):
    make.unit(code="HC", name="Tên cũ")
    db.session.commit()
    data = {
        "kind": "units",
        "round": "",
        "file": (io.BytesIO((DATA / "units.csv").read_bytes()), "don-vi.csv"),
    }
    page = client.post("/admin/import", data=data, content_type="multipart/form-data")
    text = page.data.decode()
    assert "Đơn vị HC: cập nhật (Tên, Cụm thi đua)" in text
    assert "Đơn vị TK: tạo mới" in text and "unit HC" not in text


def test_units_page_and_menu_are_titled_units(client, staff):
    body = client.get("/admin/units").data.decode()
    assert "<h1>Đơn vị</h1>" in body and "Số đơn vị" not in body


@pytest.mark.parametrize(("typed", "kept"), [("25", 25), ("", None), ("0", "refused"),
                                             ("12,5", "refused"), ("1e9", "refused")])  # fmt: skip
def test_unit_headcount_is_a_checked_whole_number(client, staff, typed, kept):
    response = client.post(
        "/admin/units/new",
        data={"code": "HC", "name": "VKSND Hải Châu", "cluster": "", "headcount": typed},
    )
    if kept == "refused":
        assert response.status_code == 422
        assert db.session.execute(db.select(Unit)).scalar_one_or_none() is None
        return
    assert response.status_code == 302
    assert db.session.execute(db.select(Unit)).scalar_one().headcount == kept
