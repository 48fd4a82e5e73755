"""VALUES column checks: the whole-column code against a plain cell-by-cell reference."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emulation.scoring import ValuesError, loads_rules, score, validate_values
from emulation.scoring.columns import Checker, choices, plain
from emulation.scoring.methods import METHODS, ROUNDING_EPSILON, Context, round_half_up
from emulation.scoring.ranking import competition_ranks, competition_ranks_both, ranking_labels

from . import reference_columns as ref
from .helpers import indicator, make_rules
from .synthetic import synthetic_rules_text, synthetic_values

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
OPTIONS = ("Đạt", "half", "KHÔNG")
RULES = make_rules(
    indicator("CH", "choice", 4, '{ options = { "Đạt" = 1, half = 0.5, "KHÔNG" = 0 } }'),
    indicator("ST", "steps", 5, "{ steps = [[2, 5], [1, 2]] }"),
    indicator("CT", "count", 5, "{ per_item = 1 }"),
    indicator("SH", "ratio", 3, '{ input = "share" }'),
    indicator("PC", "ratio", 3, '{ input = "percent" }'),
    indicator("MN", "manual", 4),
    indicator("BO", "boolean", 2),
    indicator("NN", "relative", 2),
)
COLUMNS = {"CH": "choice", "ST": "number", "CT": "count", "SH": "share", "PC": "percent",
           "MN": "points", "BO": "boolean", "NN": "nonneg"}  # fmt: skip
UPPER = {"SH": 1.0, "MN": 4.0}
FILLERS = {"CH": "half", "ST": 1.0, "CT": 1.0, "SH": 0.5, "PC": 50.0, "MN": 1.0, "BO": 1.0,
           "NN": 1.0}  # fmt: skip

texts = st.sampled_from(
    ["Đạt", "đạt", " half ", "HALF", "không", "KHÔNG", "khong", "", "  ", "x", "có", "yes",
     "Sai", "1", "0", "2", "1,5", "2.000", "abc", "inf", "-inf", "nan", "1e999", "-3", "0.25",
     "\u00a0half", "tập thể", "Cá nhân", "individual", "other"]
)  # fmt: skip
floats = st.sampled_from(
    [0.0, 1.0, 2.0, 0.5, 2.5, -1.0, -0.0, 100.0, 150.0, 1e13, -1e13, math.inf, -math.inf,
     math.nan, 1e12, 4.0, 4.5]
)  # fmt: skip
cells = st.one_of(texts, floats, st.sampled_from([None, True, False, 1, 0, 7]))


@st.composite
def columns(draw):
    """A column as a frame would hold it: text, floats, integers, yes/no or anything mixed."""
    n = draw(st.integers(1, 40))
    shape = draw(st.sampled_from(["text", "float", "int", "nullable", "bool", "object"]))
    if shape == "text":
        # a few distinct texts over many rows, so each distinct text is checked once
        blank = st.sampled_from([None, math.nan])
        pool = draw(st.lists(st.one_of(texts, blank), min_size=1, max_size=4))
        return pd.Series(draw(st.lists(st.sampled_from(pool), min_size=n, max_size=n)))
    if shape == "float":
        return pd.Series(draw(st.lists(floats, min_size=n, max_size=n)), dtype=float)
    if shape == "int":
        return pd.Series(draw(st.lists(st.integers(-3, 10), min_size=n, max_size=n)))
    if shape == "nullable":
        drawn = draw(st.lists(st.one_of(st.none(), st.integers(-3, 10)), min_size=n, max_size=n))
        return pd.Series(drawn, dtype="Int64")
    if shape == "bool":
        return pd.Series(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    return pd.Series(draw(st.lists(cells, min_size=n, max_size=n)), dtype=object)


def expected(name: str, column: pd.Series):
    """(values, [(row, message)]) the plain reference gives for one column."""
    kind = COLUMNS[name]
    if kind == "choice":
        return ref.choices(column, OPTIONS)
    if kind == "boolean":
        return ref.booleans(column)
    return ref.numbers(column, kind, UPPER.get(name, 0.0))


def one_column_frame(name: str, column: pd.Series) -> pd.DataFrame:
    n = len(column)
    data = {"unit_code": [f"U{i}" for i in range(n)]}
    data.update({other: [fill] * n for other, fill in FILLERS.items() if other != name})
    frame = pd.DataFrame(data)
    frame[name] = column.to_numpy() if column.dtype == object else column
    return frame


@pytest.mark.parametrize("name", list(COLUMNS))
@SETTINGS
@given(column=columns())
def test_column_checks_equal_the_cell_by_cell_reference(name, column):
    values, problems = expected(name, column)
    frame = one_column_frame(name, column)
    if problems:
        with pytest.raises(ValuesError) as info:
            validate_values(frame, RULES)
        got = [(p.row, p.column, p.message) for p in info.value.errors]
        want = [(i + 2, name, f"{message} (đơn vị U{i})") for i, message in problems]
        assert got == want
        return
    checked = validate_values(frame, RULES)[name].tolist()
    if COLUMNS[name] == "choice":
        # the frame holds blank choices as its missing value
        assert [None if pd.isna(v) else v for v in checked] == values
    else:
        np.testing.assert_array_equal(np.array(checked, dtype=float), np.array(values))


@SETTINGS
@given(column=columns())
def test_kind_and_text_columns_equal_the_reference(column):
    kinds, problems = ref.kinds(column)
    frame = one_column_frame("CH", pd.Series(["half"] * len(column)))
    frame["kind"] = column.to_numpy() if column.dtype == object else column
    frame["unit_name"] = frame["kind"]
    if problems:
        with pytest.raises(ValuesError) as info:
            validate_values(frame, RULES)
        got = [(p.row, p.column, p.message) for p in info.value.errors]
        assert got == [(i + 2, "kind", f"{m} (đơn vị U{i})") for i, m in problems]
        return
    checked = validate_values(frame, RULES)
    assert checked["kind"].tolist() == kinds
    assert checked["unit_name"].tolist() == ref.texts(column)


@pytest.mark.parametrize(
    ("name", "cell", "message"),
    [
        ("CH", "Hạt", "'Hạt' không thuộc các lựa chọn: 'Đạt', 'half', 'KHÔNG'"),
        ("ST", math.inf, "giá trị phải là một số hữu hạn"),
        ("ST", "nan", "giá trị phải là một số hữu hạn, không nhận 'nan'"),
        ("ST", 2e12, "giá trị 2e+12 quá lớn"),
        ("CT", 1.5, "giá trị 1.5 phải là số nguyên"),
        ("NN", -2.0, "giá trị -2 không được âm"),
        ("SH", 1.5, "giá trị 1.5 nằm ngoài khoảng 0..1"),
        ("PC", 101.0, "giá trị 101 nằm ngoài khoảng 0..100"),
        ("MN", 4.5, "giá trị 4.5 nằm ngoài khoảng 0..4"),
        ("BO", 2.0, "cần giá trị có/không (1/0, true/false)"),
        ("BO", "có lẽ", "cần giá trị có/không (1/0, true/false)"),
    ],
)
def test_each_refused_cell_names_row_column_and_unit(name, cell, message):
    column = pd.Series([FILLERS[name], cell, FILLERS[name], None], dtype=object)
    if isinstance(cell, float):
        column = column.astype(float)
    with pytest.raises(ValuesError) as info:
        validate_values(one_column_frame(name, column), RULES)
    assert [(p.row, p.column, p.message) for p in info.value.errors] == [
        (3, name, f"{message} (đơn vị U1)")
    ]


def test_blank_and_nan_cells_are_missing_not_refused():
    frame = one_column_frame("ST", pd.Series([np.nan, 1.0, np.nan]))
    frame["CH"] = [None, " đạt ", ""]
    checked = validate_values(frame, RULES)
    assert [None if pd.isna(v) else v for v in checked["CH"]] == [None, "Đạt", None]
    assert np.isnan(checked["ST"].to_numpy()[[0, 2]]).all()


def test_float_columns_are_shared_not_copied_and_edits_stay_apart():
    frame = one_column_frame("ST", pd.Series([1.0, 2.0, 3.0]))
    checked = validate_values(frame, RULES)
    assert np.shares_memory(checked["ST"].to_numpy(), frame["ST"].to_numpy())
    frame.loc[0, "ST"] = 9.0
    assert checked["ST"].tolist() == [1.0, 2.0, 3.0]
    checked.loc[1, "ST"] = 7.0
    assert frame["ST"].tolist() == [9.0, 2.0, 3.0]
    # a refused value makes a copy; the caller's frame keeps what it had
    frame.loc[2, "ST"] = math.inf
    with pytest.raises(ValuesError):
        validate_values(frame, RULES)
    assert frame["ST"].tolist() == [9.0, 2.0, math.inf]


def test_a_frame_with_another_index_is_read_in_row_order():
    frame = one_column_frame("ST", pd.Series([1.0, 2.0, 3.0])).set_axis([7, 3, 5])
    checked = validate_values(frame, RULES)
    assert list(checked.index) == [0, 1, 2]
    assert checked["ST"].tolist() == [1.0, 2.0, 3.0]


@SETTINGS
@given(
    values=st.lists(
        st.one_of(st.floats(0, 1e6), st.integers(0, 10**6).map(lambda x: x / 1000)), max_size=30
    ),
    decimals=st.integers(0, 4),
)
def test_rounding_in_place_equals_the_one_line_rule(values, decimals):
    x = np.array(values, dtype=float)
    factor = 10.0**decimals
    want = np.floor(x * factor + 0.5 + ROUNDING_EPSILON) / factor
    out = np.empty_like(x)
    np.testing.assert_array_equal(round_half_up(x, decimals, out=out), want)
    np.testing.assert_array_equal(out, want)
    np.testing.assert_array_equal(round_half_up(x, decimals), want)
    assert round_half_up(2.675, 2) == 2.68


@SETTINGS
@given(
    clusters=st.lists(st.sampled_from(["Cụm A", "Cụm B", "", "C"]), min_size=1, max_size=30),
    kinds=st.data(),
    group_by=st.sampled_from(
        ['["cluster"]', '["kind"]', '["cluster", "kind"]', '["kind", "cluster"]', '"overall"']
    ),  # fmt: skip
)
def test_ranking_labels_equal_the_reference(clusters, kinds, group_by):
    rs = loads_rules(synthetic_rules_text(13, 1, group_by=group_by), source="labels.toml")
    n = len(clusters)
    drawn = kinds.draw(st.lists(st.sampled_from(["collective", "individual"]), min_size=n,
                                max_size=n))  # fmt: skip
    parts = [p for p in rs.ranking.group_by if p != "overall"]
    got = ranking_labels(rs, np.array(clusters, dtype=object), np.array(drawn, dtype=object))
    assert list(got) == ref.ranking_labels(parts, clusters, drawn)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 40))
def test_choice_points_equal_a_lookup_per_cell(seed, n):
    rs = loads_rules(synthetic_rules_text(26, 2), source="choices.toml")
    values = synthetic_values(rs, n, seed=seed)
    rng = np.random.default_rng(seed)
    choice_items = [i for i in rs.indicators if i.method == "choice"]
    for item in choice_items:
        column = values[item.code].to_numpy(dtype=object)
        column[rng.random(n) < 0.3] = None
        values[item.code] = column
    details = score(rs, values).details.set_index(["unit_code", "indicator_code"])
    for item in choice_items:
        scale = item.max_points if item.config.values_as == "share" else 1.0
        for unit, cell in zip(values["unit_code"], values[item.code], strict=True):
            want = 0.0 if pd.isna(cell) else item.config.options[cell] * scale
            got = details.loc[(unit, item.code), "rule_points"]
            assert got == round_half_up(min(want, item.max_points), 2)


@SETTINGS
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(0, 60),
    key_count=st.integers(1, 4),
    group_count=st.integers(1, 5),
)
def test_ranks_in_and_across_groups_from_one_sort_equal_two_sorts(seed, n, key_count, group_count):
    rng = np.random.default_rng(seed)
    keys = [rng.integers(0, 4, n).astype(float) for _ in range(key_count)]
    groups = rng.integers(0, group_count, n)
    ranked = rng.random(n) > 0.2
    in_group, overall = competition_ranks_both(keys, groups, ranked)
    np.testing.assert_array_equal(in_group, competition_ranks(keys, groups, ranked))
    np.testing.assert_array_equal(
        overall, competition_ranks(keys, np.zeros(n, dtype=np.int64), ranked)
    )


def test_choice_points_from_plain_text_equal_those_from_checked_options():
    rs = loads_rules(synthetic_rules_text(26, 2), source="choices.toml")
    item = next(i for i in rs.indicators if i.method == "choice")
    cells = pd.Series(["half", None, "full", "none", "half"], dtype=object)
    checker = Checker(pd.DataFrame({"unit_code": list("abcde")}), "x")
    checked = choices(cells, item.code, tuple(item.config.options), checker)
    ctx = Context(n=5, group_ids=np.zeros(5, dtype=np.int64))
    from_options = METHODS["choice"](item, {item.code: checked}, ctx)
    from_text = METHODS["choice"](item, {item.code: cells.to_numpy()}, ctx)
    np.testing.assert_array_equal(from_options.points, from_text.points)
    assert list(plain(checked)) == list(cells)


def test_the_values_a_result_keeps_are_the_checked_values():
    rs = loads_rules(synthetic_rules_text(26, 2), source="kept.toml")
    values = synthetic_values(rs, 30, seed=3)
    item = next(i for i in rs.indicators if i.method == "choice")
    values.loc[[2, 5], item.code] = None
    result = score(rs, values)
    pd.testing.assert_frame_equal(result.values, validate_values(values, rs))
    assert result.with_table(result.table.iloc[:0]).values is result.values


def test_edits_of_a_checked_frame_and_of_its_source_stay_apart():
    rs = loads_rules(synthetic_rules_text(26, 2), source="apart.toml")
    values = synthetic_values(rs, 5, seed=4)
    before = values.copy(deep=True)
    checked = validate_values(values, rs)
    kept = checked.copy(deep=True)
    number = next(c for c in checked.columns[6:] if checked[c].dtype == float)
    checked.loc[0, ["unit_code", "cluster", "kind"]] = ["X", "Y", "individual"]
    checked.loc[0, "submitted_at"] = pd.Timestamp("2030-01-01", tz="UTC")
    checked.loc[0, number] = 123.0
    pd.testing.assert_frame_equal(values, before)
    checked = validate_values(values, rs)
    values.loc[1, "submitted_at"] = pd.Timestamp("2031-01-01", tz="UTC")
    values.loc[1, number] = 321.0
    pd.testing.assert_frame_equal(checked, kept)
    result = score(rs, before)
    codes = result.table["unit_code"].tolist()
    result.values.loc[0, "unit_code"] = "Z"
    assert result.details["unit_code"].unique().tolist() == codes
