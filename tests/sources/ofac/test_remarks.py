"""OFAC Remarks clauses, on clause texts copied from the real sdn.csv / cons_prim.csv files."""

from __future__ import annotations

import pytest

from sanctionwatch.countries import country_code, place_country
from sanctionwatch.model import BirthDate, IdType, NameKind, Place
from sanctionwatch.sources.ofac.ids import is_imo_number, parse_identifier
from sanctionwatch.sources.ofac.remarks import parse_date, parse_remarks, split_clauses


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("08 Jan 1984", BirthDate("1984-01-08")),
        ("1960", BirthDate("1960")),
        ("Sep 1938.", BirthDate("1938-09")),
        ("circa 1960", BirthDate("1960", circa=True)),
        ("1929 to 1930", BirthDate("1929", to="1930")),
        ("01 Jan 1960 to 31 Dec 1962", BirthDate("1960-01-01", to="1962-12-31")),
        ("Jan 1961 to Dec 1962", BirthDate("1961-01", to="1962-12")),
        ("circa 1955-1956", BirthDate("1955", circa=True, to="1956")),
        ("circa 01 Mar 1955", BirthDate("1955-03-01", circa=True)),
    ],
)
def test_parse_date(text: str, expected: BirthDate) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["", "unknown", "31 Feb 1970", "08 Foo 1984", "1970s"])
def test_parse_date_rejects(text: str) -> None:
    assert parse_date(text) is None


def test_kim_jong_un_remarks() -> None:
    facts = parse_remarks(
        "DOB 08 Jan 1984; Secondary sanctions risk: North Korea Sanctions Regulations, sections 510.201 "
        "and 510.210; Chairman of the Workers' Party of Korea."
    )
    assert facts.birth_dates == [BirthDate("1984-01-08")]
    assert facts.identifiers == []
    assert facts.aliases == []


def test_person_clauses() -> None:
    # 17290 AL-BAKR (2024 sdn.csv), with an alt. DOB and Gender added from 25486 ESLAMI.
    facts = parse_remarks(
        "DOB 12 Jul 1977; alt. DOB 1976; POB Qatar; nationality Qatar; citizen Korea, North; "
        "Gender Male; Passport 01016646 (Qatar); a.k.a. 'Abu Khalil'."
    )
    assert facts.birth_dates == [BirthDate("1977-07-12"), BirthDate("1976")]
    assert facts.birth_places == [Place("Qatar", "QA")]
    assert facts.nationalities == ["QA", "KP"]
    assert facts.gender == "male"
    [passport] = facts.identifiers
    assert (passport.type, passport.value, passport.country, passport.label) == (
        IdType.PASSPORT,
        "01016646",
        "QA",
        "Passport",
    )
    assert [(n.full, n.kind, n.weak) for n in facts.aliases] == [("Abu Khalil", NameKind.AKA, True)]


def test_unknown_nationality_not_guessed() -> None:
    # "nationality possibly Palestinian" (2022 sdn.csv): no code, the text stays in the remarks.
    assert parse_remarks("DOB 1960; nationality possibly Palestinian").nationalities == []


def test_alias_forms() -> None:
    facts = parse_remarks(
        "a.k.a. 'ABU 'ABD AL-RAHMAN'; f.k.a. 'ANA I'; n.k.a. 'NEW NAME LLC'; a.k.a. 'snowsjo"
    )
    assert [(n.full, n.kind) for n in facts.aliases] == [
        ("ABU 'ABD AL-RAHMAN", NameKind.AKA),
        ("ANA I", NameKind.FKA),
        ("NEW NAME LLC", NameKind.NKA),
    ]  # the last one is cut by OFAC's 1,000-character field limit: no closing quote, not read
    assert all(n.weak for n in facts.aliases)


def test_place_of_birth_country() -> None:
    assert place_country("Pyongyang, Korea, North") == "KP"
    assert place_country("Kinshasa, Congo, Democratic Republic of the") == "CD"
    assert place_country("Moscow, Russia") == "RU"
    assert place_country("Culiacan, Sinaloa") is None
    assert parse_remarks("POB Toledo District, Belize.").birth_places == [
        Place("Toledo District, Belize", "BZ")
    ]


def test_ofac_country_spellings() -> None:
    assert country_code("Korea, North") == "KP"
    assert country_code("Democratic People's Republic of Korea") == "KP"
    assert country_code("St. Kitts & Nevis") == "KN"  # Vess_flag column, 2024 sdn.csv
    assert country_code("Region: Gaza") == "PS"  # cons_add.csv country column
    assert country_code("Serbia and Montenegro") is None
    assert country_code("-0-") is None


def test_linked_to_full_stop() -> None:
    known = {"sumiyoshi-kai", "fuzhou honglong ocean fishing co., ltd."}
    assert parse_remarks("DOB 1929 to 1930; Linked To: SUMIYOSHI-KAI.", known).linked_to == ["SUMIYOSHI-KAI"]
    last = parse_remarks("Linked To: FUZHOU HONGLONG OCEAN FISHING CO., LTD.", known)
    assert last.linked_to == ["FUZHOU HONGLONG OCEAN FISHING CO., LTD."]
    middle = parse_remarks("Linked To: FUZHOU HONGLONG OCEAN FISHING CO., LTD.; MMSI 412440229", known)
    assert middle.linked_to == ["FUZHOU HONGLONG OCEAN FISHING CO., LTD."]
    assert parse_remarks("Linked To: UNKNOWN LTD.").linked_to == ["UNKNOWN LTD"]


def test_registration_country() -> None:
    # "Nationality of Registration Korea, North" (2024 sdn.csv), "Registration Country Burma".
    facts = parse_remarks("Nationality of Registration Korea, North; Registration Country Burma")
    assert facts.countries == ["KP", "MM"]
    assert facts.nationalities == []


def test_organization_established_date() -> None:
    facts = parse_remarks("Organization Established Date 21 Jul 2020; Tax ID No. 9709063550 (Russia)")
    assert facts.established == [BirthDate("2020-07-21")]
    assert facts.birth_dates == []


@pytest.mark.parametrize(
    ("clause", "kind", "value", "country", "note"),
    [
        ("Vessel Registration Identification IMO 9263643", IdType.IMO, "9263643", None, None),
        ("Identification Number IMO 5342883.", IdType.IMO, "5342883", None, None),
        ("Vessel Registration Identification IMO  8904408", IdType.IMO, "8904408", None, None),
        ("Vessel Registration Identification 8606173.", IdType.IMO, "8606173", None, None),
        (
            "Vessel Registration Identification RS 150443 (Russia)",
            IdType.REGISTRATION,
            "RS 150443",
            "RU",
            None,
        ),
        ("International Maritime Organization No. (5777731)", IdType.IMO, "5777731", None, None),
        ("MMSI 518998343", IdType.MMSI, "518998343", None, None),
        ("SWIFT/BIC HAVIGB2L", IdType.SWIFT_BIC, "HAVIGB2L", None, None),
        ("Legal Entity Number 253400V1H6ART1UQ0N98 (Russia)", IdType.LEI, "253400V1H6ART1UQ0N98", "RU", None),
        (
            "Aircraft Manufacturer's Serial Number (MSN) 1023409321",
            IdType.AIRCRAFT_SERIAL,
            "1023409321",
            None,
            None,
        ),
        ("Aircraft Tail Number RA-76842", IdType.AIRCRAFT_TAIL, "RA-76842", None, None),
        ("Tax ID No. 100036386 (Serbia)", IdType.TAX_ID, "100036386", "RS", None),
        ("NIT # 800018928-0 (Colombia).", IdType.TAX_ID, "800018928-0", "CO", None),
        ("Cedula No. V-8348784 (Venezuela).", IdType.NATIONAL_ID, "V-8348784", "VE", None),
        ("National ID No. D489833(9) (Hong Kong)", IdType.NATIONAL_ID, "D489833(9)", "HK", None),
        (
            "Registration Number HRA 738077 (Stuttgart) (Germany)",
            IdType.REGISTRATION,
            "HRA 738077",
            "DE",
            "(Stuttgart)",
        ),
        ("Company Number 01074897 (United Kingdom).", IdType.REGISTRATION, "01074897", "GB", None),
        (
            "Passport PS 472330208 (Korea, North) expires 04 Jul 2017",
            IdType.PASSPORT,
            "PS 472330208",
            "KP",
            "expires 04 Jul 2017",
        ),
        (
            "Passport K754050 issued 26 May 1999 expires 25 May 2004",
            IdType.PASSPORT,
            "K754050",
            None,
            "issued 26 May 1999 expires 25 May 2004",
        ),
        ("Passport Booklet: A5199819 (Pakistan)", IdType.PASSPORT, "A5199819", "PK", None),
        (
            "Digital Currency Address - XBT 12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h",
            IdType.OTHER,
            "12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h",
            None,
            None,
        ),
    ],
)
def test_parse_identifier(
    clause: str, kind: IdType, value: str, country: str | None, note: str | None
) -> None:
    identifier = parse_identifier(clause)
    assert identifier is not None
    assert (identifier.type, identifier.value, identifier.country, identifier.note) == (
        kind,
        value,
        country,
        note,
    )


@pytest.mark.parametrize(
    "clause",
    [
        "Secondary sanctions risk: section 1(b) of Executive Order 13224",
        "Website www.dialog.info",
        "Passport issued 21 Jun 1992",  # a label with no number
        "Passportless 123",
    ],
)
def test_not_identifiers(clause: str) -> None:
    assert parse_identifier(clause) is None


def test_alt_prefix_and_call_sign() -> None:
    facts = parse_remarks("alt. Passport A755350 (Saudi Arabia); Other Vessel Call Sign 5IM713")
    assert [(i.type, i.value, i.country) for i in facts.identifiers] == [
        (IdType.PASSPORT, "A755350", "SA"),
        (IdType.CALL_SIGN, "5IM713", None),
    ]


def test_is_imo_number() -> None:
    assert is_imo_number("9263643")
    assert is_imo_number("8606173")
    assert not is_imo_number("8606174")
    assert not is_imo_number("150443")
    assert not is_imo_number("RS15044")


def test_split_clauses() -> None:
    assert split_clauses("DOB 1960; ; POB Egypt.;") == ["DOB 1960", "POB Egypt."]
