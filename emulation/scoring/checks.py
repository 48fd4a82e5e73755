"""Checks across the whole rule file: codes, sums, references, formulas and method params."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from pydantic import ValidationError

from .authority import check_authority, check_initiatives
from .errors import FormulaError
from .formula import Expression, compile_expression
from .messages import convert, suggest
from .methods import CHECKS, columns_for, target_column
from .registration import check_registration
from .schema import DERIVED_COLUMNS, PARAM_MODELS, RESERVED_COLUMNS

TABLE_COLUMNS = RESERVED_COLUMNS | {
    "on_time", "bonus", "penalty", "total", "band", "band_code", "disqualified",
    "disqualifier_reason", "rank_in_group", "rank_overall", "ranking_group",
    "award_tier", "award_code",
}  # fmt: skip
TIE_BREAK_SIMPLE = ("bonus", "penalty", "submitted_at")
TOLERANCE = 1e-6


def _list(d, key) -> list[tuple[int, dict]]:
    value = d.get(key) if isinstance(d, dict) else None
    if not isinstance(value, list):
        return []
    return [(i, x) for i, x in enumerate(value) if isinstance(x, dict)]


def _num(d: dict, key: str) -> float | None:
    value = d.get(key)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def _str(d: dict, key: str) -> str | None:
    value = d.get(key)
    return value if isinstance(value, str) else None


def read_parts(codes: list, values: list) -> str:
    """The parts a sum was read from, e.g. 'TT 15 + KH 25', so an author sees which is off."""
    return " + ".join(f"{code} {value:g}" for code, value in zip(codes, values, strict=True))


def _code(table) -> str:
    code = table.get("code") if isinstance(table, dict) else None
    return str(code) if code is not None else "?"


@dataclass
class Item:
    """An indicator, bonus or penalty item as found in the raw file."""

    loc: tuple
    data: dict
    section: str
    config: object = None
    columns: list[tuple[str, str]] = field(default_factory=list)
    expression: Expression | None = None

    @property
    def code(self) -> str | None:
        """The item's code, if the file gives one as a string."""
        return _str(self.data, "code")


@dataclass
class CheckResult:
    """Problems found, plus the params and expressions already compiled for the builder."""

    problems: list[tuple[tuple, str]] = field(default_factory=list)
    items: dict[tuple, Item] = field(default_factory=dict)
    disqualifiers: dict[tuple, Expression] = field(default_factory=dict)

    def add(self, loc: tuple, message: str) -> None:
        """Record a problem at a key path."""
        self.problems.append((loc, message))


def collect_items(raw: dict) -> list[Item]:
    """Every scored item in file order: indicators of the tree, bonus, penalties."""
    items = []
    for gi, group in _list(raw, "groups"):
        for ci, criterion in _list(group, "criteria"):
            for ii, ind in _list(criterion, "indicators"):
                loc = ("groups", gi, "criteria", ci, "indicators", ii)
                items.append(Item(loc, ind, "indicator"))
    for section, key in (("bonus", "bonus"), ("penalty", "penalties")):
        items += [Item((key, i), d, section) for i, d in _list(raw, key)]
    return items


class Checker:
    """Runs every cross-reference check on a raw (parsed, not yet validated) rule file."""

    def __init__(self, raw: dict, line_of: Callable[[tuple], int | None]):
        self.raw = raw
        self.line_of = line_of
        self.result = CheckResult()
        self.items = collect_items(raw)

    def run(self) -> CheckResult:
        """Run all checks and return the problems and compiled parts."""
        self.check_duplicates()
        self.check_methods()
        names = self.check_columns()
        self.check_expressions(names)
        self.check_sums()
        self.check_rounds()
        self.check_bands_ranking_awards()
        check_registration(self)
        check_authority(self)
        check_initiatives(self)
        self.result.items = {item.loc: item for item in self.items}
        return self.result

    def _unique(self, entries: list[tuple[tuple, str | None]], what: str) -> None:
        seen: dict[str, tuple] = {}
        for loc, code in entries:
            if code is None:
                continue
            if code in seen:
                first = self.line_of(seen[code] + ("code",))
                where = f" (đã dùng ở dòng {first})" if first else ""
                self.result.add(loc + ("code",), f"mã {what} '{code}' bị trùng{where}")
            else:
                seen[code] = loc

    def check_duplicates(self) -> None:
        """Report codes used twice and group codes that clash with result columns."""
        raw = self.raw
        groups = _list(raw, "groups")
        self._unique([(("groups", i), _str(g, "code")) for i, g in groups], "nhóm")
        criteria = [
            (("groups", gi, "criteria", ci), _str(c, "code"))
            for gi, g in groups
            for ci, c in _list(g, "criteria")
        ]
        self._unique(criteria, "tiêu chí")
        inputs = [(("inputs", i), _str(d, "code")) for i, d in _list(raw, "inputs")]
        self._unique([(it.loc, it.code) for it in self.items] + inputs, "chỉ tiêu/cột dữ liệu")
        for key, what in (
            ("rounds", "đợt"),
            ("bands", "xếp loại"),
            ("awards", "hình thức khen thưởng"),
            ("documents", "tài liệu"),
            ("disqualifiers", "điều kiện loại"),
        ):
            self._unique([((key, i), _str(d, "code")) for i, d in _list(raw, key)], what)
        for i, g in groups:
            if _str(g, "code") in TABLE_COLUMNS:
                self.result.add(
                    ("groups", i, "code"),
                    f"mã nhóm '{g['code']}' trùng tên một cột của bảng kết quả; hãy đổi mã",
                )

    def check_methods(self) -> None:
        """Check each item's method name and params; keep the validated params."""
        for item in self.items:
            method = item.data.get("method")
            if not isinstance(method, str):
                continue
            model = PARAM_MODELS.get(method)
            if model is None:
                self.result.add(
                    item.loc + ("method",),
                    f"phương pháp chấm '{method}' không tồn tại" + suggest(method, PARAM_MODELS),
                )
                continue
            params = item.data.get("params", {})
            if not isinstance(params, dict):
                continue
            try:
                config = model.model_validate(params)
            except ValidationError as exc:
                self.result.problems += convert(exc, model, item.loc + ("params",))
                continue
            item.config = config
            item.columns = columns_for(item.code or "?", method, config)
            top = _num(item.data, "max_points")
            check = CHECKS.get(method)
            if check is not None and top is not None:
                for sub, message in check(config, top):
                    self.result.add(item.loc + ("params",) + sub, message)

    def check_columns(self) -> set[str]:
        """Check VALUES column names and codes do not clash; return names formulas may use."""
        owners: dict[str, tuple[tuple, bool]] = {}
        names: set[str] = set()
        for i, d in _list(self.raw, "inputs"):
            if (code := _str(d, "code")) is not None:
                owners.setdefault(code, (("inputs", i), True))
                names.add(code)
        for item in self.items:
            own = {column for column, _ in item.columns} | ({item.code} if item.code else set())
            if item.code and item.data.get("registrable") is True:
                own.add(target_column(item.code))
                names.add(target_column(item.code))
            for name in sorted(own):
                other_loc, other_is_code = owners.get(name, (item.loc, False))
                # two equal codes are already reported as duplicates
                if other_loc != item.loc and not (name == item.code and other_is_code):
                    self.result.add(
                        item.loc + ("code",),
                        f"cột dữ liệu '{name}' của '{item.code}' trùng với một mã/cột khác"
                        f" (dòng {self.line_of(other_loc)})",
                    )
                owners.setdefault(name, (item.loc, name == item.code))
            names.update(column for column, kind in item.columns if kind != "choice")
            if item.code and item.data.get("method") not in ("formula", "choice"):
                names.add(item.code)
        return names | set(DERIVED_COLUMNS)

    def check_expressions(self, names: set[str]) -> None:
        """Compile formulas and disqualifier conditions against the known names."""
        formula_codes = {it.code for it in self.items if it.data.get("method") == "formula"}
        choice_codes = {it.code for it in self.items if it.data.get("method") == "choice"}
        broken = {it.code for it in self.items if it.config is None and it.code}
        # A code of the wrong type is reported elsewhere; it must not break the name lookup.
        allowed = {n for n in names | formula_codes | choice_codes | broken if isinstance(n, str)}

        def compile_at(loc: tuple, text: str, own: str | None) -> Expression | None:
            try:
                expression = compile_expression(text, allowed)
            except FormulaError as exc:
                self.result.add(loc, str(exc))
                return None
            for name in sorted(expression.names & (formula_codes | choice_codes)):
                why = "chỉ tiêu công thức" if name in formula_codes else "chỉ tiêu lựa chọn (chữ)"
                if name == own:
                    self.result.add(loc, f"công thức không được tự tham chiếu '{name}'")
                else:
                    self.result.add(loc, f"không dùng được '{name}' ({why}) trong biểu thức")
            return expression

        for item in self.items:
            if item.data.get("method") == "formula" and item.config is not None:
                loc = item.loc + ("params", "expression")
                item.expression = compile_at(loc, item.config.expression, item.code)
        for i, d in _list(self.raw, "disqualifiers"):
            if (text := _str(d, "when")) is not None and text.strip():
                expression = compile_at(("disqualifiers", i, "when"), text, None)
                if expression is not None:
                    self.result.disqualifiers[("disqualifiers", i)] = expression

    def _sum_check(
        self, loc: tuple, declared: float | None, parts: list, what: str, codes: list
    ) -> float | None:
        if any(p is None for p in parts):
            return declared
        total = sum(parts)
        if declared is not None and abs(total - declared) > TOLERANCE:
            self.result.add(
                loc + ("max_points",),
                f"tổng điểm tối đa của các {what} là {total:g} ({read_parts(codes, parts)}),"
                f" khác điểm tối đa đã khai {declared:g}",
            )
        # each declared maximum is checked against its direct parts as declared
        return declared if declared is not None else total

    def check_sums(self) -> None:
        """Check declared maximum points against the sum of their parts."""
        group_totals, group_codes = [], []
        for gi, group in _list(self.raw, "groups"):
            criterion_totals, criterion_codes = [], []
            for ci, criterion in _list(group, "criteria"):
                loc = ("groups", gi, "criteria", ci)
                indicators = [d for _, d in _list(criterion, "indicators")]
                parts = [_num(d, "max_points") for d in indicators]
                codes = [_code(d) for d in indicators]
                declared = _num(criterion, "max_points")
                criterion_totals.append(self._sum_check(loc, declared, parts, "chỉ tiêu", codes))
                criterion_codes.append(_code(criterion))
            declared = _num(group, "max_points")
            group_totals.append(
                self._sum_check(
                    ("groups", gi), declared, criterion_totals, "tiêu chí", criterion_codes
                )
            )
            group_codes.append(_code(group))
        scoring = self.raw.get("scoring")
        declared = _num(scoring, "max_total") if isinstance(scoring, dict) else None
        known = bool(group_totals) and all(t is not None for t in group_totals)
        if declared is not None and known and abs(sum(group_totals) - declared) > TOLERANCE:
            self.result.add(
                ("scoring", "max_total"),
                f"tổng điểm tối đa của các nhóm là {sum(group_totals):g}"
                f" ({read_parts(group_codes, group_totals)}), khác max_total {declared:g}",
            )

    def check_rounds(self) -> None:
        """Check the order of movement dates, opening, deadline and award date."""
        movement = self.raw.get("movement")
        if isinstance(movement, dict):
            start, end = movement.get("starts_on"), movement.get("ends_on")
            if type(start) is type(end) and start is not None and start > end:
                self.result.add(("movement", "ends_on"), "ngày kết thúc trước ngày bắt đầu")
        for i, r in _list(self.raw, "rounds"):
            opens, deadline, award = r.get("opens_at"), r.get("deadline"), r.get("award_date")
            aware = [isinstance(x, datetime) and x.tzinfo is not None for x in (opens, deadline)]
            if all(aware) and opens >= deadline:
                self.result.add(("rounds", i, "deadline"), "hạn nộp phải sau thời điểm mở đợt")
            is_date = isinstance(award, date) and not isinstance(award, datetime)
            if aware[1] and is_date and award < deadline.date():
                self.result.add(("rounds", i, "award_date"), "ngày khen thưởng trước hạn nộp hồ sơ")
            self._check_grace(i, r)

    def _check_grace(self, i: int, r: dict) -> None:
        # Grace is the window in which late dossiers are still accepted (and flagged), so it
        # only means something with accept_flagged, and accept_flagged needs one.
        grace, policy = r.get("grace_minutes", 0), r.get("late_policy", "reject")
        if not isinstance(grace, int) or isinstance(grace, bool):
            return
        if policy == "reject" and grace > 0:
            self.result.add(
                ("rounds", i, "grace_minutes"),
                'late_policy = "reject" không nhận hồ sơ muộn nên grace_minutes phải là 0;'
                ' muốn nhận muộn có gắn cờ thì dùng late_policy = "accept_flagged"',
            )
        if policy == "accept_flagged" and grace == 0:
            self.result.add(
                ("rounds", i, "grace_minutes"),
                'late_policy = "accept_flagged" cần grace_minutes > 0 (thời gian còn nhận'
                " hồ sơ muộn sau hạn nộp), ví dụ grace_minutes = 4320 (3 ngày)",
            )

    def check_bands_ranking_awards(self) -> None:
        """Check band order, tie-break references and award references."""
        bands = _list(self.raw, "bands")
        minima = [(i, _num(b, "min_total")) for i, b in bands]
        for (_, a), (i, b) in zip(minima, minima[1:], strict=False):
            if a is not None and b is not None and b >= a:
                self.result.add(
                    ("bands", i, "min_total"),
                    "các xếp loại phải theo thứ tự điểm giảm dần (min_total giảm dần)",
                )
        self._check_ranking()
        band_codes = [c for _, b in bands if (c := _str(b, "code"))]
        round_codes = [c for _, r in _list(self.raw, "rounds") if (c := _str(r, "code"))]
        for i, award in _list(self.raw, "awards"):
            band = _str(award, "min_band")
            if band is not None and band not in band_codes:
                self.result.add(
                    ("awards", i, "min_band"),
                    f"xếp loại '{band}' chưa được định nghĩa" + suggest(band, band_codes),
                )
            listed = award.get("rounds")
            for j, code in enumerate(listed if isinstance(listed, list) else []):
                if isinstance(code, str) and code not in round_codes:
                    self.result.add(
                        ("awards", i, "rounds", j),
                        f"đợt '{code}' chưa được định nghĩa" + suggest(code, round_codes),
                    )
            quota = award.get("quota")
            if isinstance(quota, dict) and (("count" in quota) == ("percent" in quota)):
                self.result.add(
                    ("awards", i, "quota"), "chỉ tiêu khen thưởng cần đúng một trong count, percent"
                )

    def _check_ranking(self) -> None:
        ranking = self.raw.get("ranking")
        if not isinstance(ranking, dict):
            return
        chain = ranking.get("tie_break") or []
        policy = ranking.get("tie_policy", "shared")
        if policy == "chain" and not chain:
            self.result.add(
                ("ranking", "tie_break"), "tie_policy = 'chain' cần danh sách tie_break"
            )
        if policy == "shared" and chain:
            self.result.add(("ranking", "tie_break"), "tie_break chỉ dùng khi tie_policy = 'chain'")
        groups = [c for _, g in _list(self.raw, "groups") if (c := _str(g, "code"))]
        codes = [it.code for it in self.items if it.code]
        for j, entry in enumerate(chain if isinstance(chain, list) else []):
            if not isinstance(entry, str):
                continue
            kind, _, code = entry.partition(":")
            if not code and kind in TIE_BREAK_SIMPLE:
                continue
            known = {"group": groups, "indicator": codes}.get(kind)
            if known is None:
                valid = list(TIE_BREAK_SIMPLE) + ["group:<mã nhóm>", "indicator:<mã chỉ tiêu>"]
                hint = suggest(entry, TIE_BREAK_SIMPLE)
                hint = hint if "có phải" in hint else "; dùng: " + ", ".join(valid)
                self.result.add(
                    ("ranking", "tie_break", j), f"tiêu chí phân định '{entry}' không hợp lệ{hint}"
                )
            elif code not in known:
                self.result.add(
                    ("ranking", "tie_break", j),
                    f"mã '{code}' trong '{entry}' chưa được định nghĩa" + suggest(code, known),
                )
