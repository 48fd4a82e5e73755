"""Restricted arithmetic expressions: parsed with `ast`, whitelisted, evaluated on numpy arrays."""

from __future__ import annotations

import ast
import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from .errors import FormulaError

MAX_LENGTH = 1000
MAX_NODES = 300
FUNCTIONS = ("min", "max", "abs")

Evaluator = Callable[[Mapping[str, np.ndarray]], np.ndarray | float]


def _truth(x):
    x = np.asarray(x, dtype=float)
    # a missing value (NaN) is never "true": conditions on absent data do not fire
    return (x != 0) & (x == x)


def _divide(a, b):
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.true_divide(a, b)
    return np.where(np.isfinite(out), out, np.nan)


def _fix_nan(op):
    def apply(a, b):
        with np.errstate(invalid="ignore", over="ignore"):
            return op(a, b)

    return apply


_BINARY = {
    ast.Add: _fix_nan(np.add),
    ast.Sub: _fix_nan(np.subtract),
    ast.Mult: _fix_nan(np.multiply),
    ast.Div: _divide,
}
_COMPARE = {
    ast.Lt: np.less,
    ast.LtE: np.less_equal,
    ast.Gt: np.greater,
    ast.GtE: np.greater_equal,
    ast.Eq: np.equal,
    ast.NotEq: lambda a, b: np.not_equal(a, b) & (np.asarray(a) == a) & (np.asarray(b) == b),
}
_SYMBOLS = {
    ast.Pow: "**",
    ast.Mod: "%",
    ast.FloorDiv: "//",
    ast.BitAnd: "&",
    ast.BitOr: "|",
    ast.BitXor: "^",
    ast.MatMult: "@",
    ast.LShift: "<<",
    ast.RShift: ">>",
}


@dataclass(frozen=True)
class Expression:
    """A checked expression; `names` are the columns it reads."""

    text: str
    names: frozenset[str]
    _fn: Evaluator = field(repr=False, compare=False)

    def evaluate(self, env: Mapping[str, np.ndarray], n: int) -> np.ndarray:
        """Evaluate over n candidates; env maps each name to a float array of length n."""
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            out = self._fn(env)
        return np.broadcast_to(np.asarray(out, dtype=float), (n,)).copy()


class _Compiler:
    def __init__(self, allowed: set[str] | None):
        self.allowed = allowed
        self.names: set[str] = set()
        self.unknown: list[str] = []

    def fail(self, node: ast.AST, what: str) -> None:
        """Raise FormulaError for a construct that is not allowed."""
        col = getattr(node, "col_offset", None)
        at = f" (ở ký tự thứ {col + 1})" if col is not None else ""
        raise FormulaError(f"{what}{at} không được phép trong biểu thức")

    def compile(self, node: ast.AST) -> Evaluator:
        """Compile one AST node into a function of the environment."""
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            self.fail(node, f"cú pháp '{type(node).__name__}'")
        return method(node)

    def _Expression(self, node: ast.Expression) -> Evaluator:
        return self.compile(node.body)

    def _Constant(self, node: ast.Constant) -> Evaluator:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(node, f"hằng {value!r} (chỉ dùng số)")
        number = float(value)
        return lambda env: number

    def _Name(self, node: ast.Name) -> Evaluator:
        name = node.id
        if name in FUNCTIONS:
            self.fail(node, f"tên hàm '{name}' đứng một mình")
        if self.allowed is not None and name not in self.allowed and name not in self.unknown:
            self.unknown.append(name)
        self.names.add(name)
        return lambda env: env[name]

    def _UnaryOp(self, node: ast.UnaryOp) -> Evaluator:
        inner = self.compile(node.operand)
        if isinstance(node.op, ast.USub):
            return lambda env: -np.asarray(inner(env), dtype=float)
        if isinstance(node.op, ast.UAdd):
            return inner
        if isinstance(node.op, ast.Not):
            return lambda env: (~_truth(inner(env))).astype(float)
        self.fail(node, "toán tử một ngôi này")
        raise AssertionError  # unreachable: fail() always raises

    def _BinOp(self, node: ast.BinOp) -> Evaluator:
        op = _BINARY.get(type(node.op))
        if op is None:
            self.fail(node, f"phép toán '{_SYMBOLS.get(type(node.op), type(node.op).__name__)}'")
        left, right = self.compile(node.left), self.compile(node.right)
        return lambda env: op(left(env), right(env))

    def _Compare(self, node: ast.Compare) -> Evaluator:
        parts = [self.compile(node.left)] + [self.compile(c) for c in node.comparators]
        ops = []
        for op in node.ops:
            fn = _COMPARE.get(type(op))
            if fn is None:
                self.fail(node, f"phép so sánh '{type(op).__name__}'")
            ops.append(fn)

        def run(env):
            values = [np.asarray(p(env), dtype=float) for p in parts]
            result = np.ones(np.broadcast(*values).shape, dtype=bool)
            for fn, a, b in zip(ops, values, values[1:], strict=False):
                result &= fn(a, b)
            return result.astype(float)

        return run

    def _BoolOp(self, node: ast.BoolOp) -> Evaluator:
        parts = [self.compile(v) for v in node.values]
        combine = np.logical_and if isinstance(node.op, ast.And) else np.logical_or

        def run(env):
            result = _truth(parts[0](env))
            for p in parts[1:]:
                result = combine(result, _truth(p(env)))
            return result.astype(float)

        return run

    def _IfExp(self, node: ast.IfExp) -> Evaluator:
        test, body, orelse = (self.compile(n) for n in (node.test, node.body, node.orelse))
        return lambda env: np.where(_truth(test(env)), body(env), orelse(env))

    def _Call(self, node: ast.Call) -> Evaluator:
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            self.fail(node, "lời gọi hàm (chỉ có min, max, abs)")
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            self.fail(node, "tham số có tên hoặc *args")
        name = node.func.id
        args = [self.compile(a) for a in node.args]
        if name == "abs":
            if len(args) != 1:
                raise FormulaError("hàm abs nhận đúng 1 tham số")
            return lambda env: np.abs(args[0](env))
        if len(args) < 2:
            raise FormulaError(f"hàm {name} cần ít nhất 2 tham số")
        reduce = np.minimum if name == "min" else np.maximum

        def run(env):
            result = args[0](env)
            for a in args[1:]:
                result = reduce(result, a(env))
            return result

        return run


def compile_expression(text: str, allowed: set[str] | None = None) -> Expression:
    """Parse and check an expression; raise FormulaError naming what is not allowed."""
    if not isinstance(text, str) or not text.strip():
        raise FormulaError("biểu thức rỗng")
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"biểu thức dài quá {MAX_LENGTH} ký tự")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise FormulaError(f"biểu thức sai cú pháp ở ký tự thứ {exc.offset}: {exc.msg}") from None
    if sum(1 for _ in ast.walk(tree)) > MAX_NODES:
        raise FormulaError(f"biểu thức quá phức tạp (hơn {MAX_NODES} thành phần)")
    compiler = _Compiler(allowed)
    fn = compiler.compile(tree)
    if compiler.unknown:
        hints = []
        for name in compiler.unknown:
            known = sorted(a for a in (allowed or ()) if isinstance(a, str))
            close = difflib.get_close_matches(name, known, n=1)
            hints.append(f"'{name}'" + (f" (có phải ý bạn là '{close[0]}'?)" if close else ""))
        raise FormulaError("biểu thức dùng mã chưa được định nghĩa: " + ", ".join(hints))
    return Expression(text=text.strip(), names=frozenset(compiler.names), _fn=fn)
