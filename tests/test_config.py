"""Configuration layers: defaults < instance config.py < environment < test_config."""

import os
import stat

import pytest

from emulation import create_app
from emulation.config import normalise_database_url


@pytest.fixture
def instance(tmp_path, monkeypatch):
    """An empty instance folder named by EMULATION_INSTANCE_PATH."""
    path = tmp_path / "inst"
    monkeypatch.setenv("EMULATION_INSTANCE_PATH", str(path))
    for var in ("DATABASE_URL", "SECRET_KEY", "EMULATION_MAX_UPLOAD_MB", "EMULATION_TIMEZONE"):
        monkeypatch.delenv(var, raising=False)
    return path


def test_defaults_use_sqlite_in_instance_folder(instance):
    app = create_app()
    assert app.instance_path == str(instance)
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{instance / 'emulation.db'}"
    assert app.config["TIMEZONE"] == "Asia/Ho_Chi_Minh"
    assert app.config["MAX_UPLOAD_MB"] == 20
    assert app.config["UPLOAD_DIR"] == str(instance / "uploads")


def test_instance_file_beats_defaults_and_environment_beats_file(instance, monkeypatch):
    instance.mkdir()
    (instance / "config.py").write_text("MAX_UPLOAD_MB = 5\nTIMEZONE = 'Asia/Bangkok'\n")
    assert create_app().config["MAX_UPLOAD_MB"] == 5
    monkeypatch.setenv("EMULATION_MAX_UPLOAD_MB", "7")
    app = create_app()
    assert app.config["MAX_UPLOAD_MB"] == 7
    assert app.config["TIMEZONE"] == "Asia/Bangkok"
    assert create_app({"MAX_UPLOAD_MB": 9}).config["MAX_UPLOAD_MB"] == 9


def test_database_url_from_environment(instance, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@db.example/emu")
    assert create_app().config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example/emu"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://a@h/d", "postgresql+psycopg://a@h/d"),
        ("postgresql://a@h/d", "postgresql+psycopg://a@h/d"),
        ("postgresql+psycopg://a@h/d", "postgresql+psycopg://a@h/d"),
        ("sqlite:///x.db", "sqlite:///x.db"),
    ],
)
def test_normalise_database_url(given, expected):
    assert normalise_database_url(given) == expected


def test_secret_key_generated_once_and_private(instance):
    first = create_app().config["SECRET_KEY"]
    second = create_app().config["SECRET_KEY"]
    assert first == second
    assert len(first) >= 32
    mode = stat.S_IMODE(os.stat(instance / "secret_key").st_mode)
    assert mode == 0o600


def test_secret_key_from_environment_is_not_written(instance, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-env")
    assert create_app().config["SECRET_KEY"] == "from-env"
    assert not (instance / "secret_key").exists()


def test_invalid_environment_value_is_named(instance, monkeypatch):
    monkeypatch.setenv("EMULATION_MAX_UPLOAD_MB", "lots")
    with pytest.raises(SystemExit, match="EMULATION_MAX_UPLOAD_MB"):
        create_app()


def test_upload_limit_sets_request_limit(instance):
    app = create_app({"MAX_UPLOAD_MB": 2})
    assert app.config["MAX_CONTENT_LENGTH"] == 9 * 1024 * 1024  # four files and the form


def test_oversized_request_gets_the_413_page_in_vietnamese(instance):
    app = create_app({"MAX_UPLOAD_MB": 1, "MAX_REQUEST_MB": 1})
    response = app.test_client().post("/login", data={"f": "x" * (2 * 1024 * 1024)})
    assert response.status_code == 413
    assert "vượt quá 1 MB" in response.get_data(as_text=True)
