"""What-if sandbox: unit weights reproduce the live ranking; scenarios never touch live data."""

import csv
import io
import re

import numpy as np
import pytest
from sqlalchemy import func

from emulation.council.ranking import live_ranking
from emulation.council.whatif import Sandbox, changes, stability
from emulation.extensions import db

from .conftest import reviewed


def _equal_to_live(result):
    box = Sandbox(result)
    outcome = box.rerank(np.ones(box.k))
    table = result.table
    assert np.array_equal(outcome.total, table["total"].to_numpy(dtype=float))
    for name in ("rank_in_group", "rank_overall"):
        assert np.array_equal(getattr(outcome, name), table[name].fillna(0).to_numpy(dtype=int))
    assert [box.tier(a) for a in outcome.award] == list(table["award_tier"])


def test_unit_weights_reproduce_the_live_ranking(council, interim_dossiers):
    reviewed(interim_dossiers["U2"], council.r1, {"GOPY": 7.25, "KYSO": 21}, by=council.secretariat)
    _equal_to_live(live_ranking(council.interim).result)


def test_unit_weights_reproduce_the_seed_movement():
    from pathlib import Path

    from emulation.scoring import load_rules, read_values, score

    folder = Path(__file__).parents[2] / "scoring_rules"
    rules = load_rules(folder / "vksnd_danang_cds_2023_2025.toml")
    for code in ("so-ket-2024", "tong-ket-2025"):
        values = read_values(folder / f"vksnd_danang_cds_2023_2025.{code}.csv", rules)
        _equal_to_live(score(rules, values, round_code=code))


def test_given_change_lists_who_moves(council, interim_dossiers):
    box = Sandbox(live_ranking(council.interim).result)
    base = box.rerank(np.ones(box.k))
    moved = changes(box, base, box.rerank(box.weights_for_groups({"B": 0})))
    lost = {c["key"] for c in moved if c["award_before"] and not c["award_after"]}
    assert lost == {"U1", "U2"}  # without group B nobody reaches "Tốt"


def test_random_perturbations_report_stability(council, interim_dossiers):
    box = Sandbox(live_ranking(council.interim).result)
    rows = {r["key"]: r for r in stability(box, runs=200, spread=0.10, seed=3)}
    # U1 (77) and U2 (77.5) hold the two Giấy khen places of Cụm 1 whatever the weights: U3 is far
    assert rows["U1"]["kept"] == 1.0 and rows["U2"]["kept"] == 1.0
    # the U5/U6 tie splits under most perturbations, giving one of them the Cụm 2 place
    assert rows["U5"]["kept"] < 1.0 and rows["U6"]["kept"] < 1.0
    assert "U4" not in rows  # disqualified: never near a cut-off


def _counts():
    return {
        t.name: db.session.scalar(db.select(func.count()).select_from(t))
        for t in db.metadata.sorted_tables
    }


def test_sandbox_page_leaves_live_data_untouched(council, interim_dossiers, auth, client):
    reviewed(interim_dossiers["U2"], council.r1, {"GOPY": 9}, by=council.secretariat)
    before_rows = live_ranking(council.interim).results()
    auth.login(council.secretariat)
    before = _counts()
    url = f"/council/rounds/{council.interim.id}/whatif"
    given = client.post(
        url,
        data={"mode": "given", "w_A": "100", "w_B": "0", "runs": "50", "spread": "10", "seed": "1"},
    )
    assert given.status_code == 200 and 'data-key="U1"' in given.get_data(as_text=True)
    randomised = client.post(
        url,
        data={
            "mode": "random",
            "w_A": "100",
            "w_B": "100",
            "runs": "50",
            "spread": "10",
            "seed": "1",
        },
    )
    assert randomised.status_code == 200 and 'data-key="U5"' in randomised.get_data(as_text=True)
    db.session.expire_all()
    assert _counts() == before
    assert live_ranking(council.interim).results() == before_rows


def test_sandbox_is_for_the_secretariat_only(council, interim_dossiers, auth, client):
    for user in (council.r1, council.editor):
        auth.login(user)
        assert client.get(f"/council/rounds/{council.interim.id}/whatif").status_code == 403
        auth.logout()


@pytest.mark.commits  # the job writes its progress and result in transactions of its own
def test_many_perturbations_run_as_a_job_whose_csv_matches_the_page(
    council, interim_dossiers, auth, client
):
    auth.login(council.secretariat)
    url = f"/council/rounds/{council.interim.id}"
    form = {"mode": "random", "w_A": "100", "w_B": "100", "runs": "60", "spread": "10", "seed": "4"}
    started = client.post(f"/rounds/{council.interim.id}/jobs/whatif", data=form)
    job_id = re.search(r"/jobs/([0-9a-f]{32})$", started.headers["Location"]).group(1)
    status = client.get(f"/jobs/{job_id}/status").get_json()
    assert status["status"] == "done", status
    download = client.get(status["download"])
    rows = list(csv.DictReader(io.StringIO(download.get_data().decode("utf-8-sig"))))
    download.close()
    expected = stability(
        Sandbox(live_ranking(council.interim).result), runs=60, spread=0.10, seed=4
    )
    assert [r["key"] for r in rows] == [e["key"] for e in expected] and rows
    assert [float(r["kept"]) for r in rows] == [e["kept"] for e in expected]
    page = client.post(f"{url}/whatif", data=form).get_data(as_text=True)
    assert all(f'data-key="{r["key"]}"' in page for r in rows)


def test_a_background_run_beyond_the_limit_is_refused_with_the_reason(
    council, interim_dossiers, auth, client
):
    auth.login(council.secretariat)
    client.post("/lang", data={"lang": "en"})
    url = f"/council/rounds/{council.interim.id}"
    too_many = {"runs": "999999", "spread": "10", "seed": "1"}
    refused = client.post(f"/rounds/{council.interim.id}/jobs/whatif", data=too_many)
    assert refused.headers["Location"].endswith(f"{url}/whatif")
    page = client.get(f"{url}/whatif").get_data(as_text=True)
    assert "Perturbations: Number must be between 10 and 20000." in page
