"""Hypothesis properties: bounds, monotonicity, order invariance, ties, engine == reference."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emulation.scoring import (
    RuleError,
    ValuesError,
    loads_rules,
    read_values,
    score,
    validate_values,
)

from .compare import differences
from .helpers import RULES_DIR, SEED_RULES, frame, indicator, make_rules
from .reference import reference_score
from .synthetic import synthetic_rules_text, synthetic_values

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SYNTHETIC = {
    (policy, group_by): loads_rules(
        synthetic_rules_text(
            26, 2, tie_policy=policy, group_by=group_by, top_count=3,
            sums="exact" if policy == "chain" else "rounded_items",
        ),  # fmt: skip
        source="synthetic.toml",
    )
    for policy in ("shared", "chain")
    for group_by in ('["cluster"]', '["kind"]', '"overall"')
}
MONOTONE = {
    "steps": make_rules(indicator("X", "steps", 10, "{ steps = [[8, 10], [4, 6], [1, 2]] }")),
    "lower steps": make_rules(
        indicator("X", "steps", 10, '{ direction = "lower", steps = [[0, 10], [3, 4]] }')
    ),
    "ratio share": make_rules(indicator("X", "ratio", 7, '{ input = "share", target = 0.8 }')),
    "count": make_rules(indicator("X", "count", 5, "{ per_item = 0.75 }")),
    "relative": make_rules(indicator("X", "relative", 9)),
    "relative min-max": make_rules(indicator("X", "relative", 9, "{ min_max = true }")),
}
values = st.lists(
    st.one_of(st.integers(0, 20).map(float), st.floats(0, 1, allow_nan=False)),
    min_size=2,
    max_size=30,
)


def points(rules, **columns) -> np.ndarray:
    return score(rules, frame(**columns)).details["points"].to_numpy()


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 60), key=st.sampled_from(list(SYNTHETIC)))
def test_points_within_bounds_for_every_method(seed, n, key):
    rules = SYNTHETIC[key]
    res = score(rules, synthetic_values(rules, n, seed=seed), round_code="r1")
    details = res.details
    assert ((details["points"] >= 0) & (details["points"] <= details["max_points"])).all()
    for group in rules.groups:
        assert res.table[group.code].between(0, group.max_points).all()
    assert (res.table["total"] >= 0).all()
    assert set(details["method"]) == {
        "ratio", "steps", "choice", "relative", "count", "boolean", "manual", "index", "formula"
    }  # fmt: skip


@SETTINGS
@given(xs=values, name=st.sampled_from(list(MONOTONE)))
def test_monotone_methods(xs, name):
    rules = MONOTONE[name]
    xs = np.array(xs)
    if name == "ratio share":
        xs = np.clip(xs / 20, 0, 1)
    if name == "count":
        xs = np.floor(xs)
    out = points(rules, X=xs)
    order = np.argsort(xs, kind="stable")
    sorted_points = out[order]
    if name == "lower steps":
        assert (np.diff(sorted_points) <= 0).all()
    else:
        assert (np.diff(sorted_points) >= 0).all()


@SETTINGS
@given(xs=values, i=st.integers(0, 29), bump=st.floats(0.001, 5))
def test_relative_own_points_do_not_fall_when_own_value_rises(xs, i, bump):
    rules = MONOTONE["relative"]
    i = i % len(xs)
    before = points(rules, X=xs)[i]
    raised = list(xs)
    raised[i] += bump
    assert points(rules, X=raised)[i] >= before


@SETTINGS
@given(
    a=st.lists(st.integers(0, 50), min_size=1, max_size=20),
    extra=st.integers(0, 30),
)
def test_ratio_pair_monotone_in_numerator(a, extra):
    rules = make_rules(indicator("R", "ratio", 10, '{ input = "pair", floor = 0.3 }'))
    b = [max(a) + extra] * len(a)
    out = points(rules, R_a=a, R_b=b)
    order = np.argsort(a, kind="stable")
    assert (np.diff(out[order]) >= 0).all()


@SETTINGS
@given(
    comps=st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1)), min_size=1, max_size=15),
    bump=st.floats(0, 1),
)
def test_index_monotone_in_each_component(comps, bump):
    params = (
        "{ components = [{ key = 'a', name = 'A', weight = 3 }, "
        "{ key = 'b', name = 'B', weight = 7 }] }"
    )
    rules = make_rules(indicator("I", "index", 10, params))
    a = np.array([c[0] for c in comps])
    b = np.array([c[1] for c in comps])
    base = points(rules, I_a=a, I_b=b)
    assert (points(rules, I_a=np.minimum(a + bump, 1), I_b=b) >= base).all()
    assert (points(rules, I_a=a, I_b=np.minimum(b + bump, 1)) >= base).all()


@SETTINGS
@given(
    totals=st.lists(st.sampled_from([3.0, 5.5, 5.5, 7.25, 9.0, 10.0]), min_size=1, max_size=40),
    clusters=st.lists(st.sampled_from(["A", "B", "C"]), min_size=40, max_size=40),
    perm_seed=st.integers(0, 10_000),
)
def test_ranking_invariant_to_row_order_and_ties_deterministic(totals, clusters, perm_seed):
    rules = make_rules(
        indicator("P", "manual", 10),
        extra='[[awards]]\ncode = "a"\nname = "A"\nquota = { count = 2, per = "group" }\n',
    )
    df = frame(P=totals, cluster=clusters[: len(totals)])
    first = score(rules, df).table.set_index("unit_code")
    again = score(rules, df).table.set_index("unit_code")
    pd.testing.assert_frame_equal(first, again)
    order = np.random.default_rng(perm_seed).permutation(len(df))
    shuffled = score(rules, df.iloc[order]).table.set_index("unit_code").loc[first.index]
    pd.testing.assert_frame_equal(first, shuffled)
    for _, group in first.groupby("cluster"):
        # competition ranks: 1 + number of candidates strictly ahead
        for total, rank in zip(group["total"], group["rank_in_group"], strict=True):
            assert rank == 1 + (group["total"] > total).sum()


@SETTINGS
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 80),
    key=st.sampled_from(list(SYNTHETIC)),
    overrides=st.integers(0, 5),
)
def test_engine_equals_reference(seed, n, key, overrides):
    rules = SYNTHETIC[key]
    values = synthetic_values(rules, n, seed=seed, missing=0.05)
    rng = np.random.default_rng(seed)
    manual = {
        (f"U{rng.integers(n):05d}", item.code): float(rng.integers(0, 3))
        for item in rng.choice(np.array(rules.indicators, dtype=object), overrides)
    }
    result = score(rules, values, manual_points=manual, round_code="r1")
    table, details = reference_score(rules, validate_values(values, rules), "r1", manual)
    assert differences(result, table, details) == []


SEED_RULES_SET = loads_rules(SEED_RULES.read_text(encoding="utf-8"), source=str(SEED_RULES))
SEED_LINES = SEED_RULES.read_text(encoding="utf-8").splitlines()
TOKENS = ["1", "-5", "0.5", '"x"', '""', "[]", "{}", "true", "2024-01-01", '"TT"', "[1, 2]"]


@SETTINGS
@given(
    edits=st.lists(
        st.tuples(
            st.integers(0, len(SEED_LINES) - 1),
            st.sampled_from(["delete", "duplicate", "value"]),
            st.sampled_from(TOKENS),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_any_damaged_rule_file_gives_rule_error_not_a_crash(edits):
    lines = list(SEED_LINES)
    for index, action, token in edits:
        index %= len(lines)
        if action == "delete":
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, lines[index])
        elif "=" in lines[index]:
            lines[index] = lines[index].split("=", 1)[0] + "= " + token
    try:
        loads_rules("\n".join(lines), source="damaged.toml")
    except RuleError as exc:
        assert exc.errors and all(p.message and p.source == "damaged.toml" for p in exc.errors)


SEED_VALUES = (RULES_DIR / "vksnd_danang_cds_2023_2025.so-ket-2024.csv").read_text("utf-8")
CELLS = ["", "abc", "-1", "1e999", "nan", "99,5", "2.5", "0", "có", "VKS-HC", "31/02/2024"]


@SETTINGS
@given(
    edits=st.lists(
        st.tuples(st.integers(1, 19), st.integers(0, 34), st.sampled_from(CELLS)),
        min_size=1,
        max_size=6,
    )
)
def test_any_damaged_values_file_gives_values_error_not_a_crash(edits):
    import csv
    import io

    rows = list(csv.reader(io.StringIO(SEED_VALUES)))
    for row, column, token in edits:
        rows[row][column] = token
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    rules = SEED_RULES_SET
    try:
        values = read_values(io.BytesIO(out.getvalue().encode()), rules, source="v.csv")
    except ValuesError as exc:
        assert all(p.source == "v.csv" and p.message for p in exc.errors)
        return
    result = score(rules, values, round_code="so-ket-2024")
    assert ((result.details["points"] >= 0) & (result.details["points"] <= 10)).all()
