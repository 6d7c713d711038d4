"""Field readers for the UK OFSI consolidated list CSV: dates, document numbers, IMO numbers.

OFSI fills several columns by hand (``"Passport No: 592667 (Qatari passport issued on 3 May
2007)."``), so document numbers are extracted best-effort: the caller keeps the full text as the
identifier's note, and in the remarks whenever no number can be found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from stdnum import imo

from sanctionwatch.model import BirthDate
from sanctionwatch.sources.freetext import countries_in, split_enumeration, strip_parentheses

__all__ = ["DocumentNumber", "document_numbers", "imo_numbers", "parse_dob", "parse_uk_date"]

_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
# The number precedes these words: "G557170 issued on 16 Nov 1989", "expires 21 Aug 2005".
_CUT = re.compile(r"\b(?:issued|issue|expir\w*|valid|date of|under name|revoked)\b", re.IGNORECASE)
# A document number: optional short capital prefix ("D 000974", "PS 563410163"), then a run of
# capitals, digits and / . - holding at least one digit ("A-333602", "96/184442", "HDDFTH63H28Z352V").
_NUMBER = re.compile(r"(?<![\w/.-])(?:[A-Z]{1,3} (?=\d))?[A-Z0-9][A-Z0-9/.-]*\d[A-Z0-9/.-]*(?![\w/-])")
_MIN_DIGITS = 4
_IMO = re.compile(r"\bIMO(?:\s+number)?\s*:?\s*(\d{7})\b", re.IGNORECASE)


def parse_uk_date(text: str) -> str:
    """ISO date of an OFSI ``dd/mm/yyyy`` date.

    Raises:
        ValueError: Not a valid ``dd/mm/yyyy`` date.
    """
    m = _UK_DATE.match(text.strip())
    if not m:
        raise ValueError(f"date {text!r} is not dd/mm/yyyy")
    day, month, year = (int(g) for g in m.groups())
    return date(year, month, day).isoformat()


def parse_dob(text: str) -> BirthDate:
    """A birth date from OFSI ``dd/mm/yyyy``, where ``00`` marks an unknown day or month.

    ``00/00/1980`` is year precision, ``00/05/1980`` month precision.

    Raises:
        ValueError: Not such a date (the caller keeps the text in the remarks).
    """
    m = _UK_DATE.match(text.strip())
    if not m:
        raise ValueError(f"date of birth {text!r} is not dd/mm/yyyy")
    day, month, year = (int(g) for g in m.groups())
    if year == 0:
        raise ValueError(f"date of birth {text!r} has no year")
    if month == 0:
        return BirthDate(f"{year:04d}")
    if day == 0:
        date(year, month, 1)  # validates the month
        return BirthDate(f"{year:04d}-{month:02d}")
    return BirthDate(date(year, month, day).isoformat())


@dataclass(frozen=True, slots=True)
class DocumentNumber:
    """A document number found in free text.

    Attributes:
        value: The number as written.
        country: Issuing country, when the item names exactly one.
        text: The enumerated item it was found in.
    """

    value: str
    country: str | None
    text: str


def document_numbers(text: str) -> tuple[list[DocumentNumber], list[str]]:
    """The document numbers a free-text passport or ID field lists.

    Returns:
        The numbers found, and the items in which none was found (for the remarks).
    """
    found: list[DocumentNumber] = []
    unread: list[str] = []
    overall = countries_in(text)
    default_country = overall[0] if len(overall) == 1 else None
    for item in split_enumeration(text):
        bare = _CUT.split(strip_parentheses(item), maxsplit=1)[0]
        numbers = [
            n.rstrip("./-") for n in _NUMBER.findall(bare) if sum(c.isdigit() for c in n) >= _MIN_DIGITS
        ]
        if not numbers:
            unread.append(item)
            continue
        countries = countries_in(item)
        country = countries[0] if len(countries) == 1 else default_country
        for number in numbers:
            found.append(DocumentNumber(number, country, item))
    return found, unread


def imo_numbers(text: str) -> list[tuple[str, bool]]:
    """IMO numbers stated as ``IMO: 1234567`` / ``IMO number: 1234567`` / ``IMO 1234567``.

    Returns:
        Each distinct number with whether its check digit makes it a valid ship number (company
        numbers, e.g. ``Company Number IMO 5434358``, fail the ship check digit).
    """
    out: list[tuple[str, bool]] = []
    for number in _IMO.findall(text):
        if all(number != n for n, _ in out):
            out.append((number, imo.is_valid(number)))
    return out
