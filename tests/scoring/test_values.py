"""VALUES files: CSV and XLSX reading, normalising, and errors naming row and column."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pandas as pd
import pytest

from emulation.scoring import ValuesError, read_values, score, validate_values

from .helpers import RULES_DIR, indicator, make_rules

RULES = make_rules(
    indicator("KYSO", "ratio", 10),
    indicator("HOP", "steps", 5, "{ steps = [[2, 5], [1, 2]] }"),
    indicator("CD", "choice", 4, "{ options = { chu_tich = 1, pho = 0.5 } }"),
    indicator("KN", "boolean", 3),
    indicator("TYLE", "ratio", 3, '{ input = "share" }'),
    indicator("GY", "manual", 2),
)
HEADER = "unit_code,unit_name,cluster,submitted_at,KYSO_a,KYSO_b,HOP,CD,KN,TYLE\n"


def read(text: str):
    return read_values(io.BytesIO(text.encode("utf-8")), RULES, source="values.csv")


def problems(text: str) -> list:
    with pytest.raises(ValuesError) as info:
        read(text)
    return info.value.errors


def test_reads_and_normalises():
    df = read(
        HEADER
        + 'A,"Đơn vị A",Cụm 1,2024-08-29T16:30:00+07:00,5,10,2,chu_tich,có,0.5\n'
        + "B,,Cụm 1,29/08/2024 16:30,0,0,,Pho,không,\n"
    )
    assert df["KYSO_a"].tolist() == [5.0, 0.0]
    assert df["CD"].tolist() == ["chu_tich", "pho"]
    assert df["KN"].tolist() == [1.0, 0.0]
    assert pd.isna(df["HOP"][1]) and pd.isna(df["TYLE"][1])
    assert df["GY"].isna().all()  # manual column may be absent
    expected = datetime(2024, 8, 29, 9, 30, tzinfo=UTC)
    assert df["submitted_at"].tolist() == [expected, expected]
    assert df["kind"].tolist() == ["collective", "collective"]
    assert df["complete"].tolist() == [True, True]


def test_missing_column_with_typo_hint():
    (problem,) = problems(HEADER.replace("KYSO_b", "KYSO_B") + "A,A,C,,1,2,1,pho,1,0.1\n")
    assert problem.column == "KYSO_b"
    assert "thiếu cột 'KYSO_b'" in problem.message and "'KYSO_B'" in problem.message


def test_text_in_number_column_names_row_and_column():
    found = problems(HEADER + "A,A,C,,1,2,1,pho,1,0.1\nB,B,C,,1,2,hai,pho,1,0.1\n")
    (problem,) = found
    assert (problem.row, problem.column) == (3, "HOP")
    assert "'hai' không phải là số" in problem.message and "B" in problem.message
    assert str(problem).startswith("values.csv: dòng 3, cột 'HOP':")


def test_ratio_numerator_above_denominator():
    (problem,) = problems(HEADER + "A,A,C,,11,10,1,pho,1,0.1\n")
    assert (problem.row, problem.column) == (2, "KYSO_a")
    assert "tử số 11 lớn hơn mẫu số 10" in problem.message


def test_many_problems_at_once():
    found = problems(
        HEADER
        + "A,A,C,,-1,10,1,pho,maybe,1.5\n"
        + "A,A,,,1,2,1,thu_ky,1,0.1\n"
        + ",X,C,,1,2,1,pho,1,0.1\n"
    )
    pairs = {(p.row, p.column) for p in found}
    assert {(2, "KYSO_a"), (2, "KN"), (2, "TYLE"), (3, "CD"), (3, "cluster")} <= pairs
    assert (2, "unit_code") in pairs and (3, "unit_code") in pairs and (4, "unit_code") in pairs
    choice = next(p for p in found if p.column == "CD")
    assert "'chu_tich', 'pho'" in choice.message


def test_decimal_comma_semicolon_and_bom():
    text = "\ufeff" + HEADER.replace(",", ";") + "A;A;C;;1;2;1;pho;x;0,75\n"
    df = read(text)
    assert df["TYLE"].tolist() == [0.75]
    assert df["KN"].tolist() == [1.0]


def test_manual_points_must_be_within_max():
    with pytest.raises(ValuesError, match="ngoài khoảng 0..2"):
        read(HEADER.replace("\n", ",GY\n") + "A,A,C,,1,2,1,pho,1,0.1,2.5\n")


def test_count_must_be_whole_and_not_negative():
    rules = make_rules(indicator("N", "count", 5))
    with pytest.raises(ValuesError) as info:
        validate_values(pd.DataFrame({"unit_code": ["A", "B"], "N": [1.5, -1]}), rules)
    messages = [p.message for p in info.value.errors]
    assert any("số nguyên" in m for m in messages) and any("không được âm" in m for m in messages)


def test_infinite_numbers_refused():
    rules = make_rules(indicator("N", "steps", 5, "{ steps = [[1, 5]] }"))
    with pytest.raises(ValuesError, match="hữu hạn"):
        validate_values(pd.DataFrame({"unit_code": ["A"], "N": ["1e999"]}), rules)


def test_unit_code_column_required():
    with pytest.raises(ValuesError, match="unit_code"):
        validate_values(pd.DataFrame({"KYSO_a": [1]}), RULES)


def test_bad_submitted_at_and_kind():
    rules = make_rules(indicator("N", "count", 5))
    df = pd.DataFrame(
        {"unit_code": ["A", "B"], "N": [1, 2], "submitted_at": ["hôm qua", ""], "kind": ["x", ""]}
    )
    with pytest.raises(ValuesError) as info:
        validate_values(df, rules)
    columns = sorted(p.column for p in info.value.errors)
    assert columns == ["kind", "submitted_at"]
    df["submitted_at"] = ["2024-08-29", ""]
    df["kind"] = ["cá nhân", ""]
    ok = validate_values(df, rules)
    assert ok["kind"].tolist() == ["individual", "collective"]
    assert pd.isna(ok["submitted_at"][1])


def test_xlsx_roundtrip(tmp_path):
    source = RULES_DIR / "vksnd_danang_cds_2023_2025.so-ket-2024.csv"
    rules_path = RULES_DIR / "vksnd_danang_cds_2023_2025.toml"
    from emulation.scoring import load_rules

    rs = load_rules(rules_path)
    from_csv = read_values(source, rs)
    xlsx = tmp_path / "values.xlsx"
    pd.read_csv(source, dtype=str).to_excel(xlsx, index=False)
    from_xlsx = read_values(xlsx, rs)
    pd.testing.assert_frame_equal(from_csv, from_xlsx)
    with open(xlsx, "rb") as stream:  # a buffer is recognised as XLSX by its signature
        pd.testing.assert_frame_equal(read_values(stream, rs), from_csv)
    a = score(rs, from_csv, round_code="so-ket-2024").table
    b = score(rs, from_xlsx, round_code="so-ket-2024").table
    pd.testing.assert_frame_equal(a, b)


def test_unreadable_file(tmp_path):
    with pytest.raises(ValuesError, match="không đọc được tệp"):
        read_values(tmp_path / "none.csv", RULES)
    bad = tmp_path / "bad.csv"
    bad.write_bytes("unit_code\nĐà\n".encode("cp1258", errors="replace") + b"\xff\xfe")
    with pytest.raises(ValuesError, match="UTF-8"):
        read_values(bad, RULES)


def test_validate_is_idempotent():
    df = read(HEADER + "A,A,C,2024-08-29T16:30:00+07:00,1,2,1,pho,1,0.1\n")
    pd.testing.assert_frame_equal(validate_values(df, RULES), df)
