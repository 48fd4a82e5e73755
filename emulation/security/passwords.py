"""Password policy: long enough, not the username, not a well-known password."""

from contextlib import nullcontext

from flask import has_request_context
from flask_babel import force_locale
from flask_babel import gettext as _

MIN_LENGTH = 10
# The most guessed passwords of 10+ characters, lists of leaked passwords and local favourites.
COMMON_PASSWORDS = frozenset(
    {
        "1234567890",
        "12345678910",
        "0123456789",
        "0987654321",
        "1111111111",
        "1234512345",
        "123456789a",
        "a123456789",
        "1q2w3e4r5t",
        "qwertyuiop",
        "qwerty1234",
        "qwerty12345",
        "asdfghjkl;",
        "password12",
        "password123",
        "password1234",
        "passw0rd123",
        "abc1234567",
        "abcd123456",
        "admin12345",
        "admin123456",
        "administrator",
        "iloveyou123",
        "welcome123",
        "matkhau123",
        "matkhau1234",
        "matkhau@123",
        "123456aa@@",
        "vietnam123",
        "vietnam@123",
        "thidua2024",
        "thidua2025",
        "thidua@2024",
        "thidua@2025",
        "khenthuong",
        "khenthuong123",
        "vksnd12345",
        "changeme123",
        "letmein123",
    }
)


def check_password_policy(password: str, username: str) -> list[str]:
    """Every reason `password` is refused for `username` (translated); empty when acceptable."""
    # Outside a request (the CLI) there is no user's language: answer in English like the CLI.
    with nullcontext() if has_request_context() else force_locale("en"):
        problems = []
        if len(password) < MIN_LENGTH:
            problems.append(_("The password must be at least %(n)s characters long.", n=MIN_LENGTH))
        lowered = password.casefold()
        name = (username or "").strip().casefold()
        if name and (lowered == name or (len(name) >= 3 and name in lowered)):
            problems.append(_("The password must not contain the username."))
        if lowered in COMMON_PASSWORDS or len(set(lowered)) <= 2:
            problems.append(_("This password is too common or too easy to guess; choose another."))
        return [str(p) for p in problems]
