"""The `rules check` and `score` commands, run with click's CliRunner."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from click.testing import CliRunner

from emulation.scoring.cli import rules, score_command

from .helpers import RULES_DIR, SEED_RULES

INTERIM = RULES_DIR / "vksnd_danang_cds_2023_2025.so-ket-2024.csv"
FINAL = RULES_DIR / "vksnd_danang_cds_2023_2025.tong-ket-2025.csv"


@pytest.fixture
def runner():
    return CliRunner()


def test_check_ok_for_files_and_directory(runner):
    result = runner.invoke(rules, ["check", str(RULES_DIR)])
    assert result.exit_code == 0, result.output
    assert result.output.count("OK ") == len(list(RULES_DIR.glob("*.toml")))
    result = runner.invoke(rules, ["check", str(SEED_RULES)])
    assert result.exit_code == 0 and "vksnd-dn-cds-2023-2025" in result.output


def test_check_lists_every_error_and_fails(runner, tmp_path):
    bad = tmp_path / "bad.toml"
    text = SEED_RULES.read_text(encoding="utf-8")
    bad.write_text(
        text.replace("max_total = 100", "max_total = 90").replace("bonus_cap", "bonus_kap"),
        encoding="utf-8",
    )
    result = runner.invoke(rules, ["check", str(SEED_RULES), str(bad)])
    assert result.exit_code == 1
    assert f"OK {SEED_RULES}" in result.output
    assert f"LỖI {bad}: 2 lỗi" in result.stderr
    assert "có phải ý bạn là 'bonus_cap'?" in result.stderr
    assert f"{bad}:" in result.stderr and "scoring.max_total" in result.stderr


def test_check_missing_path(runner, tmp_path):
    result = runner.invoke(rules, ["check", str(tmp_path / "none.toml")])
    assert result.exit_code == 1 and "không đọc được tệp" in result.stderr


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_score_writes_each_format(runner, tmp_path, fmt):
    out = tmp_path / f"ket-qua.{fmt}"
    result = runner.invoke(score_command, [str(SEED_RULES), str(FINAL), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "tong-ket-2025" in result.stderr  # round taken from the VALUES file name
    if fmt == "csv":
        text = out.read_text(encoding="utf-8")
        assert text.startswith("# Quy tắc: ") and "# Quy tắc xếp hạng: Xếp hạng" in text
        table = pd.read_csv(io.StringIO(text), comment="#")
    elif fmt == "xlsx":
        table = pd.read_excel(out, sheet_name="Kết quả")
        notes = pd.read_excel(out, sheet_name="Ghi chú")["Ghi chú"].tolist()
        assert any("Quy tắc xếp hạng" in n for n in notes)
    else:
        data = json.loads(out.read_text(encoding="utf-8"))
        assert (
            data["tie_policy"].startswith("Xếp hạng") and data["round"]["code"] == "tong-ket-2025"
        )
        assert data["rules"]["content_hash"]
        table = pd.DataFrame(data["results"])
    assert len(table) == 19
    expected = ["unit_code", "TT", "KH", "TM", "DT", "UD", "total", "band"]
    expected += ["disqualifier_reason", "rank_in_group", "rank_overall", "award_tier"]
    assert set(expected) <= set(table.columns)


def test_score_to_stdout_and_explain(runner):
    result = runner.invoke(score_command, [str(SEED_RULES), str(INTERIM), "--round", "so-ket-2024"])
    assert result.exit_code == 0
    assert result.stdout.startswith("# Quy tắc:") and "VKS-HC" in result.stdout
    result = runner.invoke(score_command, [str(SEED_RULES), str(INTERIM), "--explain", "VKS-TK"])
    assert result.exit_code == 0
    assert "Bị loại: Để xảy ra sự cố an toàn thông tin" in result.stdout
    assert "UD_KY_SO_a=" in result.stdout
    result = runner.invoke(
        score_command, [str(SEED_RULES), str(INTERIM), "--explain", "VKS-HC", "--format", "json"]
    )
    assert json.loads(result.stdout)["unit_code"] == "VKS-HC"


def test_bad_values_exit_nonzero_and_write_nothing(runner, tmp_path):
    text = FINAL.read_text(encoding="utf-8").splitlines()
    header = text[0].split(",")
    column = header.index("UD_KY_SO_a")
    row = text[3].split(",")
    # quoted unit names contain commas; find the column from the end instead
    row[column - len(header)] = "999999"
    text[3] = ",".join(row)
    values = tmp_path / "values.csv"
    values.write_text("\n".join(text).replace(",TT_TIN_BAI,", ",TT_TINBAI,") + "\n", "utf-8")
    out = tmp_path / "out.csv"
    result = runner.invoke(score_command, [str(SEED_RULES), str(values), "-o", str(out)])
    assert result.exit_code == 1
    assert "thiếu cột 'TT_TIN_BAI'" in result.stderr and "TT_TINBAI" in result.stderr
    assert not out.exists()
    values.write_text("\n".join(text) + "\n", "utf-8")
    out.write_text("earlier result", encoding="utf-8")
    result = runner.invoke(score_command, [str(SEED_RULES), str(values), "-o", str(out)])
    assert result.exit_code == 1
    assert "dòng 4, cột 'UD_KY_SO_a'" in result.stderr and "lớn hơn mẫu số" in result.stderr
    assert out.read_text(encoding="utf-8") == "earlier result"
    assert sorted(tmp_path.iterdir()) == sorted([values, out])


def test_bad_rules_and_unknown_explain_code(runner, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("format = 1\n[movement\n", encoding="utf-8")
    result = runner.invoke(score_command, [str(bad), str(FINAL)])
    assert result.exit_code == 1 and "cú pháp TOML" in result.stderr
    out = tmp_path / "out.json"
    result = runner.invoke(
        score_command, [str(SEED_RULES), str(FINAL), "--explain", "VKS-XX", "-o", str(out)]
    )
    assert result.exit_code == 1 and "VKS-XX" in result.output + result.stderr
    assert not out.exists()


def test_xlsx_needs_output(runner):
    result = runner.invoke(score_command, [str(SEED_RULES), str(FINAL), "--format", "xlsx"])
    assert result.exit_code == 2


def test_score_a_values_file_without_clusters_ranks_everyone_together(runner, tmp_path):
    values = tmp_path / "khong-cum.csv"
    pd.read_csv(FINAL).drop(columns=["cluster"]).to_csv(values, index=False)
    out = tmp_path / "ket-qua.json"
    result = runner.invoke(
        score_command, [str(SEED_RULES), str(values), "--round", "tong-ket-2025", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    ranks = sorted(
        r["rank_in_group"] for r in json.loads(out.read_text())["results"] if r["rank_in_group"]
    )
    assert ranks == sorted(
        r["rank_overall"] for r in json.loads(out.read_text())["results"] if r["rank_overall"]
    )
