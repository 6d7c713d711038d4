"""FollowTheMoney schemata and values, as both OpenSanctions export formats use them.

Which FtM schemata are screenable entities, how FtM writes countries (lower-case alpha-2) and dates
(ISO prefixes), and which list a file belongs to (its dataset, from the file name).

The ``followthemoney`` library itself is not used: its model pulls in a large dependency tree,
and this reader needs only the schema names below and two value formats.
"""

from __future__ import annotations

import re
from pathlib import Path

from sanctionwatch.countries import country_code
from sanctionwatch.errors import ListFileError
from sanctionwatch.model import BirthDate, Identifier, IdType, Schema

__all__ = [
    "NON_TARGET_SCHEMATA",
    "SCREENED_SCHEMATA",
    "dataset_key",
    "ftm_country",
    "ftm_date",
    "simple_identifier",
]

# FtM schemata screened, and the sanctionwatch schema each becomes.
SCREENED_SCHEMATA: dict[str, Schema] = {
    "Person": Schema.PERSON,
    "LegalEntity": Schema.ORGANIZATION,
    "Organization": Schema.ORGANIZATION,
    "Company": Schema.ORGANIZATION,
    "PublicBody": Schema.ORGANIZATION,
    "Vessel": Schema.VESSEL,
    "Airplane": Schema.AIRCRAFT,
}
# The other FtM schemata (followthemoney/schema/*.yaml): relations, documents, assets. Records of
# these are skipped by design (counted, never an error); any schema in neither set is an error.
NON_TARGET_SCHEMATA = frozenset(
    {
        "Address", "Analyzable", "Article", "Asset", "Associate", "Audio", "BankAccount", "Call",
        "CallForTenders", "Contract", "ContractAward", "CourtCase", "CourtCaseParty", "CryptoWallet",
        "Debt", "Directorship", "Document", "Documentation", "EconomicActivity", "Email", "Employment",
        "Event", "Family", "Folder", "HyperText", "Identification", "Image", "Interest", "Interval",
        "License", "Membership", "Mention", "Message", "Note", "Occupancy", "Ownership", "Package",
        "Page", "Pages", "Passport", "Payment", "PlainText", "Position", "Project", "ProjectParticipant",
        "RealEstate", "Representation", "Risk", "Sanction", "Security", "Similar", "Succession", "Table",
        "TaxRoll", "Thing", "Trip", "UnknownLink", "UserAccount", "Value", "Vehicle", "Video", "Workbook",
    }
)  # fmt: skip

_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?")
_IMO = re.compile(r"^IMO\s*(\d{7})$", re.IGNORECASE)
_MMSI = re.compile(r"^\d{9}$")
_CALL_SIGN = re.compile(r"^(?=[A-Z0-9]*[A-Z])[A-Z0-9]{3,8}$")
# File names: "<dataset>_targets.simple.csv", "<dataset>_entities.ftm.json", or the official
# download names "targets.simple.csv" / "entities.ftm.json" inside a folder named after the dataset.
_OFFICIAL_NAMES = ("targets.simple.csv", "entities.ftm.json")
_EXTENSIONS = (
    "targets.simple.csv",
    "entities.ftm.json",
    "simple.csv",
    "ftm.json",
    "csv",
    "json",
    "jsonl",
    "ndjson",
)


def dataset_key(path: Path) -> str:
    """The OpenSanctions dataset a file holds, from its name.

    ``ua_war_sanctions_targets.simple.csv`` → ``ua_war_sanctions``;
    ``sa_wiki_peps_entities.ftm.json`` → ``sa_wiki_peps``; ``ua_war_sanctions/targets.simple.csv``
    (the official download name) → the folder name; any other name → the name without extensions.
    The key is lower-cased, anything but ``a-z 0-9 _ -`` becoming ``_``.

    Raises:
        ListFileError: No key can be made from the name.
    """
    name = path.name.casefold()
    stem = path.resolve().parent.name.casefold() if name in _OFFICIAL_NAMES else name
    for ext in _EXTENSIONS:
        if stem.endswith("." + ext) or stem.endswith("_" + ext) or stem.endswith("-" + ext):
            stem = stem[: -len(ext) - 1]
            break
    key = re.sub(r"[^a-z0-9_-]+", "_", stem).strip("_-")
    if not key:
        raise ListFileError(
            str(path), "cannot name the dataset from the file name; rename the file <dataset>.csv"
        )
    return key


def ftm_country(value: str) -> str | None:
    """Alpha-2 code of an FtM country value (``"sa"`` → ``SA``); ``None`` for FtM's non-ISO codes."""
    return country_code(value.strip())


def ftm_date(value: str) -> BirthDate:
    """A date from an FtM date value (ISO prefix: ``1986``, ``1986-08``, ``1986-08-07T...``).

    Raises:
        ValueError: Not an ISO date prefix.
    """
    m = _DATE.match(value.strip())
    if not m:
        raise ValueError(f"date {value!r} is not an ISO date")
    return BirthDate(m.group(0))


def simple_identifier(raw: str, schema: Schema) -> Identifier:
    """Type a bare identifier of the simple CSV, from its shape and the entity's schema.

    ``IMO`` + 7 digits is an IMO number (a ship's for vessels, a company's otherwise); for vessels,
    9 digits are an MMSI and a short code of capitals and digits a call sign. Anything else is
    ``other``: the simple CSV does not say which register a number belongs to.
    """
    value = raw.strip()
    m = _IMO.match(value)
    if m:
        label = "IMO number" if schema is Schema.VESSEL else "IMO company number"
        return Identifier(IdType.IMO, m.group(1), label=label)
    if schema is Schema.VESSEL:
        if _MMSI.match(value):
            return Identifier(IdType.MMSI, value, label="MMSI")
        if _CALL_SIGN.match(value):
            return Identifier(IdType.CALL_SIGN, value, label="call sign")
    return Identifier(IdType.OTHER, value, label="identifier")
