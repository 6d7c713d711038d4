"""What the store hands back: list version descriptions and import outcomes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy.engine import RowMapping

from sanctionwatch.sources.base import Skipped

__all__ = ["FileInfo", "ImportResult", "ImportStatus", "VersionInfo"]


@dataclass(frozen=True, slots=True)
class FileInfo:
    """One file of an imported set: its name, SHA-256 and size in bytes."""

    name: str
    sha256: str
    size: int

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"name": self.name, "sha256": self.sha256, "size": self.size}


@dataclass(frozen=True, slots=True)
class VersionInfo:
    """One imported version (snapshot) of one list.

    Attributes:
        id: Version id, unique across lists; entities carry it as ``Entity.list_version``.
        list_key: The list (``us-ofac-sdn``, ``un-sc``...).
        format_key: The format that read the files.
        files: The files of the set, main file first.
        checksum: SHA-256 of the set (see ``docs/lists.md``: the file's own SHA-256 for one file).
        published: Publication date the files state (ISO ``YYYY-MM-DD``), or ``None``.
        imported_at: When the import finished writing (UTC), just before its commit.
        entity_count: Entities stored.
        schema_counts: Entities by schema (``Person``, ``Organization``...).
        skipped_count: Records a lenient import left out.
        active: Whether this is the list's active version (the one screening uses).
        replaced_id: The version that was active when this one was activated.
    """

    id: int
    list_key: str
    format_key: str
    files: tuple[FileInfo, ...]
    checksum: str
    published: str | None
    imported_at: datetime
    entity_count: int
    schema_counts: dict[str, int]
    skipped_count: int
    active: bool
    replaced_id: int | None = None

    @property
    def short_checksum(self) -> str:
        """The first 12 hex digits of the checksum, for tables."""
        return self.checksum[:12]

    @property
    def file_names(self) -> tuple[str, ...]:
        """The names of the files of the set."""
        return tuple(f.name for f in self.files)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict with every field."""
        return {
            "id": self.id,
            "list_key": self.list_key,
            "format_key": self.format_key,
            "files": [f.to_dict() for f in self.files],
            "checksum": self.checksum,
            "published": self.published,
            "imported_at": self.imported_at.isoformat(),
            "entity_count": self.entity_count,
            "schema_counts": dict(self.schema_counts),
            "skipped_count": self.skipped_count,
            "active": self.active,
            "replaced_id": self.replaced_id,
        }

    @classmethod
    def from_row(cls, row: RowMapping) -> VersionInfo:
        """Build from a ``list_versions`` row."""
        imported_at: datetime = row["imported_at"]
        if imported_at.tzinfo is None:  # SQLite keeps no offset; the store writes UTC
            imported_at = imported_at.replace(tzinfo=UTC)
        published: date | None = row["published"]
        return cls(
            id=row["id"],
            list_key=row["list_key"],
            format_key=row["format_key"],
            files=tuple(FileInfo(**f) for f in row["files"]),
            checksum=row["checksum"],
            published=published.isoformat() if published is not None else None,
            imported_at=imported_at.astimezone(UTC),
            entity_count=row["entity_count"],
            schema_counts=dict(row["schema_counts"]),
            skipped_count=row["skipped_count"],
            active=bool(row["active"]),
            replaced_id=row["replaced_id"],
        )


class ImportStatus(StrEnum):
    """What an import did."""

    ACTIVATED = "activated"
    """Stored and made the active version of its list."""
    STORED = "stored"
    """Stored, but older than the active version, which stays active."""
    UNCHANGED = "unchanged"
    """The same files (same checksum) were already imported: nothing was written."""


@dataclass(frozen=True, slots=True)
class ImportResult:
    """The outcome of importing one file set.

    Attributes:
        status: Activated, stored (older, not activated) or unchanged.
        version: The version written, or for ``UNCHANGED`` the existing version with that checksum.
        previous: The list's active version before the import, if any.
        skipped: Records left out (lenient imports only).
        seconds: Wall time of the import.
    """

    status: ImportStatus
    version: VersionInfo
    previous: VersionInfo | None
    skipped: tuple[Skipped, ...] = field(default=())
    seconds: float = 0.0

    @property
    def message(self) -> str:
        """One line saying what happened, for people."""
        v = self.version
        label = f"{v.list_key} version {v.id}" + (f" (published {v.published})" if v.published else "")
        if self.status is ImportStatus.UNCHANGED:
            return (
                f"{v.list_key}: unchanged, these files (checksum {v.short_checksum}) were already "
                f"imported as version {v.id}; nothing written"
            )
        if self.status is ImportStatus.STORED:
            prev = self.previous
            assert prev is not None  # STORED only happens against an active version
            when = (
                f"published {prev.published}" if prev.published else f"imported {prev.imported_at:%Y-%m-%d}"
            )
            return (
                f"{label}: stored but NOT activated, it is older than the active version {prev.id} ({when})"
            )
        return f"{label}: imported and activated"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "status": str(self.status),
            "message": self.message,
            "version": self.version.to_dict(),
            "previous": self.previous.to_dict() if self.previous else None,
            "skipped": [{"path": s.path, "location": s.location, "reason": s.reason} for s in self.skipped],
            "seconds": round(self.seconds, 3),
        }
