"""Award history by year: imported from a table, read by the award conditions at the vote."""

from io import BytesIO

import openpyxl

from emulation.council.ranking import live_ranking
from emulation.council.votes import save_meeting, tally
from emulation.extensions import db
from emulation.history.operations import history_of, import_history
from emulation.initiatives.operations import InitiativeInput, add_initiative, claim
from emulation.models import AwardRecord, Candidate

from .conftest import AFTER, INTERIM_DEADLINE, submit, use_rules, values_of

CSTD = """[[awards]]
code = "cstd-nganh"
name = "Chiến sĩ thi đua ngành"
kinds = ["individual"]
authority = "higher"
proposed_to = "Viện kiểm sát nhân dân tối cao"
conditions = [
  { type = "history", award = "cstd-co-so", years = 3 },
  { type = "initiative", min_level = "sector" },
]

[[awards]]
code = "cstd-co-so"
name = "Chiến sĩ thi đua cơ sở"
kinds = ["individual"]
min_band = "xuat-sac"

[[awards]]
code = "bang-khen\""""


def _table(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Mã đơn vị", "Họ và tên", "Năm", "Mã danh hiệu", "Danh hiệu, hình thức",
                  "Số quyết định", "Ngày quyết định"])  # fmt: skip
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_history_is_imported_all_or_nothing(council):
    rows = [["U1", "Lê Thị Hoa", year, "cstd-co-so", "Chiến sĩ thi đua cơ sở", f"{year}/QĐ",
             f"10/10/{year}"] for year in (2021, 2022, 2023)]  # fmt: skip
    bad = import_history(_table(rows + [["U9", "", 2023, "x", "X", "", ""],
                                        ["U1", "", 1850, "x", "X", "", ""]]),
                         "h.xlsx", user=None, now=AFTER)  # fmt: skip
    assert [row for row, _text in bad.problems] == [5, 6] and not bad.added
    assert db.session.scalar(db.select(db.func.count()).select_from(AwardRecord)) == 0
    good = import_history(_table(rows + [["U1", "", 2023, "tt-ldxs", "TTLĐXS", "", ""]]),
                          "h.xlsx", user=None, now=AFTER)  # fmt: skip
    assert len(good.added) == 4
    unit = council.units["U1"]
    assert [r.year for r in history_of(unit, "lê thị hoa")] == [2021, 2022, 2023]
    assert [r.award_code for r in history_of(unit, None)] == ["tt-ldxs"]
    assert history_of(unit, "lê thị hoa")[0].decision_date.isoformat() == "2021-10-10"


def test_conditions_on_history_and_initiatives_decide_the_vote(council, auth, client):
    use_rules(
        council.interim,
        **{
            '[[awards]]\ncode = "bang-khen"': CSTD,
            'group_by = "cluster"': 'group_by = ["kind", "cluster"]',
        },
    )
    people = {}
    at = INTERIM_DEADLINE.replace(day=28)
    for name in ("Lê Thị Hoa", "Trần Văn Minh"):
        person = Candidate(movement=council.movement, unit=council.units["U1"],
                           kind="individual", person_name=name)  # fmt: skip
        db.session.add(person)
        db.session.flush()
        submit(council.interim, person, values_of(100, 4, 1, 10), at)
        people[name] = person
    history = [["U1", n, y, "cstd-co-so", "CSTĐ cơ sở", "", ""] for y in (2021, 2022, 2023)
               for n in ("Lê Thị Hoa", "Trần Văn Minh")]  # fmt: skip
    import_history(_table(history), "h.xlsx", user=None, now=AFTER)
    initiative = add_initiative(InitiativeInput(
        council.units["U1"], "Phần mềm", "Lê Thị Hoa", "", "1/QĐ", AFTER.date(), "sector"
    ), user=None, now=AFTER)  # fmt: skip
    claim(initiative, people["Lê Thị Hoa"], user=None, now=AFTER)
    save_meeting(council.interim, held_at=AFTER, place="P", members_total=2,
                 present_ids=[council.r1.id, council.r2.id], chair_id=council.r1.id,
                 user=council.secretariat, now=AFTER)  # fmt: skip
    db.session.commit()
    ranking = live_ranking(council.interim)
    dossier_of = {k: e.dossier_id for k, e in ranking.entries.items()}
    for member in (council.r1, council.r2):
        auth.login(member)
        client.post(f"/council/rounds/{council.interim.id}/vote",
                    data={f"v_{d}": "agree" for d in dossier_of.values()})  # fmt: skip
        auth.logout()
    result = tally(council.interim, ranking.results()["results"], dossier_of)
    rows = {c["name"]: c for c in result["candidates"]}
    hoa, minh = rows["Lê Thị Hoa"], rows["Trần Văn Minh"]
    assert hoa["award_code"] == minh["award_code"] == "cstd-nganh"
    assert hoa["passed"] and hoa["unmet"] == []
    assert not minh["passed"] and minh["agree"] == 2
    (reason,) = minh["unmet"]
    assert "sáng kiến" in reason and "cấp Ngành" in reason


def test_history_import_command(council, app, tmp_path):
    path = tmp_path / "lich-su.xlsx"
    path.write_bytes(_table([["U1", "", 2023, "tt-ldxs", "Tập thể lao động xuất sắc", "", ""]]))
    result = app.test_cli_runner().invoke(args=["import", "history", str(path)])
    assert result.exit_code == 0 and "Đã nhập 1 dòng" in result.output
    path.write_bytes(_table([["U9", "", 2023, "x", "X", "", ""]]))
    result = app.test_cli_runner().invoke(args=["import", "history", str(path)])
    assert result.exit_code == 1 and "dòng 2" in result.output and "U9" in result.output


def test_the_candidate_page_shows_the_award_history(council, interim_dossiers, auth, client):
    rows = [["U1", "", 2023, "tt-ldxs", "Tập thể lao động xuất sắc", "88/QĐ-VKSĐN", "15/01/2024"]]
    import_history(_table(rows), "h.xlsx", user=None, now=AFTER)
    db.session.commit()
    auth.login(council.secretariat)
    url = f"/council/rounds/{council.interim.id}/candidates/{interim_dossiers['U1'].id}"
    page = client.get(url).get_data(as_text=True)
    assert "Lịch sử khen thưởng" in page and "Tập thể lao động xuất sắc" in page
    assert "88/QĐ-VKSĐN, 15/01/2024" in page
    other = client.get(
        f"/council/rounds/{council.interim.id}/candidates/{interim_dossiers['U2'].id}"
    )
    assert "Chưa có danh hiệu" in other.get_data(as_text=True)


def test_a_title_already_recorded_for_the_year_is_not_imported_again(council):
    row = ["U1", "Lê Thị Hoa", 2023, "cstd-co-so", "Chiến sĩ thi đua cơ sở", "", ""]
    twice = import_history(_table([row, row]), "h.xlsx", user=None, now=AFTER)
    assert [r for r, _text in twice.problems] == [3] and not twice.added
    assert len(import_history(_table([row]), "h.xlsx", user=None, now=AFTER).added) == 1
    again = import_history(_table([["U1", "LÊ THỊ HOA", 2023, "cstd-co-so", "CSTĐCS", "", ""]]),
                           "h.xlsx", user=None, now=AFTER)  # fmt: skip
    assert again.problems and "đã được ghi nhận" in str(again.problems[0][1])
    other_year = import_history(_table([[*row[:2], 2024, *row[3:]]]), "h.xlsx", user=None,
                                now=AFTER)  # fmt: skip
    assert len(other_year.added) == 1
