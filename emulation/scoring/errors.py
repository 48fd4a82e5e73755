"""Errors raised by the scoring package, each carrying every problem found at once."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem in a rule file or a VALUES file, located as precisely as possible."""

    message: str
    source: str = ""
    path: str = ""
    line: int | None = None
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = self.source or "<rules>"
        if self.line is not None:
            where += f":{self.line}"
        if self.row is not None:
            where += f": dòng {self.row}"
        if self.column is not None:
            where += f", cột '{self.column}'" if self.row is not None else f": cột '{self.column}'"
        if self.path:
            where += f": {self.path}"
        return f"{where}: {self.message}"

    def as_dict(self) -> dict:
        """Return the problem as a JSON-serialisable dict."""
        return {
            "message": self.message,
            "source": self.source,
            "path": self.path,
            "line": self.line,
            "row": self.row,
            "column": self.column,
        }


class RuleError(Exception):
    """A rule file (or data checked against it) is invalid; `errors` lists every problem."""

    def __init__(self, errors: list[Problem] | list[str] | str, source: str = ""):
        if isinstance(errors, str):
            errors = [errors]
        self.errors: list[Problem] = [
            e if isinstance(e, Problem) else Problem(message=str(e), source=source) for e in errors
        ]
        self.source = source
        super().__init__(self._summary())

    def _summary(self) -> str:
        count = len(self.errors)
        lines = [f"{count} lỗi:" if count != 1 else "1 lỗi:"]
        lines += [f"  - {e}" for e in self.errors]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self._summary()


class ValuesError(RuleError):
    """A VALUES table does not fit the rule set; each problem names its row and column."""


class FormulaError(ValueError):
    """An expression in a rule file is not allowed or refers to unknown names."""
