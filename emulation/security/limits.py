"""The per-address rate limiter (Flask-Limiter); storage from RATELIMIT_STORAGE_URI."""

from flask import current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(key_func=get_remote_address, default_limits=[])


def login_limit() -> str:
    """The per-address limit on login attempts, e.g. '10 per minute; 100 per hour'."""
    return current_app.config["LOGIN_RATE_LIMIT"]
