"""What changed in the evidence files between two submitted versions."""

from collections import Counter


def _files(payload: dict) -> Counter:
    return Counter(
        (f.get("criterion") or f.get("document") or "", f["name"], f["sha256"])
        for f in payload.get("evidence", [])
    )


def diff_files(before: dict, after: dict) -> list[dict]:
    """Files added, removed or replaced (same place and name, other content), by name and hash.

    The same file attached twice counts twice: a second copy is an added file.
    """
    old, new = _files(before), _files(after)
    gone, came = old - new, new - old
    changes = []
    for where, name, sha in sorted(gone.elements()):
        match = next((c for c in came.elements() if c[:2] == (where, name)), None)
        if match is not None:
            came[match] -= 1
            change, after_sha = "replaced", match[2]
        else:
            change, after_sha = "removed", None
        changes.append(
            {"key": "file", "change": change, "name": name, "where": where, "before": sha,
             "after": after_sha}
        )  # fmt: skip
    for where, name, sha in sorted((+came).elements()):
        changes.append(
            {"key": "file", "change": "added", "name": name, "where": where, "before": None,
             "after": sha}
        )  # fmt: skip
    return changes
