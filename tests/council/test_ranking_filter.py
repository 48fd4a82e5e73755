"""The ranking page filtered by cluster, band, award, excluded and unit; counts stay whole."""

import re

import pytest


@pytest.fixture
def page(council, interim_dossiers, auth, client):
    """The interim ranking's unit codes as listed for a query, for a council member."""
    auth.login(council.r1)

    def listed(**query):
        response = client.get(f"/council/rounds/{council.interim.id}/ranking", query_string=query)
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        return sorted(set(re.findall(r'data-key="(U\d)"', body))), body

    return listed


def test_ranking_filters_keep_only_matching_rows(page):
    everyone, _body = page()
    assert everyone == ["U1", "U2", "U3", "U4", "U5", "U6"]
    assert page(group="Cụm 2")[0] == ["U5", "U6"]
    assert page(disqualified="yes")[0] == ["U4"]
    assert "U4" not in page(disqualified="no")[0]
    awarded, body = page(award="yes")
    assert awarded and "U3" not in awarded and "U4" not in awarded
    assert "Giấy khen" in body
    assert "U3" in page(award="no")[0]
    assert page(q="vksnd u5")[0] == ["U5"]
    assert page(q="u5", view="overall")[0] == ["U5"]
    banded = sorted(set(page()[0]) - {"U3", "U4"})  # U3 has no band, U4 is excluded
    first_band = re.search(r'<select id="band" name="band">.*?<option value="([^"]+)"', body, re.S)
    assert first_band and set(page(band=first_band.group(1))[0]) <= set(banded)


def test_unknown_filter_values_never_fail(page):
    assert page(award="maybe", disqualified="<x>", group="nope")[0] == []
    assert page(award="maybe", disqualified="<x>")[0] == ["U1", "U2", "U3", "U4", "U5", "U6"]
