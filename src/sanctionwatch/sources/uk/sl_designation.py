"""One UK Sanctions List designation, gathered from its CSV rows or its XML element, as one entity.

The CSV writes one row per name (and per address), repeating the other fields; the XML nests them.
Both readers feed a :class:`Designation` the same way: names one by one, and every other field as
``(field, value)`` with the CSV column name as the field name; paired fields (a passport and its
note, a town and country of birth, an address's lines) as tuples. Distinct values are kept in order.

What goes where (see docs/lists.md, "UK Sanctions List"):

* ``Unique ID`` → the id ``uk-sl:<Unique ID>``; ``OFSI Group ID`` and ``UN Reference Number`` →
  identifiers, and ``same_as`` links to ``uk-ofsi:<Group ID>`` and ``un-sc:<reference>``.
* Names 1-6 → one name (``Name 6`` the family name of a person); ``Name type`` ``Primary Name`` →
  primary, ``Primary Name Variation`` / ``Alias`` → alias; ``Alias strength`` ``Low quality`` → weak.
  ``Name non-latin script`` → an alias with its script (ISO 15924) and language (ISO 639).
* ``Designation Type`` Individual / Entity / Ship → Person / Organization / Vessel.
* ``Regime Name`` → programs; ``Date Designated`` → listed on; ``D.O.B`` → birth dates (``00`` or
  ``dd``/``mm`` parts give year or month precision); passports, national identifiers, business
  registration numbers, IMO numbers, HIN → identifiers (with the additional information as note).
* ``Parent company``, ``Subsidiaries``, current and previous owners/operators → links.
* Everything else the list states (designation source, sanctions imposed, statement of reasons, type
  of entity, contact details, previous flags, length, year built, last updated...) → remarks lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import pycountry

from sanctionwatch.model import (
    Address,
    BirthDate,
    Entity,
    Identifier,
    IdType,
    Link,
    Name,
    NameKind,
    Place,
    Schema,
)
from sanctionwatch.model import entity_id as make_id
from sanctionwatch.sources.freetext import countries_in, demonym_code, split_enumeration
from sanctionwatch.sources.uk.ofsi_fields import parse_dob, parse_uk_date
from sanctionwatch.sources.xmlread import name_script

__all__ = ["LIST_KEY", "Designation", "name_kind", "parse_designation_type", "read_dob"]

LIST_KEY = "uk-sl"

_SCHEMAS = {"individual": Schema.PERSON, "entity": Schema.ORGANIZATION, "ship": Schema.VESSEL}
_NAME_KINDS = {
    "primary name": NameKind.PRIMARY,
    "primary name variation": NameKind.AKA,
    "alias": NameKind.AKA,
}
# ISO 15924 codes of the script names the list writes in "Non-latin script type".
_SCRIPTS = {
    "arabic": "Arab",
    "cyrillic": "Cyrl",
    "chinese": "Hani",
    "han": "Hani",
    "korean": "Hang",
    "hangul": "Hang",
    "greek": "Grek",
    "hebrew": "Hebr",
    "georgian": "Geor",
    "armenian": "Armn",
    "thai": "Thai",
    "burmese": "Mymr",
    "myanmar": "Mymr",
    "japanese": "Jpan",
}
# Language names pycountry spells otherwise (ISO 639 has "Pushto"; "Farsi" is Persian).
_LANGUAGE_NAMES = {"pashto": "ps", "farsi": "fa"}
_IMO = re.compile(r"^(?:IMO\s*:?\s*)?(\d{7})$", re.IGNORECASE)
_PLACEHOLDER_DAY = re.compile(r"^(dd|00)/", re.IGNORECASE)
_PLACEHOLDER_MONTH = re.compile(r"/(mm|00)/", re.IGNORECASE)

# Fields kept as labelled remark lines, in this order, after the free-text ones.
REMARK_FIELDS = (
    "Designation source",
    "Sanctions Imposed",
    "Type of entity",
    "Phone number",
    "Website",
    "Email address",
    "Previous flags",
    "Length of ship",
    "Year Built",
    "Last Updated",
)
_TEXT_REMARKS = ("Other Information", "UK Statement of Reasons")
_LINKS = (
    ("Parent company", "parent"),
    ("Subsidiaries", "subsidiary"),
    ("Current owner/operator (s)", "owner_operator"),
    ("Previous owner/operator (s)", "previous_owner_operator"),
)


def parse_designation_type(text: str) -> Schema:
    """The schema of a ``Designation Type`` (``IndividualEntityShip`` in the XML).

    Raises:
        ValueError: Not Individual, Entity or Ship (the message quotes the value).
    """
    schema = _SCHEMAS.get(text.strip().casefold())
    if schema is None:
        raise ValueError(f"unknown Designation Type {text!r} (expected Individual, Entity or Ship)")
    return schema


def name_kind(text: str) -> NameKind:
    """The name kind of a ``Name type`` (any letter case: the list writes ``ALias`` too).

    Raises:
        ValueError: Not Primary Name, Primary Name Variation or Alias.
    """
    kind = _NAME_KINDS.get(" ".join(text.split()).casefold())
    if kind is None:
        raise ValueError(
            f"unknown Name type {text!r} (expected Primary Name, Primary Name Variation or Alias)"
        )
    return kind


def read_dob(text: str) -> BirthDate:
    """A date of birth ``dd/mm/yyyy``; ``00`` or ``dd``/``mm`` for an unknown day or month.

    Raises:
        ValueError: Not such a date.
    """
    value = _PLACEHOLDER_DAY.sub("00/", text.strip())
    return parse_dob(_PLACEHOLDER_MONTH.sub("/00/", value))


@lru_cache(maxsize=256)
def _language(text: str) -> str | None:
    """ISO 639-1 code (else 639-3) of a language name (``Russian`` → ``ru``), or ``None``."""
    known = _LANGUAGE_NAMES.get(text.strip().casefold())
    if known:
        return known
    try:
        found = pycountry.languages.lookup(text.strip())
    except LookupError:
        return None
    return str(getattr(found, "alpha_2", None) or found.alpha_3).lower()


def _items(value: str) -> list[str]:
    """The items of a field that may list several values separated by ``|``."""
    return [item for item in (part.strip() for part in value.split("|")) if item]


def _iso_or_text(text: str) -> str:
    try:
        return parse_uk_date(text)
    except ValueError:
        return text


def _single_country(text: str) -> str | None:
    codes = countries_in(text)
    return codes[0] if len(codes) == 1 else None


@dataclass
class Designation:
    """The parts of one designation read so far.

    Attributes:
        unique_id: The UKSL Unique ID.
        location: Where it starts (``line 12`` or ``Designation[3]``), for messages.
        schemas: Schema of each part giving one, with the location of the first.
        names: Latin-script names in file order.
        non_latin: Non-Latin names in file order (listed after the Latin ones, as in both formats).
        values: Distinct non-empty values per field.
        pairs: Distinct value tuples per paired field (``passport``, ``national_id``, ``birth``,
            ``address``).
    """

    unique_id: str
    location: str
    schemas: dict[Schema, str] = field(default_factory=dict)
    names: list[Name] = field(default_factory=list)
    non_latin: list[Name] = field(default_factory=list)
    values: dict[str, dict[str, None]] = field(default_factory=dict)
    pairs: dict[str, dict[tuple[str, ...], None]] = field(default_factory=dict)

    def add_schema(self, schema: Schema, where: str) -> None:
        """Record the designation type one row or element gives."""
        self.schemas.setdefault(schema, where)

    def add_name(self, parts: list[str], kind: NameKind, strength: str, schema: Schema) -> None:
        """Add a Latin-script name from its parts ``Name 1`` ... ``Name 6``."""
        given = " ".join(" ".join(parts[:5]).split())
        last = " ".join(parts[5].split()) if len(parts) > 5 else ""
        full = " ".join(f"{given} {last}".split())
        if not full:
            return
        weak = kind is not NameKind.PRIMARY and "low" in strength.casefold()
        if schema is Schema.PERSON:
            self.names.append(Name(full, kind, weak, name_script(full), None, given or None, last or None))
        else:
            self.names.append(Name(full, kind, weak, name_script(full)))

    def add_non_latin(self, text: str, script_type: str, language: str) -> None:
        """Add a name in a non-Latin script, with the script and language the list gives."""
        full = " ".join(text.split())
        if not full:
            return
        script = name_script(full) or _SCRIPTS.get(script_type.strip().casefold())
        lang = _language(language) if language.strip() else None
        self.non_latin.append(Name(full, NameKind.AKA, False, script, lang))

    def add(self, name: str, value: str) -> None:
        """Add one value of a field (empty values are ignored)."""
        value = value.strip()
        if value:
            self.values.setdefault(name, {})[value] = None

    def add_pair(self, name: str, *parts: str) -> None:
        """Add one tuple of a paired field (all-empty tuples are ignored)."""
        cleaned = tuple(" ".join(p.split()) for p in parts)
        if any(cleaned):
            self.pairs.setdefault(name, {})[cleaned] = None

    def get(self, name: str) -> list[str]:
        """The distinct values of a field, each ``|``-separated item on its own, in file order."""
        return list(dict.fromkeys(item for value in self.values.get(name, {}) for item in _items(value)))

    def build(self) -> Entity:
        """The entity.

        Raises:
            ValueError: The parts disagree on the designation type, or there is no name.
        """
        if len(self.schemas) > 1:
            kinds = ", ".join(f"{s} ({where})" for s, where in self.schemas.items())
            raise ValueError(f"the rows of Unique ID {self.unique_id} disagree on Designation Type: {kinds}")
        if not self.schemas:
            raise ValueError(f"Unique ID {self.unique_id} has no Designation Type")
        schema = next(iter(self.schemas))
        if not self.names and not self.non_latin:
            raise ValueError(f"Unique ID {self.unique_id} has no name (Name 1 to Name 6 are empty)")
        remarks: list[str] = [t for f in _TEXT_REMARKS for t in self.values.get(f, {})]
        names = self._names()
        uid = make_id(LIST_KEY, self.unique_id)
        identifiers, links = self._cross_references(names[0].full)
        identifiers += self._documents(remarks)
        flag_codes = [c for text in self.get("Current believed flag of ship") for c in countries_in(text)]
        countries = [a.country for a in self._addresses() if a.country]
        countries += flag_codes + [c for text in self.get("Previous flags") for c in countries_in(text)]
        links += [Link(rel, target) for column, rel in _LINKS for target in self.get(column)]
        remarks += [
            f"{f}: {'; '.join(self.get(f))}" for f in REMARK_FIELDS if self.get(f) and f != "Last Updated"
        ]
        remarks += [f"Last Updated: {_iso_or_text(t)}" for t in self.get("Last Updated")]
        remarks += [f"{f[6:]}: {'; '.join(self.get(f))}" for f in self.values if f.startswith("extra:")]
        if len(flag_codes) != 1 and self.get("Current believed flag of ship"):
            remarks.append(
                f"Current believed flag of ship: {'; '.join(self.get('Current believed flag of ship'))}"
            )
        return Entity(
            id=uid,
            list_key=LIST_KEY,
            schema=schema,
            names=names,
            birth_dates=self._birth_dates(remarks),
            birth_places=self._birth_places(),
            nationalities=self._nationalities(remarks),
            countries=tuple(dict.fromkeys(countries)),
            addresses=self._addresses(),
            identifiers=tuple({(i.type, i.value, i.label): i for i in identifiers}.values()),
            programs=tuple(self.get("Regime Name")),
            listed_on=self._listed_on(remarks),
            gender=next(
                (g.casefold() for g in self.get("Gender") if g.casefold() in ("male", "female")), None
            ),
            titles=tuple(dict.fromkeys(self.get("Title") + self.get("Position"))),
            remarks="\n".join(dict.fromkeys(remarks)) or None,
            links=tuple(dict.fromkeys(links)),
            flag=flag_codes[0] if len(flag_codes) == 1 else None,
            vessel_type="; ".join(self.get("Type of ship")) or None,
            tonnage="; ".join(self.get("Tonnage of ship")) or None,
        )

    def _names(self) -> tuple[Name, ...]:
        every = self.names + self.non_latin
        primary = next((n for n in every if n.kind is NameKind.PRIMARY), every[0])
        if primary.kind is not NameKind.PRIMARY:  # no part says "primary": the first name stands in
            primary = Name(
                primary.full,
                NameKind.PRIMARY,
                False,
                primary.script,
                primary.lang,
                primary.first,
                primary.last,
            )
        out = {primary.full.casefold(): primary}
        for n in every:
            key = n.full.casefold()
            if key in out:
                if not n.weak and out[key].weak:  # the same text listed strong too: it is strong
                    out[key] = Name(
                        n.full, out[key].kind, False, n.script, n.lang or out[key].lang, n.first, n.last
                    )
                continue
            if n.kind is NameKind.PRIMARY:  # a second primary spelling: an alias
                n = Name(n.full, NameKind.AKA, n.weak, n.script, n.lang, n.first, n.last)
            out[key] = n
        return tuple(out.values())

    def _cross_references(self, caption: str) -> tuple[list[Identifier], list[Link]]:
        identifiers: list[Identifier] = []
        links: list[Link] = []
        for gid in self.get("OFSI Group ID"):
            identifiers.append(Identifier(IdType.OTHER, gid, "GB", "OFSI Group ID"))
            links.append(Link("same_as", caption, make_id("uk-ofsi", gid)))
        for ref in self.get("UN Reference Number"):
            identifiers.append(Identifier(IdType.OTHER, ref, label="UN Reference Number"))
            links.append(Link("same_as", caption, make_id("un-sc", ref)))
        return identifiers, links

    def _documents(self, remarks: list[str]) -> list[Identifier]:
        out: list[Identifier] = []
        for pair, id_type, label in (
            ("passport", IdType.PASSPORT, "Passport number"),
            ("national_id", IdType.NATIONAL_ID, "National Identifier number"),
        ):
            for number, note in self.pairs.get(pair, {}):
                if number:
                    out.append(Identifier(id_type, number, _single_country(note), label, note or None))
                else:
                    remarks.append(f"{label} (additional information only): {note}")
        for number in self.get("Business registration number (s)"):
            out.append(Identifier(IdType.REGISTRATION, number, label="Business registration number"))
        for text in self.get("IMO number"):
            m = _IMO.match(text.replace(" ", ""))
            if m:
                out.append(Identifier(IdType.IMO, m.group(1), label="IMO number"))
            else:
                remarks.append(f"IMO number as listed: {text}")
        for hin in self.get("Hull identification number (HIN)"):
            out.append(Identifier(IdType.OTHER, hin, label="Hull identification number (HIN)"))
        return out

    def _addresses(self) -> tuple[Address, ...]:
        out = []
        for parts in self.pairs.get("address", {}):
            *lines, country = parts
            text = ", ".join(p for p in (*lines, country) if p)
            out.append(Address(text, country=_single_country(country) if country else _single_country(text)))
        return tuple(out)

    def _birth_dates(self, remarks: list[str]) -> tuple[BirthDate, ...]:
        dates: dict[str, BirthDate] = {}
        for text in self.get("D.O.B"):
            try:
                dob = read_dob(text)
            except ValueError:
                remarks.append(f"Date of birth as listed: {text}")
                continue
            dates.setdefault(dob.date, dob)
        return tuple(dates.values())

    def _birth_places(self) -> tuple[Place, ...]:
        places: dict[str, Place] = {}
        for town, country in self.pairs.get("birth", {}):
            text = ", ".join(p for p in (town, country) if p)
            places.setdefault(text, Place(text, _single_country(country or town)))
        return tuple(places.values())

    def _nationalities(self, remarks: list[str]) -> tuple[str, ...]:
        codes: list[str] = []
        for text in self.get("Nationality(/ies)"):
            found = countries_in(text)
            codes += found
            if not found or not all(countries_in(i) or demonym_code(i) for i in split_enumeration(text)):
                remarks.append(f"Nationality as listed: {text}")
        return tuple(dict.fromkeys(codes))

    def _listed_on(self, remarks: list[str]) -> str | None:
        dates = []
        for text in self.get("Date Designated"):
            try:
                dates.append(parse_uk_date(text))
            except ValueError:
                remarks.append(f"Date Designated as listed: {text}")
        return min(dates) if dates else None
