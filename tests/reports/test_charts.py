"""Charts drawn once per content: a second download reuses them, a changed figure redraws."""

from dataclasses import replace

from emulation.reports import build_charts, build_report
from emulation.reports import charts as charts_module

from .conftest import AFTER


def _drawn_by(monkeypatch, *, draw=None) -> list:
    """The calls that really drew charts (each by `draw`, else by matplotlib)."""
    calls = []
    real = draw or charts_module._draw

    def counting(*args):
        calls.append(args)
        return real(*args)

    monkeypatch.setattr(charts_module, "_draw", counting)
    monkeypatch.setattr(charts_module, "_drawn", type(charts_module._drawn)())
    return calls


def _stand_in(report, texts, fmt) -> dict:
    """A quick stand-in for drawing: what would be drawn, as bytes."""
    return {"distribution": repr((report.standings, texts["distribution"], fmt(1.5))).encode()}


def test_same_report_reuses_the_drawn_charts(movement, dossiers, monkeypatch):
    calls = _drawn_by(monkeypatch)
    first = build_charts(build_report(movement.final, now=AFTER))
    again = build_charts(build_report(movement.final, now=AFTER))
    assert again == first and len(calls) == 1
    again["extra"] = b"changed by a caller"
    assert "extra" not in build_charts(build_report(movement.final, now=AFTER))


def test_a_changed_figure_label_or_number_format_draws_anew(movement, dossiers, monkeypatch):
    calls = _drawn_by(monkeypatch, draw=_stand_in)
    report = build_report(movement.final, now=AFTER)
    first = build_charts(report)
    best = report.standings[0]
    moved = replace(report, standings=[replace(best, total=best.total - 1), *report.standings[1:]])
    assert build_charts(moved)["distribution"] != first["distribution"]
    english = {**charts_module.VIETNAMESE, "distribution": "Total points"}
    assert build_charts(report, english)["distribution"] != first["distribution"]
    plain = build_charts(report, fmt=lambda value: f"{value}")
    assert plain["distribution"] != first["distribution"]
    assert build_charts(report)["distribution"] == first["distribution"]
    assert len(calls) == 4


def test_only_the_latest_reports_are_kept(movement, dossiers, monkeypatch):
    calls = _drawn_by(monkeypatch, draw=_stand_in)
    report = build_report(movement.final, now=AFTER)
    for n in range(charts_module.CACHED_REPORTS + 1):
        build_charts(replace(report, max_total=report.max_total + n))
    assert len(charts_module._drawn) == charts_module.CACHED_REPORTS
    build_charts(report)  # the first one was let go, so it is drawn again
    assert len(calls) == charts_module.CACHED_REPORTS + 2
