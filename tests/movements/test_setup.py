"""The secretariat sets up a movement and its rounds from a shipped or uploaded rule file."""

import io
import re
from pathlib import Path

import pytest

from emulation.extensions import db
from emulation.models import AuditEvent, Candidate, Movement, Round
from emulation.movements import setup
from emulation.movements.views import UPLOAD

SHIPPED = "vksnd_danang_cds_2023_2025.toml"
SMALL_RULES = Path(__file__).parents[1] / "data" / "rules_small.toml"


@pytest.fixture
def staff(make, auth):
    """Two clusters with units, and the secretariat signed in."""
    north, south = make.cluster(name="Cụm Bắc"), make.cluster(name="Cụm Nam")
    units = [make.unit(code=f"N{i}", cluster=north) for i in range(3)]
    units += [make.unit(code=f"S{i}", cluster=south) for i in range(2)]
    user = make.user("secretariat")
    db.session.commit()
    auth.login(user)
    return {"north": north, "south": south, "units": units}


def _upload(client, text: bytes, name="quy-tac.toml", **extra):
    data = {"source": UPLOAD, "upload": (io.BytesIO(text), name), "check": "1", **extra}
    return client.post("/movements/new", data=data, content_type="multipart/form-data")


def _confirm(client, preview, **extra):
    """Press Create on a preview page, sending back exactly the fields the page holds."""
    html = preview.get_data(as_text=True)
    fields = dict(
        re.findall(r'<input id="(checked|filename)" name="\1" type="hidden" value="([^"]*)"', html)
    )
    assert fields.get("checked"), "the preview page carries the checked file's hash"
    return client.post("/movements/new", data={**fields, "create": "1", **extra})


def _movements():
    return db.session.execute(db.select(Movement)).scalars().all()


def _check_shipped(client, **extra):
    return client.post("/movements/new", data={"source": SHIPPED, "check": "1", **extra})


def test_check_previews_and_creates_nothing_until_confirmed(staff, client):
    page = _check_shipped(client)
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Phong trào thi đua chuyển đổi số trong VKSND thành phố Đà Nẵng" in text
    assert "so-ket-2024" in text and "tong-ket-2025" in text
    assert "30/08/2024" in text  # deadline in Vietnam time, dd/mm/yyyy
    assert _movements() == []


def test_confirm_creates_movement_rounds_and_enrols_the_chosen_clusters(staff, client):
    north = staff["north"].id
    preview = _check_shipped(client, clusters=[north])
    assert _confirm(client, preview, clusters=[north]).status_code == 302
    (movement,) = _movements()
    assert [r.code for r in movement.rounds] == ["so-ket-2024", "tong-ket-2025"]
    assert movement.rounds[0].rules_filename == SHIPPED
    shipped = (setup.shipped_rule_files()[0].parent / SHIPPED).read_bytes()
    assert movement.rounds[0].rules_text.encode() == shipped
    enrolled = db.session.execute(db.select(Candidate).filter_by(movement_id=movement.id)).scalars()
    assert sorted(c.unit.code for c in enrolled) == ["N0", "N1", "N2"]
    actions = set(db.session.execute(db.select(AuditEvent.action)).scalars())
    assert {"movement_created", "units_enrolled"} <= actions


def test_uploaded_file_with_a_typo_names_file_line_and_key(staff, client):
    broken = SMALL_RULES.read_bytes().replace(b"max_points = 30", b"max_pionts = 30", 1)
    response = _upload(client, broken, name="sai.toml")
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "sai.toml" in text and "max_pionts" in text
    assert "max_points" in text  # the suggested fix
    assert _movements() == []


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"format = 1\n", "rules.txt", ".toml"),
        ("format = 1 # Quy tắc".encode("utf-16"), "rules.toml", "UTF-8"),
        (b"#" * 5000, "big.toml", "4 KB"),
        (b"format = 1\n", "x" * 300 + ".toml", "tên tệp"),
    ],
)
def test_bad_uploads_are_refused_with_a_reason(staff, client, monkeypatch, content, name, message):
    # A small limit: werkzeug's test client leaks a temp file for bodies over 500 KB.
    monkeypatch.setattr(setup, "MAX_RULES_BYTES", 4 * 1024)
    text = _upload(client, content, name=name).get_data(as_text=True)
    assert message in text
    assert _movements() == []


def test_uploaded_file_creates_exactly_what_was_checked(staff, client):
    raw = SMALL_RULES.read_bytes()
    preview = _upload(client, raw, name="nho.toml")
    assert "Phong trào thi đua chuyển đổi số (kiểm thử)" in preview.get_data(as_text=True)
    assert _confirm(client, preview).status_code == 302
    (movement,) = _movements()
    assert movement.code == "test-cds" and movement.rounds[0].rules_filename == "nho.toml"
    assert movement.rounds[0].rules_text.encode() == raw


def test_a_tampered_or_unknown_hash_creates_nothing(staff, client):
    preview = _upload(client, SMALL_RULES.read_bytes(), name="nho.toml")
    html = preview.get_data(as_text=True)
    digest = re.search(r'name="checked" type="hidden" value="([0-9a-f]{64})"', html).group(1)
    pending = next(Path(client.application.instance_path).glob("pending_rules/*.toml"))
    pending.write_text(pending.read_text(encoding="utf-8").replace("30", "90"), encoding="utf-8")
    for checked in (digest, "0" * 64, "../../etc/passwd"):
        response = client.post(
            "/movements/new", data={"checked": checked, "filename": "nho.toml", "create": "1"}
        )
        assert "kiểm tra lại" in response.get_data(as_text=True)
    assert _movements() == []


def test_a_later_file_adds_only_its_new_round_and_enrols_nobody_unasked(staff, client):
    north = staff["north"].id
    _confirm(client, _check_shipped(client, clusters=[north]), clusters=[north])
    again = _check_shipped(client)
    assert "nothing to add" in again.get_data(as_text=True) or "không có gì" in again.get_data(
        as_text=True
    )
    assert len(_movements()) == 1
    assert len(db.session.execute(db.select(Round)).scalars().all()) == 2
    _confirm(client, _upload(client, SMALL_RULES.read_bytes(), name="a.toml"))
    extra = SMALL_RULES.read_bytes().replace(b'code = "so-ket-2024"', b'code = "so-ket-2025"')
    _confirm(client, _upload(client, extra, name="b.toml"))
    small = db.session.execute(db.select(Movement).filter_by(code="test-cds")).scalar_one()
    assert [(r.code, r.rules_filename) for r in small.rounds] == [
        ("so-ket-2024", "a.toml"),
        ("so-ket-2025", "b.toml"),
    ]
    # All five units entered with the first file; adding a round enrolled no one twice.
    count = db.session.scalar(
        db.select(db.func.count()).select_from(Candidate).filter_by(movement_id=small.id)
    )
    assert count == 5


def test_secretariat_home_without_movements_offers_the_set_up(staff, client):
    page = client.get("/")
    assert page.status_code == 200
    assert "/movements/new" in page.get_data(as_text=True)


def test_unit_users_and_reviewers_cannot_set_up_movements(make, auth, client):
    for role in ("unit_editor", "reviewer"):
        user = make.user(role)
        db.session.commit()
        auth.login(user)
        assert client.get("/movements/new").status_code == 403
        data = {"source": SHIPPED, "create": "1"}
        assert client.post("/movements/new", data=data).status_code == 403
        auth.logout()
    assert _movements() == []


def test_the_form_needs_its_csrf_token_in_production(app, make, auth, client):
    user = make.user("secretariat")
    db.session.commit()
    auth.login(user)
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/movements/new", data={"source": SHIPPED, "check": "1"})
    assert response.status_code in (200, 400), response.status_code
    assert client.get("/movements/new").status_code == 200  # signed in: refused only for the token
    assert "Phong trào thi đua chuyển đổi số trong VKSND" not in response.get_data(as_text=True)
