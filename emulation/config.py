"""Configuration: defaults, then the instance folder's config.py, then the environment."""

import logging
import os
import secrets
from datetime import timedelta
from pathlib import Path

DEFAULTS = {
    "TIMEZONE": "Asia/Ho_Chi_Minh",
    "MAX_UPLOAD_MB": 20,
    "BABEL_DEFAULT_LOCALE": "vi",
    "LANGUAGES": {"vi": "Tiếng Việt", "en": "English"},
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "WTF_CSRF_TIME_LIMIT": None,
    # Security (emulation/security): see README "Security".
    "REMEMBER_COOKIE_DURATION": timedelta(days=14),
    "PLAIN_HTTP": None,
    "PROXY_FIX_X_FOR": 0,
    "LOGIN_RATE_LIMIT": "10 per minute; 100 per hour",
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_HEADERS_ENABLED": True,
    "LOGIN_MAX_FAILURES": 5,
    "LOGIN_LOCKOUT_MINUTES": 15,
    # Notifications (emulation/notify): see README "E-mail notifications".
    "BASE_URL": "",
    "SMTP_HOST": "",
    "SMTP_PORT": 587,
    "SMTP_SECURITY": "starttls",
    "SMTP_USERNAME": "",
    "SMTP_PASSWORD": "",
    "SMTP_TIMEOUT": 30,
    "MAIL_FROM": "Thi đua - Khen thưởng <thidua@localhost>",
    "NOTIFY_MAX_ATTEMPTS": 6,
    "NOTIFY_RETRY_SECONDS": 60,
    "NOTIFY_LEASE_SECONDS": 600,
    "NOTIFY_MARK_EVERY": 20,
    "NOTIFY_REMINDERS": "7d,1d",
    "NOTIFY_DIGEST_HOUR": 7,
    # Several servers (README "Several servers"): evidence store, Redis, job queue.
    "EVIDENCE_STORAGE": "local",
    "S3_PREFIX": "evidence/",
    "S3_REGION": "us-east-1",
    "REDIS_URL": None,
    "JOB_QUEUE": None,
    "LOG_JSON": False,
    "AGENCY_NAMES": [],
    "MAX_FILES_PER_SAVE": 20,
    "MAX_FILES_PER_DOSSIER": 200,
    # Werkzeug's cap on the parts of one multipart request (fields and files together).
    "MAX_FORM_PARTS": 1000,
    # Digital signatures (emulation/signatures): see README "Digital signatures".
    # Relative paths are inside the instance folder.
    "SIGNATURE_TRUST_DIR": "trust",
    "SEAL_PKCS12_FILE": "",
    "SEAL_CERT_FILE": "",
    "SEAL_KEY_FILE": "",
    "SEAL_PASSWORD": "",
}

# Environment variable → config key and converter.
ENVIRONMENT = {
    "DATABASE_URL": ("SQLALCHEMY_DATABASE_URI", str),
    "SECRET_KEY": ("SECRET_KEY", str),
    "EMULATION_MAX_UPLOAD_MB": ("MAX_UPLOAD_MB", int),
    "EMULATION_TIMEZONE": ("TIMEZONE", str),
    "EMULATION_UPLOAD_DIR": ("UPLOAD_DIR", str),
    "EMULATION_PLAIN_HTTP": ("PLAIN_HTTP", lambda v: v.strip().lower() in ("1", "true", "yes")),
    "EMULATION_PROXY_FIX_X_FOR": ("PROXY_FIX_X_FOR", int),
    "EMULATION_LOGIN_RATE_LIMIT": ("LOGIN_RATE_LIMIT", str),
    "EMULATION_RATELIMIT_STORAGE_URI": ("RATELIMIT_STORAGE_URI", str),
    "EMULATION_BASE_URL": ("BASE_URL", str),
    "EMULATION_SMTP_HOST": ("SMTP_HOST", str),
    "EMULATION_SMTP_PORT": ("SMTP_PORT", int),
    "EMULATION_SMTP_SECURITY": ("SMTP_SECURITY", str),
    "EMULATION_SMTP_USERNAME": ("SMTP_USERNAME", str),
    "EMULATION_SMTP_PASSWORD": ("SMTP_PASSWORD", str),
    "EMULATION_MAIL_FROM": ("MAIL_FROM", str),
    "EMULATION_NOTIFY_MAX_ATTEMPTS": ("NOTIFY_MAX_ATTEMPTS", int),
    "EMULATION_NOTIFY_MARK_EVERY": ("NOTIFY_MARK_EVERY", int),
    "EMULATION_EVIDENCE_STORAGE": ("EVIDENCE_STORAGE", str),
    "EMULATION_S3_BUCKET": ("S3_BUCKET", str),
    "EMULATION_S3_ENDPOINT_URL": ("S3_ENDPOINT_URL", str),
    "EMULATION_S3_REGION": ("S3_REGION", str),
    "EMULATION_S3_PREFIX": ("S3_PREFIX", str),
    "EMULATION_S3_ACCESS_KEY_ID": ("S3_ACCESS_KEY_ID", str),
    "EMULATION_S3_SECRET_ACCESS_KEY": ("S3_SECRET_ACCESS_KEY", str),
    "EMULATION_REDIS_URL": ("REDIS_URL", str),
    "EMULATION_JOB_QUEUE": ("JOB_QUEUE", str),
    "EMULATION_METRICS_TOKEN": ("METRICS_TOKEN", str),
    "EMULATION_SIGNATURE_TRUST_DIR": ("SIGNATURE_TRUST_DIR", str),
    "EMULATION_SEAL_PKCS12_FILE": ("SEAL_PKCS12_FILE", str),
    "EMULATION_SEAL_CERT_FILE": ("SEAL_CERT_FILE", str),
    "EMULATION_SEAL_KEY_FILE": ("SEAL_KEY_FILE", str),
    "EMULATION_SEAL_PASSWORD": ("SEAL_PASSWORD", str),
    "EMULATION_LOG_JSON": ("LOG_JSON", lambda v: v.strip().lower() in ("1", "true", "yes")),
}


def instance_path_from_env() -> str:
    """The instance folder: EMULATION_INSTANCE_PATH or ./instance, made absolute."""
    return str(Path(os.environ.get("EMULATION_INSTANCE_PATH", "instance")).resolve())


def environment_config() -> dict:
    """Config values set through environment variables."""
    found = {}
    for var, (key, convert) in ENVIRONMENT.items():
        if os.environ.get(var):
            try:
                found[key] = convert(os.environ[var])
            except ValueError as exc:
                raise SystemExit(f"{var}={os.environ[var]!r} is not valid: {exc}") from exc
    return found


def normalise_database_url(url: str) -> str:
    """Use the psycopg 3 driver for PostgreSQL URLs written without a driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def finish_config(config, instance_path: str) -> None:
    """Fill the values derived from others: database URL, upload folder, secret, size limit."""
    instance = Path(instance_path)
    if not config.get("SQLALCHEMY_DATABASE_URI"):
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance / 'emulation.db'}"
    config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(config["SQLALCHEMY_DATABASE_URI"])
    config.setdefault("UPLOAD_DIR", str(instance / "uploads"))
    for key in ("SIGNATURE_TRUST_DIR", "SEAL_PKCS12_FILE", "SEAL_CERT_FILE", "SEAL_KEY_FILE"):
        if config.get(key):
            config[key] = str(instance / config[key])  # an absolute path stays as it is
    own_seal = instance / "seal"
    if not (config.get("SEAL_PKCS12_FILE") or config.get("SEAL_CERT_FILE")) and (
        (own_seal / "seal.crt").is_file() and (own_seal / "seal.key").is_file()
    ):
        # The pair the demo (or an administrator) put in the instance's seal/ folder.
        config["SEAL_CERT_FILE"] = str(own_seal / "seal.crt")
        config["SEAL_KEY_FILE"] = str(own_seal / "seal.key")
    # One save may carry several files, each checked against MAX_UPLOAD_MB on its own.
    config.setdefault("MAX_REQUEST_MB", int(config["MAX_UPLOAD_MB"]) * 4 + 1)
    config["MAX_CONTENT_LENGTH"] = int(config["MAX_REQUEST_MB"]) * 1024 * 1024
    if config.get("REDIS_URL") and config.get("RATELIMIT_STORAGE_URI") == "memory://":
        # One count of login attempts across every worker and server.
        config["RATELIMIT_STORAGE_URI"] = config["REDIS_URL"]
    if config.get("JOB_QUEUE") is None:
        # Without a broker jobs run in a thread of the web process; under tests, in the request.
        fallback = "sync" if config.get("TESTING") else "thread"
        config["JOB_QUEUE"] = "rq" if config.get("REDIS_URL") else fallback
    if not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = instance_secret(instance)
        if config.get("REDIS_URL"):
            # Each machine would sign sessions with its own key: a login on one server
            # would be refused by the next. Several servers need one SECRET_KEY.
            logging.getLogger("emulation").warning(
                "SECRET_KEY is not set: several servers must share one (README: Several servers)"
            )


def instance_secret(instance: Path) -> str:
    """Read the instance's secret key, generating it once on first start."""
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        # O_EXCL: two workers starting together must not write two different keys.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
    return path.read_text().strip()
