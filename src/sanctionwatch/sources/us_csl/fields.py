"""Field readers for the US Consolidated Screening List CSV: dates, the ``ids`` column, places.

``ids`` items read ``Type, Number[, Country[, Issue date]]`` (``Passport, U00242309, TR``); the item
type decides, through ``data/identifier_labels.yml``, whether it is an identifier, an attribute
(gender, country) or a fact for the remarks (``Website, www.vtb.com``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from importlib import resources

import yaml

from sanctionwatch.countries import country_code
from sanctionwatch.model import BirthDate, Identifier, IdType, Place
from sanctionwatch.sources.csvread import split_list

__all__ = ["IdsColumn", "parse_csl_date", "parse_ids", "place_of_birth"]

_ISO_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
_FORMATS = ("%d %b %Y", "%b %Y", "%d %B %Y", "%B %Y")
_ALPHA2 = re.compile(r"^[A-Z]{2}$")
_IMO_VALUE = re.compile(r"^IMO\s*(\d{7})$", re.IGNORECASE)


def parse_csl_date(text: str) -> BirthDate:
    """A date of birth as the CSL writes it: ``1962-05-01``, ``1962``, ``Feb 1962``, ``circa 1962``.

    Raises:
        ValueError: Another form (the caller keeps the text in the remarks).
    """
    value = text.strip()
    circa = value.casefold().startswith("circa ")
    if circa:
        value = value[6:].strip()
    if _ISO_DATE.match(value):
        if len(value) > 4:  # validates month and day
            datetime.strptime(value, "%Y-%m-%d" if len(value) == 10 else "%Y-%m")
        return BirthDate(value, circa=circa)
    for fmt in _FORMATS:
        try:
            parsed = datetime.strptime(value, fmt)
        except ValueError:
            continue
        iso = parsed.date().isoformat()
        return BirthDate(iso if "%d" in fmt else iso[:7], circa=circa)
    raise ValueError(f"date {text!r} is not a known date form")


def place_of_birth(text: str) -> Place:
    """A place of birth; its country is the last comma-separated part when that names one."""
    last = text.rsplit(",", 1)[-1]
    return Place(text, country_code(last))


def _label_key(label: str) -> str:
    return " ".join(label.casefold().split()).rstrip(" :-").rstrip()


@cache
def _labels() -> tuple[dict[str, IdType], dict[str, str]]:
    raw = resources.files("sanctionwatch").joinpath("data/identifier_labels.yml").read_text("utf-8")
    table: dict[str, dict[str, list[str]]] = yaml.safe_load(raw)
    ids = {
        _label_key(label): IdType(kind) for kind, labels in table["identifiers"].items() for label in labels
    }
    attrs = {_label_key(label): name for name, labels in table["attributes"].items() for label in labels}
    return ids, attrs


@dataclass
class IdsColumn:
    """What an ``ids`` field holds.

    Attributes:
        identifiers: Identifying numbers.
        gender: ``male`` / ``female`` where an item states it.
        countries: Alpha-2 codes of ``Nationality of Registration``-like items.
        facts: Other items, as ``Label: value`` text for the remarks.
    """

    identifiers: list[Identifier] = field(default_factory=list)
    gender: str | None = None
    countries: list[str] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)


def parse_ids(text: str) -> IdsColumn:
    """Read an ``ids`` field (``;``-separated items of ``Type, Number, Country``)."""
    id_types, attributes = _labels()
    out = IdsColumn()
    for item in split_list(text):
        label, _, rest = (p.strip() for p in item.partition(","))
        key = _label_key(label)
        id_type = id_types.get(key)
        if id_type is not None and rest:
            out.identifiers.append(_identifier(id_type, label, rest))
            continue
        attribute = attributes.get(key)
        if attribute == "gender" and rest.casefold() in ("male", "female"):
            out.gender = rest.casefold()
        elif attribute == "country" and country_code(rest):
            out.countries.append(country_code(rest) or "")
        else:
            out.facts.append(f"{label.rstrip(' :-')}: {rest}" if rest else label)
    return out


def _identifier(id_type: IdType, label: str, rest: str) -> Identifier:
    parts = [p.strip() for p in rest.split(",")]
    value = parts[0]
    country = None
    if len(parts) > 1 and _ALPHA2.match(parts[1]):
        country = parts[1]
        parts = parts[2:]
    else:
        parts = parts[1:]
    m = _IMO_VALUE.match(value)
    if id_type is IdType.IMO and m:
        value = m.group(1)
    return Identifier(id_type, value, country, label, ", ".join(parts) or None)
