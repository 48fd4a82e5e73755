"""The restricted expression language: what parses, what is refused, how it evaluates."""

from __future__ import annotations

import math

import numpy as np
import pytest

from emulation.scoring.errors import FormulaError
from emulation.scoring.formula import compile_expression

NAMES = {"A", "B", "C"}


def run(text: str, **env):
    arrays = {k: np.array(v, dtype=float) for k, v in env.items()}
    n = len(next(iter(arrays.values()))) if arrays else 1
    return compile_expression(text, NAMES).evaluate(arrays, n).tolist()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A + B * 2 - C / 4", [1 + 6 - 1.0]),
        ("-A + +B", [2.0]),
        ("min(A, B, C)", [1.0]),
        ("max(A, B) - abs(-C)", [-1.0]),
        ("A < B <= C", [1.0]),
        ("A > B or C == 4", [1.0]),
        ("A > B and C == 4", [0.0]),
        ("not A", [0.0]),
        ("A != B", [1.0]),
        ("10 if B > A else 20", [10.0]),
        ("7", [7.0]),
    ],
)
def test_evaluates(text, expected):
    assert run(text, A=[1], B=[3], C=[4]) == expected


def test_division_by_zero_and_missing_values_give_nan():
    out = run("A / B", A=[1, 1, math.nan], B=[0, 2, 1])
    assert math.isnan(out[0]) and out[1] == 0.5 and math.isnan(out[2])


def test_comparisons_with_missing_value_are_false():
    assert run("A > 0", A=[math.nan, 1]) == [0.0, 1.0]
    assert run("A != 1", A=[math.nan]) == [0.0]
    assert run("A if A > 0 else 5", A=[math.nan]) == [5.0]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("__import__('os')", "lời gọi hàm"),
        ("A ** 2", "'**'"),
        ("A % 2", "'%'"),
        ("A.real", "Attribute"),
        ("[A, B]", "List"),
        ("lambda: 1", "Lambda"),
        ("A[0]", "Subscript"),
        ("'text'", "hằng"),
        ("min", "tên hàm"),
        ("min(A)", "ít nhất 2"),
        ("abs(A, B)", "đúng 1"),
        ("min(A, key=B)", "tham số có tên"),
        ("A +", "sai cú pháp"),
        ("", "rỗng"),
        ("A + " * 400 + "A", "dài quá"),
    ],
)
def test_refused(text, words):
    with pytest.raises(FormulaError, match=None) as info:
        compile_expression(text, NAMES)
    assert words in str(info.value)


def test_unknown_names_listed_with_suggestion():
    with pytest.raises(FormulaError) as info:
        compile_expression("AA + D", NAMES)
    message = str(info.value)
    assert "'AA'" in message and "'D'" in message and "có phải ý bạn là 'A'" in message


def test_names_recorded():
    assert compile_expression("A + min(B, 2)", NAMES).names == {"A", "B"}


def test_unknown_name_among_known_names_of_the_wrong_type_is_a_clean_error():
    # Found by tests/security/test_fuzz_scoring.py: a broken rule file can leave a non-text
    # code among the known names; the "did you mean" hint must not crash on it.
    with pytest.raises(FormulaError, match="HOI_NGHJ"):
        compile_expression("HOI_NGHJ + 1", {"HOI_NGHI", None, 7})
