"""Identifier clauses of OFAC Remarks: ``[alt. ]LABEL VALUE [(Country)] [issued ...] [expires ...]``.

The labels and their :class:`~sanctionwatch.model.IdType` live in the reviewed file
``data/identifiers.yml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml
from stdnum import imo

from sanctionwatch.countries import country_code
from sanctionwatch.model import Identifier, IdType

__all__ = ["is_imo_number", "parse_identifier"]

_VESSEL_REGISTRATION = "Vessel Registration Identification"
# Where the value stops and the issue/expiry note starts.
_NOTE = re.compile(r"(?:\A|,?\s+)(?=(?:issued|expires|expired|Issue Date|Expire Date)\b)")
# A bracketed part standing apart ("123 (Iran)"), not a check digit glued on ("D489833(9)").
_LAST_PAREN = re.compile(r"(?:\A|\s+)\(([^()]*)\)\s*\Z")


@dataclass(frozen=True, slots=True)
class _Labels:
    """Labels by their first word, longest first, and the type of each label."""

    by_first_word: dict[str, tuple[str, ...]]
    types: dict[str, IdType]


@cache
def _labels() -> _Labels:
    raw = resources.files("sanctionwatch.sources.ofac").joinpath("data/identifiers.yml").read_text("utf-8")
    table: dict[str, list[str]] = yaml.safe_load(raw)
    types = {label: IdType(kind) for kind, labels in table.items() for label in labels}
    grouped: dict[str, list[str]] = {}
    for label in types:
        grouped.setdefault(label.split(" ", 1)[0], []).append(label)
    # A dict lookup on the first word, then the longest label that matches: many times faster than
    # one regex alternation of all labels (this runs for most of the ~60,000 clauses of a list).
    by_first_word = {w: tuple(sorted(ls, key=len, reverse=True)) for w, ls in grouped.items()}
    return _Labels(by_first_word, types)


def _match_label(clause: str) -> tuple[str, str] | None:
    """The label a clause starts with (followed by a space, ``:`` or nothing) and the text after it."""
    labels = _labels()
    candidates = labels.by_first_word.get(clause.split(" ", 1)[0])
    if candidates is None:
        return None
    for label in candidates:
        if clause.startswith(label):
            rest = clause[len(label) :]
            if not rest or rest[0] in " :":
                return label, rest.lstrip(" :")
    return None


def is_imo_number(value: str) -> bool:
    """Whether ``value`` is a 7-digit IMO ship number with a valid check digit (python-stdnum)."""
    return len(value) == 7 and value.isascii() and value.isdigit() and imo.is_valid(value)


def _split_value(rest: str) -> tuple[str, str | None, str | None]:
    """Value, issuing country (alpha-2) and note of the text after an identifier label."""
    notes: list[str] = []
    parts = _NOTE.split(rest, maxsplit=1)
    head = parts[0]
    if len(parts) > 1:
        notes.append(parts[1].strip().rstrip("."))
    head = head.strip().rstrip(".").strip()
    country: str | None = None
    unplaced: str | None = None
    while (m := _LAST_PAREN.search(head)) is not None:
        inner = m.group(1).strip()
        code = country_code(inner) if country is None else None
        if code is not None:
            country = code
        else:
            notes.insert(0, f"({inner})")
            unplaced = inner
        head = head[: m.start()].rstrip(" ,.")
    value = " ".join(head.split())
    if not value and unplaced:
        # "International Maritime Organization No. (5777731)": the number itself is in brackets.
        value = unplaced
        notes.remove(f"({unplaced})")
    return value, country, "; ".join(notes) or None


def parse_identifier(clause: str) -> Identifier | None:
    """The identifier a Remarks clause (without its ``alt.`` prefix) states, or ``None``.

    Example: ``"Passport PS 472330208 (Korea, North) expires 04 Jul 2017"`` gives a passport
    ``PS 472330208`` issued by ``KP`` with note ``expires 04 Jul 2017``.
    """
    matched = _match_label(clause)
    if matched is None:
        return None
    label, rest = matched
    value, country, note = _split_value(rest)
    if not value:
        return None
    kind = _labels().types[label]
    if label == _VESSEL_REGISTRATION and is_imo_number(value):
        # OFAC sometimes omits the word "IMO" (e.g. RYONG GUN BONG, "... Identification 8606173").
        kind = IdType.IMO
    return Identifier(type=kind, value=value, country=country, label=label, note=note)
