"""EU Financial Sanctions Files: the 1.1 excerpt fixture, the real 1.0 subset, and broken files.

Expected values for the 1.0 file come from the data README and from reading the raw file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sanctionwatch.errors import ListFileError
from sanctionwatch.model import BirthDate, Entity, IdType, Link, NameKind, Schema
from sanctionwatch.sources.base import ListFiles, ParseContext, read_head
from sanctionwatch.sources.eu.fsf import EU_FSF

EXCERPT = Path(__file__).parent.parent / "fixtures" / "eu-fsf-1.1-excerpt.xml"


@pytest.fixture(scope="module")
def v11() -> dict[str, Entity]:
    ctx = ParseContext()
    parsed = list(EU_FSF.parse(EU_FSF.resolve(EXCERPT), ctx))
    assert ctx.skipped == []
    return {e.id: e for e in parsed}


@pytest.fixture(scope="module")
def v10_file(data_dir: Path) -> Path:
    return data_dir / "eu" / "fsf-v1.0-2016-02-11-subset.xml"


@pytest.fixture(scope="module")
def v10(v10_file: Path) -> dict[str, Entity]:
    ctx = ParseContext()
    parsed = list(EU_FSF.parse(EU_FSF.resolve(v10_file), ctx))
    assert ctx.skipped == []
    found = {e.id: e for e in parsed}
    assert len(found) == len(parsed), "duplicate entity ids"
    return found


# --- FSF 1.1 --------------------------------------------------------------------------------------


def test_v11_entities(v11: dict[str, Entity]) -> None:
    assert list(v11) == [f"eu-fsf:{n}" for n in (1, 13, 207, 9000, 9100, 9200, 9300, 9400)]
    assert [e.schema for e in v11.values()].count(Schema.ORGANIZATION) == 3
    assert EU_FSF.published(EU_FSF.resolve(EXCERPT)) == "2024-03-14"


def test_v11_person_with_passport(v11: dict[str, Entity]) -> None:
    mugabe = v11["eu-fsf:1"]
    assert mugabe.schema is Schema.PERSON
    primary = mugabe.names[0]
    assert (primary.full, primary.first, primary.last) == (
        "Robert Gabriel Mugabe",
        "Robert Gabriel",
        "Mugabe",
    )
    assert mugabe.birth_dates == (BirthDate("1924-02-21"),)
    assert mugabe.birth_places == ()  # countryIso2Code="00" / UNKNOWN, no city
    [passport] = mugabe.identifiers
    assert (passport.type, passport.value, passport.country) == (IdType.PASSPORT, "AD001095", None)
    assert passport.label == "National passport"
    assert mugabe.gender == "male"
    assert mugabe.titles == ("Former President",)
    assert mugabe.programs == ("ZWE",)


def test_v11_weak_alias_and_languages(v11: dict[str, Entity]) -> None:
    saddam = v11["eu-fsf:13"]
    assert [(n.full, n.kind, n.weak, n.lang) for n in saddam.names] == [
        ("Saddam Hussein Al-Tikriti", NameKind.PRIMARY, False, None),
        ("Abu Ali", NameKind.AKA, False, None),
        ("Abou Ali", NameKind.AKA, True, "fr"),
    ]
    assert saddam.nationalities == ("IQ",)
    assert saddam.birth_places[0].country == "IQ"
    assert saddam.birth_places[0].text.startswith("al-Awja, near Tikrit")
    assert saddam.remarks == "UNSC RESOLUTION 1483"


def test_v11_enterprise_in_many_scripts(v11: dict[str, Entity]) -> None:
    front = v11["eu-fsf:207"]
    assert front.schema is Schema.ORGANIZATION
    assert front.caption == "İslami Büyük Doğu Akıncılar Cephesi"
    scripts = {n.lang: n.script for n in front.names}
    assert scripts["bg"] == "Cyrl"
    assert scripts["el"] == "Grek"
    assert scripts["pt"] == "Latn"
    assert "IBDA-C" in [n.full for n in front.names]
    assert front.programs == ("TERR",)


def test_v11_english_name_is_primary(v11: dict[str, Entity]) -> None:
    putin = v11["eu-fsf:9400"]
    assert putin.caption == "Vladimir Vladimirovich PUTIN"
    russian = [n for n in putin.names if n.lang == "bg"]
    assert [(n.full, n.script, n.last) for n in russian] == [("Владимир Владимирович ПУТИН", "Cyrl", "ПУТИН")]
    assert putin.titles == ("President of the Russian Federation",)  # not its translations
    assert putin.listed_on == "2022-02-25"


def test_v11_partial_birth_dates(v11: dict[str, Entity]) -> None:
    baradar = v11["eu-fsf:9300"]
    assert baradar.birth_dates == (BirthDate("1968", circa=True), BirthDate("1965", to="1969"))
    assert baradar.birth_places[0].country == "AF"
    assert [n.full for n in baradar.names if n.weak] == ["Abdul Ghani Baradar"]
    assert [n.script for n in baradar.names if n.full.startswith("عبد")] == ["Arab"]


def test_v11_dprk(v11: dict[str, Entity]) -> None:
    komid = v11["eu-fsf:9000"]
    assert komid.programs == ("PRK",)
    assert "Changgwang Sinyong Corporation" in [n.full for n in komid.names]
    assert komid.links == (Link("same_as", komid.caption, "un-sc:KPe.001"),)
    assert komid.countries == ("KP",)
    assert komid.listed_on == "2009-04-24"
    shipping = v11["eu-fsf:9100"]
    assert [(i.type, i.value) for i in shipping.identifiers] == [(IdType.IMO, "5936312")]
    ri = v11["eu-fsf:9200"]
    assert (ri.names[0].first, ri.names[0].last) == ("Won Ho", "RI")
    assert [(i.type, i.value, i.country) for i in ri.identifiers] == [(IdType.PASSPORT, "381310014", "KP")]


# --- FSF 1.0, the real 2016 subset --------------------------------------------------------------


def test_v10_counts(v10: dict[str, Entity], v10_file: Path) -> None:
    raw = v10_file.read_text("utf-8")
    ids = re.findall(r'<ENTITY Id="(\d+)"', raw)
    assert len(ids) == 595
    assert set(v10) == {f"eu-fsf:{i}" for i in ids}
    persons = len(re.findall(r'<ENTITY [^>]*Type="P"', raw))
    assert [e.schema for e in v10.values()].count(Schema.PERSON) == persons == 319
    assert [e.schema for e in v10.values()].count(Schema.ORGANIZATION) == 595 - 319
    assert EU_FSF.published(EU_FSF.resolve(v10_file)) == "2016-02-11"


def test_v10_entries(v10: dict[str, Entity]) -> None:
    mugabe = v10["eu-fsf:1"]
    assert mugabe.caption == "Robert Gabriel Mugabe"
    assert len(mugabe.names) == 1  # the same name listed twice
    assert mugabe.birth_dates == (BirthDate("1924-02-21"),)
    assert mugabe.birth_places[0].text == "Kutama"
    [passport] = mugabe.identifiers
    assert (passport.type, passport.value, passport.label) == (
        IdType.PASSPORT,
        "AD001095",
        "National passport",
    )
    assert mugabe.programs == ("ZWE",)
    saddam = v10["eu-fsf:13"]
    assert [(n.full, n.lang) for n in saddam.names] == [
        ("Saddam Hussein Al-Tikriti", None),
        ("Abu Ali", None),
        ("Abou Ali", "fr"),
    ]
    assert saddam.nationalities == ("IQ",)  # CITIZEN COUNTRY "IRQ"
    assert saddam.remarks == "UNSC RESOLUTION 1483"
    # BIRTH DATE "1958 - 1963 (approximative)"
    assert v10["eu-fsf:516"].birth_dates == (BirthDate("1958", circa=True, to="1963"),)


# --- sniff / resolve ------------------------------------------------------------------------------


def test_sniff(v10_file: Path, data_dir: Path) -> None:
    assert EU_FSF.sniff(EXCERPT, read_head(EXCERPT))
    assert EU_FSF.sniff(v10_file, read_head(v10_file))
    csv = data_dir / "eu" / "fsf-csv-v1.0-first1000lines.csv"
    assert not EU_FSF.sniff(csv, read_head(csv))
    un = data_dir / "un" / "consolidated-2026-02-27.xml"
    assert not EU_FSF.sniff(un, read_head(un))
    # the 1.1 root without its namespace is not the format
    plain = EXCERPT.read_bytes().replace(b' xmlns="http://eu.europa.ec/fpi/fsd/export"', b"")
    assert not EU_FSF.sniff(EXCERPT, plain[:8192])


def test_resolve_the_folder_picks_the_xml_not_the_csv(data_dir: Path, v10_file: Path) -> None:
    assert EU_FSF.resolve(data_dir / "eu").paths == (v10_file,)


def test_wrong_format_given(data_dir: Path) -> None:
    un = data_dir / "un" / "consolidated-2026-02-27.xml"
    with pytest.raises(ListFileError, match="root element is <CONSOLIDATED_LIST>"):
        EU_FSF.resolve(un)
    with pytest.raises(ListFileError, match="root element is <CONSOLIDATED_LIST>; expected EU Financial"):
        list(EU_FSF.parse(ListFiles("eu-fsf", "eu-fsf", (un,)), ParseContext(lenient=True)))
    csv = data_dir / "eu" / "fsf-csv-v1.0-first1000lines.csv"
    with pytest.raises(ListFileError, match="it is not XML"):
        EU_FSF.resolve(csv)


# --- broken files ---------------------------------------------------------------------------------

_EXPORT = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate="2024-01-01T00:00:00.000+01:00">\n'
)
_GOOD = (
    '<sanctionEntity logicalId="1"><subjectType code="person" classificationCode="P"/>'
    '<nameAlias wholeName="Good Name" strong="true"/></sanctionEntity>\n'
)


def _small(tmp_path: Path, record: str) -> Path:
    path = tmp_path / "fsf.xml"
    path.write_text(_EXPORT + _GOOD + record + "\n</export>\n", "utf-8")
    return path


@pytest.mark.parametrize(
    ("record", "location", "reason"),
    [
        (
            '<sanctionEntity euReferenceNumber="EU.1.1"><subjectType code="person"/>'
            '<nameAlias wholeName="X Y"/></sanctionEntity>',
            "sanctionEntity logicalId=? (line 4)",
            "no logicalId",
        ),
        (
            '<sanctionEntity logicalId="77"><subjectType code="person"/>'
            '<nameAlias wholeName="" firstName="" lastName=""/></sanctionEntity>',
            "sanctionEntity logicalId=77 (line 4)",
            "no name",
        ),
        (
            '<sanctionEntity logicalId="77"><subjectType code="person"/><nameAlias wholeName="X Y"/>'
            '<birthdate birthdate="1970-02-30" circa="false"/></sanctionEntity>',
            "sanctionEntity logicalId=77 (line 4)",
            "invalid birthdate '1970-02-30'",
        ),
        (
            '<sanctionEntity logicalId="77"><subjectType code="person"/><nameAlias wholeName="X Y"/>'
            '<birthdate year="1970" monthOfYear="13"/></sanctionEntity>',
            "sanctionEntity logicalId=77 (line 4)",
            "monthOfYear '13'",
        ),
        (
            '<sanctionEntity logicalId="77"><subjectType code="vessel" classificationCode="V"/>'
            '<nameAlias wholeName="X Y"/></sanctionEntity>',
            "sanctionEntity logicalId=77 (line 4)",
            "unknown subjectType code='vessel'",
        ),
    ],
)
def test_bad_record(tmp_path: Path, record: str, location: str, reason: str) -> None:
    path = _small(tmp_path, record)
    files = EU_FSF.resolve(path)
    with pytest.raises(ListFileError) as err:
        list(EU_FSF.parse(files, ParseContext()))
    assert (err.value.location, err.value.path) == (location, str(path))
    assert reason in err.value.reason
    ctx = ParseContext(lenient=True)
    assert [e.id for e in EU_FSF.parse(files, ctx)] == ["eu-fsf:1"]
    assert [(s.location, reason in s.reason) for s in ctx.skipped] == [(location, True)]


def test_v10_bad_record(tmp_path: Path) -> None:
    path = tmp_path / "fsf10.xml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<WHOLE Date="11/02/2016">\n'
        '<ENTITY Id="5" Type="P" programme="ZWE"><NAME><WHOLENAME>A B</WHOLENAME></NAME>'
        "<BIRTH><DATE>circa 1950</DATE></BIRTH></ENTITY>\n</WHOLE>\n",
        "utf-8",
    )
    with pytest.raises(ListFileError, match="invalid BIRTH DATE 'circa 1950'") as err:
        list(EU_FSF.parse(EU_FSF.resolve(path), ParseContext()))
    assert err.value.location == "ENTITY Id=5 (line 3)"


def test_truncated_file(tmp_path: Path) -> None:
    data = EXCERPT.read_bytes()[: EXCERPT.stat().st_size * 2 // 3]
    last_line = data.count(b"\n") + 1
    cut = tmp_path / "fsf.xml"
    cut.write_bytes(data)
    with pytest.raises(ListFileError, match=r"XML not well formed .*truncated") as err:
        list(EU_FSF.parse(EU_FSF.resolve(cut), ParseContext(lenient=True)))
    assert err.value.location is not None
    assert err.value.location.startswith(f"line {last_line}")


def test_encoding_that_lies(tmp_path: Path) -> None:
    path = tmp_path / "fsf.xml"
    record = (
        '<sanctionEntity logicalId="2"><subjectType code="person"/>'
        '<nameAlias wholeName="Hélène"/></sanctionEntity>'
    )
    path.write_bytes((_EXPORT + _GOOD + record + "\n</export>\n").encode("latin-1"))
    with pytest.raises(ListFileError, match="not valid UTF-8") as err:
        list(EU_FSF.parse(EU_FSF.resolve(path), ParseContext(lenient=True)))
    assert err.value.location is not None
    assert err.value.location.startswith("line 4")
    assert "b'\\xe9'" in err.value.reason
