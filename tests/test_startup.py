"""Start-up cost: building the app loads no library that only some requests or commands need."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Each takes from a tenth of a second to a second to import; every gunicorn worker, the job
# worker, every `emulation` command and the tests' subprocesses build the app.
LOADED_ON_USE = (
    "asn1crypto",  # trust roots of signed evidence
    "docx",  # council documents, reports
    "fontTools",
    "fpdf",  # PDFs
    "icalendar",  # calendar of deadlines
    "lxml",
    "matplotlib",  # charts
    "openpyxl",  # imports, plan templates
    "PIL",
    "pyhanko",  # loaded by the serving process itself (wsgi.py), not by the app
    "xlsxwriter",  # spreadsheets
)


def test_building_the_app_leaves_file_writers_unloaded(tmp_path):
    # In a fresh interpreter: the tests in this one have imported all of them.
    code = (
        "import json, sys; from emulation import create_app; "
        "app = create_app({'INSTANCE_PATH': sys.argv[1]}); "
        "loaded = sorted({name.split('.')[0] for name in sys.modules}); "
        "print(json.dumps({'loaded': loaded, 'db': 'db' in app.cli.list_commands(None), "
        "'migrations': app.extensions['migrate'].directory}))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "instance")],
        cwd=ROOT, capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    found = json.loads(run.stdout.strip().splitlines()[-1])
    assert sorted(set(LOADED_ON_USE) & set(found["loaded"])) == []
    # The `db` commands and the migrations folder are there all the same.
    assert found["db"]
    assert Path(found["migrations"]) == ROOT / "migrations"

