"""Units renamed, merged or split mid-movement: the successor carries dossiers and history."""

from datetime import date

from emulation.council.ranking import live_ranking
from emulation.extensions import db
from emulation.history.operations import history_of, import_history
from emulation.history.succession import merge_units, rename_unit, split_unit, unit_label
from emulation.models import Candidate, Dossier

from .conftest import AFTER
from .test_history import _table

JULY = date(2025, 7, 1)


def test_rename_keeps_everything_and_names_both(council, interim_dossiers, auth, client):
    unit = council.units["U1"]
    rename_unit(unit, "VKSND khu vực 1", effective_on=JULY, user=None, now=AFTER)
    db.session.commit()
    assert unit_label(unit) == "VKSND khu vực 1 (trước đây VKSND U1)"
    rows = {r["unit_code"]: r for r in live_ranking(council.interim).results()["results"]}
    assert rows["U1"]["unit_name"] == "VKSND khu vực 1"  # the dossier stayed with the unit
    auth.login(council.secretariat)
    page = client.get("/units/U1").get_data(as_text=True)
    assert "VKSND khu vực 1 (trước đây VKSND U1)" in page


def test_merge_carries_dossiers_people_and_history(council, interim_dossiers, make):
    import_history(_table([["U5", "", 2023, "tt-ldxs", "TTLĐXS", "", ""]]), "h.xlsx",
                   user=None, now=AFTER)  # fmt: skip
    person = Candidate(movement=council.movement, unit=council.units["U5"], kind="individual",
                       person_name="Lê Thị Hoa")  # fmt: skip
    db.session.add(person)
    region = make.unit(code="KV2", name="VKSND khu vực 2")
    db.session.commit()
    merge_units([council.units["U5"], council.units["U6"]], region, effective_on=JULY,
                user=None, now=AFTER)  # fmt: skip
    db.session.commit()
    # U5's candidate (with its dossier and scores) now belongs to the successor;
    # U6's stays its own, as the successor competes already
    assert council.candidates["U5"].unit_id == region.id and person.unit_id == region.id
    assert council.candidates["U6"].unit_id == council.units["U6"].id
    dossier = db.session.get(Dossier, interim_dossiers["U5"].id)
    assert dossier.candidate.unit == region
    assert not council.units["U5"].active and not council.units["U6"].active
    assert [r.award_code for r in history_of(region, None)] == ["tt-ldxs"]
    label = unit_label(region)
    assert label.startswith("VKSND khu vực 2 (trước đây ") and "VKSND U5" in label
    rows = {r["unit_code"]: r for r in live_ranking(council.interim).results()["results"]}
    assert rows["KV2"]["total"] == 77 and "U5" not in rows


def test_split_shares_history_and_refuses_nonsense(council, make):
    import pytest

    from emulation.history.succession import SuccessionError

    import_history(_table([["U3", "", 2022, "ldtt", "LĐTT", "", ""]]), "h.xlsx", user=None,
                   now=AFTER)  # fmt: skip
    a, b = make.unit(code="KV3", name="Khu vực 3"), make.unit(code="KV4", name="Khu vực 4")
    db.session.commit()
    with pytest.raises(SuccessionError):
        split_unit(council.units["U3"], [a], effective_on=JULY, user=None, now=AFTER)
    with pytest.raises(SuccessionError):
        rename_unit(council.units["U3"], "  ", effective_on=JULY, user=None, now=AFTER)
    split_unit(council.units["U3"], [a, b], effective_on=JULY, user=None, now=AFTER)
    db.session.commit()
    assert [r.year for r in history_of(a, None)] == [2022] == [r.year for r in history_of(b, None)]
    assert council.candidates["U3"].unit_id == council.units["U3"].id  # no dossier is guessed


def test_unit_change_commands(council, app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["unit-change", "rename", "U2", "VKSND khu vực 5",
                                 "--on", "2025-07-01"])  # fmt: skip
    assert result.exit_code == 0 and council.units["U2"].name == "VKSND khu vực 5"
    result = runner.invoke(args=["unit-change", "merge", "U3", "--into", "U3", "--on",
                                 "2025-07-01"])  # fmt: skip
    assert result.exit_code == 1 and "đơn vị kế thừa khác" in result.output


def test_secretariat_records_changes_on_the_page_and_rankings_name_both(
    council, interim_dossiers, auth, client, make
):
    auth.login(council.secretariat)
    url = "/admin/unit-changes"
    assert "Thay đổi đơn vị" in client.get(url).get_data(as_text=True)
    u1 = council.units["U1"]
    data = {"kind": "rename", "units": [str(u1.id)], "new_name": "VKSND khu vực 1",
            "effective_on": "01/07/2025"}  # fmt: skip
    assert client.post(url, data=data).status_code == 302
    label = "VKSND khu vực 1 (trước đây VKSND U1)"
    assert label in client.get(url).get_data(as_text=True)
    assert label in client.get(f"/council/rounds/{council.interim.id}/ranking").get_data(
        as_text=True
    )
    assert label in client.get(f"/reports/rounds/{council.interim.id}").get_data(as_text=True)
    # A merge without its one successor, or a date typed the wrong way, is refused and said why.
    region = make.unit(code="KV2", name="VKSND khu vực 2")
    db.session.commit()
    merge = {"kind": "merge", "units": [str(council.units["U5"].id)], "effective_on": "01/07/2025"}
    refused = client.post(url, data=merge)
    assert refused.status_code == 422 and "đơn vị kế thừa" in refused.get_data(as_text=True)
    bad_day = client.post(url, data=merge | {"successors": [str(region.id)],
                                             "effective_on": "2025-13-01"})  # fmt: skip
    assert bad_day.status_code == 422
    assert client.post(url, data=merge | {"successors": [str(region.id)]}).status_code == 302
    db.session.expire_all()
    assert not council.units["U5"].active
    assert "VKSND khu vực 2 (trước đây VKSND U5)" in client.get(
        f"/council/rounds/{council.interim.id}/ranking"
    ).get_data(as_text=True)
