"""Every shipped rule file loads and scores its sample VALUES files; the samples tell a story."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from fractions import Fraction

import pytest

from emulation.scoring import load_rules, read_values, score

from .compare import differences
from .helpers import RULES_DIR
from .reference import reference_score

RULE_FILES = sorted(RULES_DIR.glob("*.toml"))
PAIRS = [
    (rules, values)
    for rules in RULE_FILES
    for values in sorted(RULES_DIR.glob(rules.stem + ".*.csv"))
]


def test_there_are_examples():
    assert len(RULE_FILES) >= 2
    assert {r.name for r, _ in PAIRS} == {r.name for r in RULE_FILES}


@pytest.mark.parametrize(("rules_path", "values_path"), PAIRS, ids=lambda p: p.name)
def test_shipped_file_scores_like_the_reference(rules_path, values_path):
    rs = load_rules(rules_path)
    round_code = values_path.name[len(rules_path.stem) + 1 : -len(".csv")]
    assert round_code in [r.code for r in rs.rounds]
    values = read_values(values_path, rs)
    result = score(rs, values, round_code=round_code)
    assert len(result.table) == len(values) >= 15
    table, details = reference_score(rs, values, round_code)
    assert differences(result, table, details) == []
    assert result.tie_policy_text


def test_seed_movement_metadata(seed_rules):
    rs = seed_rules
    assert rs.movement.organisation == "Viện kiểm sát nhân dân thành phố Đà Nẵng"
    assert rs.movement.place == "Đà Nẵng"
    interim, final = rs.rounds
    assert (interim.code, interim.kind, final.code, final.kind) == (
        "so-ket-2024", "interim", "tong-ket-2025", "final",
    )  # fmt: skip
    vietnam = timezone(timedelta(hours=7))
    assert interim.deadline == datetime(2024, 8, 30, 23, 59, 59, tzinfo=vietnam)
    assert interim.opens_at == datetime(2023, 10, 1, tzinfo=vietnam)
    assert final.deadline == datetime(2025, 8, 30, 23, 59, 59, tzinfo=vietnam)
    assert (interim.award_date, final.award_date) == (date(2024, 10, 10), date(2025, 10, 10))
    assert interim.grace == timedelta(days=3) and interim.late_policy == "accept_flagged"
    assert final.grace == timedelta(0) and final.late_policy == "reject"
    assert len(rs.groups) == 5 and sum(g.max_points for g in rs.groups) == 100
    assert {i.method for i in rs.indicators} == {
        "ratio", "steps", "choice", "relative", "count", "boolean", "manual", "index", "formula"
    }  # fmt: skip
    kyso = rs.indicator("UD_KY_SO")
    assert (kyso.method, kyso.group_code, kyso.criterion_code) == ("ratio", "UD", "UD1")
    assert kyso.evidence and kyso.unit == "văn bản"
    assert ("bao-cao-thanh-tich", "Báo cáo thành tích có xác nhận của thủ trưởng đơn vị") in (
        rs.required_documents
    )
    assert rs.aggregation == "median" and rs.council.quorum == Fraction(2, 3)
    assert [b.name for b in rs.bands] == ["Xuất sắc", "Tốt", "Khá", "Trung bình"]
    assert rs.bonus[0].code == "SANG_KIEN"


def seed_result(rs, round_code):
    path = RULES_DIR / f"vksnd_danang_cds_2023_2025.{round_code}.csv"
    return score(rs, read_values(path, rs), round_code=round_code).table.set_index("unit_code")


def test_seed_interim_story(seed_rules):
    table = seed_result(seed_rules, "so-ket-2024")
    assert len(table) >= 19 and table["cluster"].nunique() == 3
    # a tie on total broken by the UD group (tie-break chain)
    tied = table[table["total"].duplicated(keep=False) & ~table["disqualified"]]
    assert len(tied) == 2 and tied["cluster"].nunique() == 1
    assert sorted(tied["rank_in_group"]) == [4, 5]
    assert tied.sort_values("rank_in_group")["UD"].is_monotonic_decreasing
    assert table.loc["VKS-TK", "disqualified"]
    assert "lộ, lọt dữ liệu" in table.loc["VKS-TK", "disqualifier_reason"]
    # late but accepted with a flag in the interim round: ranked, not awarded
    assert not table.loc["VKS-P11", "on_time"] and not table.loc["VKS-P11", "disqualified"]
    assert table.loc["VKS-P11", "award_code"] == ""
    awards = table["award_code"].value_counts()
    assert "bang-khen-vksndtc" not in awards  # only in the final round
    assert awards["giay-khen-vksnd-tp"] == 5


def test_seed_final_story(seed_rules):
    interim = seed_result(seed_rules, "so-ket-2024")
    final = seed_result(seed_rules, "tong-ket-2025")
    assert final["total"].mean() > interim["total"].mean()
    assert final["disqualified"].sum() == 1 and final.loc["VKS-CL", "disqualified"]
    merit = final[final["award_code"] == "bang-khen-vksndtc"]
    assert len(merit) == 2 and (merit["rank_overall"] <= 2).all()
    assert (final["award_tier"] == "Giấy khen của Viện trưởng VKSND thành phố Đà Nẵng").sum() >= 3


def test_dti_shared_ranks_in_separate_groups():
    rs = load_rules(RULES_DIR / "dti_cap_tinh_2022.toml")
    assert rs.indicators[0].method == "index" and rs.scoring.points_decimals == 4
    weights = [c["weight"] for c in rs.indicators[0].params["components"]]
    assert weights == [100, 100, 100, 100, 100, 200, 150, 150]
    values = read_values(RULES_DIR / "dti_cap_tinh_2022.dti-2022.csv", rs)
    table = score(rs, values, round_code="dti-2022").table.set_index("unit_code")
    assert table["ranking_group"].nunique() == 2
    assert table.loc["T-BNH", "total"] == table.loc["T-KHA", "total"]
    assert table.loc["T-BNH", "rank_in_group"] == table.loc["T-KHA", "rank_in_group"]
    provinces = table[table["cluster"].str.startswith("Tỉnh")].sort_values("rank_in_group")
    shared = provinces.loc["T-BNH", "rank_in_group"]
    assert shared + 2 in provinces["rank_in_group"].tolist()
    assert shared + 1 not in provinces["rank_in_group"].tolist()
    assert table["total"].between(0, 1).all()
    assert all(round(t, 4) == t for t in table["total"])
