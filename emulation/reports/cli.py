"""`emulation report ROUND --kind interim|final --format pdf -o FILE`."""

from pathlib import Path

import click
from flask.cli import with_appcontext

from ..access import now
from ..queries import find_round
from ..scoring import RuleError
from . import KINDS, RENDERERS, ReportError, build_charts, build_report

__all__ = ["find_round"]


def _format_of(fmt: str | None, output: Path) -> str:
    if fmt:
        return fmt
    suffix = output.suffix.lstrip(".").lower()
    if suffix not in RENDERERS:
        raise click.UsageError("choose --format (html, xlsx, pdf or docx) or name the file so")
    return suffix


@click.command("report")
@click.argument("round_ref", metavar="ROUND")
@click.option("--kind", type=click.Choice(KINDS), help="Report kind (default: the round's).")
@click.option("--format", "fmt", type=click.Choice(list(RENDERERS)),
              help="File format (default: from the output file's extension).")  # fmt: skip
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The file to write.")  # fmt: skip
@with_appcontext
def report_command(round_ref, kind, fmt, output):
    """Write a round's interim (sơ kết) or final (tổng kết) report; ROUND is its id or code."""
    round_ = find_round(round_ref)
    fmt = _format_of(fmt, output)
    if not output.parent.is_dir():
        raise click.UsageError(f"folder {output.parent} does not exist")
    render, _mimetype = RENDERERS[fmt]
    steps = ["ranking", "charts", "render", "write"]
    state: dict = {}
    with click.progressbar(
        steps, label=f"{round_.code}", item_show_func=lambda s: s or "", show_percent=True
    ) as bar:
        for step in bar:
            try:
                if step == "ranking":
                    state["report"] = build_report(round_, kind=kind, now=now())
                elif step == "charts":
                    state["charts"] = build_charts(state["report"])
                elif step == "render":
                    state["data"] = render(state["report"], state["charts"])
                else:
                    output.write_bytes(state["data"])
            except ReportError as exc:
                raise click.UsageError(str(exc)) from exc
            except RuleError as exc:
                raise click.ClickException(str(exc)) from exc
    click.echo(f"Wrote {output} ({len(state['data']):,} bytes, {fmt}).")
