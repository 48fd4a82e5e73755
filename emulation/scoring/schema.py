"""Pydantic models for the structure of a rule file and of each method's `params`."""

from __future__ import annotations

import keyword
import re
from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
RESERVED_COLUMNS = frozenset(
    {"unit_code", "unit_name", "cluster", "kind", "submitted_at", "complete"}
)
# Columns the application fills from registrations and the activity plan (see values.py).
DERIVED_COLUMNS = ("registered", "plan_due", "plan_on_time", "plan_on_time_share")
RESERVED_NAMES = frozenset({"min", "max", "abs"})
_IDENT = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")


def _identifier(value: str) -> str:
    if not _IDENT.match(value):
        raise ValueError(
            f"mã '{value}' không hợp lệ: chỉ dùng chữ cái không dấu, chữ số và '_',"
            " bắt đầu bằng chữ cái (để dùng được làm tên cột và trong công thức)"
        )
    reserved = RESERVED_NAMES | RESERVED_COLUMNS | set(DERIVED_COLUMNS)
    if keyword.iskeyword(value) or value in reserved:
        raise ValueError(f"mã '{value}' trùng với một tên dành riêng")
    return value


def _code(value: str) -> str:
    if not _CODE.match(value):
        raise ValueError(
            f"mã '{value}' không hợp lệ: chỉ dùng chữ cái không dấu, chữ số, '_', '-', '.'"
        )
    return value


def _text(value: str) -> str:
    if not value.strip():
        raise ValueError("không được để trống")
    return value.strip()


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            f"thời điểm {value.isoformat()} thiếu độ lệch múi giờ (UTC offset);"
            f" hãy ghi rõ, ví dụ {value.isoformat()}+07:00"
        )
    return value


_OFFSET = re.compile(r"^(\d{1,4})([dhm])$")
_OFFSET_UNITS = {"d": "days", "h": "hours", "m": "minutes"}


def parse_offset(text: str) -> timedelta:
    """A reminder offset, '7d', '2h' or '30m', between one minute and 366 days."""
    match = _OFFSET.match(text.strip())
    if not match:
        raise ValueError(f"{text!r}: write a number and d, h or m, e.g. '7d' or '2h'")
    delta = timedelta(**{_OFFSET_UNITS[match.group(2)]: int(match.group(1))})
    if not timedelta(minutes=1) <= delta <= timedelta(days=366):
        raise ValueError(f"{text!r}: an offset is between 1 minute and 366 days")
    return delta


def _offset(value: str) -> str:
    parse_offset(value)
    return value


def _timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"múi giờ '{value}' không tồn tại (ví dụ: 'Asia/Ho_Chi_Minh')") from None
    return value


def _number_to_text(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


def parse_fraction(value: str) -> Fraction:
    """Parse '2/3', '0.5' or '50%' into a Fraction in (0, 1]."""
    text = value.strip()
    try:
        share = Fraction(text[:-1]) / 100 if text.endswith("%") else Fraction(text)
    except (ValueError, ZeroDivisionError):
        raise ValueError(
            f"'{value}' không phải một tỷ lệ (ví dụ '2/3', '0.5' hoặc '50%')"
        ) from None
    if not 0 < share <= 1:
        raise ValueError(f"tỷ lệ '{value}' phải lớn hơn 0 và không quá 1")
    return share


def _fraction(value: str) -> str:
    parse_fraction(value)
    return value


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


IdCode = Annotated[str, AfterValidator(_identifier)]
Code = Annotated[str, AfterValidator(_code)]
# Reminders before a deadline (notifications), e.g. reminders = ["7d", "3d", "1d", "2h"].
Reminders = list[Annotated[str, AfterValidator(_offset)]]
Text = Annotated[str, AfterValidator(_text)]
AwareDateTime = Annotated[datetime, AfterValidator(_aware)]
Share = Annotated[str, BeforeValidator(_number_to_text), AfterValidator(_fraction)]
Points = Annotated[float, Field(ge=0)]


class Strict(BaseModel):
    """Base: unknown keys are errors and TOML types are taken as they are."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class MovementModel(Strict):
    """The [movement] table."""

    code: Code
    name: Text
    organisation: Text
    place: Text
    starts_on: date | None = None
    ends_on: date | None = None
    timezone: Annotated[str, AfterValidator(_timezone)] = DEFAULT_TIMEZONE
    description: str = ""


class RoundModel(Strict):
    """The [[rounds]] table."""

    code: Code
    kind: Literal["interim", "final"]
    name: Text
    opens_at: AwareDateTime
    deadline: AwareDateTime
    grace_minutes: int = Field(0, ge=0)
    late_policy: Literal["reject", "accept_flagged"] = "reject"
    award_date: date | None = None
    reminders: Reminders = Field(default_factory=list, max_length=10)
    # The unit head must confirm the exact dossier before it can be submitted.
    head_confirmation: bool = False


class DocumentModel(Strict):
    """The [[documents]] table."""

    code: Code
    name: Text
    required: bool = True
    # The uploaded PDF must carry a valid digital signature (ký số) to count as complete.
    digitally_signed: bool = False


class CouncilModel(Strict):
    """The [council] table."""

    aggregation: Literal["mean", "median"] = "median"
    members: int | None = Field(None, ge=1)
    quorum: Share = "2/3"
    pass_threshold: Share = "1/2"
    pass_rule: Literal["greater", "at_least"] = "greater"
    publish_results: bool = False


class ScoringModel(Strict):
    """The [scoring] table."""

    max_total: float | None = Field(None, gt=0)
    points_decimals: int = Field(2, ge=0, le=6)
    index_decimals: int = Field(4, ge=0, le=8)
    sums: Literal["exact", "rounded_items"] = "exact"
    cap_total: bool = False
    bonus_cap: float | None = Field(None, ge=0)
    penalty_cap: float | None = Field(None, ge=0)


class InputModel(Strict):
    """The [[inputs]] table."""

    code: IdCode
    name: Text
    type: Literal["number", "count", "boolean"] = "number"
    unit: str = ""
    required: bool = False


class IndicatorModel(Strict):
    """An indicator, bonus or penalty item."""

    code: IdCode
    name: Text
    max_points: float = Field(gt=0)
    method: str
    params: dict[str, Any] = Field(default_factory=dict)
    unit: str = ""
    evidence: list[str] = Field(default_factory=list)
    data_source: str = ""
    verified_by: str = ""
    description: str = ""
    registrable: bool = False


class CriterionModel(Strict):
    """The [[groups.criteria]] table."""

    code: Code
    name: Text
    max_points: float | None = Field(None, gt=0)
    indicators: list[IndicatorModel] = Field(min_length=1)


class GroupModel(Strict):
    """The [[groups]] table."""

    code: Code
    name: Text
    max_points: float | None = Field(None, gt=0)
    criteria: list[CriterionModel] = Field(min_length=1)


class DisqualifierModel(Strict):
    """The [[disqualifiers]] table."""

    code: Code
    reason: Text
    when: Text


class BandModel(Strict):
    """The [[bands]] table."""

    code: Code
    name: Text
    min_total: float = Field(ge=0)


class RankingModel(Strict):
    """The [ranking] table."""

    group_by: Annotated[list[Literal["cluster", "kind", "overall"]], BeforeValidator(_as_list)] = (
        Field(default_factory=lambda: ["cluster"], min_length=1)
    )
    tie_policy: Literal["shared", "chain"] = "shared"
    tie_break: list[str] = Field(default_factory=list)


class QuotaModel(Strict):
    """The quota of an award tier."""

    count: int | None = Field(None, ge=0)
    percent: float | None = Field(None, gt=0, le=100)
    per: Literal["overall", "group"] = "overall"
    ties: Literal["exclude", "include"] = "exclude"


def _symbol(value: str) -> str:
    if not re.fullmatch(r"[A-ZĐ0-9][A-ZĐ0-9\-]*", value):
        raise ValueError(
            f"ký hiệu '{value}' không hợp lệ: viết hoa, không dấu cách, không '/',"
            " ví dụ 'VKSĐN' (thành 'Số: …/QĐ-VKSĐN')"
        )
    return value


def _upper_text(value: str) -> str:
    text = value.strip()
    if not text:
        raise ValueError("không được để trống")
    return text


class HistoryCondition(Strict):
    """The candidate held a title in each of the `years` years just before the award year."""

    type: Literal["history"]
    award: Code
    years: int = Field(ge=1, le=10)


class InitiativeCondition(Strict):
    """The candidate authored at least `count` initiatives recognised at `min_level` or above."""

    type: Literal["initiative"]
    count: int = Field(1, ge=1, le=20)
    min_level: Literal["unit", "provincial", "sector", "national"] = "unit"


class MembersCondition(Strict):
    """A collective: at least (or, with rule "greater", more than) `share` of its members hold
    the title `award` this year."""

    type: Literal["members"]
    award: Code
    share: Share
    rule: Literal["at_least", "greater"] = "at_least"


Condition = Annotated[
    HistoryCondition | InitiativeCondition | MembersCondition, Field(discriminator="type")
]


class SignerModel(Strict):
    """Who signs: the authority line(s) and the signer's full name."""

    authority: Annotated[str, AfterValidator(_upper_text)] = "VIỆN TRƯỞNG"
    position: str = ""
    name: str = ""


class CertificateField(Strict):
    """Where one text goes on the pre-printed blank: mm from the top-left corner, size in pt."""

    x: float = Field(ge=0, le=420)
    y: float = Field(ge=0, le=420)
    size: float = Field(16, ge=6, le=72)
    width: float = Field(180, gt=0, le=420)
    bold: bool = False


class CertificateModel(Strict):
    """The [certificate] table: the blank's page and where each text is printed on it."""

    orientation: Literal["landscape", "portrait"] = "landscape"
    name: CertificateField = CertificateField(x=50, y=95, size=26, width=197, bold=True)
    unit: CertificateField = CertificateField(x=50, y=112, size=16, width=197)
    award: CertificateField = CertificateField(x=50, y=78, size=20, width=197, bold=True)
    achievement: CertificateField = CertificateField(x=50, y=128, size=14, width=197)
    decision: CertificateField = CertificateField(x=40, y=170, size=12, width=110)
    place_date: CertificateField = CertificateField(x=160, y=160, size=14, width=110)


class IssuerModel(Strict):
    """The [issuer] table: the body whose head signs the council's documents."""

    superior: str = ""
    name: Text
    symbol: Annotated[str, AfterValidator(_symbol)]
    head_title: Text = "Viện trưởng"
    signer: SignerModel = Field(default_factory=SignerModel)
    council_chair: str = ""
    council_secretary: str = ""
    legal_bases: list[Text] = Field(default_factory=list)
    recipients: list[Text] = Field(default_factory=list)
    long_list: int = Field(10, ge=1, le=1000)
    certificate: CertificateModel = Field(default_factory=CertificateModel)


class AwardModel(Strict):
    """The [[awards]] table."""

    code: Code
    name: Text
    min_band: str | None = None
    min_total: float | None = Field(None, ge=0)
    kinds: list[Literal["collective", "individual"]] = Field(
        default_factory=lambda: ["collective", "individual"], min_length=1
    )
    rounds: list[str] = Field(default_factory=list)
    require_complete: bool = True
    require_on_time: bool = True
    quota: QuotaModel | None = None
    category: Literal["title", "form"] = "form"
    authority: Literal["own", "higher"] = "own"
    proposed_to: str | None = None
    conditions: list[Condition] = Field(default_factory=list)
    pass_threshold: Share | None = None
    pass_rule: Literal["greater", "at_least"] | None = None


class TitleModel(Strict):
    """A title a unit may aim for when it registers (danh hiệu đăng ký)."""

    code: Code
    name: Text


class RegistrationModel(Strict):
    """The [registration] table: when units register targets, which titles, the penalty."""

    opens_at: AwareDateTime | None = None
    deadline: AwareDateTime
    titles: list[TitleModel] = Field(default_factory=list)
    penalty: float = Field(0.0, ge=0)
    penalty_name: Text = "Không đăng ký thi đua"
    reminders: Reminders = Field(default_factory=list, max_length=10)


class InitiativesModel(Strict):
    """How the register of recognised initiatives enters scoring and eligibility."""

    # A count indicator (usually a bonus) the app fills from the register, not the dossier.
    indicator: Code | None = None
    min_level: Literal["unit", "provincial", "sector", "national"] = "unit"
    # Whether one initiative may count for several candidates (co-authors, joint units).
    shared: bool = False


class RuleFileModel(Strict):
    """A whole rule file."""

    format: Literal[1] = 1
    movement: MovementModel
    rounds: list[RoundModel] = Field(min_length=1)
    documents: list[DocumentModel] = Field(default_factory=list)
    council: CouncilModel = Field(default_factory=CouncilModel)
    scoring: ScoringModel = Field(default_factory=ScoringModel)
    inputs: list[InputModel] = Field(default_factory=list)
    groups: list[GroupModel] = Field(min_length=1)
    bonus: list[IndicatorModel] = Field(default_factory=list)
    penalties: list[IndicatorModel] = Field(default_factory=list)
    disqualifiers: list[DisqualifierModel] = Field(default_factory=list)
    bands: list[BandModel] = Field(default_factory=list)
    ranking: RankingModel = Field(default_factory=RankingModel)
    awards: list[AwardModel] = Field(default_factory=list)
    registration: RegistrationModel | None = None
    issuer: IssuerModel | None = None
    initiatives: InitiativesModel = Field(default_factory=InitiativesModel)


class RatioParams(Strict):
    """params of `ratio`."""

    input: Literal["pair", "share", "percent"] = "pair"
    # with input = "share": the value is entered on 0..scale as published (10, 100)
    scale: float = Field(1.0, gt=0, le=1e6)
    target: float = Field(1.0, gt=0, le=1)
    floor: float = Field(0.0, ge=0, le=1)
    zero_denominator: Literal["zero", "full"] = "zero"
    # "signed_pdfs": a and b are counted from the criterion's evidence, not typed: b the PDFs
    # attached, a those carrying a valid digital signature.
    count_from_evidence: Literal["signed_pdfs"] | None = None


class StepsParams(Strict):
    """params of `steps`."""

    steps: list[list[float]] = Field(min_length=1)
    direction: Literal["higher", "lower"] = "higher"
    otherwise: Points = 0.0


class ChoiceParams(Strict):
    """params of `choice`."""

    options: dict[str, Points] = Field(min_length=1)
    values_as: Literal["share", "points"] = "share"
    labels: dict[str, str] = Field(default_factory=dict)


class RelativeParams(Strict):
    """params of `relative`."""

    direction: Literal["higher", "lower"] = "higher"
    min_max: bool = False
    cohort: Literal["all", "group"] = "all"


class CountParams(Strict):
    """params of `count`."""

    per_item: float = Field(1.0, gt=0)


class BooleanParams(Strict):
    """params of `boolean`."""

    points_true: Points | None = None
    points_false: Points = 0.0


class ManualParams(Strict):
    """params of `manual` (none)."""


class IndexComponent(Strict):
    """One weighted component of an `index`."""

    key: IdCode
    name: Text
    weight: float = Field(gt=0)
    # the published scale of this component's values when it differs from the index's
    scale: float | None = Field(None, gt=0, le=1e6)


class IndexParams(Strict):
    """params of `index`."""

    components: list[IndexComponent] = Field(min_length=1)
    total_weight: float | None = Field(None, gt=0)
    # component values are entered on 0..scale as published (10, 100) and divided by it
    scale: float = Field(1.0, gt=0, le=1e6)


class TargetRatioParams(Strict):
    """params of `target_ratio`: achievement against the unit's own registered target."""

    input: Literal["number", "pair"] = "number"
    direction: Literal["higher", "lower"] = "higher"
    cap: float = Field(1.0, gt=0, le=1)


class FormulaParams(Strict):
    """params of `formula`."""

    expression: Text


PARAM_MODELS: dict[str, type[Strict]] = {
    "ratio": RatioParams,
    "steps": StepsParams,
    "choice": ChoiceParams,
    "relative": RelativeParams,
    "count": CountParams,
    "boolean": BooleanParams,
    "manual": ManualParams,
    "index": IndexParams,
    "formula": FormulaParams,
    "target_ratio": TargetRatioParams,
}
