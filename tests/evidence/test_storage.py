"""Evidence storage: types sniffed from content, every refusal class, dedup, clean-up, names."""

import hashlib
import io
import os
import struct
import zipfile
from datetime import datetime, timedelta

import pytest

from emulation.evidence import (
    DOCX,
    JPEG,
    PDF,
    PNG,
    XLSX,
    UploadRefused,
    open_blob,
    remove_orphans,
    sanitise_name,
    sniff_type,
    store_upload,
)
from emulation.evidence.storage import CHUNK_BYTES, UNNAMED
from tests.support.instants import DEADLINE

MIB = 1024 * 1024
NOW = DEADLINE
TWO_HOURS_LATER = NOW + timedelta(hours=2)


def store(data: bytes, name: str, upload_dir, max_bytes: int = 20 * MIB):
    return store_upload(io.BytesIO(data), name, upload_dir=upload_dir, max_bytes=max_bytes)


def refuse(data: bytes, name: str, upload_dir, max_bytes: int = 20 * MIB) -> UploadRefused:
    """Store, expect a refusal, and check that nothing at all was left in the folder."""
    with pytest.raises(UploadRefused) as caught:
        store(data, name, upload_dir, max_bytes)
    assert leftovers(upload_dir) == []
    return caught.value


def leftovers(upload_dir) -> list:
    return sorted(path for path in upload_dir.rglob("*") if path.is_file())


def zip_of(entries: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


class Endless(io.RawIOBase):
    """A client that never stops sending; counts what the server read."""

    def __init__(self):
        self.read_bytes = 0

    def read(self, size=-1):
        self.read_bytes += size
        return b"%PDF-" + b"0" * (size - 5)


class BrokenAfterFirstChunk(io.RawIOBase):
    """A client whose connection drops after the first chunk."""

    def __init__(self, first: bytes):
        self.first = first

    def read(self, size=-1):
        if self.first is None:
            raise OSError("connection reset")
        chunk, self.first = self.first, None
        return chunk


@pytest.mark.parametrize(
    ("name", "kind", "mime"),
    [
        ("Báo cáo thành tích.pdf", "pdf", PDF),
        ("SCAN.PDF", "pdf", PDF),
        ("Ảnh hiện trường.png", "png", PNG),
        ("chân dung.jpg", "jpeg", JPEG),
        ("CHAN DUNG.JPEG", "jpeg", JPEG),
        ("Biên bản họp hội đồng.docx", "docx", DOCX),
        ("Số liệu chỉ tiêu.xlsx", "xlsx", XLSX),
    ],
)
def test_each_allowed_type_is_stored_under_its_sha256(samples, upload_dir, name, kind, mime):
    data = samples[kind]
    stored = store(data, name, upload_dir)
    digest = hashlib.sha256(data).hexdigest()
    assert stored.sha256 == digest
    assert stored.size_bytes == len(data)
    assert stored.content_type == mime
    assert stored.original_name == name
    assert stored.path == upload_dir / digest[:2] / digest[2:4] / digest
    assert stored.path.read_bytes() == data
    assert leftovers(upload_dir) == [stored.path]


@pytest.mark.parametrize(
    ("kind", "mime"),
    [("pdf", PDF), ("png", PNG), ("jpeg", JPEG), ("docx", DOCX), ("xlsx", XLSX)],
)
def test_sniff_type_names_each_allowed_type(samples, kind, mime):
    assert sniff_type(samples[kind]) == mime


def test_hand_made_pdf_is_a_real_pdf(samples):
    pypdf = pytest.importorskip("pypdf")
    assert len(pypdf.PdfReader(io.BytesIO(samples["pdf"])).pages) == 1


def test_sniff_type_ignores_everything_else(samples):
    assert sniff_type(samples["pdf"][:8]) == PDF
    assert sniff_type(samples["docx"][:64]) is None
    assert sniff_type(b"MZ\x90\x00" + samples["pdf"]) is None
    assert sniff_type(zip_of({"notes.txt": b"hello"})) is None
    assert sniff_type(b"") is None


def test_a_file_of_exactly_the_limit_is_accepted(samples, upload_dir):
    data = samples["pdf"]
    assert store(data, "a.pdf", upload_dir, max_bytes=len(data)).size_bytes == len(data)


def test_too_large_names_file_and_limit_and_stops_reading(upload_dir):
    stream = Endless()
    with pytest.raises(UploadRefused) as caught:
        store_upload(stream, "Báo cáo.pdf", upload_dir=upload_dir, max_bytes=20 * MIB)
    assert caught.value.code == "too_large"
    assert caught.value.message_vi == "Tệp «Báo cáo.pdf» vượt quá giới hạn 20 MB."
    assert caught.value.message("en") == "The file “Báo cáo.pdf” exceeds the limit of 20 MB."
    assert stream.read_bytes <= 20 * MIB + CHUNK_BYTES
    assert leftovers(upload_dir) == []


def test_one_byte_over_the_limit_is_refused(samples, upload_dir):
    data = samples["pdf"]
    refused = refuse(data, "a.pdf", upload_dir, max_bytes=len(data) - 1)
    assert refused.code == "too_large"


def test_empty_file_is_refused(upload_dir):
    refused = refuse(b"", "trống.pdf", upload_dir)
    assert refused.code == "empty"
    assert "«trống.pdf»" in refused.message_vi


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"Just some notes\n", "ghi chú.txt"),
        (b"MZ\x90\x00" + b"\x00" * 200, "setup.exe"),
        (b"GIF89a" + b"\x00" * 50, "ảnh.gif"),
    ],
)
def test_content_of_no_allowed_type_is_refused(upload_dir, data, name):
    refused = refuse(data, name, upload_dir)
    assert refused.code == "type_not_allowed"
    assert f"«{name}»" in refused.message_vi
    assert "PDF, DOCX, XLSX, PNG, JPEG" in refused.message_vi


def test_executable_renamed_pdf_is_disguised(samples, upload_dir):
    refused = refuse(b"MZ\x90\x00" + samples["pdf"], "Báo cáo.pdf", upload_dir)
    assert refused.code == "disguised"
    assert refused.message_vi == "Tệp «Báo cáo.pdf» mang đuôi .pdf nhưng nội dung không phải PDF."


def test_zip_containing_a_pdf_named_pdf_is_disguised(samples, upload_dir):
    data = zip_of({"a.pdf": samples["pdf"]}, method=zipfile.ZIP_STORED)
    assert refuse(data, "hồ sơ.pdf", upload_dir).code == "disguised"


@pytest.mark.parametrize(
    ("kind", "name", "expected"),
    [
        ("png", "Biên bản.docx", ".png"),
        ("docx", "Báo cáo.pdf", ".docx"),
        ("xlsx", "Bảng.docx", ".xlsx"),
        ("pdf", "Báo cáo.txt", ".pdf"),
        ("pdf", "Báo cáo", ".pdf"),
    ],
)
def test_extension_disagreeing_with_content_is_disguised(samples, upload_dir, kind, name, expected):
    refused = refuse(samples[kind], name, upload_dir)
    assert refused.code == "disguised"
    assert f"đuôi {expected}" in refused.message_vi


def test_docx_with_macros_is_refused(samples, upload_dir, rezip):
    data = rezip(samples["docx"], {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"})
    refused = refuse(data, "Biên bản.docx", upload_dir)
    assert refused.code == "type_not_allowed"
    assert "macro" in refused.message_vi


def test_zip_bomb_by_total_unpacked_size(samples, upload_dir, rezip):
    data = rezip(samples["docx"], {"word/media/zeros.bin": b"\x00" * (20 * MIB)})
    assert len(data) < MIB
    refused = refuse(data, "Biên bản.docx", upload_dir)
    assert refused.code == "zip_bomb"
    assert "giới hạn 10 MB" in refused.message_vi


def test_zip_bomb_by_entry_ratio(samples, upload_dir, rezip):
    data = rezip(samples["xlsx"], {"xl/media/zeros.bin": b"\x00" * (5 * MIB)})
    refused = refuse(data, "Số liệu.xlsx", upload_dir)
    assert refused.code == "zip_bomb"
    assert "xl/media/zeros.bin" in refused.message_vi


def test_zip_bomb_by_entry_count(samples, upload_dir, rezip):
    data = rezip(samples["docx"], {f"word/x/{number}.xml": b"" for number in range(5001)})
    refused = refuse(data, "Biên bản.docx", upload_dir)
    assert refused.code == "zip_bomb"
    assert "5018 thành phần, vượt quá giới hạn 5000" in refused.message_vi


def test_zip_bomb_by_overlapping_entries(samples, upload_dir):
    entries = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}
    data = bytearray(zip_of(entries, method=zipfile.ZIP_STORED))
    # Point the second central-directory record at the first local header.
    second = data.find(b"PK\x01\x02", data.find(b"PK\x01\x02") + 1)
    struct.pack_into("<I", data, second + 42, 0)
    assert refuse(bytes(data), "Biên bản.docx", upload_dir).code == "zip_bomb"


@pytest.mark.parametrize(
    ("kind", "name", "cut"),
    [
        ("docx", "Biên bản.docx", 200),
        ("xlsx", "Số liệu.xlsx", 30),
        ("pdf", "Báo cáo.pdf", 8),
        ("png", "ảnh.png", 12),
    ],
)
def test_truncated_files_are_corrupt(samples, upload_dir, kind, name, cut):
    refused = refuse(samples[kind][:-cut], name, upload_dir)
    assert refused.code == "corrupt"
    assert f"«{name}»" in refused.message_vi


def test_png_with_a_damaged_header_is_corrupt(samples, upload_dir):
    data = samples["png"][:12] + b"XXXX" + samples["png"][16:]
    assert refuse(data, "ảnh.png", upload_dir).code == "corrupt"


def test_pdf_with_a_zip_behind_it_is_a_polyglot(samples, upload_dir):
    # The ZIP comment puts %%EOF at the very end, so only the polyglot check can catch it.
    hidden = zip_of({"payload.html": b"<script>alert(1)</script>"})
    hidden = hidden[:-2] + struct.pack("<H", 6) + b"%%EOF\n"
    data = samples["pdf"] + hidden
    refused = refuse(data, "Báo cáo.pdf", upload_dir)
    assert refused.code == "polyglot"


def test_jpeg_with_a_zip_behind_it_is_a_polyglot(samples, upload_dir):
    data = samples["jpeg"] + zip_of({"x.txt": b"x"})
    assert refuse(data, "ảnh.jpg", upload_dir).code == "polyglot"


def test_connection_dropping_mid_upload_leaves_nothing(samples, upload_dir):
    with pytest.raises(OSError, match="connection reset"):
        store_upload(
            BrokenAfterFirstChunk(samples["pdf"]),
            "a.pdf",
            upload_dir=upload_dir,
            max_bytes=MIB,
        )
    assert leftovers(upload_dir) == []


def test_failure_while_placing_the_blob_leaves_nothing(samples, upload_dir, monkeypatch):
    def fail(*_args):
        raise OSError("disk full")

    monkeypatch.setattr("emulation.evidence.storage.os.replace", fail)
    with pytest.raises(OSError, match="disk full"):
        store(samples["pdf"], "a.pdf", upload_dir)
    assert leftovers(upload_dir) == []


def test_identical_content_is_stored_once(samples, upload_dir):
    first = store(samples["docx"], "Biên bản lần 1.docx", upload_dir)
    second = store(samples["docx"], "Biên bản lần 2.docx", upload_dir)
    assert first.path == second.path
    assert second.original_name == "Biên bản lần 2.docx"
    assert leftovers(upload_dir) == [first.path]


def test_a_damaged_blob_is_replaced_by_a_new_upload(samples, upload_dir):
    stored = store(samples["pdf"], "a.pdf", upload_dir)
    stored.path.write_bytes(b"half")
    store(samples["pdf"], "a.pdf", upload_dir)
    assert stored.path.read_bytes() == samples["pdf"]


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        (
            "Báo cáo thành tích năm 2024 – Đơn vị Ứng Hòa.pdf",
            "Báo cáo thành tích năm 2024 – Đơn vị Ứng Hòa.pdf",
        ),
        ("Ba\u0301o ca\u0301o.pdf", "Báo cáo.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\Windows\\biên bản.docx", "biên bản.docx"),
        ("C:/Users/x/ảnh.png", "ảnh.png"),
        ("a\x00b\x07c.pdf", "abc.pdf"),
        ("dòng\nmới\t.pdf", "dòng mới .pdf"),
        ("hoadon\u202efdp.exe", "hoadonfdp.exe"),
        ("   khoảng    trắng.pdf  ", "khoảng trắng.pdf"),
        ("", UNNAMED),
        ("../", UNNAMED),
        ("..", UNNAMED),
    ],
)
def test_sanitise_name(raw, clean):
    assert sanitise_name(raw) == clean


def test_long_names_are_cut_to_255_characters_keeping_the_extension():
    clean = sanitise_name("Đ" * 300 + ".docx")
    assert len(clean) == 255
    assert clean.endswith("Đ.docx")


def test_traversal_name_is_kept_only_for_display(samples, upload_dir, tmp_path):
    stored = store(samples["pdf"], "../../etc/passwd.pdf", upload_dir)
    assert stored.original_name == "passwd.pdf"
    assert stored.path.resolve().is_relative_to(upload_dir.resolve())
    assert stored.path.name == stored.sha256
    assert [path for path in tmp_path.rglob("*") if path.is_file()] == [stored.path]


def test_open_blob_returns_the_stored_path(samples, upload_dir):
    stored = store(samples["png"], "ảnh.png", upload_dir)
    assert open_blob(upload_dir, stored.sha256) == stored.path


@pytest.mark.parametrize(
    "sha256",
    [
        "../x",
        "../../etc/passwd",
        "/etc/passwd",
        "A" * 64,
        "a" * 63,
        "a" * 64 + "\n",
        "g" * 64,
        "",
        "a" * 64,
    ],
)
def test_open_blob_refuses_bad_or_unknown_names(upload_dir, sha256):
    upload_dir.mkdir()
    with pytest.raises(FileNotFoundError):
        open_blob(upload_dir, sha256)


def age(path, when: datetime) -> None:
    stamp = when.timestamp()
    os.utime(path, (stamp, stamp))


def test_remove_orphans_deletes_only_old_unreferenced_blobs(samples, upload_dir):
    kept = store(samples["pdf"], "a.pdf", upload_dir)
    orphan = store(samples["png"], "b.png", upload_dir)
    fresh = store(samples["jpeg"], "c.jpg", upload_dir)
    for stored in (kept, orphan):
        age(stored.path, NOW - timedelta(days=1))
    age(fresh.path, NOW - timedelta(minutes=5))
    stray = upload_dir / "README"
    stray.write_text("not a blob")
    age(stray, NOW - timedelta(days=1))

    removed = remove_orphans(upload_dir, {kept.sha256.upper()}, now=NOW)

    assert removed == 1
    assert leftovers(upload_dir) == sorted([kept.path, fresh.path, stray])


def test_remove_orphans_deletes_abandoned_temp_files(upload_dir):
    upload_dir.mkdir()
    abandoned = upload_dir / ".upload-abc123.part"
    abandoned.write_bytes(b"half written")
    age(abandoned, NOW - timedelta(hours=3))
    in_progress = upload_dir / ".upload-def456.part"
    in_progress.write_bytes(b"still arriving")
    age(in_progress, NOW)

    assert remove_orphans(upload_dir, set(), now=NOW) == 1
    assert leftovers(upload_dir) == [in_progress]


def test_remove_orphans_on_a_missing_folder_does_nothing(tmp_path):
    assert remove_orphans(tmp_path / "nowhere", set(), now=TWO_HOURS_LATER) == 0
