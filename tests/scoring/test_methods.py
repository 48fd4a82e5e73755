"""Table tests: every scoring method on hand-computed cases."""

from __future__ import annotations

import math

import numpy as np
import pytest

from emulation.scoring import METHODS, score
from emulation.scoring.methods import NOTE_CAPPED, NOTE_MISSING, round_half_up

from .helpers import frame, indicator, make_rules

NAN = math.nan


def scored(rules, **columns):
    """(points, notes, capped, raw) of the first indicator for each row."""
    details = score(rules, frame(**columns)).details
    first = details[details["indicator_code"] == rules.indicators[0].code]
    return (
        first["points"].tolist(),
        [str(n) for n in first["note"]],
        first["capped"].tolist(),
        first["raw"].tolist(),
    )


def test_registry_has_every_method():
    assert set(METHODS) == {
        "ratio", "steps", "choice", "relative", "count", "boolean", "manual", "index", "formula",
        "target_ratio",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("params", "a", "b", "expected"),
    [
        ('{ input = "pair" }', [548, 0, 9, 0], [548, 10, 10, 0], [10.0, 0.0, 9.0, 0.0]),
        ('{ input = "pair", target = 0.9 }', [95, 45], [100, 100], [10.0, 5.0]),
        ('{ input = "pair", floor = 0.5 }', [4, 5], [10, 10], [0.0, 5.0]),
        ('{ input = "pair", zero_denominator = "full" }', [0, 1], [0, 3], [10.0, 3.33]),
    ],
)
def test_ratio_pair(params, a, b, expected):
    rules = make_rules(indicator("KYSO", "ratio", 10, params))
    points, *_ = scored(rules, KYSO_a=a, KYSO_b=b)
    assert points == expected


def test_ratio_share_and_percent_and_notes():
    share = make_rules(indicator("X", "ratio", 6, '{ input = "share", target = 0.9 }'))
    points, notes, capped, raw = scored(share, X=[0.998, 0.45, NAN])
    assert points == [6.0, 3.0, 0.0]
    assert capped == [True, False, False]
    assert notes == [NOTE_CAPPED, "", NOTE_MISSING]
    percent = make_rules(indicator("X", "ratio", 5, '{ input = "percent" }'))
    points, _, _, raw = scored(percent, X=[88.9, 100])
    assert points == [4.45, 5.0]
    assert raw == [pytest.approx(0.889), 1.0]


def test_ratio_zero_denominator_note():
    rules = make_rules(indicator("R", "ratio", 4, '{ input = "pair" }'))
    points, notes, _, raw = scored(rules, R_a=[0], R_b=[0])
    assert points == [0.0]
    assert notes == ["mẫu số bằng 0"]
    assert math.isnan(raw[0])


@pytest.mark.parametrize(
    ("value", "expected"), [(6, 20), (4, 20), (3, 15), (2, 10), (1, 5), (0, 0), (-1, 0)]
)
def test_steps_meetings_per_year(value, expected):
    params = "{ steps = [[4, 20], [3, 15], [2, 10], [1, 5]] }"
    rules = make_rules(indicator("HOP", "steps", 20, params))
    assert scored(rules, HOP=[value])[0] == [expected]


def test_steps_lower_is_better():
    params = '{ direction = "lower", steps = [[0, 5], [1, 3], [3, 1]] }'
    rules = make_rules(indicator("TRE", "steps", 5, params))
    assert scored(rules, TRE=[0, 1, 2, 3, 4])[0] == [5, 3, 1, 1, 0]


@pytest.mark.parametrize(
    ("params", "values", "expected"),
    [
        ("{ options = { chu_tich = 1.0, pho = 0.5, khong = 0 } }",
         ["chu_tich", "pho", "khong", "Chu_Tich"], [4.0, 2.0, 0.0, 4.0]),
        ('{ values_as = "points", options = { a = 3, b = 1.5 } }', ["b", "a"], [1.5, 3.0]),
    ],
)  # fmt: skip
def test_choice(params, values, expected):
    rules = make_rules(indicator("CD", "choice", 4, params))
    details = score(rules, frame(CD=values)).details
    assert details["points"].tolist() == expected
    assert details["raw_text"].tolist()[:2] == [v.lower() for v in values[:2]]


def test_relative_to_best_and_min_max():
    best = make_rules(indicator("DX", "relative", 8))
    assert scored(best, DX=[6, 3, 0, NAN])[0] == [8.0, 4.0, 0.0, 0.0]
    minmax = make_rules(indicator("DX", "relative", 10, "{ min_max = true }"))
    assert scored(minmax, DX=[2, 4, 6])[0] == [0.0, 5.0, 10.0]
    lower = make_rules(indicator("DX", "relative", 10, '{ direction = "lower" }'))
    assert scored(lower, DX=[2, 4, 5])[0] == [10.0, 5.0, 4.0]
    same = make_rules(indicator("DX", "relative", 10, "{ min_max = true }"))
    assert scored(same, DX=[3, 3])[0] == [10.0, 10.0]


def test_relative_cohort_group():
    rules = make_rules(
        indicator("DX", "relative", 10, '{ cohort = "group" }'),
        extra='[ranking]\ngroup_by = "cluster"\n',
    )
    details = score(rules, frame(DX=[4, 2, 1], cluster=["A", "A", "B"])).details
    assert details["points"].tolist() == [10.0, 5.0, 10.0]


def test_relative_all_zero_gives_zero():
    rules = make_rules(indicator("DX", "relative", 10))
    assert scored(rules, DX=[0, 0])[0] == [0.0, 0.0]


def test_count_capped():
    rules = make_rules(indicator("TIN", "count", 5, "{ per_item = 1 }"))
    points, notes, capped, _ = scored(rules, TIN=[0, 3, 5, 9])
    assert points == [0, 3, 5, 5]
    assert capped == [False, False, False, True]
    assert notes[-1] == NOTE_CAPPED


def test_boolean_with_and_without_custom_points():
    plain = make_rules(indicator("KN", "boolean", 4))
    assert scored(plain, KN=["có", "không", "1", "0"])[0] == [4, 0, 4, 0]
    custom = make_rules(indicator("KN", "boolean", 4, "{ points_true = 3, points_false = 1 }"))
    assert scored(custom, KN=[True, False])[0] == [3, 1]


def test_manual_points_from_values_and_pending():
    rules = make_rules(indicator("GY", "manual", 7))
    points, notes, *_ = scored(rules, GY=[6.5, NAN])
    assert points == [6.5, 0.0]
    assert notes[1] == "chưa có điểm Hội đồng chấm, tính 0 điểm"
    # no column at all: the council has not scored yet
    res = score(rules, frame(other=[1]))
    assert res.details["points"].tolist() == [0.0]


def test_index_weighted_four_decimals():
    params = (
        "{ components = [{ key = 'a', name = 'A', weight = 100 }, "
        "{ key = 'b', name = 'B', weight = 200 }] }"
    )
    rules = make_rules(indicator("DTI", "index", 10, params))
    points, _, _, raw = scored(rules, DTI_a=[0.5, 1.0], DTI_b=[0.25, 0.33337])
    # (0.5*100 + 0.25*200) / 300 = 0.33333 -> 0.3333 -> 3.33 points
    assert raw == [0.3333, 0.5556]
    assert points == [3.33, 5.56]


def test_formula_clipped_and_not_computable():
    rules = make_rules(
        indicator("A", "count", 10),
        indicator("B", "count", 10),
        indicator("F", "formula", 5, '{ expression = "5 - 2.5 * A + B / A" }'),
    )
    details = score(rules, frame(A=[0, 1, 4, NAN], B=[1, 2, 0, 1])).details
    f = details[details["indicator_code"] == "F"]
    assert f["points"].tolist() == [0.0, 4.5, 0.0, 0.0]
    assert [str(n) for n in f["note"]][0].startswith("không tính được")
    assert str(f["note"].tolist()[2]) == "kết quả âm, tính 0 điểm"


def test_formula_uses_ratio_share_and_index_value():
    rules = make_rules(
        indicator("R", "ratio", 10, '{ input = "pair" }'),
        indicator("F", "formula", 10, '{ expression = "R * 10 if R >= 0.5 else 0" }'),
    )
    details = score(rules, frame(R_a=[3, 1], R_b=[4, 4])).details
    assert details[details["indicator_code"] == "F"]["points"].tolist() == [7.5, 0.0]


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [(2.675, 2, 2.68), (0.125, 2, 0.13), (1.005, 2, 1.01), (0.33335, 4, 0.3334), (7.0, 0, 7.0)],
)
def test_rounding_is_half_up_on_the_decimal_value(value, decimals, expected):
    assert round_half_up(np.array([value]), decimals)[0] == expected
