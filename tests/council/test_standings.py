"""One answer for a round's standings: a frozen round is shown from its snapshot everywhere."""

import json
import re
from datetime import timedelta
from io import BytesIO

from openpyxl import load_workbook

from emulation.api.tokens import create_token
from emulation.council.snapshots import digest, freeze, verify
from emulation.exports import export_round
from emulation.extensions import db
from emulation.models import RankingSnapshot
from emulation.reports.data import build_report
from emulation.reports.tables import points_frame
from emulation.standings.live import live_ranking
from emulation.standings.model import standings_of

from .conftest import AFTER, FINAL_DEADLINE, reviewed, submit, use_rules, values_of

# The meetings indicator pays far less after the change: U2 (3 meetings) 77.5 → 71.5.
NEW_STEPS = {
    "params = { steps = [[4, 10], [3, 7.5], [2, 5], [1, 2.5]] }": (
        "params = { steps = [[4, 2], [3, 1.5], [2, 1], [1, 0.5]] }"
    )
}


def _totals(records) -> dict[str, float]:
    return {r["unit_code"]: r["total"] for r in records}


def test_a_frozen_round_shows_its_snapshot_after_the_rule_file_changed(
    council, interim_dossiers, client, auth
):
    round_ = council.interim
    review = reviewed(interim_dossiers["U2"], council.r1, {}, by=council.secretariat)
    snapshot = freeze(round_, user=council.secretariat, now=AFTER)
    db.session.commit()
    frozen = _totals(snapshot.payload["results"]["results"])
    frozen_hash, frozen_rules = snapshot.payload_hash, round_.rules_hash
    use_rules(round_, **NEW_STEPS)
    # Scoring the round again would now give other figures: that must never be shown.
    assert _totals(live_ranking(round_).results()["results"])["U2"] == 71.5
    assert frozen["U2"] == 77.5

    standings = standings_of(round_)
    assert standings.frozen and _totals(standings.records) == frozen
    assert verify(snapshot) and snapshot.payload["details_sha256"] == digest(snapshot.details)
    assert standings.rules_file[1] == frozen_rules != round_.rules_hash

    export = json.loads(export_round(round_, "json"))
    assert _totals(export["ranking"]) == frozen
    assert export["frozen_snapshot"] == frozen_hash and export["rules"]["sha256"] == frozen_rules
    hop = {(d["unit_code"], d["indicator_code"]): d["points"] for d in export["detail"]}
    assert hop[("U2", "HOP")] == 7.5
    sheet = load_workbook(BytesIO(export_round(round_, "xlsx")))["Chi tiết điểm"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(2)]
    assert next(r for r in rows if r["unit_code"] == "U2" and r["indicator_code"] == "HOP")[
        "points"
    ] == 7.5

    report = build_report(round_, now=AFTER)
    assert {s.key: s.total for s in report.standings} == frozen
    assert report.snapshot_hash == frozen_hash and report.rules_hash == frozen_rules
    points = points_frame(report)
    u2_hop = points[(points["Mã"] == "U2") & (points["Mã chỉ tiêu"] == "HOP")]
    assert u2_hop["Điểm được tính"].tolist() == [7.5]
    hop_stat = next(i for i in report.indicators if i.code == "HOP")
    assert hop_stat.max_points == 10

    token = create_token(council.secretariat, "test", now=AFTER)[1]
    db.session.commit()
    api = client.get(
        f"/api/v1/rounds/{round_.id}/ranking", headers={"Authorization": f"Bearer {token}"}
    ).get_json()
    assert _totals(api["ranking"]) == frozen and api["frozen_snapshot"] == frozen_hash
    db.session.commit()

    auth.login(council.secretariat)
    page = client.get(f"/council/rounds/{round_.id}/ranking").get_data(as_text=True)
    assert frozen_hash in page and "77,5" in page and "71,5" not in page
    report_page = client.get(f"/reports/rounds/{round_.id}").get_data(as_text=True)
    assert "77,5" in report_page and "71,5" not in report_page
    dossier_id = interim_dossiers["U2"].id
    candidate = client.get(f"/council/rounds/{round_.id}/candidates/{dossier_id}")
    text = candidate.get_data(as_text=True)
    assert candidate.status_code == 200 and "77,5" in text and "71,5" not in text
    review_page = client.get(f"/council/reviews/{review.id}").get_data(as_text=True)
    assert '<p class="score-total">77,5' in review_page and "71,5" not in review_page


def test_the_live_ranking_is_shown_while_the_round_is_not_frozen(council, interim_dossiers):
    use_rules(council.interim, **NEW_STEPS)
    standings = standings_of(council.interim)
    assert not standings.frozen and standings.snapshot_hash is None
    assert _totals(standings.records)["U2"] == 71.5
    assert json.loads(export_round(council.interim, "json"))["frozen_snapshot"] is None


def test_lateness_is_decided_once_when_a_dossier_arrives(council, interim_dossiers):
    # The rule text now names an earlier deadline than the round holds: the round's own
    # deadline decided at submission that every dossier was on time, and that stands.
    use_rules(
        council.interim,
        **{"deadline = 2024-08-30T23:59:59+07:00": "deadline = 2024-08-01T23:59:59+07:00"},
    )
    records = standings_of(council.interim).records
    assert all(r["on_time"] for r in records)
    assert not any("quá hạn" in (r["disqualifier_reason"] or "") for r in records)


def _final_round(council):
    # Final: U3 and U5 lead overall (80), U1 third (77), U2 falls to fourth (30).
    finals = {"U1": (90, 4, 1, 10), "U2": (50, 2, 0, 5), "U3": (100, 4, 1, 10)}
    finals["U5"] = (100, 4, 1, 10)
    for i, (code, vals) in enumerate(finals.items()):
        at = FINAL_DEADLINE - timedelta(days=2, minutes=i)
        submit(council.final, council.candidates[code], values_of(*vals), at)
    db.session.commit()


def _interim_cells(body: str, key: str) -> tuple[str, str]:
    row = body.split(f'data-key="{key}"')[1].split("</tr>")[0]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
    return cells[-2].strip(), re.sub(r"<[^>]+>", "", cells[-1]).strip()


def test_overall_view_shows_overall_interim_ranks_as_the_report_does(
    council, interim_dossiers, client, auth
):
    _final_round(council)
    auth.login(council.secretariat)
    url = f"/council/rounds/{council.final.id}/ranking"
    overall = client.get(url + "?view=overall").get_data(as_text=True)
    by_group = client.get(url).get_data(as_text=True)
    sheet = load_workbook(BytesIO(client.get(
        f"/reports/rounds/{council.final.id}/report.xlsx"
    ).data))["So sánh sơ kết – tổng kết"]  # fmt: skip
    header = [c.value for c in sheet[1]]
    report = {
        row[0]: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(2, values_only=True)
    }
    # U5: second overall at the interim, first now (+1); first in its cluster both times.
    moved = "Thay đổi hạng (+ là tăng)"
    assert report["U5"]["Hạng chung sơ kết"] == 2 and report["U5"][moved] == 1
    rank, change = _interim_cells(overall, "U5")
    assert rank == "2" and change.endswith("(+1)")
    assert _interim_cells(by_group, "U5")[0] == "1"
    # U2: first overall at the interim, fourth now: −3 overall, −2 in its cluster.
    assert report["U2"][moved] == -3
    rank, change = _interim_cells(overall, "U2")
    assert rank == "1" and change.endswith("(-3)")
    assert _interim_cells(by_group, "U2")[1].endswith("(-2)")


def test_altered_per_item_points_fail_the_snapshot_check(council, interim_dossiers):
    snapshot = freeze(council.interim, user=council.secretariat, now=AFTER)
    db.session.commit()
    details = dict(snapshot.details)
    details["points"] = [p + 1 if p is not None else p for p in details["points"]]
    # A change made behind the application's back (plain SQL): the snapshot refuses others.
    table = RankingSnapshot.__table__
    db.session.execute(table.update().where(table.c.id == snapshot.id).values(details=details))
    db.session.commit()
    db.session.expire_all()
    snapshot = db.session.get(RankingSnapshot, snapshot.id)
    assert verify(snapshot, details=False) and not verify(snapshot)


def test_a_snapshot_frozen_before_it_kept_details_is_still_shown(council, interim_dossiers):
    snapshot = freeze(council.interim, user=council.secretariat, now=AFTER)
    db.session.commit()
    payload = dict(snapshot.payload)
    payload["rules"] = {k: v for k, v in payload["rules"].items() if k != "text"}
    del payload["details_sha256"]
    table = RankingSnapshot.__table__
    db.session.execute(
        table.update().where(table.c.id == snapshot.id).values(payload=payload, details=None)
    )
    db.session.commit()
    db.session.expire_all()
    report = build_report(council.interim, now=AFTER)
    assert {s.key: s.total for s in report.standings} == _totals(payload["results"]["results"])
    assert points_frame(report).empty
    assert json.loads(export_round(council.interim, "json"))["detail"] == []
