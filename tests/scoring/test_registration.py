"""Registered targets, the penalty for not registering and the plan columns in the engine."""

from __future__ import annotations

import numpy as np
import pytest

from emulation.scoring import RuleError, score
from emulation.scoring.values import derived_columns

from .helpers import frame, indicator, make_rules, rules_text

REGISTRATION = """
[registration]
opens_at = 2023-10-01T00:00:00+07:00
deadline = 2023-11-30T23:59:59+07:00
titles = [{ code = "tt-ldxs", name = "Tập thể lao động xuất sắc" }]
penalty = 5
"""


def _target(max_points=10, params="{}"):
    return indicator("KY_SO", "target_ratio", max_points, params).replace(
        "params =", "registrable = true\nparams ="
    )


def _registrable(code, method):
    return indicator(code, method, 10).replace("params =", "registrable = true\nparams =")


TWIN_TITLES = REGISTRATION.replace(
    '"tt-ldxs", name = "Tập thể lao động xuất sắc" }',
    '"a", name = "A" }, { code = "a", name = "B" }',
)
INPUT_CLASH = '\n[[inputs]]\ncode = "KY_SO_target"\nname = "x"\n'


def _points(result, code="KY_SO"):
    rows = result.details[result.details["indicator_code"] == code]
    return rows["points"].tolist(), rows["note"].astype(str).tolist()


def test_target_ratio_compares_with_own_target_capped_at_full_points():
    rules = make_rules(_target(), extra=REGISTRATION)
    values = frame(KY_SO=[90, 99, 80, 50], KY_SO_target=[90, 90, 100, None], registered=[1] * 4)
    points, notes = _points(score(rules, values))
    # 90/90 full; 99/90 is over target but capped; 80/100 → 8; no target → 0 with a note.
    assert points == [10.0, 10.0, 8.0, 0.0]
    assert notes[3] == "đơn vị không đăng ký chỉ tiêu, tính 0 điểm"
    assert notes[1] == ""  # the method itself counts at most the target (cap = 1)


def test_target_ratio_pair_and_lower_direction():
    pair = make_rules(_target(params='{ input = "pair" }'), extra=REGISTRATION)
    values = frame(KY_SO_a=[45, 0], KY_SO_b=[50, 0], KY_SO_target=[0.9, 0.9])
    points, notes = _points(score(pair, values))
    assert points == [10.0, 0.0]
    assert "không có số liệu" in notes[1]
    lower = make_rules(_target(params='{ direction = "lower" }'), extra=REGISTRATION)
    points, _ = _points(score(lower, frame(KY_SO=[4, 2, 0], KY_SO_target=[2, 2, 2])))
    assert points == [5.0, 10.0, 10.0]


def test_penalty_for_not_registering_only_when_known():
    rules = make_rules(_target(), extra=REGISTRATION)
    values = frame(KY_SO=[90, 90, 90], KY_SO_target=[90, 90, 90], registered=[1, 0, None])
    result = score(rules, values)
    assert result.table["penalty"].tolist() == [0.0, 5.0, 0.0]
    assert result.table["total"].tolist() == [10.0, 5.0, 10.0]
    penalty = result.explain("U1")["penalty"]["items"][0]
    assert (penalty["code"], penalty["points"]) == ("KHONG_DANG_KY", 5.0)


def test_registered_target_shown_in_the_explanation():
    rules = make_rules(_target(), extra=REGISTRATION)
    result = score(rules, frame(KY_SO=[80], KY_SO_target=[100]))
    entry = result.explain("U0")["groups"][0]["criteria"][0]["indicators"][0]
    assert entry["inputs"] == {"KY_SO": 80.0, "KY_SO_target": 100.0}


def test_plan_share_reaches_formulas():
    rules = make_rules(
        indicator("KH_DUNG_HAN", "formula", 10, '{ expression = "10 * plan_on_time_share" }')
    )
    values = frame(plan_due=[4, 0], plan_on_time=[3, 0], plan_on_time_share=[0.75, None])
    points, notes = _points(score(rules, values), "KH_DUNG_HAN")
    assert points == [7.5, 0.0]
    assert "không tính được" in notes[1]


def test_derived_columns_are_optional_and_checked():
    rules = make_rules(_target(), extra=REGISTRATION)
    assert [c.name for c in derived_columns(rules)] == [
        "KY_SO_target", "registered", "plan_due", "plan_on_time", "plan_on_time_share",
    ]  # fmt: skip
    assert np.isnan(score(rules, frame(KY_SO=[1])).values["registered"][0])
    with pytest.raises(RuleError) as info:
        score(rules, frame(KY_SO=[1], KY_SO_target=[-1], plan_on_time_share=[1.5]))
    text = str(info.value)
    assert "KY_SO_target" in text and "plan_on_time_share" in text


def test_registration_is_loaded():
    rules = make_rules(_target(), extra=REGISTRATION)
    assert rules.registration.titles == [("tt-ldxs", "Tập thể lao động xuất sắc")]
    assert rules.registration.deadline.isoformat() == "2023-11-30T23:59:59+07:00"
    assert [i.code for i in rules.registrable] == ["KY_SO"]


@pytest.mark.parametrize(
    ("text", "path", "words"),
    [
        (rules_text(indicator("KY_SO", "target_ratio", 10), extra=REGISTRATION),
         "method", "registrable = true"),
        (rules_text(_target()), "registrable", "[registration]"),
        (rules_text(_registrable("X", "boolean"), extra=REGISTRATION),
         "registrable", "không đăng ký chỉ tiêu được"),
        (rules_text(_target(), extra=REGISTRATION.replace("2023-10-01", "2023-12-01")),
         "registration.deadline", "hạn đăng ký"),
        (rules_text(_target(), extra=REGISTRATION.replace("+07:00\ntitles", "\ntitles")),
         "registration.deadline", "+07:00"),
        (rules_text(_target(), extra=REGISTRATION + INPUT_CLASH), "", "KY_SO_target"),
        (rules_text(_target(), extra=TWIN_TITLES), "registration.titles", "bị trùng"),
        (rules_text(_target(), extra=REGISTRATION.replace("titles = [{", "titles = true\nx = [{")),
         "registration.titles", "cần một danh sách"),
        (rules_text(_target(), indicator("KHONG_DANG_KY", "count", 1), extra=REGISTRATION),
         "registration.penalty", "KHONG_DANG_KY"),
    ],
)  # fmt: skip
def test_loader_names_key_and_fix(text, path, words):
    from emulation.scoring import loads_rules

    with pytest.raises(RuleError) as info:
        loads_rules(text, source="t.toml")
    found = [e for e in info.value.errors if path in e.path and words in e.message]
    assert found, str(info.value)
