"""Command line: `rules check PATH...` and `score RULES VALUES` for offline use."""

from __future__ import annotations

import io
import json
import os
import tempfile
from pathlib import Path

import click
import pandas as pd

from .cells import safe_cell
from .engine import ScoreResult, score
from .errors import RuleError
from .explain import rounding_text
from .loader import load_rules
from .values import read_values

FORMATS = ("csv", "xlsx", "json")


@click.group("rules")
def rules() -> None:
    """Kiểm tra các tệp quy tắc chấm điểm (scoring_rules/*.toml)."""


def _rule_files(paths: tuple[str, ...]) -> list[Path]:
    files = []
    for text in paths:
        path = Path(text)
        files += sorted(path.glob("*.toml")) if path.is_dir() else [path]
    return files


@rules.command("check")
@click.argument("paths", nargs=-1, required=True)
def check_command(paths: tuple[str, ...]) -> None:
    """Kiểm tra từng tệp quy tắc (hoặc mọi *.toml trong thư mục); báo mọi lỗi."""
    failed = 0
    files = _rule_files(paths)
    if not files:
        raise click.ClickException("không tìm thấy tệp quy tắc nào")
    for path in files:
        try:
            rs = load_rules(path)
        except RuleError as exc:
            failed += 1
            click.echo(f"LỖI {path}: {len(exc.errors)} lỗi", err=True)
            for problem in exc.errors:
                click.echo(f"  - {problem}", err=True)
            continue
        click.echo(
            f"OK {path} ({rs.movement.code}: {len(rs.groups)} nhóm, {len(rs.indicators)} chỉ tiêu,"
            f" sha256 {rs.content_hash[:12]})"
        )
    if failed:
        raise SystemExit(1)


def render(result: ScoreResult, fmt: str) -> bytes:
    """The result table as CSV, XLSX or JSON bytes, always stating rules hash and tie policy."""
    rs = result.rules
    if fmt == "json":
        return json.dumps(result.to_json_dict(), ensure_ascii=False, indent=2).encode("utf-8")
    table = result.table.copy()
    table["submitted_at"] = [
        "" if pd.isna(t) else t.isoformat() for t in table["submitted_at"].astype(object)
    ]
    # A unit name such as =HYPERLINK(...) must stay text in Excel and Calc, as on the web.
    for column in table.select_dtypes(include=[object, "string"]).columns:
        table[column] = table[column].map(safe_cell)
    notes = [
        f"Quy tắc: {rs.source} – {rs.movement.name} (sha256 {rs.content_hash})",
        f"Đợt: {result.round_code or 'không chỉ định (không xét thời hạn nộp)'}",
        f"Quy tắc xếp hạng: {result.tie_policy_text}",
        f"Làm tròn: {rounding_text(rs)}",
    ]
    if fmt == "csv":
        preamble = "".join(f"# {line}\n" for line in notes)
        return (preamble + table.to_csv(index=False, lineterminator="\n")).encode("utf-8")
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        table.to_excel(writer, sheet_name="Kết quả", index=False)
        pd.DataFrame({"Ghi chú": notes}).to_excel(writer, sheet_name="Ghi chú", index=False)
    return buffer.getvalue()


def write_atomically(path: Path, data: bytes) -> None:
    """Write the whole file or nothing: a temporary file next to it is renamed over it."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _round_list(rs) -> str:
    return ", ".join(r.code for r in rs.rounds) or "không có đợt nào"


def _guess_round(rs, rules_path: str, values_path: str) -> str | None:
    """The round a VALUES file is named for (`<rules>.<round>.csv`); None when not named so.

    A name of that form whose middle part is not a round of the rules is an error, so a typo
    never silently means "no round, no deadline check".
    """
    name = Path(values_path).name
    found = [r.code for r in rs.rounds if f".{r.code}." in name or name.startswith(f"{r.code}.")]
    if len(found) == 1:
        return found[0]
    prefix = Path(rules_path).stem + "."
    parts = name[len(prefix) :].split(".") if name.startswith(prefix) else []
    if not found and len(parts) >= 2 and parts[0]:
        raise click.ClickException(
            f"tên tệp số liệu {name} chỉ đợt '{parts[0]}', nhưng quy tắc không có đợt này"
            f" (các đợt: {_round_list(rs)}); đổi tên tệp hoặc chỉ định --round"
        )
    return None


def _fail(title: str, exc: RuleError) -> None:
    click.echo(f"LỖI {title}: {len(exc.errors)} lỗi", err=True)
    for problem in exc.errors:
        click.echo(f"  - {problem}", err=True)
    raise SystemExit(1)


@click.command("score")
@click.argument("rules_path", metavar="RULES")
@click.argument("values_path", metavar="VALUES")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Tệp kết quả.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="Mặc định theo đuôi tệp -o.")
@click.option("--explain", "explain_code", metavar="CODE", help="Giải thích điểm của một đơn vị.")
@click.option("--round", "round_code", metavar="ROUND", help="Mã đợt (để xét hạn nộp).")
def score_command(rules_path, values_path, output, fmt, explain_code, round_code) -> None:
    """Chấm điểm bảng số liệu VALUES (CSV/XLSX) theo tệp quy tắc RULES."""
    if fmt is None:
        suffix = Path(output).suffix.lower().lstrip(".") if output else ""
        fmt = suffix if suffix in FORMATS else "csv"
    if fmt == "xlsx" and not output:
        raise click.UsageError("định dạng xlsx cần tệp kết quả -o")
    try:
        rs = load_rules(rules_path)
    except RuleError as exc:
        _fail(f"tệp quy tắc {rules_path}", exc)
    if round_code is not None and round_code not in {r.code for r in rs.rounds}:
        raise click.BadParameter(
            f"đợt '{round_code}' không có trong quy tắc (các đợt: {_round_list(rs)})",
            param_hint="--round",
        )
    if round_code is None and (round_code := _guess_round(rs, rules_path, values_path)):
        click.echo(f"Đợt xét theo tên tệp số liệu: {round_code}", err=True)
    elif round_code is None and rs.rounds:
        click.echo(
            f"Chú ý: không chỉ định đợt nên không xét hạn nộp (các đợt: {_round_list(rs)};"
            " dùng --round hoặc đặt tên tệp <quy tắc>.<đợt>.csv)",
            err=True,
        )
    try:
        values = read_values(values_path, rs)
        result = score(rs, values, round_code=round_code)
    except RuleError as exc:
        _fail(f"bảng số liệu {values_path}", exc)
    explanation = None
    if explain_code is not None:
        try:
            explanation = result.explain(explain_code)
        except KeyError:
            message = f"không có đơn vị '{explain_code}' trong bảng số liệu"
            raise click.ClickException(message) from None
    data = render(result, fmt)
    if output:
        write_atomically(Path(output), data)
        click.echo(f"Đã ghi {len(result.table)} đơn vị vào {output}", err=True)
    elif explanation is None:
        click.echo(data.decode("utf-8"), nl=False)
    if explanation is not None:
        if fmt == "json":
            click.echo(json.dumps(explanation, ensure_ascii=False, indent=2))
        else:
            click.echo("\n".join(explanation["summary"]))
