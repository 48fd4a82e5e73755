"""The report's data: participation, ranking, indicators, interim → final comparison."""

from datetime import timedelta

import pytest

from emulation.council.snapshots import freeze, reopen
from emulation.dossiers.supervision import return_for_supplement
from emulation.extensions import db
from emulation.queries import round_progress
from emulation.reports import ReportError, build_report
from emulation.reports.comparison import compare

from .conftest import AFTER


def _by_key(report):
    return {s.key: s for s in report.standings}


def test_participation_per_cluster_agrees_with_round_progress(movement, dossiers):
    report = build_report(movement.interim, now=AFTER)
    rows = {p.cluster: (p.expected, p.on_time, p.late, p.missing, p.returned)
            for p in report.participation}  # fmt: skip
    assert rows == {"Cụm quận, huyện": (3, 3, 0, 0, 0), "Khối phòng nghiệp vụ": (3, 1, 1, 1, 0)}
    total = report.total
    progress = next(p for p in round_progress(movement.movement) if p.round == movement.interim)
    assert (total.expected, total.submitted, total.late, total.missing) == (
        progress.expected, progress.submitted, progress.late, progress.missing,
    )  # fmt: skip
    assert total.rate == pytest.approx(5 / 6)


def test_a_returned_dossier_is_counted_as_returned_and_ranked_as_sent(movement, dossiers):
    before = _by_key(build_report(movement.final, now=AFTER))["U1"].total
    return_for_supplement(
        dossiers["final"]["U1"], criteria=["A1"], reason="Bổ sung minh chứng ký số",
        due_at=AFTER + timedelta(days=3), user=movement.secretariat, now=AFTER,
    )  # fmt: skip
    db.session.commit()
    report = build_report(movement.final, now=AFTER)
    assert (report.total.submitted, report.total.returned) == (6, 1)
    # Still ranked, with the version the council received, until the unit sends the next.
    assert _by_key(report)["U1"].total == before


def test_interim_ranking_bands_exclusions_and_awards(movement, dossiers):
    report = build_report(movement.interim, now=AFTER)
    s = _by_key(report)
    assert [x.key for x in report.ranked] == ["U1", "U5", "U2", "U3"]
    assert [s[k].total for k in ("U1", "U5", "U2", "U3")] == [80, 71.5, 65, 27.5]
    assert [s[k].band for k in ("U1", "U5", "U2", "U3")] == ["Xuất sắc", "Tốt", "Khá", ""]
    assert s["U4"].disqualified and s["U4"].rank_overall is None
    assert "lộ, lọt" in s["U4"].reason
    assert not s["U5"].on_time
    # The certificate of merit is for the final round only; the late U5 gets no award.
    assert [(tier, [x.key for x in rows]) for tier, rows in report.awards()] == [
        ("Bằng khen của Viện trưởng", []),
        ("Giấy khen", ["U1"]),
    ]
    assert report.comparison is None and not report.is_final
    assert [label for label, _ in report.by_group()] == ["Cụm quận, huyện", "Khối phòng nghiệp vụ"]


def test_interim_to_final_comparison_on_a_crafted_case(movement, dossiers):
    report = build_report(movement.final, now=AFTER)
    assert report.interim_name == "Sơ kết năm 2024"
    table = [
        (c.key, c.interim_total, c.final_total, c.points_change, c.interim_rank, c.final_rank,
         c.rank_change)
        for c in report.comparison
    ]  # fmt: skip
    assert table == [
        ("U2", 65, 80, 15, 3, 1, 2),
        ("U3", 27.5, 78, 50.5, 4, 2, 2),
        ("U1", 80, 77.5, -2.5, 1, 3, -2),
        ("U4", 76, 77, 1, None, 4, None),  # disqualified at the interim: no rank then
        ("U5", 71.5, 71.5, 0, 2, 5, -3),
        ("U6", None, 45, None, None, 6, None),  # sent nothing at the interim
    ]
    assert [c.key for c in report.most_improved()] == ["U3", "U2", "U4"]
    assert [(t, [x.key for x in rows]) for t, rows in report.awards()][0] == (
        "Bằng khen của Viện trưởng", ["U2"],
    )  # fmt: skip


def test_compare_keeps_candidates_found_only_in_the_interim():
    row = {"unit_code": "X", "unit_name": "Đơn vị X", "total": 50.0, "rank_overall": 1}
    (change,) = compare([row], [])
    assert (change.interim_total, change.final_total, change.points_change) == (50, None, None)


def test_indicator_compliance_and_weakest_indicators(movement, dossiers):
    report = build_report(movement.final, now=AFTER)
    stats = {i.code: (i.reached, i.counted) for i in report.indicators}
    assert stats == {"KYSO": (5, 6), "HOP": (3, 6), "GOPY": (0, 6), "SAOLUU": (5, 6),
                     "TIN": (3, 6)}  # fmt: skip
    kyso = next(i for i in report.indicators if i.code == "KYSO")
    assert kyso.target == "tỷ lệ ≥ 90%" and kyso.mean_points == pytest.approx(29.5)
    assert [i.code for i in report.weakest()] == ["GOPY", "HOP", "TIN", "SAOLUU", "KYSO"]
    means = {code: mean for code, _n, _m, mean in report.group_means()}
    assert means["B"] == pytest.approx((40 + 40 + 38 + 40 + 34 + 10) / 6)


def test_a_frozen_ranking_is_named_by_its_hash_until_reopened(movement, dossiers):
    snapshot = freeze(movement.final, user=movement.secretariat, now=AFTER)
    db.session.commit()
    assert build_report(movement.final, now=AFTER).snapshot_hash == snapshot.payload_hash
    reopen(snapshot, reason="Sửa điểm", user=movement.secretariat, now=AFTER)
    db.session.commit()
    assert build_report(movement.final, now=AFTER).snapshot_hash is None


def test_the_report_kind_must_match_the_round(movement, dossiers):
    with pytest.raises(ReportError, match="interim round"):
        build_report(movement.interim, kind="final", now=AFTER)
    assert build_report(movement.final, kind="final", now=AFTER).is_final


def test_a_round_without_dossiers_still_reports(movement):
    report = build_report(movement.final, now=AFTER)
    assert report.standings == [] and report.total.missing == 6
    assert report.comparison == [] and report.most_improved() == []
    assert all(i.counted == 0 for i in report.indicators)
