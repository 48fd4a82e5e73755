"""Copy every evidence blob from one store to another and prove each copy by its sha256."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from .backends import CHUNK_BYTES, StorageError


@dataclass
class MigrationResult:
    """What a migration did: blobs copied, already present, and the ones that failed."""

    copied: int = 0
    present: int = 0
    failed: list[str] = field(default_factory=list)


def _digest(store, sha256: str) -> str:
    hasher = hashlib.sha256()
    with store.open(sha256) as body:
        while chunk := body.read(CHUNK_BYTES):
            hasher.update(chunk)
    return hasher.hexdigest()


def migrate_blobs(source, target, *, remove_source: bool = False, echo=None) -> MigrationResult:
    """Copy source's blobs to target, then read each back and check its sha256 against its name.

    A blob whose source bytes do not match their name is reported and not copied. With
    remove_source, a blob is deleted from the source only after its copy verified.
    """
    result = MigrationResult()
    for blob in source.blobs():
        try:
            if target.exists(blob.sha256) and _digest(target, blob.sha256) == blob.sha256:
                result.present += 1
            else:
                with source.open(blob.sha256) as body:
                    target.put_verified(blob.sha256, body)
                if _digest(target, blob.sha256) != blob.sha256:
                    raise StorageError(f"{blob.sha256}: the copy read back differs")
                result.copied += 1
        except (StorageError, OSError) as exc:
            result.failed.append(blob.sha256)
            if echo:
                echo(f"FAILED {blob.sha256}: {exc}")
            continue
        if remove_source:
            source.delete(blob.sha256)
    return result
