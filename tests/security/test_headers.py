"""Security headers on every kind of response, and templates that keep the CSP meaningful."""

import re
from pathlib import Path

import pytest

from emulation.extensions import db

TEMPLATES = Path(__file__).parents[2] / "templates"


@pytest.mark.parametrize("path", ["/login", "/", "/no-such-page", "/static/css/app.css"])
def test_headers_on_pages_redirects_errors_and_files(client, path):
    response = client.get(path)
    response.close()
    headers = response.headers
    policy = headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'"  # no inline scripts, no eval
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_headers_on_signed_in_pages(make, client, auth):
    make.user("secretariat", username="thuky")
    db.session.commit()
    auth.login("thuky")
    assert client.get("/account").headers["X-Frame-Options"] == "DENY"


def test_no_template_has_inline_script_or_event_handler():
    offenders = []
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        for match in re.finditer(r"<script\b([^>]*)>(.*?)</script>", text, re.S | re.I):
            if "src=" not in match.group(1) or match.group(2).strip():
                offenders.append(f"{template.relative_to(TEMPLATES)}: inline <script>")
        if re.search(r"<[^>]+\son[a-z]+\s*=", text, re.I):
            offenders.append(f"{template.relative_to(TEMPLATES)}: inline event handler")
        if re.search(r"javascript:", text, re.I):
            offenders.append(f"{template.relative_to(TEMPLATES)}: javascript: URL")
    assert not offenders, "\n".join(offenders)
