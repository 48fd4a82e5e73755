"""Backup and restore of the database and the evidence files."""

from .archive import (
    BackupError,
    Manifest,
    archive_sha256,
    create_backup,
    describe_current,
    read_verified,
    restore_backup,
)

__all__ = [
    "BackupError",
    "Manifest",
    "archive_sha256",
    "create_backup",
    "describe_current",
    "read_verified",
    "restore_backup",
]
