"""A DOCX the system drafts, converted to PDF by LibreOffice (headless) so it can be sealed."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

TIMEOUT_SECONDS = 120


class PdfUnavailable(Exception):
    """LibreOffice is missing, failed or took too long."""


def docx_to_pdf(data: bytes, *, soffice: str = "soffice", timeout: int = TIMEOUT_SECONDS) -> bytes:
    """The PDF of a DOCX; raises PdfUnavailable when the conversion cannot be done."""
    with tempfile.TemporaryDirectory(prefix="docx-pdf-") as folder:
        root = Path(folder)
        source = root / "document.docx"
        source.write_bytes(data)
        # Its own profile: two conversions at once would otherwise fight over one lock.
        command = [
            soffice, f"-env:UserInstallation=file://{root / 'profile'}", "--headless",
            "--convert-to", "pdf", "--outdir", str(root / "out"), str(source),
        ]
        try:
            subprocess.run(command, check=True, timeout=timeout, capture_output=True)
        except (OSError, subprocess.SubprocessError) as error:
            raise PdfUnavailable(str(error)) from error
        result = root / "out" / "document.pdf"
        if not result.is_file():
            raise PdfUnavailable("LibreOffice produced no PDF")
        return result.read_bytes()
