"""OpenSanctions ``targets.simple.csv``: one row per target, multi-values ``;``-separated.

Header ``id,schema,name,aliases,birth_date,countries,addresses,identifiers,sanctions,phones,emails,
program_ids,dataset,first_seen,last_seen,last_change``. The ``countries`` column merges every
country property (nationality, residence, jurisdiction, flag...), so it becomes ``countries``, never
``nationalities``. Identifiers carry no type: :func:`~sanctionwatch.sources.ftm.schema.
simple_identifier` types them from their shape.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from sanctionwatch.model import Address, BirthDate, Entity, Name, NameKind, entity_id
from sanctionwatch.sources.base import ParseContext
from sanctionwatch.sources.csvread import open_csv, split_list
from sanctionwatch.sources.ftm.schema import (
    NON_TARGET_SCHEMATA,
    SCREENED_SCHEMATA,
    ftm_country,
    ftm_date,
    simple_identifier,
)

__all__ = ["SIMPLE_HEADER", "parse_simple", "simple_last_seen"]

SIMPLE_HEADER = (
    "id",
    "schema",
    "name",
    "aliases",
    "birth_date",
    "countries",
    "addresses",
    "identifiers",
    "sanctions",
    "phones",
    "emails",
    "program_ids",
    "dataset",
    "first_seen",
    "last_seen",
    "last_change",
)


def _rows(path: Path, ctx: ParseContext) -> Iterator[tuple[int, dict[str, str]]]:
    names, records = open_csv(path, SIMPLE_HEADER)
    for rec in records:
        if rec.error:
            ctx.bad_record(path, f"line {rec.line}", rec.error)
        elif len(rec.fields) != len(names):
            ctx.bad_record(
                path, f"line {rec.line}", f"row has {len(rec.fields)} fields, the header has {len(names)}"
            )
        else:
            yield rec.line, dict(zip(names, rec.fields, strict=True))


def simple_last_seen(path: Path) -> str | None:
    """The latest ``last_seen`` date of the file (OpenSanctions' export date), ISO."""
    dates = [row["last_seen"][:10] for _, row in _rows(path, ParseContext(lenient=True)) if row["last_seen"]]
    return max(dates) if dates else None


def _unquote(text: str) -> str:
    """The sanctions column quotes its values again (``"A developer..."``, ``""`` for none)."""
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1].replace('""', '"')
    return text.strip()


def parse_simple(path: Path, dataset: str, ctx: ParseContext, skipped: Counter[str]) -> Iterator[Entity]:
    """Stream the entities of a ``targets.simple.csv``.

    Args:
        path: The file.
        dataset: The dataset key; list key is ``ftm:<dataset>``.
        ctx: Parse context (bad rows).
        skipped: Counts non-screened rows by schema (skipped by design).
    """
    list_key = f"ftm:{dataset}"
    for line, row in _rows(path, ctx):
        where = f"line {line}"
        native, schema_name, name = row["id"].strip(), row["schema"].strip(), row["name"].strip()
        schema = SCREENED_SCHEMATA.get(schema_name)
        if schema is None:
            if schema_name in NON_TARGET_SCHEMATA:
                skipped[schema_name] += 1
            else:
                ctx.bad_record(path, where, f"unknown FollowTheMoney schema {schema_name!r}")
            continue
        if not native:
            ctx.bad_record(path, where, f"row has no id (name {name!r})")
            continue
        if not name:
            ctx.bad_record(path, where, f"row id {native!r} has no name")
            continue
        names = [Name(name)]
        for alias in split_list(row["aliases"]):
            if all(alias.casefold() != n.full.casefold() for n in names):
                names.append(Name(alias, NameKind.AKA))
        remarks: list[str] = []
        births: list[BirthDate] = []
        for text in split_list(row["birth_date"]):
            try:
                births.append(ftm_date(text))
            except ValueError:
                remarks.append(f"Birth date as listed: {text}")
        countries = []
        for text in split_list(row["countries"]):
            code = ftm_country(text)
            if code:
                countries.append(code)
            else:
                remarks.append(f"Country as listed: {text}")
        sanctions = _unquote(row["sanctions"])
        if sanctions:
            remarks.append(f"Sanctions: {sanctions}")
        for column in ("phones", "emails"):
            if row[column].strip():
                remarks.append(f"{column.capitalize()}: {row[column].strip()}")
        if row["dataset"].strip():
            remarks.append(f"Dataset: {row['dataset'].strip()}")
        identifiers = [simple_identifier(i, schema) for i in split_list(row["identifiers"])]
        yield Entity(
            id=entity_id(list_key, native),
            list_key=list_key,
            schema=schema,
            names=tuple(names),
            birth_dates=tuple({b.date: b for b in births}.values()),
            countries=tuple(dict.fromkeys(countries)),
            addresses=tuple(dict.fromkeys(Address(a) for a in split_list(row["addresses"]))),
            identifiers=tuple({(i.type, i.value): i for i in identifiers}.values()),
            programs=tuple(split_list(row["program_ids"])),
            remarks="\n".join(remarks) or None,
        )
