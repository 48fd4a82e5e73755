"""Totals, bands, disqualifiers, deadlines, ranks, tie policy, award quotas, overrides."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from emulation.scoring import (
    RuleError,
    ValuesError,
    aggregate_reviews,
    loads_rules,
    read_values,
    score,
)

from .helpers import RULES_DIR, frame, indicator, make_rules
from .synthetic import synthetic_rules_text, synthetic_values

BANDS = """
[[bands]]
code = "xs"
name = "Xuất sắc"
min_total = 9
[[bands]]
code = "tot"
name = "Tốt"
min_total = 5
"""


def points_rules(extra: str = "", **kw):
    """One manual indicator (0..10) so each candidate's total is set directly."""
    return make_rules(indicator("P", "manual", 10), extra=BANDS + extra, **kw)


def ranks(result, column="rank_overall"):
    return dict(zip(result.table["unit_code"], result.table[column].tolist(), strict=True))


def test_competition_ranks_shared():
    rules = points_rules('[ranking]\ngroup_by = "overall"\n')
    res = score(rules, frame(P=[9, 8, 8, 7]))
    assert res.table["rank_overall"].tolist() == [1, 2, 2, 4]
    assert res.table["rank_in_group"].tolist() == [1, 2, 2, 4]
    assert "đồng hạng" in res.tie_policy_text and "1, 2, 2, 4" in res.tie_policy_text


def test_ranks_within_cluster_and_overall():
    rules = points_rules()
    res = score(rules, frame(P=[9, 8, 7, 6], cluster=["A", "B", "A", "B"]))
    assert res.table["rank_in_group"].tolist() == [1, 1, 2, 2]
    assert res.table["rank_overall"].tolist() == [1, 2, 3, 4]
    assert res.table["ranking_group"].tolist() == ["A", "B", "A", "B"]


def test_ranking_by_kind():
    rules = points_rules('[ranking]\ngroup_by = ["kind"]\n')
    res = score(rules, frame(P=[5, 6, 7], kind=["collective", "individual", "cá nhân"]))
    assert res.table["rank_in_group"].tolist() == [1, 2, 1]
    assert res.table["ranking_group"].tolist() == ["Tập thể", "Cá nhân", "Cá nhân"]


def test_tie_break_chain_group_then_submission():
    rules = make_rules(
        indicator("P", "manual", 10),
        extra='[[groups]]\ncode = "H"\nname = "Nhóm 2"\n[[groups.criteria]]\ncode = "H1"\n'
        'name = "T"\n' + indicator("Q", "manual", 10)
        + '[ranking]\ngroup_by = "overall"\ntie_policy = "chain"\n'
        'tie_break = ["group:H", "submitted_at"]\n',
    )  # fmt: skip
    res = score(
        rules,
        frame(
            P=[6, 5, 5, 5, 5],
            Q=[4, 5, 5, 5, 5],
            submitted_at=[
                "2024-08-01T10:00:00+07:00", "2024-08-02T10:00:00+07:00",
                "2024-08-01T10:00:00+07:00", "", "2024-08-02T10:00:00+07:00",
            ],
        ),
    )  # fmt: skip
    # all total 10; H points 4 vs 5; then earlier submission; missing time comes last
    assert res.table["rank_overall"].tolist() == [5, 2, 1, 4, 2]
    assert "nộp hồ sơ sớm hơn" in res.tie_policy_text and "Nhóm 2" in res.tie_policy_text


def test_ranking_ignores_row_order():
    rules = points_rules()
    df = frame(P=[9, 8, 8, 7, 9], cluster=["A", "A", "B", "B", "A"])
    first = score(rules, df).table.set_index("unit_code")
    shuffled = score(rules, df.iloc[[3, 1, 4, 0, 2]]).table.set_index("unit_code")
    pd.testing.assert_frame_equal(first, shuffled.loc[first.index])


def test_disqualifier_removes_rank_band_and_award():
    extra = (
        '[[inputs]]\ncode = "LEAK"\nname = "Sự cố"\ntype = "count"\n'
        '[[disqualifiers]]\ncode = "leak"\nreason = "Lộ lọt dữ liệu"\nwhen = "LEAK > 0"\n'
        '[[awards]]\ncode = "gk"\nname = "Giấy khen"\nmin_band = "tot"\n'
    )
    res = score(points_rules(extra), frame(P=[10, 6, 4], LEAK=[1, 0, float("nan")]))
    table = res.table
    assert table["disqualified"].tolist() == [True, False, False]
    assert table["disqualifier_reason"][0] == "Lộ lọt dữ liệu"
    assert pd.isna(table["rank_overall"][0]) and table["rank_overall"][1] == 1
    assert table["band"].tolist() == ["", "Tốt", ""]
    assert table["award_code"].tolist() == ["", "gk", ""]
    explanation = res.explain("U0")
    assert explanation["disqualifiers"][0]["code"] == "leak"
    assert "bị loại" in explanation["awards"][0]["status"]


@pytest.mark.parametrize(
    ("policy", "grace", "late", "disqualified"),
    [
        ("reject", 0, [False, True, False], [False, True, False]),
        # inside the grace window: accepted, flagged late, still ranked
        ("accept_flagged", 10, [False, True, False], [False, False, False]),
        # after the grace window the dossier would not have been accepted at all
        ("accept_flagged", 3, [False, True, False], [False, True, False]),
    ],
)
def test_deadline_and_late_policy(policy, grace, late, disqualified):
    rules = points_rules(
        '[[awards]]\ncode = "gk"\nname = "Giấy khen"\n', late_policy=policy, grace=grace
    )
    submitted = ["2024-08-30T23:59:59+07:00", "2024-08-31T00:05:00+07:00", ""]
    res = score(rules, frame(P=[8, 9, 7], submitted_at=submitted), round_code="r1")
    assert (~res.table["on_time"]).tolist() == late
    assert res.table["disqualified"].tolist() == disqualified
    if late[1]:
        assert res.table["award_code"][1] == ""
    # without a round the deadline is not assessed
    assert score(rules, frame(P=[8, 9, 7], submitted_at=submitted)).table["on_time"].all()


def test_unknown_round():
    with pytest.raises(RuleError, match="đợt 'r9'"):
        score(points_rules(), frame(P=[1]), round_code="r9")


def test_bonus_cap_penalty_and_floor_at_zero():
    rules = make_rules(
        indicator("P", "manual", 10),
        extra="""
[scoring]
bonus_cap = 3
[[bonus]]
code = "SK"
name = "Sáng kiến"
max_points = 4
method = "count"
params = { per_item = 2 }
[[bonus]]
code = "BD"
name = "Biểu dương"
max_points = 1
method = "boolean"
[[penalties]]
code = "TRE"
name = "Chậm"
max_points = 20
method = "count"
""",
    )
    res = score(rules, frame(P=[5, 1, 5], SK=[2, 0, float("nan")], BD=[1, 0, 0], TRE=[1, 5, 0]))
    assert res.table["bonus"].tolist() == [3.0, 0.0, 0.0]
    assert res.table["penalty"].tolist() == [1.0, 5.0, 0.0]
    assert res.table["total"].tolist() == [7.0, 0.0, 5.0]
    assert res.table["complete"].all()  # blank bonus is no bonus, not missing data


def test_missing_indicator_value_makes_candidate_incomplete():
    rules = make_rules(indicator("A", "count", 5), extra=BANDS)
    res = score(rules, frame(A=[1, float("nan")], complete=["1", "1"]))
    assert res.table["complete"].tolist() == [True, False]
    res = score(rules, frame(A=[1, 2], complete=["không", "có"]))
    assert res.table["complete"].tolist() == [False, True]


def quota_rules(quota: str, per_group_by: str = '"overall"'):
    return points_rules(
        f"[ranking]\ngroup_by = {per_group_by}\n"
        f'[[awards]]\ncode = "bk"\nname = "Bằng khen"\nmin_band = "xs"\nquota = {quota}\n'
        '[[awards]]\ncode = "gk"\nname = "Giấy khen"\nmin_band = "tot"\n'
        'quota = { percent = 50, per = "group" }\n'
    )


def test_count_quota_then_lower_tier():
    res = score(quota_rules("{ count = 1 }"), frame(P=[10, 9.5, 6, 5]))
    assert res.table["award_code"].tolist() == ["bk", "gk", "gk", ""]
    statuses = [a["status"] for a in res.explain("U3")["awards"]]
    assert statuses == ["không đủ điều kiện: xếp loại chưa đạt 'Xuất sắc'",
                        "đủ điều kiện nhưng ngoài chỉ tiêu (số lượng) khen thưởng"]  # fmt: skip


@pytest.mark.parametrize(("ties", "expected"), [("exclude", 0), ("include", 2)])
def test_quota_ties_at_the_cut(ties, expected):
    res = score(quota_rules(f'{{ count = 1, ties = "{ties}" }}'), frame(P=[10, 10]))
    assert (res.table["award_code"] == "bk").sum() == expected


def test_percent_quota_per_group_rounds_down():
    rules = quota_rules("{ count = 0 }", '"cluster"')
    clusters = ["A"] * 5 + ["B"] * 2
    res = score(rules, frame(P=[9, 8, 7, 6, 5, 9, 8], cluster=clusters))
    # 50% of 5 -> 2; 50% of 2 -> 1
    assert res.table["award_code"].tolist() == ["gk", "gk", "", "", "", "gk", ""]


def test_award_round_and_kind_restrictions():
    rules = points_rules(
        '[[awards]]\ncode = "bk"\nname = "Bằng khen"\nrounds = ["r1"]\nkinds = ["individual"]\n'
    )
    df = frame(P=[9, 9], kind=["collective", "individual"])
    assert score(rules, df, round_code="r1").table["award_code"].tolist() == ["", "bk"]


def test_manual_points_override_any_indicator():
    rules = make_rules(indicator("A", "count", 5), indicator("P", "manual", 10))
    df = frame(A=[2, 9], P=[float("nan"), 4])
    res = score(rules, df, manual_points={("U0", "A"): 4.5, ("U0", "P"): 7, ("U1", "A"): None})
    details = res.details.set_index(["unit_code", "indicator_code"])
    assert details.loc[("U0", "A"), "points"] == 4.5
    assert details.loc[("U0", "A"), "rule_points"] == 2.0
    assert details.loc[("U0", "A"), "note"] == "điểm do Hội đồng quyết định"
    assert details.loc[("U1", "A"), "capped"]
    assert res.table["total"].tolist() == [11.5, 9.0]
    as_frame = pd.DataFrame(
        {
            "unit_code": ["U0", "U0", "U1"],
            "indicator_code": ["A", "P", "P"],
            "points": pd.array([4.5, 7, None], dtype="Float64"),  # no council point yet for U1
        }
    )
    pd.testing.assert_frame_equal(score(rules, df, manual_points=as_frame).table, res.table)
    explained = res.explain("U0")["groups"][0]["criteria"][0]["indicators"][0]
    assert explained["overridden"] and explained["rule_points"] == 2.0


@pytest.mark.parametrize(
    ("points", "message"),
    [
        ({("U9", "A"): 1}, "đơn vị không có"),
        ({("U0", "X"): 1}, "chỉ tiêu không tồn tại"),
        ({("U0", "A"): 6}, "nằm ngoài 0..5"),
        ({("U0", "A"): "năm"}, "không phải là số"),
    ],
)
def test_manual_points_are_checked(points, message):
    rules = make_rules(indicator("A", "count", 5))
    with pytest.raises(ValuesError, match=message):
        score(rules, frame(A=[1]), manual_points=points)


def test_aggregate_reviews_mean_or_median():
    rules = make_rules(indicator("P", "manual", 10))
    reviews = pd.DataFrame(
        {
            "unit_code": ["U0", "U0", "U0", "U1"],
            "indicator_code": ["P"] * 4,
            "reviewer": ["a", "b", "c", "a"],
            "points": [6, 7, 9.5, 5],
        }
    )
    combined = aggregate_reviews(rules, reviews)
    assert rules.aggregation == "median"
    assert combined["points"].tolist() == [7.0, 5.0]
    assert combined["reviewers"].tolist() == [3, 1]
    res = score(rules, frame(P=[0, 0]), manual_points=combined)
    assert res.table["total"].tolist() == [7.0, 5.0]


def test_explain_is_json_and_complete(seed_rules):
    values = read_values(RULES_DIR / "vksnd_danang_cds_2023_2025.tong-ket-2025.csv", seed_rules)
    res = score(seed_rules, values, round_code="tong-ket-2025")
    explanation = res.explain("VKS-HV")
    json.dumps(explanation)  # serialisable
    assert explanation["rules"]["content_hash"] == seed_rules.content_hash
    assert explanation["tie_policy"] == res.tie_policy_text
    ud = next(g for g in explanation["groups"] if g["code"] == "UD")
    kyso = ud["criteria"][0]["indicators"][0]
    # UD_KY_SO is registrable: the unit's registered target is shown beside its inputs
    assert kyso["inputs"].keys() == {"UD_KY_SO_a", "UD_KY_SO_b", "UD_KY_SO_target"}
    assert kyso["params"]["input"] == "pair"
    assert kyso["evidence"]
    assert explanation["award"]["code"] == "bang-khen-vksndtc"
    assert any(line.startswith("Tổng điểm") for line in explanation["summary"])
    with pytest.raises(KeyError):
        res.explain("VKS-XX")
    whole = res.to_json_dict()
    json.dumps(whole)
    assert len(whole["results"]) == len(values)


def test_details_one_row_per_candidate_and_item(seed_rules):
    values = read_values(RULES_DIR / "vksnd_danang_cds_2023_2025.so-ket-2024.csv", seed_rules)
    res = score(seed_rules, values)
    assert len(res.details) == len(values) * len(seed_rules.scored_items)
    assert list(res.details.columns[:2]) == ["unit_code", "indicator_code"]
    sums = (
        res.details[res.details["section"] == "indicator"]
        .groupby("unit_code", observed=True)["points"]
        .sum()
    )
    group_total = res.table.set_index("unit_code")[[g.code for g in seed_rules.groups]].sum(axis=1)
    assert dict(sums.round(2)) == dict(group_total.round(2))


def test_details_are_built_when_first_read_and_then_kept():
    rules = loads_rules(synthetic_rules_text(12), source="synthetic.toml")
    result = score(rules, synthetic_values(rules, 30, seed=3), round_code="r1")
    smaller = result.with_table(result.table.iloc[:0])
    details = result.details
    assert len(details) == 30 * len(rules.scored_items)
    assert result.details is details
    # a result made from it with another table shares them
    assert smaller.details is details and smaller.table.empty
    assert result.explain(str(details["unit_code"].iloc[0]))["unit_code"]


def test_reasons_join_in_rule_order_and_a_repeated_council_point_keeps_the_last():
    extra = (
        '[[inputs]]\ncode = "LEAK"\nname = "Sự cố"\ntype = "count"\n'
        '[[disqualifiers]]\ncode = "leak"\nreason = "Lộ lọt"\nwhen = "LEAK > 0"\n'
        '[[disqualifiers]]\ncode = "many"\nreason = "Nhiều sự cố"\nwhen = "LEAK > 1"\n'
    )
    values = frame(P=[10, 6, 4], LEAK=[2, 0, 1])
    given = pd.DataFrame(
        {"unit_code": ["U1", "U2", "U1"], "indicator_code": ["P", "P", "P"], "points": [1, 2, 3]}
    )
    table = score(points_rules(extra), values, manual_points=given).table
    assert table["disqualifier_reason"].tolist() == ["Lộ lọt; Nhiều sự cố", "", "Lộ lọt"]
    assert table["total"].tolist() == [10.0, 3.0, 2.0]
