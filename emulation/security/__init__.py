"""Security: login throttling, cookie flags, session versions, password policy, account page."""

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from .limits import limiter
from .passwords import check_password_policy

__all__ = ["allow_plain_http", "check_password_policy", "init_app", "limiter"]


def init_app(app: Flask) -> None:
    """Set cookie flags, start the rate limiter and register the account pages."""
    from .converters import IdConverter
    from .views import bp, require_password_change, too_many_requests

    # Before any blueprint adds its rules: every <int:id> in the app is bounded.
    app.url_map.converters["int"] = IdConverter

    plain = app.config.get("PLAIN_HTTP")
    if plain is None:
        # The test client speaks http://localhost; production must opt out explicitly.
        plain = app.testing
    set_cookie_security(app, secure=not plain)
    proxies = int(app.config.get("PROXY_FIX_X_FOR") or 0)
    if proxies:
        # Behind a reverse proxy the client's address (for the rate limit) is in X-Forwarded-For.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    limiter.init_app(app)
    app.register_blueprint(bp)
    app.register_error_handler(429, too_many_requests)
    app.before_request(require_password_change)


def set_cookie_security(app: Flask, *, secure: bool) -> None:
    """Session and remember-me cookies: HttpOnly, SameSite=Lax, Secure unless plain HTTP."""
    for prefix in ("SESSION_COOKIE_", "REMEMBER_COOKIE_"):
        app.config[prefix + "SECURE"] = secure
        app.config[prefix + "HTTPONLY"] = True
        app.config[prefix + "SAMESITE"] = "Lax"


def allow_plain_http(app: Flask) -> None:
    """Let cookies travel over plain HTTP: only for the demo served on http://127.0.0.1."""
    app.config["PLAIN_HTTP"] = True
    set_cookie_security(app, secure=False)
