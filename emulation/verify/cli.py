"""`emulation verify FILE`: check a PDF's signatures offline against this deployment's trust."""

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ..signatures import VALID
from ..signatures.seal import verify_file
from ..timefmt import format_iso

VERDICT_TEXT = {
    "valid": "Ký số hợp lệ",
    "untrusted": "Chữ ký không tin cậy (không chuỗi về chứng thư gốc được tin cậy)",
    "modified": "Tài liệu đã bị sửa sau khi ký",
    "expired": "Chứng thư số không còn hiệu lực tại thời điểm ký",
    "revoked": "Chứng thư số đã bị thu hồi",
    "broken": "Chữ ký số không hợp lệ",
    "not_signed": "Không có chữ ký số",
    "unreadable": "Không đọc được tệp PDF",
}


@click.command("verify")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def verify_command(file: Path):
    """Check FILE's signatures and seal offline; exit 0 only when every signature is valid."""
    result = verify_file(file.read_bytes(), current_app.config)
    click.echo(f"{file.name}: {VERDICT_TEXT[result.verdict]}")
    for number, signature in enumerate(result.signatures, start=1):
        who = signature.signer or "(không rõ)"
        if signature.organisation:
            who += f" — {signature.organisation}"
        click.echo(f"  Chữ ký {number}: {who}")
        if signature.signed_at:
            source = "dấu thời gian" if signature.timestamped else "theo người ký"
            click.echo(f"    Thời điểm ký: {format_iso(signature.signed_at)} ({source})")
        click.echo(f"    Tin cậy: {'có' if signature.trusted else 'không'}; "
                   f"hiệu lực khi ký: {'có' if signature.valid_at_signing else 'không'}; "
                   f"sửa sau khi ký: {'có' if signature.modified_after else 'không'}")
        click.echo(f"    Kết luận: {VERDICT_TEXT[signature.verdict]}")
    sys.exit(0 if result.verdict == VALID else 1)
