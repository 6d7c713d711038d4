"""A synthetic customer book for the delta re-screen test and benchmark, made deterministically.

Most customers are clean: a given name of one labelled negative (../shared/eval/dev/negatives.csv)
joined with the rest of another's name. Planted among them (evenly spread) are listed names of the
real OFAC SDN versions 2022-01-31 and 2024-05-03, chosen by what the update did to the entity:
added (exact and with one letter changed), changed, removed (to be delisted), unchanged, and vessels
added in 2024 under another name with their IMO number (found by identifier only).
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

from sanctionwatch.model import Entity, IdType, Schema
from sanctionwatch.sources.base import ParseContext
from sanctionwatch.sources.registry import detect, get_format

__all__ = ["HEADER", "Planted", "make_book", "parse_set"]

HEADER = ["id", "name", "schema", "birth_date", "country", "identifiers", "segment"]


@dataclass(frozen=True, slots=True)
class Planted:
    """The planted customers: ``customer id -> (kind, entity id)``.

    Kinds: ``added``, ``added_typo``, ``changed``, ``removed``, ``unchanged``, ``vessel``.
    """

    pairs: dict[str, tuple[str, str]]

    def of_kind(self, kind: str) -> dict[str, str]:
        """``customer id -> entity id`` of one kind."""
        return {c: e for c, (k, e) in self.pairs.items() if k == kind}


def parse_set(folder: Path, lenient: bool) -> dict[str, Entity]:
    """The entities of one list file set, by id."""
    files = detect(folder)
    return {e.id: e for e in get_format(files.format_key).parse(files, ParseContext(lenient=lenient))}


def _typo(rng: random.Random, name: str) -> str:
    """``name`` with one letter of its longest word replaced (a keying error)."""
    words = name.split()
    i = max(range(len(words)), key=lambda k: len(words[k]))
    word = words[i]
    if len(word) < 6:
        return name
    j = rng.randrange(1, len(word) - 1)
    letter = rng.choice([c for c in "aeioulnrst" if c != word[j].lower()])
    words[i] = word[:j] + (letter.upper() if word[j].isupper() else letter) + word[j + 1 :]
    return " ".join(words)


Row = tuple[str, str, str, str, str, str, str]
"""kind, entity id, name, schema, birth date, country, identifiers"""


def _row(kind: str, entity: Entity, name: str, with_facts: bool) -> Row:
    dob = ""
    if with_facts and entity.birth_dates and entity.birth_dates[0].precision == "day":
        dob = entity.birth_dates[0].date
    country = ""
    if with_facts and entity.nationalities:
        country = entity.nationalities[0]
    return (kind, entity.id, name, str(entity.schema), dob, country, "")


def make_book(
    path: Path, n: int, old: dict[str, Entity], new: dict[str, Entity], negatives: Path, seed: int = 5
) -> Planted:
    """Write ``n`` customers to ``path`` (CSV, ``HEADER`` columns); what was planted."""
    rng = random.Random(seed)
    with negatives.open(encoding="utf-8", newline="") as f:
        people = [r for r in csv.DictReader(f) if len(r["name"].split()) >= 2]
    named = (Schema.PERSON, Schema.ORGANIZATION)
    added = sorted(k for k, e in new.items() if k not in old and e.schema in named)
    changed = sorted(k for k, e in new.items() if k in old and e.schema in named and e != old[k])
    removed = sorted(k for k, e in old.items() if k not in new and e.schema in named)
    unchanged = sorted(k for k, e in new.items() if k in old and e.schema in named and e == old[k])
    ships = sorted(
        k
        for k, e in new.items()
        if k not in old and e.schema is Schema.VESSEL and any(i.type is IdType.IMO for i in e.identifiers)
    )
    rows: list[Row] = []
    for k in rng.sample(added, 400):
        rows.append(_row("added", new[k], new[k].names[0].full, rng.random() < 0.5))
    rows += [
        _row("added_typo", new[k], _typo(rng, new[k].names[0].full), True) for k in rng.sample(added, 200)
    ]
    rows += [_row("changed", new[k], new[k].names[0].full, False) for k in rng.sample(changed, 300)]
    rows += [_row("removed", old[k], old[k].names[0].full, False) for k in rng.sample(removed, 200)]
    rows += [_row("unchanged", new[k], new[k].names[0].full, False) for k in rng.sample(unchanged, 200)]
    for k in rng.sample(ships, 50):
        imo = next(i.value for i in new[k].identifiers if i.type is IdType.IMO)
        rows.append(("vessel", k, f"MV Ocean Carrier {rng.randrange(100, 999)}", "Vessel", "", "", imo))
    rng.shuffle(rows)
    every = max(1, n // len(rows))
    pairs: dict[str, tuple[str, str]] = {}
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        p = 0
        for i in range(n):
            if i % every == 0 and p < len(rows):
                kind, entity_id, name, schema, dob, country, ids = rows[p]
                pairs[f"c{i:06d}"] = (kind, entity_id)
                p += 1
                segment = "planted"
            else:
                a, b = rng.choice(people), rng.choice(people)
                name = " ".join([a["name"].split()[0], *b["name"].split()[1:]])
                schema, dob, country, ids, segment = (
                    b["schema"],
                    b["birth_date"],
                    b["nationality"],
                    "",
                    "clean",
                )
            w.writerow([f"c{i:06d}", name, schema, dob, country, ids, segment])
    return Planted(pairs)
