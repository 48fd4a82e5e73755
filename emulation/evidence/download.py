"""Send a stored blob to a browser that passed the view's access checks."""

import unicodedata
from urllib.parse import quote

from flask import Response, send_file, stream_with_context

from .backends import CHUNK_BYTES, evidence_store
from .sniff import JPEG, PDF, PNG

# Only these open in the browser; anything else (and any HTML) is always a download.
INLINE_TYPES = frozenset({PDF, PNG, JPEG})


def blob_response(
    sha256: str, *, download_name: str, mimetype: str | None = None, inline: bool = False
) -> Response:
    """The blob as a download, or sandboxed in the browser when `inline` and a PDF or image."""
    inline = inline and mimetype in INLINE_TYPES
    response = _stream(sha256, download_name=download_name, mimetype=mimetype, inline=inline)
    response.headers["X-Content-Type-Options"] = "nosniff"
    if inline:
        # A sandboxed document runs no script and gets an opaque origin: a crafted file can
        # never act as a page of the application.
        response.headers["Content-Security-Policy"] = "sandbox"
    return response


def set_disposition(response: Response, kind: str, name: str) -> None:
    """Content-Disposition with the file's name, an ASCII fallback beside the UTF-8 one."""
    try:
        name.encode("ascii")
        names = {"filename": name}
    except UnicodeEncodeError:
        simple = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
        names = {"filename": simple, "filename*": "UTF-8''" + quote(name, safe="!#$&+-.^_`|~")}
    response.headers.set("Content-Disposition", kind, **names)


def _stream(sha256: str, *, download_name: str, mimetype: str | None, inline: bool) -> Response:
    store = evidence_store()
    if store.kind == "local":
        return send_file(
            store.path(sha256),
            mimetype=mimetype,
            as_attachment=not inline,
            download_name=download_name,
        )
    size = store.size(sha256)
    body = store.open(sha256)

    def chunks():
        try:
            while chunk := body.read(CHUNK_BYTES):
                yield chunk
        finally:
            body.close()

    response = Response(
        stream_with_context(chunks()),
        mimetype=mimetype or "application/octet-stream",
        direct_passthrough=True,
    )
    response.content_length = size
    set_disposition(response, "inline" if inline else "attachment", download_name)
    response.headers["Cache-Control"] = "private, no-store"
    return response
