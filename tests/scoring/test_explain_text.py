"""`emulation score --explain`: the text a reader uses to recompute and understand a result."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from emulation.scoring import load_rules, score
from emulation.scoring.cli import score_command

from .helpers import RULES_DIR, SEED_RULES, frame, indicator, make_rules

INTERIM = RULES_DIR / "vksnd_danang_cds_2023_2025.so-ket-2024.csv"
EXPECTED = Path(__file__).with_name("explain_so-ket-2024_VKS-P11.txt").read_text("utf-8")


def test_explain_text_of_a_late_unit_is_pinned():
    result = CliRunner().invoke(
        score_command, [str(SEED_RULES), str(INTERIM), "--explain", "VKS-P11"]
    )
    assert result.exit_code == 0, result.output
    digest = load_rules(SEED_RULES).content_hash[:12]
    assert result.stdout == EXPECTED.replace("{hash}", digest).replace(
        "scoring_rules/", f"{RULES_DIR}/"
    )


def _lines(rules, **columns):
    return score(rules, frame(**columns), round_code="r1").explain("U0")["summary"]


def test_percent_typed_as_95_is_shown_as_95_percent():
    rules = make_rules(indicator("PCT", "ratio", 5, '{ input = "percent" }'))
    lines = _lines(rules, PCT=[95.0], submitted_at=["2024-08-29T10:00:00+07:00"])
    assert any("số liệu 95 % → 4,75/5 điểm" in line for line in lines)


def test_index_lines_carry_each_weight():
    rules = make_rules(
        indicator(
            "IDX", "index", 10,
            '{ components = [{ key = "a", name = "A", weight = 30 },'
            ' { key = "b", name = "B", weight = 70 }] }',
        )
    )  # fmt: skip
    lines = _lines(rules, IDX_a=[0.5], IDX_b=[1.0])
    line = next(line for line in lines if line.strip().startswith("IDX "))
    assert "IDX_a=0,5 × trọng số 30; IDX_b=1 × trọng số 70" in line
    assert "/ 100 = 0,85" in line


def test_no_band_line_without_bands_and_award_reason_when_none():
    award = """
[[awards]]
code = "gk"
name = "Giấy khen"
require_on_time = true
"""
    rules = make_rules(
        indicator("N", "count", 5), extra=award, late_policy="accept_flagged", grace=60
    )
    lines = _lines(rules, N=[2], submitted_at=["31/08/2024 00:30"])
    assert not any("xếp loại" in line for line in lines)
    assert "Đề nghị khen thưởng: không" in lines
    assert "  Giấy khen: không đủ điều kiện: nộp hồ sơ quá hạn" in lines
    assert any(line.startswith("Nộp hồ sơ: 31/08/2024 00:30:00 — QUÁ HẠN") for line in lines)
    assert "Hồ sơ và số liệu: đầy đủ" in lines
    incomplete = _lines(rules, N=[None], complete=["0"])
    assert "Hồ sơ và số liệu: CHƯA ĐẦY ĐỦ (thiếu số liệu hoặc hồ sơ)" in incomplete


def test_explanation_carries_message_ids_for_programs():
    award = '\n[[awards]]\ncode = "gk"\nname = "Giấy khen"\n'
    rules = make_rules(indicator("N", "count", 5), extra=award)
    explanation = score(rules, frame(N=[None]), round_code="r1").explain("U0")
    item = explanation["groups"][0]["criteria"][0]["indicators"][0]
    assert item["note_message"] == {"id": "note.missing", "args": {}}
    status = explanation["awards"][0]["status_message"]
    assert status == {
        "id": "tier.ineligible",
        "args": {"reasons": "hồ sơ hoặc số liệu chưa đầy đủ"},
    }
