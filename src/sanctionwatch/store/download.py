"""Getting the current official files: download with retries, or pick them from a local folder.

``lists update`` downloads each format's :attr:`SourceFormat.urls` (or a URL table given instead, e.g.
an internal mirror) into ``data_dir/downloads/<UTC timestamp>/<format>/``; air-gapped sites point it
at a folder holding the files instead (:func:`sets_in_folder`). A retired source (``uk-ofsi``, see
:mod:`sanctionwatch.sources.catalog`) is never downloaded: :func:`not_fetched` says why.
"""

from __future__ import annotations

import http.client
import shutil
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import orjson

from sanctionwatch import __version__
from sanctionwatch.errors import ConfigError, DownloadError, ListFileError
from sanctionwatch.sources.base import ListFiles, SourceFormat, read_head
from sanctionwatch.sources.catalog import SOURCES, source_info

__all__ = [
    "Downloader",
    "UrlTable",
    "download_sets",
    "load_url_table",
    "not_fetched",
    "official_urls",
    "sets_in_folder",
]

UrlTable = Mapping[str, Mapping[str, str]]
"""Format key → {official file name → URL}."""

_RETRYABLE_HTTP = {408, 425, 429, 500, 502, 503, 504}


def _retired(fmt: SourceFormat) -> bool:
    info = source_info(fmt.key)
    return info is not None and info.retired_since is not None


def _preferred(fmt: SourceFormat, formats: Sequence[SourceFormat]) -> bool:
    """Whether ``fmt`` comes first in ``formats`` of the formats with URLs that read its source."""
    info = next((i for i in SOURCES if fmt.key in i.formats), None)
    return info is None or next(f for f in formats if f.urls and f.key in info.formats) is fmt


def official_urls(formats: Sequence[SourceFormat]) -> dict[str, dict[str, str]]:
    """The URL table of the formats that have official download URLs, retired sources left out.

    A source read by several formats is fetched in the first of them in ``formats`` (OFAC: the
    advanced XML, as :func:`sets_in_folder` picks it from a folder).
    """
    return {
        fmt.key: dict(fmt.urls)
        for fmt in formats
        if fmt.urls and not _retired(fmt) and _preferred(fmt, formats)
    }


def not_fetched(formats: Iterable[SourceFormat]) -> list[str]:
    """One sentence per format with official URLs that a download leaves out, saying why."""
    out = []
    for fmt in formats:
        info = source_info(fmt.key)
        if fmt.urls and info is not None and info.retired_since is not None:
            successor = f"; its successor {info.successor} is fetched instead" if info.successor else ""
            out.append(
                f"{fmt.key} not fetched: retired since {info.retired_since}, no longer updated{successor}"
            )
    return out


def load_url_table(path: Path) -> dict[str, dict[str, str]]:
    """Read a URL table from a JSON file ``{"format key": {"file name": "URL", ...}, ...}``.

    Raises:
        ConfigError: The file is unreadable or not shaped like a URL table.
    """
    try:
        data = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the URL table: {exc}") from exc
    if not isinstance(data, dict) or not all(
        isinstance(v, dict) and all(isinstance(n, str) and isinstance(u, str) for n, u in v.items())
        for v in data.values()
    ):
        raise ConfigError(f'{path}: a URL table is a JSON object {{"format key": {{"file name": "URL"}}}}')
    return data


@dataclass
class Downloader:
    """Fetches URLs to files, retrying failures with exponential back-off.

    Attributes:
        retries: Attempts per URL (``settings.download_retries``).
        timeout: Seconds per attempt (``settings.download_timeout``).
        backoff: Seconds before the second attempt; each later wait doubles.
        sleep: The sleep function (tests record the waits).
    """

    retries: int
    timeout: float
    backoff: float = 1.0
    sleep: Callable[[float], None] = field(default=time.sleep)

    def fetch(self, url: str, dest: Path) -> None:
        """Download ``url`` into ``dest`` (written in full, or not at all).

        Raises:
            DownloadError: Every attempt failed, or the server answered a non-retryable status.
        """
        part = dest.with_name(dest.name + ".part")
        request = urllib.request.Request(url, headers={"User-Agent": f"sanctionwatch/{__version__}"})
        reason = ""
        for attempt in range(1, self.retries + 1):
            if attempt > 1:
                self.sleep(self.backoff * 2 ** (attempt - 2))
            try:
                with (
                    urllib.request.urlopen(request, timeout=self.timeout) as response,
                    part.open("wb") as out,
                ):
                    shutil.copyfileobj(response, out, 1 << 20)
                part.replace(dest)
                return
            except urllib.error.HTTPError as exc:
                reason = f"HTTP {exc.code} {exc.reason}"
                if exc.code not in _RETRYABLE_HTTP:
                    break
            except urllib.error.URLError as exc:
                reason = str(exc.reason)
            except (OSError, http.client.HTTPException) as exc:
                reason = str(exc) or type(exc).__name__
            part.unlink(missing_ok=True)
        part.unlink(missing_ok=True)
        raise DownloadError(
            f"{url}: download failed after {attempt} attempt(s): {reason}; without internet access, "
            "copy the official files into a folder and run `sanctionwatch lists update --from DIR`"
        )


def download_sets(
    table: UrlTable, formats: Sequence[SourceFormat], root: Path, downloader: Downloader
) -> list[ListFiles]:
    """Download every file of the table into ``root/<UTC timestamp>/<format key>/`` and resolve the sets.

    Raises:
        ConfigError: The table names an unknown format.
        DownloadError: A file could not be downloaded.
        ListFileError: A downloaded set is incomplete or not of its format.
    """
    by_key = {fmt.key: fmt for fmt in formats}
    unknown = [key for key in table if key not in by_key]
    if unknown:
        raise ConfigError(f"URL table names unknown list source {unknown[0]!r}; known: {', '.join(by_key)}")
    folder = root / datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    sets = []
    for key, files in table.items():
        target = folder / key
        target.mkdir(parents=True, exist_ok=True)
        for name, url in files.items():
            downloader.fetch(url, target / name)
        sets.append(by_key[key].resolve(target / next(iter(files))))
    return sets


def sets_in_folder(folder: Path, formats: Sequence[SourceFormat]) -> tuple[list[ListFiles], list[Path]]:
    """The list file sets in a folder, and the files that belong to none.

    A file belongs to a format when its name is one of the format's official file names (any case),
    or else when the format recognizes its content. When the folder holds two editions of one list
    (OFAC's CSV set and its XML), the set of the format listed first in ``formats`` is taken.

    Raises:
        ListFileError: The folder is missing, or holds several candidate sets for one list.
    """
    if not folder.is_dir():
        raise ListFileError(str(folder), "no such folder")
    files = sorted(p.resolve() for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    claimed: dict[Path, ListFiles] = {}
    by_name = {p.name.lower(): p for p in files}
    for fmt in formats:  # official names first, in the order the format lists them (main file first)
        for name in fmt.urls:
            path = by_name.get(name.lower())
            if path is not None and path not in claimed:
                _claim(claimed, fmt.resolve(path))
    for path in files:
        if path in claimed:
            continue
        head = read_head(path)
        fmt_match = next((fmt for fmt in formats if fmt.sniff(path, head)), None)
        if fmt_match is not None:
            _claim(claimed, fmt_match.resolve(path))
    sets: dict[str, list[ListFiles]] = {}
    for found in dict.fromkeys(claimed.values()):
        sets.setdefault(found.list_key, []).append(found)
    rank = {fmt.key: i for i, fmt in enumerate(formats)}
    for key, candidates in sets.items():
        # Two editions of one list (OFAC's CSV set and its SDN.XML): the format listed first wins.
        best = min(rank.get(c.format_key, len(rank)) for c in candidates)
        candidates[:] = [c for c in candidates if rank.get(c.format_key, len(rank)) == best]
        if len(candidates) > 1:
            names = "; ".join(", ".join(p.name for p in c.paths) for c in candidates)
            raise ListFileError(
                str(folder),
                f"several candidate file sets for list {key!r} ({names}); keep only one in the folder",
            )
    ignored = [p for p in files if p not in claimed]
    return [c[0] for c in sets.values()], ignored


def _claim(claimed: dict[Path, ListFiles], found: ListFiles) -> None:
    for path in found.paths:
        claimed.setdefault(path.resolve(), found)
