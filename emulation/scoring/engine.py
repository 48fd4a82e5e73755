"""Score every candidate at once: points per indicator, groups, bonus, penalty, bands, ranks."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import partial

import numpy as np
import pandas as pd

from .deadline import after
from .errors import Problem, RuleError, ValuesError
from .explain import explain, result_as_dict
from .methods import (
    METHODS,
    NOTE_BELOW_FLOOR,
    NOTE_CAPPED,
    NOTE_MANUAL_PENDING,
    NOTE_MISSING,
    NOTE_NEGATIVE,
    NOTE_NO_TARGET,
    NOTE_NOT_COMPUTABLE,
    NOTE_OVERRIDE,
    NOTE_ZERO_DENOMINATOR,
    NOTES,
    Context,
    round_half_up,
)
from .model import RuleSet
from .ranking import (
    assign_awards,
    band_indices,
    competition_ranks_both,
    ranking_labels,
    tie_break_keys,
    tie_policy_text,
)
from .texts import late_reason
from .values import META_COLUMNS, checked_columns, values_frame

_NOTE_CODE = {note: code for code, note in enumerate(NOTES)}
_LOW_TO_HIGH = (
    NOTE_CAPPED, NOTE_NEGATIVE, NOTE_BELOW_FLOOR, NOTE_ZERO_DENOMINATOR, NOTE_NO_TARGET,
)  # fmt: skip
_ABSENT_NOTE = {"formula": NOTE_NOT_COMPUTABLE, "manual": NOTE_MANUAL_PENDING}


@dataclass
class ScoreResult:
    """Scores of one VALUES table under one rule set.

    `details` (one row per candidate and item) and `values` (the checked VALUES) may be
    given as a FrameBuilder: the frame is then built the first time it is read, and kept.
    Most callers (a ranking, a sandbox) never read them, and at 100,000 candidates the
    details are the largest part of the result.
    """

    rules: RuleSet
    table: pd.DataFrame
    details: pd.DataFrame
    tie_policy_text: str
    round_code: str | None = None
    values: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)

    def with_table(self, table: pd.DataFrame) -> ScoreResult:
        """The same result with another table; details and values are shared, built or not."""
        kept = {name: self.__dict__[f"_{name}"] for name in ("details", "values")}
        return replace(self, table=table, **kept)

    def explain(self, unit_code: str) -> dict:
        """A JSON-serialisable explanation of every point of one candidate."""
        return explain(self, unit_code)

    def to_json_dict(self) -> dict:
        """The whole result (table, rules hash, tie policy) as JSON-serialisable data."""
        return result_as_dict(self)


class FrameBuilder:
    """Builds a frame once, for every result that shares it."""

    __slots__ = ("build", "frame")

    def __init__(self, build):
        self.build, self.frame = build, None

    def __call__(self) -> pd.DataFrame:
        """The frame, built on the first call."""
        if self.frame is None:
            self.frame, self.build = self.build(), None
        return self.frame


def _built_on_reading(name: str, doc: str) -> property:
    key = f"_{name}"

    def read(result: ScoreResult) -> pd.DataFrame:
        frame = result.__dict__[key]
        if isinstance(frame, FrameBuilder):
            frame = result.__dict__[key] = frame()
        return frame

    def keep(result: ScoreResult, frame) -> None:
        result.__dict__[key] = frame

    return property(read, keep, doc=doc)


# After the dataclass is made: its __init__ and replace() go through these properties.
ScoreResult.details = _built_on_reading("details", "One row per candidate and item.")
ScoreResult.values = _built_on_reading("values", "The checked VALUES, one row per candidate.")


def _overrides(rs: RuleSet, manual_points, codes: np.ndarray) -> dict[str, tuple]:
    """{item code: (rows, points)} from a dict or a DataFrame of council points."""
    if manual_points is None:
        return {}
    if isinstance(manual_points, pd.DataFrame):
        missing = {"unit_code", "indicator_code", "points"} - set(manual_points.columns)
        if missing:
            raise ValuesError(
                [Problem(f"bảng điểm Hội đồng thiếu cột {sorted(missing)}", "<manual_points>")]
            )
        triples = zip(
            manual_points["unit_code"], manual_points["indicator_code"], manual_points["points"],
            strict=True,
        )  # fmt: skip
    else:
        triples = ((unit, code, pts) for (unit, code), pts in dict(manual_points).items())
    # Validated codes are distinct; an index finds them without a dict of every row.
    position = pd.Index(codes, dtype=object)
    given: dict[str, dict[int, float]] = {}
    problems = []
    for unit, code, pts in triples:
        where = f"điểm Hội đồng cho ({unit}, {code})"
        if pts is None or (pts != pts if isinstance(pts, float) else pd.isna(pts)):
            continue
        try:
            pts = float(pts)
        except (TypeError, ValueError):
            problems.append(Problem(f"{where}: '{pts}' không phải là số", "<manual_points>"))
            continue
        try:
            item = rs.indicator(code)
        except KeyError:
            problems.append(Problem(f"{where}: chỉ tiêu không tồn tại", "<manual_points>"))
            continue
        if unit not in position:
            problems.append(
                Problem(f"{where}: đơn vị không có trong bảng số liệu", "<manual_points>")
            )
            continue
        if not 0 <= pts <= item.max_points:
            problems.append(
                Problem(f"{where}: {pts} nằm ngoài 0..{item.max_points:g}", "<manual_points>")
            )
            continue
        # a unit given twice keeps the last points, in its first place
        given.setdefault(code, {})[position.get_loc(unit)] = pts
    if problems:
        raise ValuesError(problems)
    return {
        code: (np.fromiter(rows, np.intp, len(rows)), np.fromiter(rows.values(), float, len(rows)))
        for code, rows in given.items()
    }


def score(
    rs: RuleSet, values_df: pd.DataFrame, manual_points=None, round_code=None, on_time=None
) -> ScoreResult:
    """Score every candidate of a wide VALUES frame; manual_points override computed points.

    `on_time` (one flag per row, in the frame's order) says which submissions the caller
    accepted on time; without it, lateness is judged from `submitted_at` and the round's
    deadline in the rule file.
    """
    frame = checked_columns(values_df, rs, source="<VALUES>")
    round_spec = None
    if round_code is not None:
        try:
            round_spec = rs.round(round_code)
        except KeyError:
            codes = ", ".join(r.code for r in rs.rounds)
            raise RuleError(f"đợt '{round_code}' không có trong quy tắc (có: {codes})") from None
    n = len(frame["unit_code"])
    decimals = rs.scoring.points_decimals
    codes, clusters, kinds = frame["unit_code"], frame["cluster"], frame["kind"]
    labels = ranking_labels(rs, clusters, kinds)
    group_ids, _ = pd.factorize(labels)
    columns = {
        c: v.to_numpy() if isinstance(v, pd.Series) else v
        for c, v in list(frame.items())[len(META_COLUMNS) :]
    }
    env = {c: v for c, v in columns.items() if v.dtype.kind == "f"}
    ctx = Context(n=n, group_ids=group_ids, env=env, index_decimals=rs.scoring.index_decimals)
    overrides = _overrides(rs, manual_points, codes)

    items = rs.scored_items
    outcomes = {}
    # formulas read the raw values of the other items, so they are computed last
    for item in sorted(items, key=lambda it: it.method == "formula"):
        outcome = METHODS[item.method](item, columns, ctx)
        outcomes[item.code] = outcome
        if item.method not in ("formula", "choice"):
            env[item.code] = outcome.raw

    k = len(items)
    points = np.empty((k, n))
    # Sums of exact points per group, bonus and penalty, added item by item in file order
    # (rs.scored_items lists each group's indicators in its own order): no k x n copy.
    sum_of = [("group", g.code) for g in rs.groups for _item in g.indicators]
    sum_of += [("bonus", "")] * len(rs.bonus) + [("penalty", "")] * len(rs.penalties)
    sums = {("group", g.code): np.zeros(n) for g in rs.groups}
    sums[("bonus", "")], sums[("penalty", "")] = np.zeros(n), np.zeros(n)
    rule_points = np.empty((k, n))
    raw = np.empty((k, n))
    capped = np.empty((k, n), dtype=bool)
    notes = np.empty((k, n), dtype=np.int8)
    texts = {}
    for j, item in enumerate(items):
        # Each outcome is let go once copied: at 100,000 candidates they weigh as much as
        # the arrays they are copied into.
        outcome = outcomes.pop(item.code)
        value = outcome.points
        missing = np.isnan(value)
        over = value > item.max_points
        note = notes[j]
        np.multiply(over, _NOTE_CODE[NOTE_CAPPED], out=note, casting="unsafe")
        for name in _LOW_TO_HIGH[1:]:
            if name in outcome.notes:
                np.copyto(note, _NOTE_CODE[name], where=outcome.notes[name], casting="unsafe")
        absent = _ABSENT_NOTE.get(item.method, NOTE_MISSING)
        np.copyto(note, _NOTE_CODE[absent], where=missing, casting="unsafe")
        computed = np.clip(np.where(missing, 0.0, value), 0.0, item.max_points)
        round_half_up(computed, decimals, out=rule_points[j])
        if item.code in overrides:
            rows, given = overrides[item.code]
            computed[rows] = given
            note[rows] = _NOTE_CODE[NOTE_OVERRIDE]
            over[rows] = False
            # Sums use the exact points; only what is shown and published is rounded.
            round_half_up(computed, decimals, out=points[j])
        else:
            points[j] = rule_points[j]
        exact = computed if rs.scoring.sums == "exact" else points[j]
        sums[sum_of[j]] += exact
        raw[j] = outcome.raw
        if env.get(item.code) is outcome.raw and outcome.raw.dtype == raw.dtype:
            env[item.code] = raw[j]  # the same numbers; the method's own array can go
        capped[j] = over
        if outcome.text is not None:
            texts[j] = outcome.text

    position = {item.code: j for j, item in enumerate(items)}
    group_exact = {group.code: sums[("group", group.code)] for group in rs.groups}
    group_points = {code: round_half_up(acc, decimals) for code, acc in group_exact.items()}
    bonus_exact = _capped(sums[("bonus", "")], rs.scoring.bonus_cap)
    penalty_exact = _capped(sums[("penalty", "")], rs.scoring.penalty_cap)
    subtotal = np.zeros(n)
    for group in rs.groups:
        subtotal = subtotal + group_exact[group.code]
    bonus = round_half_up(bonus_exact, decimals)
    penalty = round_half_up(penalty_exact, decimals)
    if rs.scoring.sums == "rounded_items":
        subtotal = sum((group_points[g.code] for g in rs.groups), np.zeros(n))
        bonus_exact, penalty_exact = bonus, penalty
    total = np.maximum(subtotal + bonus_exact - penalty_exact, 0.0)
    if rs.scoring.cap_total:
        total = np.minimum(total, rs.scoring.max_total)
    total = round_half_up(total, decimals)

    required = [
        col
        for item in rs.indicators
        if item.method not in ("manual", "formula")
        for col in item.columns
    ] + [spec.code for spec in rs.inputs if spec.required]
    complete = frame["complete"].copy()
    for col in required:
        cells = columns[col]
        complete &= ~(np.isnan(cells) if cells.dtype.kind == "f" else pd.isna(cells))
    submitted = pd.Series(frame["submitted_at"])
    late = np.zeros(n, dtype=bool)
    too_late = np.zeros(n, dtype=bool)
    if on_time is not None:
        # The caller decided at submission time (extensions, supplements): not decided again.
        late = ~np.asarray(on_time, dtype=bool)
        if late.shape != (n,):
            raise ValueError(f"on_time has {late.size} flags for {n} rows")
    elif round_spec is not None:
        # After the deadline a dossier is late; after the grace window it is not accepted.
        late = after(submitted, round_spec.deadline)
        too_late = after(submitted, round_spec.closes_at)

    # Reasons of the disqualified rows only: most rows have none.
    reasons: dict[int, list[str]] = {}
    disqualified = np.zeros(n, dtype=bool)
    for rule in rs.disqualifiers:
        hit = rule.expression.evaluate(env, n)
        hit = (hit != 0) & ~np.isnan(hit)
        disqualified |= hit
        for i in np.flatnonzero(hit).tolist():
            reasons.setdefault(i, []).append(rule.reason)
    if round_spec is not None:
        refused = late if round_spec.late_policy == "reject" else too_late
        reason = late_reason(round_spec, rs.movement.timezone)
        for i in np.flatnonzero(refused).tolist():
            reasons.setdefault(i, []).append(reason)
        disqualified |= refused
    reason_text = np.full(n, "", dtype=object)
    for i, listed in reasons.items():
        reason_text[i] = "; ".join(listed)

    band_index = band_indices(rs, total, disqualified)
    submitted_values = submitted.to_numpy(dtype="datetime64[ns]")
    keys = tie_break_keys(
        rs, total, group_points, dict(zip(position, points, strict=True)), bonus, penalty,
        submitted_values,
    )  # fmt: skip
    rank_in_group, rank_overall = competition_ranks_both(keys, group_ids, ~disqualified)
    award = assign_awards(
        rs,
        round_code,
        {
            "total": total, "disqualified": disqualified, "kind": kinds,
            "band_index": band_index, "complete": complete, "on_time": ~late,
            "group_ids": group_ids, "rank_in_group": rank_in_group,
            "rank_overall": rank_overall,
        },
    )  # fmt: skip

    table = pd.DataFrame(
        {
            "unit_code": codes,
            "unit_name": frame["unit_name"],
            "cluster": clusters,
            "kind": kinds,
            "submitted_at": submitted.dt.tz_convert(rs.movement.timezone).array,
            "complete": complete,
            "on_time": ~late,
            **group_points,
            "bonus": bonus,
            "penalty": penalty,
            "total": total,
            "band": _pick([b.name for b in rs.bands], band_index),
            "band_code": _pick([b.code for b in rs.bands], band_index),
            "disqualified": disqualified,
            "disqualifier_reason": reason_text,
            "ranking_group": labels,
            "rank_in_group": pd.arrays.IntegerArray(rank_in_group, disqualified.copy()),
            "rank_overall": pd.arrays.IntegerArray(rank_overall, disqualified.copy()),
            "award_tier": _pick([a.name for a in rs.awards], award),
            "award_code": _pick([a.code for a in rs.awards], award),
        }
    )
    details = FrameBuilder(
        partial(_details, items, codes, points, rule_points, raw, capped, notes, texts)
    )
    values = FrameBuilder(partial(values_frame, frame))
    return ScoreResult(rs, table, details, tie_policy_text(rs), round_code, values)


def _capped(acc: np.ndarray, cap) -> np.ndarray:
    return acc if cap is None else np.minimum(acc, cap)


def _pick(names: list[str], index: np.ndarray) -> np.ndarray:
    lookup = np.array(names + [""], dtype=object)
    return lookup[np.where(index < 0, len(names), index)]


def _categorical(codes: np.ndarray, categories: list[str]) -> pd.Categorical:
    return pd.Categorical.from_codes(codes, categories=pd.Index(categories, dtype=object))


def _details(items, units, points, rule_points, raw, capped, notes, texts) -> pd.DataFrame:
    """Long table, one row per candidate and item, candidates in input order."""
    k, n = points.shape
    unit_index = np.repeat(np.arange(n), k)
    item_index = np.tile(np.arange(k), n)
    methods = list(dict.fromkeys(item.method for item in items))
    sections = ["indicator", "bonus", "penalty"]
    method_codes = np.array([methods.index(item.method) for item in items])
    section_codes = np.array([sections.index(item.section) for item in items])
    options = list(dict.fromkeys(o for j in texts for o in items[j].config.options))
    text_codes = np.full((k, n), -1, dtype=np.int64)
    for j, text in texts.items():
        text_codes[j] = pd.Categorical(text, categories=options).codes
    return pd.DataFrame(
        {
            "unit_code": _categorical(unit_index, list(units)),
            "indicator_code": _categorical(item_index, [item.code for item in items]),
            "section": _categorical(section_codes[item_index], sections),
            "method": _categorical(method_codes[item_index], methods),
            "raw": raw.T.ravel(),
            "raw_text": _categorical(text_codes.T.ravel(), options),
            "points": points.T.ravel(),
            "rule_points": rule_points.T.ravel(),
            "max_points": np.array([item.max_points for item in items])[item_index],
            "capped": capped.T.ravel(),
            "note": _categorical(notes.T.ravel().astype(np.int64), list(NOTES)),
        }
    )
