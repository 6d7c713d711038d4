"""The list store's public face: open it, import files, read versions, diffs and entities.

>>> store = ListStore.open(Settings())
>>> result = store.import_paths([Path("sdn-2024-05-03/")])[0]
>>> store.status()                      # the active version of each list
>>> store.diff("us-ofac-sdn")           # what the last update changed
>>> for entity in store.active_entities(): ...
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from sqlalchemy.engine import Engine

from sanctionwatch.errors import ConfigError, ListFileError
from sanctionwatch.model import Entity
from sanctionwatch.settings import Settings
from sanctionwatch.sources.base import ListFiles, ParseContext, Skipped, SourceFormat
from sanctionwatch.store.database import open_engine
from sanctionwatch.store.diff import ListDiff, compute_diff, default_versions
from sanctionwatch.store.download import Downloader, UrlTable, download_sets, official_urls, sets_in_folder
from sanctionwatch.store.importer import ImportOptions, Progress, Reporter, import_set
from sanctionwatch.store.queries import (
    active_versions,
    get_entity,
    get_version,
    iter_entities,
    list_versions,
    select_active,
    skipped_records,
)
from sanctionwatch.store.records import ImportResult, VersionInfo

__all__ = ["ListStore", "UpdateResult"]


@dataclass(frozen=True, slots=True)
class UpdateResult:
    """The outcome of ``lists update``.

    Attributes:
        origin: The folder the files were read from (given, or the fresh download folder).
        results: One import result per list.
        ignored: Files of a ``--from`` folder that belong to no known list.
    """

    origin: Path
    results: tuple[ImportResult, ...]
    ignored: tuple[Path, ...] = ()


class ListStore:
    """Versioned snapshots of the official lists, in SQLite or PostgreSQL."""

    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        formats: Sequence[SourceFormat] | None = None,
        reporter: Reporter | None = None,
    ) -> None:
        """Wrap an engine whose schema is current; use :meth:`open` instead."""
        self.engine = engine
        self.settings = settings
        self.reporter = reporter
        self._formats = tuple(formats) if formats is not None else None

    @classmethod
    def open(
        cls,
        settings: Settings,
        formats: Sequence[SourceFormat] | None = None,
        reporter: Reporter | None = None,
    ) -> ListStore:
        """Open the store at ``settings.resolved_database_url``, creating or upgrading its schema.

        ``formats`` defaults to every known format (``sources.registry.FORMATS``); the parsers are
        loaded only when something is imported, so readers of the store do not load them.
        ``reporter`` is told what each import did (``store.importer.Reporter``); to audit imports,
        pass ``cases.audit.audit_list_import``, as the ``lists`` commands do.

        Raises:
            ConfigError: The database URL is invalid.
            StoreError: The database cannot be opened or migrated.
        """
        return cls(open_engine(settings), settings, formats, reporter)

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def __enter__(self) -> ListStore:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # --- importing -------------------------------------------------------------------------

    @property
    def formats(self) -> tuple[SourceFormat, ...]:
        """The list formats this store imports."""
        if self._formats is None:
            from sanctionwatch.sources.registry import FORMATS  # loads every parser: only when needed

            self._formats = FORMATS
        return self._formats

    def format(self, key: str) -> SourceFormat:
        """The format with this key.

        Raises:
            ConfigError: Unknown key.
        """
        for fmt in self.formats:
            if fmt.key == key:
                return fmt
        raise ConfigError(
            f"unknown list source {key!r}; known sources: {', '.join(f.key for f in self.formats)}"
        )

    def resolve(self, paths: Iterable[Path], source: str | None = None) -> list[ListFiles]:
        """The distinct file sets the paths (files or folders) hold, in the order given (``registry.detect``).

        Raises:
            ListFileError: A path is missing or unreadable, or no format matches it.
            ConfigError: ``source`` is not a known format key.
        """
        from sanctionwatch.sources.registry import detect

        return list(dict.fromkeys(detect(Path(p), source) for p in paths))

    def import_files(
        self,
        files: ListFiles,
        *,
        lenient: bool = False,
        force: bool = False,
        progress: Progress | None = None,
        actor: str = "sanctionwatch",
        rescreen: bool = True,
    ) -> ImportResult:
        """Import one file set as a new version of its list, all or nothing.

        The import is reported to the store's ``reporter`` as done by ``actor``; an activated version
        owes the customer book a delta re-screen (``cases.delta.run_pending``), recorded as skipped
        when ``rescreen`` is false.

        Raises:
            ListFileError: A file is malformed, or a record is bad and ``lenient`` is false.
            ImportRefused: The new version would drop too many entities and ``force`` is false.
            StoreError: The database failed.
        """
        opts = ImportOptions(
            lenient, force, self.settings.max_drop_ratio, progress, actor, rescreen, self.reporter
        )
        return import_set(self.engine, self.format(files.format_key), files, opts)

    def import_paths(
        self,
        paths: Iterable[Path],
        source: str | None = None,
        lenient: bool = False,
        force: bool = False,
        progress: Progress | None = None,
        actor: str = "sanctionwatch",
        rescreen: bool = True,
    ) -> list[ImportResult]:
        """Import the file sets found at ``paths``, each in its own transaction.

        All paths are resolved before anything is imported; imports stop at the first error,
        leaving the sets imported before it in place.
        """
        return [
            self.import_files(
                files, lenient=lenient, force=force, progress=progress, actor=actor, rescreen=rescreen
            )
            for files in self.resolve(paths, source)
        ]

    def update(
        self,
        from_dir: Path | None = None,
        *,
        urls: UrlTable | None = None,
        lenient: bool = False,
        force: bool = False,
        progress: Progress | None = None,
        downloader: Downloader | None = None,
        actor: str = "sanctionwatch",
        rescreen: bool = True,
    ) -> UpdateResult:
        """Get the current official files and import them.

        Files come from ``from_dir`` (or ``settings.lists_dir``) when set, else they are downloaded
        from ``urls`` (default: each format's official URLs) into ``data_dir/downloads/``. Every
        set is parsed once in full before anything is imported, so a broken download imports nothing.

        Raises:
            DownloadError: A URL failed after all retries (the message suggests ``--from DIR``).
            ListFileError: A file is broken, or a folder holds several sets for one list.
            ImportRefused: The drop guard refused a list.
        """
        folder = from_dir or self.settings.lists_dir
        ignored: list[Path] = []
        if folder is not None:
            sets, ignored = sets_in_folder(folder, self.formats)
            if not sets:
                raise ListFileError(str(folder), "the folder holds no file of a known list format")
            origin = folder
        else:
            table = official_urls(self.formats) if urls is None else urls
            if not table:
                raise ConfigError("no list source has download URLs; use lists update --from DIR")
            downloader = downloader or Downloader(
                self.settings.download_retries, self.settings.download_timeout
            )
            sets = download_sets(table, self.formats, self.settings.data_dir / "downloads", downloader)
            origin = sets[0].paths[0].parent.parent
        for files in sets:
            ctx = ParseContext(lenient=lenient)
            for _ in self.format(files.format_key).parse(files, ctx):
                pass
        results = tuple(
            self.import_files(
                f, lenient=lenient, force=force, progress=progress, actor=actor, rescreen=rescreen
            )
            for f in sets
        )
        return UpdateResult(origin, results, tuple(ignored))

    # --- reading ---------------------------------------------------------------------------

    def status(self, all_versions: bool = False) -> list[VersionInfo]:
        """The active version of each list, or every version of every list."""
        with self.engine.connect() as conn:
            if all_versions:
                return list_versions(conn)
            return list(active_versions(conn).values())

    def versions(self, list_key: str) -> list[VersionInfo]:
        """Every version of one list, in import order.

        Raises:
            ListNotFound: The list has no version.
        """
        with self.engine.connect() as conn:
            return list_versions(conn, list_key)

    def version(self, version_id: int) -> VersionInfo:
        """One version by id.

        Raises:
            VersionNotFound: No such version.
        """
        with self.engine.connect() as conn:
            return get_version(conn, version_id)

    def active_versions(self) -> dict[str, VersionInfo]:
        """The active version of each list, by list key."""
        with self.engine.connect() as conn:
            return active_versions(conn)

    def skipped(self, version_id: int) -> list[Skipped]:
        """The records a lenient import of a version left out.

        Raises:
            VersionNotFound: No such version.
        """
        with self.engine.connect() as conn:
            return skipped_records(conn, version_id)

    def diff(self, list_key: str, from_version: int | None = None, to_version: int | None = None) -> ListDiff:
        """What changed between two versions of a list (default: the previous one → the active one).

        Raises:
            VersionNotFound: A version does not exist or belongs to another list, or none is earlier.
        """
        with self.engine.connect() as conn:
            old, new = default_versions(conn, list_key, from_version, to_version)
            return compute_diff(conn, old, new)

    def get_entity(self, entity_id: str, version: int | None = None) -> Entity:
        """One entity, from the active version of its list or from ``version``.

        Raises:
            EntityNotFound: Not there (the message names the versions that hold it, if any).
        """
        with self.engine.connect() as conn:
            return get_entity(conn, entity_id, version)

    def active_entities(self, list_keys: Iterable[str] | None = None) -> Iterator[Entity]:
        """Stream the entities of the active versions (of the lists given, or of all lists).

        Raises:
            ListNotFound: A list key given has no active version.
        """
        with self.engine.connect() as conn:
            ids = [v.id for v in select_active(conn, list_keys)]
        return iter_entities(self.engine, ids)
