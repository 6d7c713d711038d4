"""OFAC legacy CSV files: the SDN list (``us-ofac-sdn``) and the non-SDN consolidated list (``us-ofac-cons``).

A set is a main file (``sdn.csv`` / ``cons_prim.csv``) with optional companions beside it: addresses
(``add.csv``), aliases (``alt.csv``) and remarks continuations (``sdn_comments.csv``), or their
``cons_*`` counterparts. File names match in any letter case (``SDN.CSV``). Entity ids are
``<list key>:<ent_num>``. The files state no publication date.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from sanctionwatch.errors import ListFileError
from sanctionwatch.model import Entity, NameKind, entity_id
from sanctionwatch.sources.base import ListFiles, ParseContext, SourceFormat, read_head
from sanctionwatch.sources.ofac.entity import Companions, build_entity, make_address
from sanctionwatch.sources.ofac.files import (
    CONS_FILES,
    SDN_FILES,
    SDN_TYPES,
    FileSet,
    Role,
    check_main_file,
    field_value,
    find_file,
    is_cons_name,
    read_rows,
    role_by_content,
    role_by_name,
)

__all__ = ["OFAC_CONS", "OFAC_SDN", "OfacCsvFormat"]

_EXPORTS = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/"


class OfacCsvFormat(SourceFormat):
    """One OFAC legacy CSV file set (SDN or non-SDN consolidated).

    Args:
        key: List and format key.
        title: Human title.
        files: Official file names of the set.
    """

    def __init__(self, key: str, title: str, files: FileSet) -> None:
        self.key = key
        self.title = title
        self.files = files
        self.cons = files is CONS_FILES
        names = (files.main, files.add, files.alt, files.comments)
        self.urls = {name.upper(): _EXPORTS + name.upper() for name in names}

    def _own_name(self, path: Path) -> bool:
        return is_cons_name(path) == self.cons

    def _role(self, path: Path) -> Role | None:
        return role_by_name(path, self.files) or role_by_content(read_head(path))

    def sniff(self, path: Path, head: bytes) -> bool:
        """Whether ``path`` is a file of this set (main or companion), judged by its first line."""
        return self._own_name(path) and role_by_content(head) is not None

    def resolve(self, path: Path) -> ListFiles:
        """The set ``path`` (a folder, or any one file of the set) belongs to, main file first.

        Raises:
            ListFileError: The main file is missing or not an OFAC CSV file, or ``path`` is no file of
                this set.
        """
        if path.is_dir():
            main = find_file(path, self.files.main) or self._main_by_content(path)
            if main is None:
                raise ListFileError(
                    str(path), f"no {self.files.main} ({self.title} main file) in this folder"
                )
            given: Path | None = None
        else:
            other = OFAC_SDN if self.cons else OFAC_CONS
            if not self._own_name(path):
                raise ListFileError(
                    str(path), f"this file belongs to {other.title} ({other.key}), not {self.key}"
                )
            role = self._role(path)
            if role is None:
                raise ListFileError(str(path), f"not an {self.title} CSV file ({self._expected()})")
            given = None if role is Role.MAIN else path
            main = path if role is Role.MAIN else find_file(path.parent, self.files.main)
            if main is None:
                raise ListFileError(
                    str(path.parent / self.files.main),
                    f"the main file {self.files.main} of {path.name} is missing ({self.title})",
                )
        check_main_file(main, self.title)
        companions = [
            p
            for name in (self.files.add, self.files.alt, self.files.comments)
            if (p := find_file(main.parent, name)) is not None
        ]
        if given is not None and given not in companions:
            companions.append(given)
        return ListFiles(self.key, self.key, (main, *companions))

    def _main_by_content(self, folder: Path) -> Path | None:
        """The one file of the folder shaped like a main file of this set, whatever its name."""
        found = [
            p
            for p in sorted(folder.iterdir())
            if p.is_file() and self._own_name(p) and role_by_content(read_head(p)) is Role.MAIN
        ]
        return found[0] if len(found) == 1 else None

    def _expected(self) -> str:
        f = self.files
        return (
            f"expected {f.main}, {f.add}, {f.alt} or {f.comments}: "
            "headerless CSV with a numeric ent_num first"
        )

    def parse(self, files: ListFiles, ctx: ParseContext) -> Iterator[Entity]:
        """Stream the entities of the set; bad rows go to ``ctx.bad_record``.

        Rows sharing an ``ent_num`` are all yielded (the store reports the duplicate id); the
        companion files' rows for that ``ent_num`` go to the first of them.

        Raises:
            ListFileError: The main file is not an OFAC CSV file, a companion's role is unknown, or a
                row is bad and ``ctx`` is strict.
        """
        main, *others = files.paths
        check_main_file(main, self.title)
        rows: list[tuple[int, list[str]]] = []
        for line, row in read_rows(main, Role.MAIN, ctx):
            sdn_type = (field_value(row[2]) or "").lower()
            if sdn_type not in SDN_TYPES:
                ctx.bad_record(
                    main,
                    f"line {line}",
                    f"unknown SDN_Type {row[2].strip()!r} (expected individual, vessel, aircraft or -0-)",
                )
            elif not row[1].strip():
                ctx.bad_record(main, f"line {line}", f"SDN_Name is empty for ent_num {row[0].strip()!r}")
            else:
                rows.append((line, row))
        known = {row[0].strip() for _, row in rows}
        companions = Companions()
        for path in others:
            self._read_companion(path, known, main.name, companions, ctx)
        # Links name their target; names that occur once (any letter case) identify it.
        counts = Counter(row[1].strip().casefold() for _, row in rows)
        name_ids = {
            row[1].strip().casefold(): entity_id(self.key, row[0].strip())
            for _, row in rows
            if counts[row[1].strip().casefold()] == 1
        }
        empty = Companions()
        seen: set[str] = set()
        for _, row in rows:
            ent_num = row[0].strip()
            # Companion rows go to the first row of an ent_num only: which of two rows sharing an
            # ent_num they describe cannot be told, and the store keeps the first of a duplicate id.
            yield build_entity(self.key, row, empty if ent_num in seen else companions, name_ids)
            seen.add(ent_num)

    def _read_companion(
        self, path: Path, known: set[str], main_name: str, out: Companions, ctx: ParseContext
    ) -> None:
        role = self._role(path)
        if role is None or role is Role.MAIN:
            raise ListFileError(str(path), f"not a companion file of {self.title} ({self._expected()})")
        for line, row in read_rows(path, role, ctx):
            ent_num = row[0].strip()
            where = f"line {line}"
            if ent_num not in known:
                ctx.bad_record(path, where, f"ent_num {ent_num!r} is not in {main_name}")
            elif role is Role.ALT:
                alt_type = row[2].strip().lower()
                name = row[3].strip()
                if alt_type not in ("aka", "fka", "nka"):
                    ctx.bad_record(
                        path, where, f"unknown alt_type {row[2].strip()!r} (expected aka, fka or nka)"
                    )
                elif not field_value(name):
                    ctx.bad_record(path, where, f"alt_name is empty for ent_num {ent_num!r}")
                else:
                    out.aliases.setdefault(ent_num, []).append((NameKind(alt_type), name))
            elif role is Role.ADD:
                address = make_address(row[2], row[3], row[4], row[5])
                if address is not None:
                    out.addresses.setdefault(ent_num, []).append(address)
            else:
                out.comments.setdefault(ent_num, []).append(row[1])


OFAC_SDN = OfacCsvFormat("us-ofac-sdn", "OFAC Specially Designated Nationals (SDN) list", SDN_FILES)
OFAC_CONS = OfacCsvFormat("us-ofac-cons", "OFAC non-SDN consolidated list", CONS_FILES)
