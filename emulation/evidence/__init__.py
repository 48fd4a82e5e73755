"""Evidence files: content sniffing, safe content-addressed storage and orphan clean-up."""

from .errors import UploadRefused
from .sniff import DOCX, JPEG, PDF, PNG, XLSX, sniff_type
from .storage import StoredFile, open_blob, remove_orphans, sanitise_name, store_upload

__all__ = [
    "DOCX",
    "JPEG",
    "PDF",
    "PNG",
    "XLSX",
    "StoredFile",
    "UploadRefused",
    "open_blob",
    "remove_orphans",
    "sanitise_name",
    "sniff_type",
    "store_upload",
]
