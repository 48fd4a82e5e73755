"""The history of versions names every evidence file added, removed or replaced."""

import io

from emulation.dossiers.versions import diff_files

from . import test_pages
from .test_pages import FULL, PDF, _post, _save, _start

clock, setup = test_pages.clock, test_pages.setup


def _ev(name, sha, where="TC1"):
    return {"name": name, "sha256": sha, "size": 1, "criterion": where, "document": None}


def test_files_added_removed_and_replaced_by_name_and_hash():
    before = {"evidence": [_ev("a.pdf", "1" * 64), _ev("b.pdf", "2" * 64), _ev("c.pdf", "3" * 64)]}
    after = {
        "evidence": [
            _ev("a.pdf", "1" * 64),
            _ev("a-copy.pdf", "1" * 64, "TC2"),  # the same bytes again, elsewhere
            _ev("b.pdf", "4" * 64),  # same place and name, other content
        ]
    }
    changes = {(c["change"], c["name"]): c for c in diff_files(before, after)}
    assert set(changes) == {("added", "a-copy.pdf"), ("replaced", "b.pdf"), ("removed", "c.pdf")}
    assert changes[("replaced", "b.pdf")]["before"] == "2" * 64
    assert changes[("replaced", "b.pdf")]["after"] == "4" * 64
    assert changes[("added", "a-copy.pdf")]["where"] == "TC2"
    assert diff_files(before, before) == []


def test_history_shows_a_file_added_in_a_later_version(setup, auth, client):
    auth.login(setup["editor_a"])
    dossier_id = _start(client, setup)
    _save(
        client,
        dossier_id,
        **{**FULL, "note_TC1": "Ký số từ tháng 3."},
        ev_TC1=(io.BytesIO(PDF), "thong-ke.pdf"),
    )
    _post(client, dossier_id, "submit")
    _post(client, dossier_id, "withdraw")
    # The unit attaches the same report again under another criterion.
    _save(
        client,
        dossier_id,
        **{**FULL, "note_TC1": "Ký số toàn bộ văn bản đi từ tháng 3."},
        ev_TC2=(io.BytesIO(PDF), "bien-ban-sao-luu.pdf"),
    )
    _post(client, dossier_id, "submit")
    body = client.get(f"/dossiers/{dossier_id}/history").get_data(as_text=True)
    assert 'data-file-change="added"' in body and "bien-ban-sao-luu.pdf" in body
    assert "không thay đổi" not in body
    assert 'data-note-change="TC1"' in body and "Ký số toàn bộ văn bản đi từ tháng 3." in body
