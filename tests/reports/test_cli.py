"""`emulation report ROUND --kind … --format … -o FILE`."""

from docx import Document

from emulation.extensions import db
from emulation.models import Movement, Round

from .conftest import FINAL_DEADLINE


def test_writes_the_final_report_by_round_code(movement, dossiers, runner, tmp_path):
    out = tmp_path / "tong-ket.docx"
    result = runner.invoke(args=["report", "tong-ket", "--kind", "final", "--format", "docx",
                                 "-o", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"Wrote {out}" in result.output and "docx" in result.output
    doc = Document(str(out))
    assert "BÁO CÁO TỔNG KẾT" in [p.text for p in doc.paragraphs]


def test_round_by_id_and_format_from_the_file_name(movement, dossiers, runner, tmp_path):
    for fmt in ("pdf", "xlsx", "html"):
        out = tmp_path / f"so-ket.{fmt}"
        result = runner.invoke(args=["report", str(movement.interim.id), "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 1000
    assert out.read_text(encoding="utf-8").count("VKSND quận Hải Châu") >= 2


def test_refuses_a_kind_the_round_does_not_have(movement, dossiers, runner, tmp_path):
    result = runner.invoke(
        args=["report", "so-ket", "--kind", "final", "-o", str(tmp_path / "x.pdf")]
    )
    assert result.exit_code == 2 and "interim round" in result.output
    assert not (tmp_path / "x.pdf").exists()


def test_unknown_round_missing_folder_and_unknown_extension(movement, runner, tmp_path):
    result = runner.invoke(args=["report", "khong-co", "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 2 and "no round" in result.output
    result = runner.invoke(args=["report", "so-ket", "-o", str(tmp_path / "no" / "x.pdf")])
    assert result.exit_code == 2 and "does not exist" in result.output
    result = runner.invoke(args=["report", "so-ket", "-o", str(tmp_path / "x.odt")])
    assert result.exit_code == 2 and "--format" in result.output


def test_a_code_shared_by_two_movements_must_be_given_as_an_id(movement, runner, tmp_path, make):
    other = Movement(code="khac", name="Phong trào khác")
    template = movement.interim
    other.rounds.append(
        Round(code="so-ket", kind="interim", name="Sơ kết khác", opens_at=template.opens_at,
              deadline=FINAL_DEADLINE, rules_filename=template.rules_filename,
              rules_text=template.rules_text, rules_hash=template.rules_hash)
    )  # fmt: skip
    db.session.add(other)
    db.session.commit()
    result = runner.invoke(args=["report", "so-ket", "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 2 and "give an id" in result.output
