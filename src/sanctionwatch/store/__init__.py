"""The versioned list store: every import is a snapshot; one active version per list.

See ``docs/lists.md``. Entry point: :class:`ListStore`.
"""

from sanctionwatch.store.diff import EntityChange, EntityRef, FieldChange, ListDiff
from sanctionwatch.store.download import Downloader, UrlTable
from sanctionwatch.store.liststore import ListStore, UpdateResult
from sanctionwatch.store.records import FileInfo, ImportResult, ImportStatus, VersionInfo

__all__ = [
    "Downloader",
    "EntityChange",
    "EntityRef",
    "FieldChange",
    "FileInfo",
    "ImportResult",
    "ImportStatus",
    "ListDiff",
    "ListStore",
    "UpdateResult",
    "UrlTable",
    "VersionInfo",
]
