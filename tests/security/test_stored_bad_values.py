"""A round holding a non-finite stored value: the council sees which dossier, never a 500."""

import math

import pytest

from emulation.extensions import db
from emulation.models import IndicatorValue
from emulation.standings.live import clear_cache
from tests.security.authz._world import build_world
from tests.signin import signed_in_token


@pytest.fixture
def poisoned(app, make, set_now):
    """The world, with unit A's submitted HOP value stored as infinity (as old code could)."""
    w = build_world(make, set_now)
    row = db.session.execute(
        db.select(IndicatorValue).filter_by(dossier_id=w.dossier_a.id, column="HOP")
    ).scalar_one()
    row.value = math.inf
    db.session.commit()
    # The ranking caches a round's values by its versions' hashes and reuses a ranking while
    # the dossiers' locks are unchanged, all of which this edit bypasses.
    clear_cache()
    yield w
    clear_cache()


def _signed_in(app, user):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = signed_in_token(user)
        session["lang"] = "en"
    return client


def test_every_round_page_and_export_names_the_dossier_instead_of_failing(poisoned, app):
    r, d = poisoned.round.id, poisoned.dossier_a.id
    client = _signed_in(app, poisoned.users["secretariat"])
    pages = [
        f"/council/rounds/{r}/ranking",
        f"/council/rounds/{r}/ranking?view=overall",
        f"/council/rounds/{r}/candidates/{d}",
        f"/council/rounds/{r}/whatif",
        f"/council/rounds/{r}/gaps",
        f"/reports/rounds/{r}",
        *[f"/reports/rounds/{r}/report.{fmt}" for fmt in ("html", "pdf", "docx", "xlsx")],
    ]
    pages += [
        str(rule).replace("<int:round_id>", str(r)).replace("<fmt>", fmt)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("exports.") and "round_id" in rule.arguments
        for fmt in ("csv", "xlsx", "json")
    ]
    assert client.get(pages[0]).status_code == 409
    for path in pages:
        response = client.get(path)
        assert response.status_code in (200, 409), (path, response.status_code)
        if response.status_code == 409:
            text = response.get_data(as_text=True)
            assert "Đơn vị A" in text and f"/dossiers/{d}" in text, path


def test_the_api_answers_valid_json(poisoned, app):
    from emulation.api.tokens import create_token

    _token, secret = create_token(poisoned.users["secretariat"], "x", now=poisoned.round.deadline)
    db.session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    client = app.test_client()
    for path in (
        f"/api/v1/rounds/{poisoned.round.id}/ranking",
        f"/api/v1/dossiers/{poisoned.dossier_a.id}",
    ):
        response = client.get(path, headers=headers)
        assert response.status_code in (200, 409), path
        assert "Infinity" not in response.get_data(as_text=True)
        response.get_json()  # parses


def test_data_check_reports_the_stored_value(poisoned, app):
    result = app.test_cli_runner().invoke(args=["data", "check"])
    assert result.exit_code == 1
    assert f"dossier {poisoned.dossier_a.id} of UA" in result.output and "HOP" in result.output
