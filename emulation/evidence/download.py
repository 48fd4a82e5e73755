"""Send a stored blob to a browser that passed the view's access checks."""

from flask import Response, send_file, stream_with_context

from .backends import CHUNK_BYTES, evidence_store


def blob_response(sha256: str, *, download_name: str, mimetype: str | None = None) -> Response:
    """An attachment response streaming the blob; FileNotFoundError when it is not stored."""
    store = evidence_store()
    if store.kind == "local":
        return send_file(
            store.path(sha256), mimetype=mimetype, as_attachment=True, download_name=download_name
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
    response.headers.set("Content-Disposition", "attachment", filename=download_name)
    response.headers["Cache-Control"] = "private, no-store"
    return response
