"""Validation at load: one test per class of error, with file, key path and line."""

from __future__ import annotations

import pytest

from emulation.scoring import RuleError, load_rules, loads_rules

from .helpers import SEED_RULES, indicator, rules_text

SEED_TEXT = SEED_RULES.read_text(encoding="utf-8")


def errors_of(text: str, source: str = "upload.toml") -> list:
    with pytest.raises(RuleError) as info:
        loads_rules(text, source=source)
    return info.value.errors


def only(text: str, fragment: str):
    """The single problem whose message contains fragment."""
    found = [e for e in errors_of(text) if fragment in e.message]
    assert len(found) == 1, [str(e) for e in errors_of(text)]
    return found[0]


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_seed_and_minimal_files_are_valid():
    assert loads_rules(SEED_TEXT).movement.place == "Đà Nẵng"
    assert loads_rules(rules_text(indicator("A", "count", 5))).indicators[0].code == "A"


def test_toml_syntax_error_has_file_and_line():
    text = SEED_TEXT.replace('place = "Đà Nẵng"', 'place = "Đà Nẵng')
    (problem,) = errors_of(text)
    assert problem.source == "upload.toml"
    assert problem.line == line_of(SEED_TEXT, 'place = "Đà Nẵng"')
    assert "cú pháp TOML" in problem.message


def test_unknown_key_suggests_closest():
    text = SEED_TEXT.replace('max_points = 6\nunit = "buổi"', 'max_pionts = 6\nunit = "buổi"')
    problem = only(text, "khóa không hợp lệ")
    assert "có phải ý bạn là 'max_points'?" in problem.message
    assert problem.path == "groups[TT].criteria[TT1].indicators[TT_HOI_NGHI].max_pionts"
    assert problem.line == line_of(text, "max_pionts")
    assert str(problem).startswith(f"upload.toml:{problem.line}: groups[TT]")


def test_unknown_param_key_suggests_closest():
    text = SEED_TEXT.replace("params = { per_item = 2.5 }", "params = { per_iten = 2.5 }")
    assert "có phải ý bạn là 'per_item'?" in only(text, "per_iten").message


def test_wrong_type():
    text = SEED_TEXT.replace("max_points = 15\n", 'max_points = "15"\n', 1)
    problem = only(text, "sai kiểu dữ liệu")
    assert "cần một số" in problem.message and "'15'" in problem.message
    assert problem.path == "groups[TT].max_points"


def test_missing_key():
    text = SEED_TEXT.replace('organisation = "Viện kiểm sát nhân dân thành phố Đà Nẵng"\n', "")
    problem = only(text, "thiếu khóa bắt buộc 'organisation'")
    assert problem.path == "movement.organisation"
    assert problem.line == line_of(text, "[movement]")


def test_literal_suggestion():
    text = SEED_TEXT.replace('kind = "final"', 'kind = "fnal"')
    assert "có phải ý bạn là 'final'?" in only(text, "fnal").message


def test_criterion_points_do_not_add_up():
    text = SEED_TEXT.replace('max_points = 7\nunit = "điểm"', 'max_points = 6\nunit = "điểm"')
    problem = only(text, "tổng điểm tối đa")
    assert problem.path == "groups[TM].criteria[TM2].max_points"
    assert "là 6" in problem.message and "đã khai 7" in problem.message


def test_group_and_total_points_do_not_add_up():
    group = SEED_TEXT.replace("max_points = 30\n", "max_points = 35\n")
    # the group disagrees with its criteria and the groups with max_total: both are named
    paths = [e.path for e in errors_of(group)]
    assert paths == ["scoring.max_total", "groups[UD].max_points"]
    total = SEED_TEXT.replace("max_total = 100", "max_total = 120")
    assert only(total, "max_total").path == "scoring.max_total"


def test_index_weights_do_not_add_up():
    text = SEED_TEXT.replace("total_weight = 100", "total_weight = 90")
    assert only(text, "tổng trọng số").path.endswith("params.total_weight")


def test_undefined_references():
    text = (
        SEED_TEXT.replace('"5 - 2.5 * ATTT_VI_PHAM', '"5 - 2.5 * ATTT_VIPHAM')
        .replace('when = "SU_CO_LO_LOT > 0"', 'when = "SU_CO > 0"')
        .replace('min_band = "tot"', 'min_band = "tott"')
        .replace('rounds = ["tong-ket-2025"]', 'rounds = ["tong-ket-2026"]')
        .replace('"group:UD"', '"group:UX"')
    )
    messages = [e.message for e in errors_of(text)]
    assert any("'ATTT_VIPHAM' (có phải ý bạn là 'ATTT_VI_PHAM'?)" in m for m in messages)
    assert any("'SU_CO'" in m for m in messages)
    assert any("'tott' chưa được định nghĩa; có phải ý bạn là 'tot'?" in m for m in messages)
    assert any("'tong-ket-2026' chưa được định nghĩa" in m for m in messages)
    assert any("'UX'" in m for m in messages)
    assert len(messages) == 5


def test_bad_formula_syntax_and_disallowed_nodes():
    text = SEED_TEXT.replace('"5 - 2.5 * ATTT_VI_PHAM', "\"__import__('os') - ATTT_VI_PHAM")
    problem = only(text, "không được phép")
    assert problem.path == "groups[UD].criteria[UD3].indicators[UD_ATTT].params.expression"
    syntax = SEED_TEXT.replace('"5 - 2.5 * ATTT_VI_PHAM', '"5 - 2.5 * * ATTT_VI_PHAM')
    assert only(syntax, "sai cú pháp").line == line_of(syntax, "2.5 * *")


def test_formula_may_not_use_formula_or_choice_indicators():
    text = SEED_TEXT.replace('"5 - 2.5 * ATTT_VI_PHAM', '"UD_ATTT + KH_BAN_HANH - ATTT_VI_PHAM')
    messages = [e.message for e in errors_of(text)]
    assert any("tự tham chiếu 'UD_ATTT'" in m for m in messages)
    assert any("'KH_BAN_HANH' (chỉ tiêu lựa chọn" in m for m in messages)


def test_deadline_without_offset():
    text = SEED_TEXT.replace("2024-08-30T23:59:59+07:00", "2024-08-30T23:59:59")
    problem = only(text, "UTC offset")
    assert problem.path == "rounds[so-ket-2024].deadline"
    assert problem.line == line_of(text, "deadline = 2024-08-30T23:59:59")
    as_date = SEED_TEXT.replace("2024-08-30T23:59:59+07:00", "2024-08-30")
    assert "2024-08-30T23:59:59+07:00" in only(as_date, "sai kiểu").message


def test_grace_window_must_match_the_late_policy():
    no_window = SEED_TEXT.replace("grace_minutes = 4320", "grace_minutes = 0", 1)
    problem = only(no_window, "cần grace_minutes > 0")
    assert problem.path == "rounds[so-ket-2024].grace_minutes"
    final_with_grace = SEED_TEXT.replace(
        'grace_minutes = 0\nlate_policy = "reject"', 'grace_minutes = 60\nlate_policy = "reject"'
    )
    assert "phải là 0" in only(final_with_grace, "reject").message


def test_choice_label_for_an_unknown_option():
    text = SEED_TEXT.replace(
        'labels = { dung_han = "Ban hành đúng hạn"', 'labels = { dung_hn = "x"'
    )
    assert "dung_hn" in only(text, "không có trong options").message


def test_duplicate_codes():
    text = SEED_TEXT.replace('code = "DT_CHUYEN_DE"', 'code = "DT_TAP_HUAN"').replace(
        'code = "tot"', 'code = "kha"', 1
    )
    messages = [str(e) for e in errors_of(text)]
    first = line_of(text, 'code = "DT_TAP_HUAN"')
    assert any(f"'DT_TAP_HUAN' bị trùng (đã dùng ở dòng {first})" in m for m in messages)
    assert any("mã xếp loại 'kha' bị trùng" in m for m in messages)


def test_column_clash_between_ratio_columns_and_a_code():
    text = rules_text(indicator("R", "ratio", 5), indicator("R_a", "count", 5))
    assert "cột dữ liệu 'R_a'" in only(text, "trùng với một mã/cột").message


def test_unknown_method_and_bad_params():
    text = rules_text(
        indicator("A", "bolean", 5),
        indicator("B", "steps", 5, "{ steps = [[1, 2], [3, 4]] }"),
        indicator("C", "choice", 5, "{ options = { full = 1.5 } }"),
        indicator("D", "ratio", 5, '{ input = "pair", floor = 0.9, target = 0.8 }'),
    )
    messages = [e.message for e in errors_of(text)]
    assert any("'bolean' không tồn tại; có phải ý bạn là 'boolean'?" in m for m in messages)
    assert any("ngưỡng phải giảm dần" in m for m in messages)
    assert any("tỷ lệ của điểm tối đa" in m for m in messages)
    assert any("floor=0.9 lớn hơn target=0.8" in m for m in messages)


def test_code_format():
    text = rules_text(indicator("Ký_số", "count", 5))
    assert "chữ cái không dấu" in only(text, "không hợp lệ").message


def test_ranking_bands_awards_rounds_consistency():
    extra = """
[[bands]]
code = "a"
name = "A"
min_total = 50
[[bands]]
code = "b"
name = "B"
min_total = 60
[ranking]
tie_policy = "chain"
tie_break = []
[[awards]]
code = "x"
name = "X"
quota = { count = 1, percent = 10 }
"""
    text = rules_text(indicator("A", "count", 5), extra=extra).replace(
        "award_date = 2024-10-10", "award_date = 2024-08-01"
    )
    messages = [e.message for e in errors_of(text)]
    assert any("min_total giảm dần" in m for m in messages)
    assert any("cần danh sách tie_break" in m for m in messages)
    assert any("đúng một trong count, percent" in m for m in messages)
    assert any("ngày khen thưởng trước hạn nộp" in m for m in messages)


def test_council_fractions():
    text = SEED_TEXT.replace('quorum = "2/3"', 'quorum = "3/2"').replace(
        'pass_threshold = "1/2"', 'pass_threshold = "half"'
    )
    messages = [e.message for e in errors_of(text)]
    assert any("không quá 1" in m for m in messages)
    assert any("'half' không phải một tỷ lệ" in m for m in messages)
    assert loads_rules(SEED_TEXT.replace('quorum = "2/3"', "quorum = 0.75")).council.quorum == 0.75


def test_all_errors_at_once_sorted_by_line():
    text = (
        SEED_TEXT.replace("2024-08-30T23:59:59+07:00", "2024-08-30T23:59:59")
        .replace('max_points = 7\nunit = "điểm"', 'max_points = 6\nunit = "điểm"')
        .replace('min_band = "tot"', 'min_band = "tott"')
    )
    lines = [e.line for e in errors_of(text)]
    assert len(lines) == 3 and lines == sorted(lines)


def test_load_rules_names_the_file(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(SEED_TEXT.replace("max_total = 100", "max_total = 99"), encoding="utf-8")
    with pytest.raises(RuleError) as info:
        load_rules(path)
    assert info.value.errors[0].source == str(path)
    assert str(info.value).startswith("1 lỗi:")


def test_missing_file_and_non_utf8(tmp_path):
    with pytest.raises(RuleError, match="không đọc được tệp"):
        load_rules(tmp_path / "none.toml")
    with pytest.raises(RuleError, match="UTF-8"):
        loads_rules("a = 1\nb = 'Đà'\n".encode("cp1258", errors="replace") + b"\xff")


def test_content_hash_is_sha256_of_bytes():
    import hashlib

    rs = load_rules(SEED_RULES)
    assert rs.content_hash == hashlib.sha256(SEED_RULES.read_bytes()).hexdigest()
    assert loads_rules(SEED_TEXT).content_hash == rs.content_hash


def test_line_of_a_key_inside_a_multiline_array():
    old = '{ key = "noi_bo", name = "Ứng dụng CNTT trong hoạt động nội bộ", weight = 35 }'
    text = SEED_TEXT.replace(old, old.replace("weight = 35", "weight = -35"))
    problem = only(text, "phải lớn hơn 0")
    assert problem.path.endswith("params.components[#2].weight")
    assert problem.line == line_of(text, "weight = -35")
