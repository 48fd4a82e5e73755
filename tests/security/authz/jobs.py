"""Background jobs: started by the secretariat; seen only by their starter and administrators."""

import io

from emulation.evidence.backends import evidence_store
from emulation.extensions import db
from emulation.models import Job

from ._roles import STAFF, only, statuses

RESULT = b"ket qua cong viec nen"


def _job_of_secretariat(w) -> dict:
    """A finished job started by the secretariat, its file in the store."""
    import hashlib

    if not hasattr(w, "job"):
        sha256 = hashlib.sha256(RESULT).hexdigest()
        evidence_store().put_verified(sha256, io.BytesIO(RESULT))
        w.job = Job(
            id="a" * 32, kind="report", params={}, title="Báo cáo", status="done", done=3,
            total=3, result_sha256=sha256, result_name="bao-cao.pdf",
            result_mimetype="application/pdf", created_by=w.users["secretariat"],
        )  # fmt: skip
        db.session.add(w.job)
        db.session.commit()
    return {"job_id": w.job.id}


_STARTER = statuses(404, secretariat=200, admin=200)

ROUTES = {
    "jobs.start_report": {
        "url": lambda w: {"round_id": w.round.id},
        "POST": only(302, STAFF),
        "data": lambda w: {"format": "html"},
    },
    "jobs.start_export": {
        "url": lambda w: {"round_id": w.round.id},
        "POST": only(302, STAFF),
        "data": lambda w: {"format": "csv", "table": "ranking"},
    },
    "jobs.start_whatif": {
        "url": lambda w: {"round_id": w.round.id},
        "POST": only(302, STAFF),
        "data": lambda w: {"runs": "10", "spread": "5", "seed": "1"},
    },
    # No preview of that name: the staff are sent back to the upload page.
    "jobs.start_values_import": {
        "POST": only(302, STAFF),
        "data": lambda w: {"upload": "0" * 32},
    },
    # Another user's job is answered as missing: its id says nothing to them.
    "jobs.job_page": {"url": _job_of_secretariat, "GET": _STARTER},
    "jobs.job_status": {"url": _job_of_secretariat, "GET": _STARTER},
    "jobs.download": {"url": _job_of_secretariat, "GET": _STARTER},
}
