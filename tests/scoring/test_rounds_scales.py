"""Round names, late refusals, one-pass VALUES errors, value scales and where rounding happens."""

from __future__ import annotations

import io
import shutil

import pandas as pd
import pytest
from click.testing import CliRunner

from emulation.scoring import (
    RuleError,
    ValuesError,
    loads_rules,
    read_values,
    score,
    validate_values,
)
from emulation.scoring.cli import score_command

from .helpers import RULES_DIR, SEED_RULES, frame, indicator, make_rules, rules_text

INTERIM = RULES_DIR / "vksnd_danang_cds_2023_2025.so-ket-2024.csv"


def test_values_file_named_for_an_unknown_round_is_an_error(tmp_path):
    named = tmp_path / "vksnd_danang_cds_2023_2025.so-ket-2042.csv"
    shutil.copy(INTERIM, named)
    result = CliRunner().invoke(score_command, [str(SEED_RULES), str(named)])
    assert result.exit_code != 0
    assert "đợt 'so-ket-2042'" in result.stderr
    assert "so-ket-2024, tong-ket-2025" in result.stderr


def test_unknown_round_option_names_the_round_not_the_values():
    result = CliRunner().invoke(score_command, [str(SEED_RULES), str(INTERIM), "--round", "nope"])
    assert result.exit_code == 2
    assert "--round" in result.stderr and "đợt 'nope'" in result.stderr
    assert "bảng số liệu" not in result.stderr


def test_late_refusal_names_deadline_and_end_of_grace():
    rules = make_rules(indicator("N", "count", 5), late_policy="accept_flagged", grace=60)
    result = score(rules, frame(N=[1], submitted_at=["31/08/2024 01:30"]), round_code="r1")
    assert result.table["disqualifier_reason"][0] == (
        "Hồ sơ nộp quá hạn (hạn chót 30/08/2024 23:59:59, hết thời gian ân hạn 31/08/2024 00:59:59)"
    )


def test_every_values_error_in_one_pass():
    rules = make_rules(indicator("N", "count", 5), indicator("R", "ratio", 5))
    values = pd.DataFrame(
        {"unit_code": ["A", "A"], "N": ["x", "-1"], "R_a": [1, 1], "R_bb": [2, 2]}
    )
    with pytest.raises(ValuesError) as info:
        validate_values(values, rules)
    messages = [str(p) for p in info.value.errors]
    assert any("thiếu cột 'R_b'" in m and "R_bb" in m for m in messages)
    assert any("'x' không phải là số" in m for m in messages)
    assert any("không được âm" in m for m in messages)
    assert any("bị lặp lại" in m for m in messages)


SCALED = indicator(
    "DTI", "index", 100,
    '{ scale = 10, components = [{ key = "a", name = "A", weight = 1 },'
    ' { key = "b", name = "B", weight = 1, scale = 100 }] }',
)  # fmt: skip


def test_index_components_on_a_published_scale():
    rules = make_rules(SCALED)
    result = score(rules, frame(DTI_a=[7.5], DTI_b=[50.0]))
    assert result.table["total"][0] == 62.5
    with pytest.raises(ValuesError, match=r"nằm ngoài khoảng 0\.\.10"):
        validate_values(frame(DTI_a=[11.0], DTI_b=[50.0]), rules)


def test_sums_are_exact_and_only_shown_figures_rounded():
    thirds = [indicator(f"T{i}", "count", 1, "{ per_item = 0.3333 }") for i in range(3)]
    exact = make_rules(*thirds)
    result = score(exact, frame(T0=[1], T1=[1], T2=[1]))
    # each item shows 0.33, but the total is the rounded exact sum 0.9999 -> 1.0
    assert list(result.details["points"]) == [0.33, 0.33, 0.33]
    assert result.table["total"][0] == 1.0 and result.table["G"][0] == 1.0
    text = rules_text(*thirds) + '\n[scoring]\nsums = "rounded_items"\n'
    legacy = loads_rules(text, source="legacy.toml")
    assert score(legacy, frame(T0=[1], T1=[1], T2=[1])).table["total"][0] == 0.99


BONUS = """
[[bonus]]
code = "B"
name = "Thưởng"
max_points = 3
method = "count"
"""


def test_bonus_may_exceed_the_maximum_unless_the_rule_file_caps_it():
    values = frame(N=[5], B=[2])
    open_total = make_rules(indicator("N", "count", 5), extra=BONUS)
    assert score(open_total, values).table["total"][0] == 7
    capped = loads_rules(
        rules_text(indicator("N", "count", 5), extra=BONUS) + "\n[scoring]\ncap_total = true\n",
        source="capped.toml",
    )
    assert score(capped, values).table["total"][0] == 5


def test_weight_errors_list_the_weights_read():
    bad = indicator(
        "IDX", "index", 10,
        '{ total_weight = 1000, components = [{ key = "a", name = "A", weight = 600 },'
        ' { key = "b", name = "B", weight = 350 }] }',
    )  # fmt: skip
    with pytest.raises(RuleError) as info:
        make_rules(bad)
    assert "là 950 (a 600 + b 350), khác total_weight 1000" in str(info.value)
    text = rules_text(indicator("N", "count", 5), indicator("M", "count", 4))
    text = text.replace('name = "Tiêu chí"', 'name = "Tiêu chí"\nmax_points = 10')
    with pytest.raises(RuleError) as info:
        loads_rules(text, source="sums.toml")
    assert "là 9 (N 5 + M 4), khác điểm tối đa đã khai 10" in str(info.value)


def test_values_row_wider_than_header_names_the_row():
    rules = make_rules(indicator("N", "count", 5))
    text = "unit_code,unit_name,N\nA,Phòng 1,2\nB,Phòng, 2,3\n"
    with pytest.raises(ValuesError) as info:
        read_values(io.BytesIO(text.encode()), rules, source="v.csv")
    (problem,) = info.value.errors
    assert problem.row == 3 and "dòng có 4 ô nhưng tiêu đề chỉ có 3 cột" in problem.message


def test_dossier_form_accepts_the_published_scale():
    from emulation.dossiers.fields import all_value_fields

    fields = {f.column: f for f in all_value_fields(make_rules(SCALED))}
    assert fields["DTI_a"].maximum == 10 and fields["DTI_b"].maximum == 100


def test_ratio_share_on_a_published_scale():
    rules = make_rules(indicator("S", "ratio", 10, '{ input = "share", scale = 10 }'))
    assert score(rules, frame(S=[7.5])).table["total"][0] == 7.5
    with pytest.raises(ValuesError, match=r"nằm ngoài khoảng 0\.\.10"):
        validate_values(frame(S=[10.5]), rules)


def test_values_without_a_round_warn_that_no_deadline_is_checked(tmp_path):
    plain = tmp_path / "so-lieu.csv"
    shutil.copy(INTERIM, plain)
    result = CliRunner().invoke(score_command, [str(SEED_RULES), str(plain)])
    assert result.exit_code == 0
    assert "không xét hạn nộp (các đợt: so-ket-2024, tong-ket-2025" in result.stderr


def test_weighted_composite_matches_the_publishers_rounding():
    import numpy as np

    from emulation.scoring.methods import round_half_up

    weights = [12.5, 7.5, 10, 15, 5, 10, 12.5, 7.5, 10, 10]
    items = [
        indicator(f"S{i}", "ratio", w, '{ input = "share" }') for i, w in enumerate(weights)
    ]
    rng = np.random.default_rng(7)
    shares = rng.random((200, len(weights))).round(4)
    values = frame(**{f"S{i}": shares[:, i] for i in range(len(weights))})
    total = score(make_rules(*items), values).table["total"].to_numpy()
    published = round_half_up(shares @ np.array(weights), 2)
    assert np.array_equal(total, published)
