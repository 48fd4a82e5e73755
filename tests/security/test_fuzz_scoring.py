"""Hypothesis-made rule files and VALUES files: only ever a clean RuleError/ValuesError."""

import io
import json
import tomllib
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emulation.scoring import RuleError, ValuesError, loads_rules, read_values, score

RULES_DIR = Path(__file__).parents[2] / "scoring_rules"
SEED = RULES_DIR / "vksnd_danang_cds_2023_2025.toml"
SEED_TEXT = SEED.read_text(encoding="utf-8")
SEED_DATA = tomllib.loads(SEED_TEXT)
SEED_RULES = loads_rules(SEED_TEXT, source=SEED.name)
SEED_VALUES = (RULES_DIR / "vksnd_danang_cds_2023_2025.so-ket-2024.csv").read_text("utf-8")
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


def _only_clean_rule_errors(text, source="fuzz.toml"):
    try:
        loads_rules(text, source=source)
    except RuleError as exc:
        assert exc.errors, "a RuleError must list its problems"
        for problem in exc.errors:
            assert problem.message and problem.source == source
            str(problem)  # printable: what the CLI and pages show


@FUZZ
@given(st.one_of(st.text(max_size=400), st.binary(max_size=400)))
def test_any_text_or_bytes_as_a_rule_file(data):
    _only_clean_rule_errors(data)


@FUZZ
@given(
    st.lists(
        st.tuples(st.integers(0, len(SEED_TEXT)), st.integers(0, 40), st.text(max_size=12)),
        min_size=1,
        max_size=5,
    )
)
def test_seed_rule_file_with_random_splices(splices):
    text = SEED_TEXT
    for at, cut, insert in splices:
        at %= len(text) + 1
        text = text[:at] + insert + text[at + cut :]
    _only_clean_rule_errors(text)


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.datetimes(),
    st.dates(),
)


def _paths(data, prefix=()):
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _paths(value, (*prefix, i))
    yield prefix


ALL_PATHS = [p for p in _paths(SEED_DATA) if p]


def _toml_value(value) -> str:
    if value is None:
        return '""'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return {"nan": "nan", "inf": "inf", "-inf": "-inf"}.get(str(value), repr(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        # JSON string escapes are valid TOML; TOML also wants DEL escaped.
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    return value.isoformat()


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(ALL_PATHS), SCALARS), min_size=1, max_size=4))
def test_seed_rule_file_with_keys_set_to_wrong_values(changes):
    """Valid TOML whose keys hold values of any type: checked, never crashing the loader."""
    import copy

    data = copy.deepcopy(SEED_DATA)
    for path, value in changes:
        target = data
        try:
            for key in path[:-1]:
                target = target[key]
            target[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change replaced a table on this path
    _only_clean_rule_errors(_dump(data))


def _dump(data, table=()) -> str:
    """A small TOML writer (the project has no TOML writer dependency)."""
    lines, tables = [], []
    for key, value in data.items():
        name = _key(key)
        if isinstance(value, dict):
            tables.append(((*table, name), value, False))
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            tables.extend(((*table, name), item, True) for item in value)
        else:
            lines.append(f"{name} = {_inline(value)}")
    out = "\n".join(lines) + "\n"
    for path, value, array in tables:
        header = ".".join(path)
        out += f"\n[[{header}]]\n" if array else f"\n[{header}]\n"
        out += _dump(value, path)
    return out


def _key(key) -> str:
    return _toml_value(str(key))


def _inline(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_inline(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)} = {_inline(v)}" for k, v in value.items()) + "}"
    return _toml_value(value)


def test_the_toml_writer_round_trips_the_seed():
    assert tomllib.loads(_dump(SEED_DATA)) == SEED_DATA


def _values_or_clean_error(data: bytes, source: str):
    try:
        values = read_values(io.BytesIO(data), SEED_RULES, source=source)
    except ValuesError as exc:
        assert exc.errors and all(p.message and p.source == source for p in exc.errors)
        return
    result = score(SEED_RULES, values, round_code="so-ket-2024")
    assert result.details["points"].notna().all()


@FUZZ
@given(st.binary(max_size=600))
def test_any_bytes_as_a_values_file(data):
    _values_or_clean_error(data, "v.csv")


CELL = st.one_of(
    st.sampled_from(["", " ", "1e999", "-1e999", "inf", "-0", "1_000", "١٢٣", "0x10", "1,2,3",
                     "99,5", "  7  ", "\x00", "=1+1", "có", "không", "nan", "NaN", "None"]),
    st.text(max_size=8),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)  # fmt: skip


@FUZZ
@given(st.lists(st.tuples(st.integers(1, 19), st.integers(0, 40), CELL), min_size=1, max_size=8))
def test_seed_values_with_hostile_cells(edits):
    import csv

    rows = list(csv.reader(io.StringIO(SEED_VALUES)))
    for row, column, cell in edits:
        row %= len(rows)
        column %= len(rows[row])
        rows[row][column] = cell
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    _values_or_clean_error(out.getvalue().encode("utf-8"), "v.csv")


XLSX_CELL = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**60), 2**60),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=8).filter(
        lambda s: not s.startswith("=")
    ),
    st.datetimes(),
)


@FUZZ
@given(st.lists(st.tuples(st.integers(1, 19), st.integers(0, 40), XLSX_CELL), max_size=8))
def test_seed_values_as_a_workbook_with_any_cell_types(edits):
    import csv

    rows = list(csv.reader(io.StringIO(SEED_VALUES)))
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for row, column, cell in edits:
        row %= len(rows)
        column %= len(rows[row])
        sheet.cell(row=row + 1, column=column + 1, value=cell)
    buffer = io.BytesIO()
    book.save(buffer)
    _values_or_clean_error(buffer.getvalue(), "v.xlsx")
