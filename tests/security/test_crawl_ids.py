"""Every GET page as every role, each URL argument replaced by 0, -1, 2**70 or a non-number:
never a 500 (the `int` converter is bounded, views 404 on a missing row)."""

import re

from flask import url_for

from tests.security.authz._roles import ROLES
from tests.security.authz._world import build_world
from tests.signin import signed_in_token

from .test_authz import EXPECTED

BAD = ("0", "-1", str(2**70), "abc")
ARGUMENT = re.compile(r"<(?:[a-z_]+(?:\([^)]*\))?:)?([a-z_]+)>")


def _urls(app, world):
    """(rule text, URL) for every GET rule with arguments, one argument made bad at a time."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods or not rule.arguments or rule.endpoint == "static":
            continue
        entry = EXPECTED.get(rule.endpoint, {})
        good = {k: str(v) for k, v in entry.get("url", lambda w: {})(world).items()}
        for name in rule.arguments:
            for bad in BAD:
                values = dict(good, **{name: bad})
                path = ARGUMENT.sub(lambda m, v=values: v.get(m.group(1), "x"), rule.rule)
                yield rule.rule, path


def test_no_page_fails_on_hostile_ids(app, make, set_now):
    world = build_world(make, set_now)
    with app.test_request_context():
        url_for("main.home")
    clients = {}
    for role in ROLES:
        client = app.test_client()
        if role != "anonymous":
            with client.session_transaction() as session:
                session["_user_id"] = signed_in_token(world.users[role])
        clients[role] = client
    failures, count = [], 0
    for rule, path in _urls(app, world):
        for role, client in clients.items():
            response = client.get(path)
            response.close()
            count += 1
            if response.status_code >= 500:
                failures.append(f"{role} GET {path} ({rule}) gave {response.status_code}")
    assert count > 500
    assert not failures, "\n".join(failures)
