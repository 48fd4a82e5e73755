"""One participation count: withdrawn, returned and late dossiers counted alike everywhere."""

import re
from datetime import timedelta

from emulation.council.progress import cluster_progress
from emulation.dossiers.operations import submit_dossier, withdraw_dossier
from emulation.dossiers.supervision import return_for_supplement
from emulation.extensions import db
from emulation.queries import round_progress
from emulation.reports.data import build_report
from emulation.reports.outline import participation as outline_participation
from emulation.standings.model import standings_of

from .conftest import AFTER, INTERIM, INTERIM_DEADLINE, submit, values_of

ON_TIME = INTERIM_DEADLINE - timedelta(days=2)
# expected 6; received U1, U2 (late), U4 (returned), U5 (supplemented after the deadline);
# missing U3 (withdrawn, not submitted again) and U6 (nothing sent).
EXPECTED = {"expected": 6, "submitted": 4, "on_time": 3, "late": 1, "returned": 1, "missing": 2}


def _figures(p) -> dict:
    return {name: getattr(p, name) for name in EXPECTED}


def _mixed_round(council):
    round_ = council.interim
    dossiers = {}
    for code in ("U1", "U3", "U4", "U5"):
        values = values_of(*INTERIM[code][1:])
        dossiers[code] = submit(round_, council.candidates[code], values, ON_TIME)
    late_values = values_of(*INTERIM["U2"][1:])
    dossiers["U2"] = submit(
        round_, council.candidates["U2"], late_values, INTERIM_DEADLINE + timedelta(minutes=30)
    )
    withdraw_dossier(dossiers["U3"], user=council.editor, now=ON_TIME + timedelta(hours=1))
    for code in ("U4", "U5"):
        return_for_supplement(
            dossiers[code], criteria=["A1"], reason="Bổ sung minh chứng",
            due_at=AFTER + timedelta(days=3), user=council.secretariat, now=AFTER,
        )  # fmt: skip
    # Answered after the round's deadline: it keeps the time (and lateness) it supplements.
    submit_dossier(dossiers["U5"], user=None, now=AFTER + timedelta(days=1))
    db.session.commit()
    return round_


def test_counts_agree_on_every_page_and_report(council, client, auth, set_now):
    round_ = _mixed_round(council)
    set_now(AFTER + timedelta(days=1, hours=1))
    report = build_report(round_, now=AFTER)
    assert _figures(report.total) == EXPECTED
    (progress,) = [p for p in round_progress(council.movement) if p.round == round_]
    home = {"expected": progress.expected, "submitted": progress.submitted, "late": progress.late}
    assert home == {k: EXPECTED[k] for k in home} and progress.missing == EXPECTED["missing"]
    *clusters, total = cluster_progress(round_, [])
    council_page = {k: getattr(total, k) for k in EXPECTED if k != "submitted"}
    assert council_page == {k: v for k, v in EXPECTED.items() if k != "submitted"}
    assert [(c.name, c.expected) for c in clusters] == [("Cụm 1", 4), ("Cụm 2", 2)]
    # The ranking ranks exactly the received dossiers, late ones flagged.
    records = standings_of(round_).records
    assert sorted(r["unit_code"] for r in records) == ["U1", "U2", "U4", "U5"]
    assert {r["unit_code"] for r in records if not r["on_time"]} == {"U2"}
    # The report states the same figures, and how they are counted.
    text = outline_participation(report)[0].text
    assert "đã nhận 4 hồ sơ" in text and "3 hồ sơ đúng hạn và 1 hồ sơ" in text
    assert "2 đơn vị chưa nộp; 1 hồ sơ" in text
    definition = outline_participation(report)[1].text
    assert "rút lại để sửa mà chưa nộp lại tính là chưa nộp" in definition

    auth.login(council.secretariat)
    page = client.get(f"/council/rounds/{round_.id}/reviews").get_data(as_text=True)
    last_row = page.split('class="total-row"')[1].split("</tr>")[0]
    assert re.findall(r'class="num">(\d+)<', last_row)[:5] == ["6", "3", "1", "1", "2"]
    report_page = client.get(f"/reports/rounds/{round_.id}").get_data(as_text=True)
    assert "rút lại để sửa mà chưa nộp lại tính là chưa nộp" in report_page
    total_row = report_page.split('class="total"')[1].split("</tr>")[0]
    assert re.findall(r'class="num">(\d+)<', total_row) == ["6", "3", "1", "2", "1"]
