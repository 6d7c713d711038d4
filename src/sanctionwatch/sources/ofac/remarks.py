"""The Remarks field of OFAC legacy CSV files: semicolon-separated clauses, read into facts.

Clauses understood (each may start with ``alt.``): ``DOB``, ``POB``, ``nationality``, ``citizen``,
``Gender``, ``a.k.a. '...'`` / ``f.k.a.`` / ``n.k.a.`` (weak aliases), ``Linked To: NAME``,
``Organization Established Date``, ``Aircraft Operator``, ``Vessel Flag``, ``Nationality of
Registration``, ``Registration Country`` and the identifier labels of
``data/identifiers.yml``. Every other clause (and any clause not understood, e.g. an unknown
nationality) stays only in the full remarks text, which the entity keeps whole.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Container
from dataclasses import dataclass, field

from sanctionwatch.countries import country_code, place_country
from sanctionwatch.model import BirthDate, Identifier, Name, NameKind, Place
from sanctionwatch.sources.ofac.ids import parse_identifier

__all__ = ["RemarkFacts", "parse_date", "parse_remarks", "split_clauses"]

_ALT_PREFIXES = frozenset({"alt.", "Alt.", "ALT."})
_ALIAS = re.compile(r"([afn])\.k\.a\.\s+'(.+)'\.?\Z", re.DOTALL)
_ALIAS_KINDS = {"a": NameKind.AKA, "f": NameKind.FKA, "n": NameKind.NKA}
_DATE = r"(?:(\d{1,2})\s+)?(?:([A-Za-z]{3})[a-z]*\.?\s+)?(\d{4})"
_DATE_RANGE = re.compile(rf"(circa\s+)?{_DATE}(?:\s*(?:to|-)\s*(?:circa\s+)?{_DATE})?\s*\.?\Z")
_MONTHS = {
    m: f"{i:02d}"
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1
    )
}
_GENDERS = {"male": "male", "female": "female"}
_LINKED = "Linked To:"
_ESTABLISHED = "Organization Established Date "
_OPERATOR = "Aircraft Operator "
_FLAG = "Vessel Flag "
_REGISTERED = ("Nationality of Registration ", "Registration Country ")


@dataclass(slots=True)
class RemarkFacts:
    """What the Remarks of one entity state.

    Attributes:
        aliases: Weak aliases (``a.k.a. 'X'``), with kind aka/fka/nka.
        birth_dates: ``DOB`` clauses.
        established: ``Organization Established Date`` clauses.
        birth_places: ``POB`` clauses.
        nationalities: Alpha-2 codes from ``nationality`` and ``citizen`` clauses.
        gender: ``male`` / ``female``.
        identifiers: Passports, registration numbers, IMO numbers...
        linked_to: Names after ``Linked To:``.
        operators: Names after ``Aircraft Operator``.
        flags: Alpha-2 codes from ``Vessel Flag`` clauses.
        countries: Alpha-2 codes from ``Nationality of Registration`` / ``Registration Country``.
    """

    aliases: list[Name] = field(default_factory=list)
    birth_dates: list[BirthDate] = field(default_factory=list)
    established: list[BirthDate] = field(default_factory=list)
    birth_places: list[Place] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    gender: str | None = None
    identifiers: list[Identifier] = field(default_factory=list)
    linked_to: list[str] = field(default_factory=list)
    operators: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)


def split_clauses(text: str) -> list[str]:
    """The non-empty clauses of a Remarks text, stripped."""
    return [c for c in map(str.strip, text.split(";")) if c]


def _iso(day: str | None, month: str | None, year: str) -> str | None:
    if month is None:
        return year if day is None else None
    mm = _MONTHS.get(month.lower())
    if mm is None:
        return None
    if day is None:
        return f"{year}-{mm}"
    try:
        return dt.date(int(year), int(mm), int(day)).isoformat()
    except ValueError:
        return None


def parse_date(text: str) -> BirthDate | None:
    """A date as OFAC writes it: ``08 Jan 1984``, ``Jan 1984``, ``1984``, ``circa 1960``,
    ``1960 to 1962``, ``circa 1960-1962``; ``None`` if it is none of these (or no real date).
    """
    m = _DATE_RANGE.match(text.strip())
    if m is None:
        return None
    circa, d1, m1, y1, d2, m2, y2 = m.groups()
    start = _iso(d1, m1, y1)
    if start is None:
        return None
    end = _iso(d2, m2, y2) if y2 is not None else None
    if y2 is not None and end is None:
        return None
    return BirthDate(date=start, circa=circa is not None, to=end)


def _link_target(name: str, is_last: bool, known_names: Container[str]) -> str:
    """The target of ``Linked To:``, without the full stop that ends the last clause.

    Names may end with a full stop of their own (``CO., LTD.``), so a final ``.`` of the last clause
    is kept when the text with it is a known primary name and the text without it is not.
    ``known_names`` holds case-folded names.
    """
    if is_last and name.endswith("."):
        bare = name[:-1].rstrip()
        if bare.casefold() not in known_names and name.casefold() in known_names:
            return name
        return bare
    return name


def parse_remarks(text: str, known_names: Container[str] = frozenset()) -> RemarkFacts:
    """Read the clauses of one entity's Remarks (with its ``*_comments.csv`` continuation appended).

    Args:
        text: The remarks text.
        known_names: Case-folded primary names of the list, to tell a name's own final ``.`` from
            the clause's.
    """
    facts = RemarkFacts()
    clauses = split_clauses(text)
    last = len(clauses) - 1
    for i, clause in enumerate(clauses):
        body = clause[4:].lstrip() if clause[:4] in _ALT_PREFIXES else clause
        _read_clause(facts, body, i == last, known_names)
    return facts


def _read_clause(facts: RemarkFacts, body: str, is_last: bool, known_names: Container[str]) -> None:
    start = body[:4]
    if start in ("a.k.", "f.k.", "n.k."):
        m = _ALIAS.match(body)
        if m is not None and m.group(2).strip():
            facts.aliases.append(Name(m.group(2).strip(), kind=_ALIAS_KINDS[m.group(1)], weak=True))
    elif start == "DOB ":
        if (date := parse_date(body[4:])) is not None:
            facts.birth_dates.append(date)
    elif start == "POB ":
        place = body[4:].strip().rstrip(".").strip()
        if place:
            facts.birth_places.append(Place(place, place_country(place)))
    elif body.startswith(("nationality ", "citizen ")):
        code = country_code(body.split(" ", 1)[1].strip().rstrip("."))
        if code is not None and code not in facts.nationalities:
            facts.nationalities.append(code)
    elif body.startswith("Gender "):
        facts.gender = _GENDERS.get(body[7:].strip().rstrip(".").lower(), facts.gender)
    elif body.startswith(_LINKED):
        name = _link_target(body[len(_LINKED) :].strip(), is_last, known_names)
        if name:
            facts.linked_to.append(name)
    elif body.startswith(_ESTABLISHED):
        if (date := parse_date(body[len(_ESTABLISHED) :])) is not None:
            facts.established.append(date)
    elif body.startswith(_OPERATOR):
        operator = _link_target(body[len(_OPERATOR) :].strip(), is_last, known_names)
        if operator:
            facts.operators.append(operator)
    elif body.startswith(_FLAG):
        code = country_code(body[len(_FLAG) :].strip().rstrip("."))
        if code is not None:
            facts.flags.append(code)
    elif body.startswith(_REGISTERED):
        prefix = next(p for p in _REGISTERED if body.startswith(p))
        code = country_code(body[len(prefix) :].strip().rstrip("."))
        if code is not None:
            facts.countries.append(code)
    elif (identifier := parse_identifier(body)) is not None:
        facts.identifiers.append(identifier)
