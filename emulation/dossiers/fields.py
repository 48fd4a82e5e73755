"""What a dossier asks for, derived from the round's rule set (no Flask here)."""

from dataclasses import dataclass, field, replace

from ..scoring.values import value_columns

# How each VALUES column kind is entered on the form.
INPUT_OF_KIND = {
    "nonneg": "number",
    "number": "number",
    "share": "share",
    "percent": "percent",
    "count": "count",
    "choice": "choice",
    "boolean": "boolean",
}


@dataclass(frozen=True)
class ValueField:
    """One input on the dossier form: a VALUES column of an indicator (or an extra input)."""

    column: str
    label: str
    input: str
    indicator_code: str | None
    unit: str = ""
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[tuple[str, str], ...] = ()  # (value stored, label shown)
    part: str = ""  # "a"/"b" for the two halves of a ratio


@dataclass(frozen=True)
class IndicatorForm:
    """An indicator with its inputs, maximum points and required evidence."""

    code: str
    name: str
    method: str
    max_points: float
    unit: str
    evidence: tuple[str, ...]
    fields: tuple[ValueField, ...]
    section: str = "indicator"
    # Filled from the initiatives register ([initiatives] indicator), not typed by the unit.
    from_register: bool = False

    @property
    def council_scored(self) -> bool:
        """Whether only the council gives these points (manual) or they are computed."""
        return self.method in ("manual", "formula")


@dataclass(frozen=True)
class CriterionForm:
    """A criterion: its indicators, narrative and evidence upload."""

    code: str
    name: str
    group_code: str
    group_name: str
    max_points: float
    indicators: tuple[IndicatorForm, ...]
    needs_evidence: bool = field(default=False)


def _value_fields(item, columns) -> tuple[ValueField, ...]:
    fields = []
    for column in columns:
        if column.kind == "points":
            continue  # manual points are the council's to give
        label, part = item.name, ""
        pair = item.method == "ratio" or (
            item.method == "target_ratio" and item.config.input == "pair"
        )
        if pair and column.kind == "nonneg":
            part = column.name[-1]
        elif item.method == "index":
            key = column.name[len(item.code) + 1 :]
            label = next(c.name for c in item.config.components if c.key == key)
        choices = ()
        if column.kind == "choice":
            labels = getattr(item.config, "labels", {})
            choices = tuple((key, labels.get(key, key)) for key in column.options)
        minimum = None if column.kind == "number" else 0.0
        maximum = {"share": column.upper, "percent": 100.0}.get(column.kind)
        fields.append(
            ValueField(
                column.name,
                label,
                INPUT_OF_KIND[column.kind],
                item.code,
                item.unit,
                minimum,
                maximum,
                choices,
                part,
            )
        )
    return tuple(fields)


def _indicator_form(item, columns) -> IndicatorForm:
    return IndicatorForm(
        code=item.code,
        name=item.name,
        method=item.method,
        max_points=item.max_points,
        unit=item.unit,
        evidence=tuple(item.evidence),
        fields=_value_fields(item, columns.get(item.code, [])),
        section=getattr(item, "section", "indicator"),
    )


def criteria_forms(rules) -> list[CriterionForm]:
    """The criteria tree as the form shows it, group by group."""
    columns = _columns_by_owner(rules)
    forms = []
    for group in rules.groups:
        for criterion in group.criteria:
            indicators = tuple(_indicator_form(i, columns) for i in criterion.indicators)
            forms.append(
                CriterionForm(
                    code=criterion.code,
                    name=criterion.name,
                    group_code=group.code,
                    group_name=group.name,
                    max_points=criterion.max_points,
                    indicators=indicators,
                    needs_evidence=any(i.evidence for i in indicators),
                )
            )
    return forms


def extra_forms(rules) -> list[IndicatorForm]:
    """Bonus and penalty items the unit declares (initiatives, incidents…)."""
    columns = _columns_by_owner(rules)
    setting = getattr(rules, "initiatives", None)
    register = setting.indicator if setting is not None else None
    forms = [_indicator_form(i, columns) for i in [*rules.bonus, *rules.penalties]]
    return [replace(f, fields=(), from_register=True) if f.code == register else f for f in forms]


def _columns_by_owner(rules) -> dict[str, list]:
    owners: dict[str, list] = {}
    for column in value_columns(rules):
        owners.setdefault(column.owner, []).append(column)
    return owners


def input_fields(rules) -> list[ValueField]:
    """Extra VALUES inputs used by formulas, bonus or disqualifier conditions."""
    names = {i.code: (i.name, i.unit) for i in rules.inputs}
    return [
        ValueField(
            c.name,
            names[c.name][0],
            INPUT_OF_KIND[c.kind],
            None,
            names[c.name][1],
            None if c.kind == "number" else 0.0,
        )
        for c in value_columns(rules)
        if c.name in names
    ]


def all_value_fields(rules) -> list[ValueField]:
    """Every input of the dossier form, in display order."""
    fields = [f for c in criteria_forms(rules) for i in c.indicators for f in i.fields]
    fields += [f for i in extra_forms(rules) for f in i.fields]
    return fields + input_fields(rules)
