"""A screening query, validated at the edge so the engine never sees a bad one."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sanctionwatch.countries import country_code
from sanctionwatch.dates import parse_date
from sanctionwatch.errors import InputError
from sanctionwatch.model import Schema

__all__ = ["MAX_NAME_LENGTH", "Query", "normalize_identifier", "parse_schema", "salvage_date"]

MAX_NAME_LENGTH = 500
_ID_CHARS = re.compile(r"[^0-9A-Z]")

_SCHEMA_ALIASES = {
    "person": Schema.PERSON,
    "individual": Schema.PERSON,
    "organization": Schema.ORGANIZATION,
    "organisation": Schema.ORGANIZATION,
    "company": Schema.ORGANIZATION,
    "legalentity": Schema.ORGANIZATION,
    "entity": Schema.ORGANIZATION,
    "vessel": Schema.VESSEL,
    "ship": Schema.VESSEL,
    "aircraft": Schema.AIRCRAFT,
    "airplane": Schema.AIRCRAFT,
}


def parse_schema(value: str | None) -> Schema | None:
    """``Person``, ``Organization`` (or Company/LegalEntity), ``Vessel``, ``Aircraft``; empty/any = None.

    Raises:
        InputError: Unknown schema, quoting it.
    """
    if value is None or not value.strip() or value.strip().lower() in ("any", "thing", "*"):
        return None
    found = _SCHEMA_ALIASES.get(value.strip().lower().replace(" ", ""))
    if found is None:
        raise InputError(
            f"schema: unknown schema {value!r}; use Person, Organization, Vessel, Aircraft or any"
        )
    return found


def normalize_identifier(value: str) -> str:
    """Compare form of an identifier: upper-case letters and digits only, ``IMO`` prefix dropped."""
    out = _ID_CHARS.sub("", value.upper())
    if out.startswith("IMO") and out[3:].isdigit():
        out = out[3:]
    return out


def _check_date(value: str) -> str:
    return parse_date(value)  # any unambiguous form (sanctionwatch.dates), as YYYY[-MM[-DD]]


def salvage_date(value: str | None) -> str | None:
    """The longest valid prefix of a date with a typo (``1974-01-32`` → ``1974-01``), or None.

    For labelled evaluation files, whose dates carry deliberate typos; customer files stay strict.
    """
    if not value or not value.strip():
        return None
    text = value.strip()
    for cut in (10, 7, 4):
        try:
            return _check_date(text[:cut])
        except InputError:
            continue
    return None


@dataclass(frozen=True, slots=True)
class Query:
    """What to screen.

    Attributes:
        name: The name, in any script (required, at most 500 characters).
        schema: Restrict to one kind of entity; None screens against all.
        birth_date: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (other unambiguous forms are normalized).
        country: ISO 3166 alpha-2 (nationality, residence or registration).
        identifiers: Passport, IMO, registration numbers... in compare form.
    """

    name: str
    schema: Schema | None = None
    birth_date: str | None = None
    country: str | None = None
    identifiers: tuple[str, ...] = field(default=())

    @classmethod
    def build(
        cls,
        name: str | None,
        schema: str | Schema | None = None,
        birth_date: str | None = None,
        country: str | None = None,
        identifiers: tuple[str, ...] | list[str] = (),
    ) -> Query:
        """Validate raw input into a query.

        Raises:
            InputError: Empty or over-long name, unknown schema or country, malformed date; the
                message names the field and quotes the value.
        """
        if name is None or not name.strip():
            raise InputError("name: must not be empty")
        if len(name) > MAX_NAME_LENGTH:
            raise InputError(f"name: {len(name)} characters, at most {MAX_NAME_LENGTH} allowed")
        kind = schema if isinstance(schema, Schema) or schema is None else parse_schema(schema)
        dob = _check_date(birth_date) if birth_date and birth_date.strip() else None
        code = None
        if country and country.strip():
            code = country_code(country)
            if code is None:
                raise InputError(f"country: unknown country {country!r}; use ISO 3166 alpha-2 or a name")
        ids = tuple(x for x in (normalize_identifier(v) for v in identifiers) if x)
        return cls(name=name.strip(), schema=kind, birth_date=dob, country=code, identifiers=ids)
