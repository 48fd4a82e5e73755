"""Rule checks for emulation registration: registrable indicators, target_ratio, [registration]."""

from __future__ import annotations

from datetime import datetime

# A registered target is compared with the indicator's one numeric value.
REGISTRABLE_METHODS = ("ratio", "steps", "count", "relative", "target_ratio")
# Code of the penalty item built from [registration] penalty.
REGISTRATION_PENALTY_CODE = "KHONG_DANG_KY"


def _list(d, key) -> list[tuple[int, dict]]:
    value = d.get(key) if isinstance(d, dict) else None
    if not isinstance(value, list):
        return []
    return [(i, x) for i, x in enumerate(value) if isinstance(x, dict)]


def check_registration(checker) -> None:
    """Check registrable indicators, target_ratio and the [registration] table together."""
    table = checker.raw.get("registration")
    has_table = isinstance(table, dict)
    for item in checker.items:
        registrable = item.data.get("registrable") is True
        method = item.data.get("method")
        where = item.loc + ("registrable",)
        if method == "target_ratio" and not registrable:
            checker.result.add(
                item.loc + ("method",),
                "phương pháp 'target_ratio' so kết quả với chỉ tiêu đơn vị tự đăng ký:"
                " thêm registrable = true cho chỉ tiêu này",
            )
        if not registrable:
            continue
        if item.section != "indicator":
            checker.result.add(
                where, "chỉ tiêu đăng ký phải thuộc [[groups]]; bỏ registrable ở mục thưởng/trừ"
            )
        elif isinstance(method, str) and method not in REGISTRABLE_METHODS:
            checker.result.add(
                where,
                f"không đăng ký chỉ tiêu được cho phương pháp '{method}'; dùng với: "
                + ", ".join(REGISTRABLE_METHODS),
            )
        if not has_table:
            checker.result.add(
                where,
                "registrable = true cần bảng [registration] có deadline, ví dụ"
                " deadline = 2023-11-30T23:59:59+07:00",
            )
    if not has_table:
        return
    opens, deadline = table.get("opens_at"), table.get("deadline")
    aware = all(isinstance(x, datetime) and x.tzinfo is not None for x in (opens, deadline))
    if aware and opens >= deadline:
        checker.result.add(("registration", "deadline"), "hạn đăng ký phải sau thời điểm mở")
    codes = [(i, t.get("code")) for i, t in _list(table, "titles")]
    titles = [(("registration", "titles", i), c if isinstance(c, str) else None) for i, c in codes]
    checker._unique(titles, "danh hiệu")
    penalty = table.get("penalty")
    penalty = penalty if isinstance(penalty, int | float) and not isinstance(penalty, bool) else 0
    if penalty and any(it.code == REGISTRATION_PENALTY_CODE for it in checker.items):
        checker.result.add(
            ("registration", "penalty"),
            f"điểm trừ không đăng ký dùng mã '{REGISTRATION_PENALTY_CODE}', trùng một chỉ"
            " tiêu đã có; hãy đổi mã chỉ tiêu đó",
        )
