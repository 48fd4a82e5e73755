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


def test_a_long_ranking_is_paged_and_every_row_is_one_click_away(page, monkeypatch):
    monkeypatch.setattr("emulation.council.listing.PAGE_SIZE", 4)
    first, body = page()
    assert len(first) == 4 and "data-pager" in body
    # the link to the second page keeps the view and the filters
    link = re.search(r'href="([^"]*page=2[^"]*)"', body)
    assert link and "page=1" not in link.group(1)
    second, body = page(page="2")
    assert len(second) == 2 and not set(first) & set(second)
    assert sorted(first + second) == ["U1", "U2", "U3", "U4", "U5", "U6"]
    assert page(page="2", view="overall")[0] != [] and page(page="99")[0] == second
    assert page(page="-1")[0] == first and page(page="abc")[0] == first
    # the search reaches a row of the second page at once, and counts every match
    found, body = page(q=second[0].lower())
    assert found == [second[0]] and "data-pager" not in body
    _rows, body = page(view="overall", disqualified="no")
    link = re.search(r'href="([^"]*page=2[^"]*)"', body)
    assert link and "view=overall" in link.group(1) and "disqualified=no" in link.group(1)
