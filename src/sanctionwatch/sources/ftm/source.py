"""FollowTheMoney / OpenSanctions exports (``ftm``): FtM JSON lines and ``targets.simple.csv``.

One format key for many lists: each file is one OpenSanctions dataset, list key ``ftm:<dataset>``,
entity ids ``ftm:<dataset>:<FtM id>``. The dataset comes from the file name
(:func:`~sanctionwatch.sources.ftm.schema.dataset_key`: ``ua_war_sanctions_targets.simple.csv`` →
``ua_war_sanctions``, ``<dataset>/targets.simple.csv`` → the folder name), not from the records'
``datasets`` field, because collection exports (``default``) mix many datasets per record and ids
must stay stable between versions of one file. Any file name works with ``--source ftm``.

Records of non-screenable schemata (Position, Occupancy, Family, Sanction, Address...) are not
errors: they are skipped by design, and their count per schema is logged at INFO level
(``skipped 958 non-target FtM record(s) by design: Family 756, ...``).

``urls`` is empty: OpenSanctions publishes one file per dataset,
``https://data.opensanctions.org/datasets/latest/<dataset>/targets.simple.csv``, and a generic
format cannot name them all; download one into a folder named after its dataset.
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from sanctionwatch.errors import ListFileError
from sanctionwatch.model import Entity
from sanctionwatch.sources.base import ListFiles, ParseContext, SourceFormat, read_head
from sanctionwatch.sources.ftm.entities_json import json_last_seen, parse_json
from sanctionwatch.sources.ftm.schema import dataset_key
from sanctionwatch.sources.ftm.simple import SIMPLE_HEADER, parse_simple, simple_last_seen

__all__ = ["FTM", "FtmFormat"]

log = logging.getLogger(__name__)

_LONG_LINE = re.compile(
    rb'^\s*\{.*"schema"\s*:.*"properties"\s*:|^\s*\{.*"properties"\s*:.*"schema"\s*:', re.S
)


def _is_json_lines(head: bytes) -> bool:
    head = head.lstrip(b"\xef\xbb\xbf")
    if not head.lstrip().startswith(b"{"):
        return False
    first, newline, _ = head.partition(b"\n")
    if not newline:  # a first line longer than the head: look for its keys
        return bool(_LONG_LINE.match(head))
    try:
        obj = json.loads(first)
    except (ValueError, UnicodeDecodeError):
        return False
    return isinstance(obj, dict) and "schema" in obj and "properties" in obj


def _is_simple_csv(head: bytes) -> bool:
    first = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].rstrip(b"\r")
    return first.replace(b'"', b"").decode("ascii", "replace").split(",") == list(SIMPLE_HEADER)


class FtmFormat(SourceFormat):
    """FollowTheMoney JSON lines and OpenSanctions ``targets.simple.csv`` files (one file each)."""

    key = "ftm"
    title = "FollowTheMoney / OpenSanctions export"

    def sniff(self, path: Path, head: bytes) -> bool:
        """FtM JSON lines (first line an object with ``schema`` and ``properties``) or the exact
        ``targets.simple.csv`` header."""
        return _is_json_lines(head) or _is_simple_csv(head)

    def resolve(self, path: Path) -> ListFiles:
        """The file itself, or the one FtM file in a folder; list key ``ftm:<dataset>``.

        Raises:
            ListFileError: Not an FtM file (the message says what was expected), or the folder
                holds none or several.
        """
        if path.is_dir():
            found = [p for p in sorted(path.iterdir()) if p.is_file() and self.sniff(p, read_head(p))]
            if len(found) != 1:
                names = ", ".join(p.name for p in found) or "none"
                raise ListFileError(
                    str(path), f"expected one FtM file in the folder, found {names}; import files one by one"
                )
            path = found[0]
        head = read_head(path)
        if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:4096]:
            raise ListFileError(str(path), "wrong encoding: the file is UTF-16 or binary; expected UTF-8")
        if not self.sniff(path, head):
            first = head.split(b"\n", 1)[0][:120].decode("utf-8", "replace")
            raise ListFileError(
                str(path),
                "not a FollowTheMoney JSON lines file (first line an object with 'schema' and "
                f"'properties') nor an OpenSanctions targets.simple.csv (header {','.join(SIMPLE_HEADER)}); "
                f"first line is {first!r}",
                "line 1",
            )
        return ListFiles(self.key, f"ftm:{dataset_key(path)}", (path,))

    def published(self, files: ListFiles) -> str | None:
        """The latest ``last_seen`` date in the file: the day OpenSanctions exported it."""
        path = files.paths[0]
        return simple_last_seen(path) if _is_simple_csv(read_head(path)) else json_last_seen(path)

    def parse(self, files: ListFiles, ctx: ParseContext) -> Iterator[Entity]:
        """Stream the entities of screenable schemata, in file order.

        Raises:
            ListFileError: Wrong encoding or header; bad records unless ``ctx.lenient``.
        """
        path = files.paths[0]
        dataset = files.list_key.removeprefix("ftm:")
        skipped: Counter[str] = Counter()
        if _is_simple_csv(read_head(path)):
            yield from parse_simple(path, dataset, ctx, skipped)
        else:
            yield from parse_json(path, dataset, ctx, skipped)
        if skipped:
            detail = ", ".join(f"{schema} {n}" for schema, n in skipped.most_common())
            log.info(
                "%s: skipped %d non-target FtM record(s) by design: %s", path, sum(skipped.values()), detail
            )


FTM = FtmFormat()
