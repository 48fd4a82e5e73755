"""Emulation movements: online dossiers, rule-based scoring, council review and reports."""

from pathlib import Path

from flask import Flask, g, has_request_context, request, session
from flask_login import current_user

from .config import DEFAULTS, environment_config, finish_config, instance_path_from_env
from .extensions import babel, csrf, db, login_manager, migrate
from .observability import init_app as init_observability
from .resources import resource_dir
from .security import init_app as init_security
from .version import __version__

__all__ = ["__version__", "create_app", "select_locale"]



def create_app(test_config: dict | None = None) -> Flask:
    """Build the application: defaults < instance config.py < environment < test_config."""
    test_config = dict(test_config or {})
    instance_path = test_config.pop("INSTANCE_PATH", None) or instance_path_from_env()
    app = Flask(
        __name__,
        instance_path=instance_path,
        instance_relative_config=True,
        template_folder=str(resource_dir("templates")),
    )
    app.config.from_mapping(DEFAULTS)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_mapping(environment_config())
    app.config.from_mapping(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    finish_config(app.config, app.instance_path)

    db.init_app(app)
    _configure_sqlite(app)
    migrate.init_app(app, db, directory=str(resource_dir("migrations")), render_as_batch=True)
    csrf.init_app(app)
    _configure_login(app)
    init_security(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        timezone_selector=lambda: app.config["TIMEZONE"],
        default_translation_directories=str(Path(__file__).parent / "translations"),
    )

    from . import models  # noqa: F401  registers the tables
    from .commands import register_commands
    from .notify import models as _notify_models  # noqa: F401
    from .web import register_web

    register_web(app)
    register_commands(app)
    init_observability(app)
    return app


def select_locale() -> str:
    """The user's chosen language: session, then account, then Vietnamese."""
    languages = babel_languages()
    if not has_request_context():
        # A background job speaks the language of the person who started it.
        return g.get("job_locale") if g.get("job_locale") in languages else "vi"
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    if current_user and getattr(current_user, "locale", None) in languages:
        return current_user.locale
    if request.path.startswith("/api/"):
        # Programs say which language they want; the pages stay Vietnamese-first.
        return request.accept_languages.best_match(list(languages)) or "vi"
    return "vi"


def babel_languages() -> dict:
    """Languages the interface is translated into."""
    from flask import current_app

    return current_app.config["LANGUAGES"]


def _configure_login(app: Flask) -> None:
    from flask_babel import lazy_gettext

    from .security.sessions import load_session_user

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = lazy_gettext("Please log in to see this page.")
    login_manager.login_message_category = "warning"

    @login_manager.user_loader
    def load_user(user_id: str):
        # The id carries the user's session version: "logout everywhere" raises it.
        return load_session_user(user_id)


def _configure_sqlite(app: Flask) -> None:
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    from sqlalchemy import event

    with app.app_context():

        @event.listens_for(db.engine, "connect")
        def _pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            # SQLite ignores foreign keys unless asked, and WAL lets readers run during a write.
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=10000")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()
