"""Turn pydantic errors into plain Vietnamese messages with key suggestions."""

from __future__ import annotations

import difflib
import types
import typing
from datetime import date, datetime

from pydantic import BaseModel, ValidationError

_EXPECTED = {
    "string_type": "một chuỗi ký tự (đặt trong dấu ngoặc kép)",
    "float_type": "một số",
    "int_type": "một số nguyên",
    "bool_type": "true hoặc false",
    "list_type": "một danh sách [ ... ]",
    "dict_type": "một bảng (table)",
    "model_type": "một bảng (table)",
    "model_attributes_type": "một bảng (table)",
    "datetime_type": "ngày giờ có độ lệch múi giờ, ví dụ 2024-08-30T23:59:59+07:00",
    "date_type": "một ngày, ví dụ 2024-10-10",
    "int_from_float": "một số nguyên",
    "tuple_type": "một danh sách [ ... ]",
}


def describe(value) -> str:
    """Say in words what kind of value the file holds."""
    if isinstance(value, bool):
        return f"giá trị đúng/sai ({str(value).lower()})"
    if isinstance(value, int | float):
        return f"số {value}"
    if isinstance(value, str):
        return f"chuỗi '{value}'"
    if isinstance(value, datetime):
        return f"ngày giờ {value.isoformat()}"
    if isinstance(value, date):
        return f"ngày {value.isoformat()}"
    if isinstance(value, list):
        return "một danh sách"
    if isinstance(value, dict):
        return "một bảng"
    return repr(value)


def _inner_model(annotation) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    if isinstance(annotation, types.UnionType):
        for arg in annotation.__args__:
            found = _inner_model(arg)
            if found is not None:
                return found
    return None


def model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model class describing the table found at loc (None for free-form tables)."""
    current: type[BaseModel] | None = model
    for part in loc:
        if isinstance(part, int):
            continue
        if current is None or part not in current.model_fields:
            return None
        current = _inner_model(current.model_fields[part].annotation)
    return current


def suggest(word: str, choices) -> str:
    """' — có phải ý bạn là 'x'?' when a close choice exists, else the list of choices."""
    choices = sorted(choices)
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if close:
        return f"; có phải ý bạn là '{close[0]}'?"
    if choices:
        return "; các giá trị hợp lệ: " + ", ".join(f"'{c}'" for c in choices)
    return ""


def _literal_choices(err: dict) -> list[str]:
    expected = err.get("ctx", {}).get("expected", "")
    return [part.strip().strip("'") for part in expected.replace(" or ", ", ").split(",") if part]


def message_for(err: dict, model: type[BaseModel], loc: tuple) -> str:
    """One pydantic error as a plain sentence."""
    kind = err["type"]
    value = err.get("input")
    ctx = err.get("ctx", {})
    if kind == "missing":
        return f"thiếu khóa bắt buộc '{loc[-1]}'"
    if kind == "extra_forbidden":
        parent = model_at(model, loc[:-1])
        keys = parent.model_fields if parent is not None else []
        return f"khóa không hợp lệ '{loc[-1]}'" + suggest(str(loc[-1]), keys)
    if kind == "literal_error":
        return f"giá trị {describe(value)} không hợp lệ" + suggest(
            str(value), _literal_choices(err)
        )
    if kind in _EXPECTED:
        return f"sai kiểu dữ liệu: cần {_EXPECTED[kind]}, nhận được {describe(value)}"
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    limits = {
        "greater_than": f"phải lớn hơn {ctx.get('gt')}",
        "greater_than_equal": f"phải lớn hơn hoặc bằng {ctx.get('ge')}",
        "less_than": f"phải nhỏ hơn {ctx.get('lt')}",
        "less_than_equal": f"phải nhỏ hơn hoặc bằng {ctx.get('le')}",
        "too_short": f"cần ít nhất {ctx.get('min_length')} phần tử",
        "too_long": f"có nhiều nhất {ctx.get('max_length')} phần tử",
    }
    if kind in limits:
        return f"giá trị {describe(value)} không hợp lệ: {limits[kind]}"
    return f"giá trị không hợp lệ ({err['msg']})"


def convert(exc: ValidationError, model: type[BaseModel], prefix: tuple = ()) -> list:
    """(loc, message) for every error of a pydantic ValidationError."""
    out = []
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and "[" in p))
        out.append((prefix + loc, message_for(err, model, loc)))
    return out
