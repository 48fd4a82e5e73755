"""Where to send a user back to: only a path on this site."""

from urllib.parse import urlsplit

from flask import url_for


def safe_next(target: str | None) -> str:
    """Follow ?next= only to a path on this site, never to another host."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/"):
            return target
    return url_for("main.home")
