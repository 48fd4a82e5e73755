"""Find the line of a key path in TOML text, so that errors can point at it."""

from __future__ import annotations

import re

_KEY = r'(?:[A-Za-z0-9_\-]+|"[^"]*"|\'[^\']*\')'
_DOTTED = rf"{_KEY}(?:\s*\.\s*{_KEY})*"
_ARRAY_HEADER = re.compile(rf"^\s*\[\[\s*({_DOTTED})\s*\]\]")
_TABLE_HEADER = re.compile(rf"^\s*\[\s*({_DOTTED})\s*\]")
_KEY_LINE = re.compile(rf"^\s*({_DOTTED})\s*=")
_INLINE_KEY = re.compile(rf"[{{,]\s*({_KEY})\s*=")
_STRINGS = re.compile(r'"(?:\\.|[^"\\])*"|\'[^\']*\'')


def _split(dotted: str) -> tuple[str, ...]:
    parts = re.findall(_KEY, dotted)
    return tuple(p[1:-1] if p[:1] in "\"'" else p for p in parts)


def _depth_change(value: str) -> int:
    bare = _STRINGS.sub("", value).split("#", 1)[0]
    return bare.count("[") + bare.count("{") - bare.count("]") - bare.count("}")


class LineIndex:
    """Maps concrete key paths such as ('groups', 0, 'criteria', 1, 'code') to 1-based lines."""

    def __init__(self, text: str):
        self.positions: dict[tuple, int] = {}
        self._array_index: dict[tuple, int] = {}
        self._counters: dict[tuple, int] = {}
        self._scan(text)

    def _concrete(self, keys: tuple[str, ...]) -> tuple:
        out: list = []
        for i, key in enumerate(keys):
            out.append(key)
            index = self._array_index.get(keys[: i + 1])
            if index is not None:
                out.append(index)
        return tuple(out)

    def _record(self, path: tuple, line: int) -> None:
        self.positions.setdefault(path, line)

    def _scan(self, text: str) -> None:
        table: tuple = ()
        depth = 0
        open_string: str | None = None
        array_path: tuple | None = None
        element = -1
        for no, line in enumerate(text.splitlines(), 1):
            if open_string:
                if open_string in line:
                    open_string = None
                continue
            if depth > 0:
                if array_path is not None and line.lstrip().startswith("{"):
                    element += 1
                    self._record(array_path + (element,), no)
                    for key in _INLINE_KEY.findall(line):
                        self._record(array_path + (element,) + _split(key), no)
                depth += _depth_change(line)
                continue
            if m := _ARRAY_HEADER.match(line):
                keys = _split(m.group(1))
                parent = self._concrete(keys[:-1]) + (keys[-1],)
                self._counters[parent] = self._counters.get(parent, -1) + 1
                for stale in [k for k in self._array_index if k[: len(keys)] == keys]:
                    del self._array_index[stale]
                self._array_index[keys] = self._counters[parent]
                table = self._concrete(keys)
                self._record(table, no)
                continue
            if m := _TABLE_HEADER.match(line):
                table = self._concrete(_split(m.group(1)))
                self._record(table, no)
                continue
            if m := _KEY_LINE.match(line):
                path = table + _split(m.group(1))
                self._record(path, no)
                value = line[m.end() :]
                for key in _INLINE_KEY.findall(value):
                    self._record(path + _split(key), no)
                stripped = value.strip()
                for quote in ('"""', "'''"):
                    if stripped.startswith(quote) and stripped.count(quote) == 1:
                        open_string = quote
                depth = max(_depth_change(value), 0)
                array_path, element = (path, -1) if depth else (None, -1)

    def line_of(self, loc: tuple) -> int | None:
        """Return the line of the longest known prefix of loc, or None."""
        for end in range(len(loc), 0, -1):
            line = self.positions.get(tuple(loc[:end]))
            if line is not None:
                return line
        return None
