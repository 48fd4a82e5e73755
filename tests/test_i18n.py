"""Vietnamese first, English available, and every interface string translated."""

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

import emulation
from emulation.resources import resource_dir

TRANSLATIONS = Path(emulation.__file__).parent / "translations"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def _extracted_ids() -> set[str]:
    ids = set()
    sources = [
        (Path(emulation.__file__).parent, [("**.py", "python")]),
        (resource_dir("templates"), [("**.html", "jinja2"), ("**.txt", "jinja2")]),
    ]
    for directory, method_map in sources:
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(directory), method_map, keywords=KEYWORDS
        ):
            ids.add(message if isinstance(message, str) else message[0])
    return ids


def test_every_interface_string_has_a_vietnamese_translation():
    with open(TRANSLATIONS / "vi/LC_MESSAGES/messages.po", "rb") as handle:
        catalog = read_po(handle, locale="vi")
    translated = {m.id for m in catalog if m.id and m.string and "fuzzy" not in m.flags}
    missing = sorted(_extracted_ids() - translated)
    assert missing == [], "run the translation update described in README.md"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_compiled_catalogue_matches_source(lang):
    with open(TRANSLATIONS / f"{lang}/LC_MESSAGES/messages.po", "rb") as handle:
        source = {m.id: m.string for m in read_po(handle, locale=lang) if m.id}
    with open(TRANSLATIONS / f"{lang}/LC_MESSAGES/messages.mo", "rb") as handle:
        compiled = {m.id: m.string for m in read_mo(handle) if m.id}
    assert {k: v for k, v in source.items() if v} == compiled


def test_login_page_is_vietnamese_by_default(client):
    body = client.get("/login").get_data(as_text=True)
    assert '<html lang="vi">' in body
    assert "Đăng nhập" in body
    assert "Hệ thống Quản lý Thi đua – Khen thưởng" in body


def test_language_switch_to_english_and_back(client):
    response = client.post("/lang", data={"lang": "en", "next": "/login"})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    body = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in body and "Sign in" in body and "Đăng nhập" not in body
    client.post("/lang", data={"lang": "vi", "next": "/login"})
    assert "Đăng nhập" in client.get("/login").get_data(as_text=True)


def test_language_choice_is_remembered_for_the_account(make, client, auth):
    from emulation.extensions import db

    user = make.user("secretariat", username="thuky")
    db.session.commit()
    auth.login(user)
    client.post("/lang", data={"lang": "en", "next": "/"})
    db.session.refresh(user)
    assert user.locale == "en"
    auth.logout()
    with client.session_transaction() as session:
        session.clear()
    auth.login(user)
    assert "Sign out" in client.get("/").get_data(as_text=True)


def test_unknown_language_refused(client):
    assert client.post("/lang", data={"lang": "xx"}).status_code == 400


def test_switch_does_not_redirect_off_site(client):
    response = client.post("/lang", data={"lang": "en", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
