"""Robustness defects found by probing: far-future dates, huge ids, file counts, offline
commands, report headers, a file named only by its extension."""

import io
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from emulation.evidence import UploadRefused, store_upload
from emulation.extensions import db
from emulation.models import DeadlineExtension, EvidenceFile, SupplementRequest
from emulation.timefmt import plus
from tests.security.authz._world import DEADLINE, PDF, build_world
from tests.signin import signed_in_token

ROOT = Path(__file__).parents[2]
RULES = ROOT / "scoring_rules" / "vksnd_danang_cds_2023_2025.toml"


@pytest.fixture
def world(app, make, set_now):
    return build_world(make, set_now)


def _client(app, user, lang="en"):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = signed_in_token(user)
        session["lang"] = lang
    return client


def test_an_extension_at_the_calendars_end_breaks_no_page(app, world, set_now):
    """Stored before dates were range-checked: the pages still answer, and say why not."""
    world.round.late_policy, world.round.grace_seconds = "accept_flagged", 3600
    end = datetime(9999, 12, 31, 23, 59, tzinfo=UTC)
    db.session.add(
        DeadlineExtension(round_id=world.round.id, unit_id=world.units["B"].id, until=end,
                          reason="x", granted_at=DEADLINE)
    )  # fmt: skip
    db.session.add(
        SupplementRequest(dossier_id=world.dossier_a.id, reason="x", criteria=["TC1"],
                          due_at=end, requested_at=DEADLINE)
    )  # fmt: skip
    db.session.commit()
    set_now(DEADLINE + timedelta(days=1))
    editor = _client(app, world.users["editor_b"])
    for path in ("/", "/units/UB", f"/dossiers/{world.dossier_b.id}",
                 f"/dossiers/{world.dossier_b.id}/edit"):  # fmt: skip
        assert editor.get(path).status_code == 200, path
    staff = _client(app, world.users["secretariat"])
    for path in (f"/rounds/{world.round.id}", "/", f"/dossiers/{world.dossier_a.id}"):
        assert staff.get(path).status_code == 200, path
    assert plus(end, timedelta(hours=1)).year == 9999


@pytest.mark.parametrize(
    "path",
    [
        "/dossiers/99999999999999999999999",
        "/evidence/99999999999999999999999",
        "/council/reviews/99999999999999999999999",
        "/council/rounds/99999999999999999999999/ranking",
        f"/dossiers/{2**31}/edit",
    ],
)
def test_huge_ids_are_not_found(app, world, path):
    assert _client(app, world.users["admin"]).get(path).status_code == 404


def _pdf(n: int) -> tuple[io.BytesIO, str]:
    return io.BytesIO(PDF + f"so {n}".encode()), f"minh-chung-{n}.pdf"


def test_file_count_limits_per_save_and_per_dossier(app, world, set_now):
    set_now(DEADLINE - timedelta(days=1))
    app.config.update(MAX_FILES_PER_SAVE=3, MAX_FILES_PER_DOSSIER=4)
    editor = _client(app, world.users["editor_b"])
    url = f"/dossiers/{world.dossier_b.id}/edit"
    before = db.session.scalar(db.select(db.func.count()).select_from(EvidenceFile))

    def save(n: int):
        data = {"lock_version": str(world.dossier_b.lock_version),
                "ev_TC1": [_pdf(i) for i in range(n)]}  # fmt: skip
        return editor.post(url, data=data, content_type="multipart/form-data")

    response = save(4)
    assert response.status_code == 413
    assert "at most 3 files may be sent in one save" in response.get_data(as_text=True)
    # The dossier already holds one file (the world's); 3 more would make 4, 4 more too many.
    assert save(3).status_code == 302
    db.session.expire_all()
    response = save(1)
    assert response.status_code == 413
    assert "A dossier may hold at most 4 files" in response.get_data(as_text=True)
    count = db.session.scalar(db.select(db.func.count()).select_from(EvidenceFile))
    assert count == before + 3


# Werkzeug stops parsing at the part limit and leaves its spooled buffer to the collector.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_too_many_parts_names_the_real_cause(app, world, set_now):
    set_now(DEADLINE - timedelta(days=1))
    app.config["MAX_FORM_PARTS"] = 50
    editor = _client(app, world.users["editor_b"])
    data = {"lock_version": "1", "ev_TC1": [_pdf(i) for i in range(60)]}
    response = editor.post(
        f"/dossiers/{world.dossier_b.id}/edit", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 413
    text = response.get_data(as_text=True)
    assert "too many files or fields" in text and " MB" not in text.split("too many")[1][:200]


def test_html_report_has_one_charset(app, world):
    response = _client(app, world.users["secretariat"]).get(
        f"/reports/rounds/{world.round.id}/report.html"
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"].lower().count("charset") == 1


def test_a_file_named_only_by_its_extension(app, tmp_path):
    with pytest.raises(UploadRefused) as refused:
        store_upload(io.BytesIO(PDF), ".pdf", upload_dir=tmp_path, max_bytes=1 << 20)
    message = refused.value.message("en")
    assert "has an extension but no name" in message and "does not end in" not in message


def _run(args, cwd):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("EMULATION_INSTANCE_PATH", None)
    code = "import sys; from emulation.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", code, *args], cwd=cwd, env=env, capture_output=True, text=True
    )


def test_offline_commands_create_no_instance(tmp_path):
    values = RULES.with_name(RULES.stem + ".so-ket-2024.csv")
    assert _run(["rules", "check", str(RULES)], tmp_path).returncode == 0
    result = _run(["score", str(RULES), str(values), "-o", "out.csv"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "instance").exists()


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_score_output_neutralises_formulas(tmp_path, fmt):
    source = RULES.with_name(RULES.stem + ".so-ket-2024.csv")
    frame = pd.read_csv(source, dtype=str, keep_default_na=False)
    frame.loc[0, "unit_name"] = '=HYPERLINK("http://evil.example","Bấm")'
    hostile = tmp_path / "values.csv"
    frame.to_csv(hostile, index=False)
    result = _run(["score", str(RULES), str(hostile), "-o", f"out.{fmt}"], tmp_path)
    assert result.returncode == 0, result.stderr
    out = tmp_path / f"out.{fmt}"
    if fmt == "csv":
        cells = out.read_text(encoding="utf-8")
        assert "'=HYPERLINK" in cells and ",=HYPERLINK" not in cells
    else:
        sheet = load_workbook(out).active
        names = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
        assert any(v.startswith("'=HYPERLINK") for v in names)
        assert not any(v.startswith("=") for v in names)
