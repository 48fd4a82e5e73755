"""Bulk record conversion gives exactly the engine's own JSON records."""

import json
from pathlib import Path

import pytest

from emulation.council.records import table_records
from emulation.scoring import load_rules, loads_rules, read_values, score
from emulation.scoring.explain import result_as_dict
from tests.scoring.synthetic import synthetic_rules_text, synthetic_values

SEED = Path(__file__).parents[2] / "scoring_rules"


def _same(fast, engine):
    # compared as JSON text: True and 1 are equal in Python but not in a snapshot's hash
    assert json.dumps(fast, sort_keys=True) == json.dumps(engine, sort_keys=True)


@pytest.mark.parametrize("tie_policy", ["chain", "shared"])
def test_synthetic_round(tie_policy):
    rules = loads_rules(synthetic_rules_text(40, tie_policy=tie_policy), source="s.toml")
    result = score(rules, synthetic_values(rules, 400, seed=5), round_code="r1")
    _same(table_records(result.table), result_as_dict(result)["results"])


def test_seed_movement():
    rules = load_rules(SEED / "vksnd_danang_cds_2023_2025.toml")
    values = read_values(SEED / "vksnd_danang_cds_2023_2025.so-ket-2024.csv", rules)
    result = score(rules, values, round_code="so-ket-2024")
    _same(table_records(result.table), result_as_dict(result)["results"])
