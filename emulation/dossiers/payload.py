"""What a submitted version freezes, and its fingerprint."""

import hashlib
import json

from ..models import Dossier


def dossier_payload(dossier: Dossier) -> dict:
    """Everything a submitted version freezes: values, self-assessed points, evidence."""
    return {
        "round": dossier.round.code,
        "candidate": dossier.candidate_id,
        "values": {
            v.column: v.text_value if v.text_value is not None else v.value
            for v in sorted(dossier.values, key=lambda v: v.column)
        },
        "self_points": {
            s.indicator_code: s.points
            for s in sorted(dossier.self_points, key=lambda s: s.indicator_code)
        },
        "notes": {
            n.criterion_code: n.text for n in sorted(dossier.notes, key=lambda n: n.criterion_code)
        },
        "evidence": [
            {
                "name": f.original_name,
                "sha256": f.sha256,
                "size": f.size_bytes,
                "criterion": f.criterion_code,
                "document": f.document_code,
            }
            for f in dossier.evidence
        ],
    }


def content_hash(payload: dict) -> str:
    """sha256 over the canonical JSON of a payload."""
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()
