"""OFAC advanced XML (formats ``us-ofac-sdn-adv`` / ``us-ofac-cons-adv``): the same entities as the CSV set.

``fixtures/ofac-sdn-advanced-excerpt.xml`` holds seven real entries of the 2024-05-03 ``sdn.csv``,
``ofac-cons-advanced-excerpt.xml`` three of the 2025-12 non-SDN set, in the layout of OFAC's
advanced schema (see the comment at the top of each). Expected facts are read off the CSV rows
(``grep '^20157,' sdn.csv``), never off this reader's output.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sanctionwatch.errors import ListFileError
from sanctionwatch.model import Entity, IdType, Link, Name, NameKind
from sanctionwatch.sources.base import ParseContext
from sanctionwatch.sources.ofac.legacy_csv import OFAC_CONS, OFAC_SDN
from sanctionwatch.sources.ofac.xml_advanced import OFAC_CONS_ADVANCED, OFAC_SDN_ADVANCED
from sanctionwatch.sources.ofac.xml_advanced_parts import period_text
from sanctionwatch.sources.registry import FORMATS, detect
from sanctionwatch.store.download import official_urls, sets_in_folder

EXCERPT = Path(__file__).parent.parent / "fixtures" / "ofac-sdn-advanced-excerpt.xml"
CONS_EXCERPT = EXCERPT.with_name("ofac-cons-advanced-excerpt.xml")
IDS = [
    "us-ofac-sdn:17069",
    "us-ofac-sdn:18552",
    "us-ofac-sdn:18668",
    "us-ofac-sdn:20157",
    "us-ofac-sdn:20520",
    "us-ofac-sdn:20540",
    "us-ofac-sdn:9345",
]


def _parse(path: Path, lenient: bool = False) -> tuple[dict[str, Entity], ParseContext]:
    ctx = ParseContext(lenient=lenient)
    return {e.id: e for e in OFAC_SDN_ADVANCED.parse(OFAC_SDN_ADVANCED.resolve(path), ctx)}, ctx


def _line(path: Path, text: str) -> int:
    """The line of ``path`` holding ``text`` first."""
    content = path.read_text("utf-8")
    return content[: content.index(text)].count("\n") + 1


def _variant(tmp_path: Path, *edits: tuple[str, str], name: str = "SDN_ADVANCED.XML") -> Path:
    """The excerpt with text replacements (each must apply), written to ``tmp_path/name``."""
    text = EXCERPT.read_text("utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def test_advanced_entries_equal_the_csv_entities_field_by_field(data_dir: Path) -> None:
    from_xml, ctx = _parse(EXCERPT)
    assert ctx.skipped == []
    assert sorted(from_xml) == IDS
    csv_set = OFAC_SDN.resolve(data_dir / "ofac" / "sdn-2024-05-03")
    from_csv = {e.id: e for e in OFAC_SDN.parse(csv_set, ParseContext()) if e.id in from_xml}
    assert sorted(from_csv) == IDS
    for key, entity in from_xml.items():
        assert entity.to_dict() == from_csv[key].to_dict(), key


def test_cons_advanced_entries_equal_the_cons_csv_entities(data_dir: Path, tmp_path: Path) -> None:
    """Aliases (a.k.a., f.k.a.), addresses, places of birth, SWIFT/BIC: the parts the SDN excerpt lacks."""
    path = tmp_path / "CONS_ADVANCED.XML"
    path.write_bytes(CONS_EXCERPT.read_bytes())
    files = detect(path)
    assert (files.format_key, files.list_key) == ("us-ofac-cons-adv", "us-ofac-cons")
    ctx = ParseContext()
    from_xml = {e.id: e for e in OFAC_CONS_ADVANCED.parse(files, ctx)}
    assert ctx.skipped == []
    assert sorted(from_xml) == ["us-ofac-cons:15268", "us-ofac-cons:9639", "us-ofac-cons:9641"]
    csv_set = OFAC_CONS.resolve(data_dir / "ofac" / "cons-2025-12")
    from_csv = {e.id: e for e in OFAC_CONS.parse(csv_set, ParseContext()) if e.id in from_xml}
    for key, entity in from_xml.items():
        assert entity.to_dict() == from_csv[key].to_dict(), key
    bank = from_xml["us-ofac-cons:15268"]
    assert [a.text for a in bank.addresses][:1] == [
        "172 Xibin Rd, Ranghulu District, (Daqing, Heilongjiang Branch), Daqing 163453, China"
    ]
    assert [(n.kind, n.full) for n in bank.names[1:]] == [
        (NameKind.FKA, "KARAMAY URBAN CREDIT COOPERATIVES"),
        (NameKind.FKA, "KARAMAY CITY COMMERCIAL BANK CO LTD."),
    ]
    assert [(i.type, i.value) for i in bank.identifiers] == [(IdType.SWIFT_BIC, "CKLBCNBJ")]


def test_facts_of_the_real_rows() -> None:
    entities, _ = _parse(EXCERPT)
    kim = entities["us-ofac-sdn:20157"]
    assert kim.caption == "KIM, Jong Un"
    assert [d.date for d in kim.birth_dates] == ["1984-01-08"]
    assert kim.programs == ("DPRK3",)
    assert kim.titles == ("Chairman of the Workers' Party of Korea",)
    komid = entities["us-ofac-sdn:9345"]
    assert komid.programs == ("NPWMD", "DPRK2")
    assert [(n.full, n.weak) for n in komid.names[1:]] == [("KOMID", True)]
    hwang = entities["us-ofac-sdn:18552"]
    assert hwang.nationalities == ("KP",)
    assert [(i.type, i.value, i.country) for i in hwang.identifiers] == [(IdType.PASSPORT, "472220033", "KP")]
    assert [link.target_id for link in hwang.links] == ["us-ofac-sdn:9345"]
    ri = entities["us-ofac-sdn:18668"]
    assert [(i.value, i.note) for i in ri.identifiers] == [
        ("199110092", "expires 17 Mar 2014"),
        ("472220503", "expires 06 Jun 2018"),
        ("654220197", "expires 07 May 2019"),
    ]
    ship = entities["us-ofac-sdn:17069"]
    assert [(i.type, i.value) for i in ship.identifiers] == [(IdType.IMO, "7937317")]
    assert (ship.flag, ship.vessel_type) == ("KP", "General Cargo")
    plane = entities["us-ofac-sdn:20540"]
    assert plane.schema.value == "Aircraft"
    assert [(link.relation, link.target_name) for link in plane.links] == [("operator", "Air Koryo")]


def test_published_date_and_detection(tmp_path: Path) -> None:
    files = OFAC_SDN_ADVANCED.resolve(EXCERPT)
    assert OFAC_SDN_ADVANCED.published(files) == "2024-05-03"
    path = _variant(tmp_path, ("x", "x"))
    found = detect(path)
    assert (found.format_key, found.list_key) == ("us-ofac-sdn-adv", "us-ofac-sdn")
    assert detect(tmp_path).format_key == "us-ofac-sdn-adv"
    cons = _variant(tmp_path, ("x", "x"), name="CONS_ADVANCED.XML")
    assert (detect(cons).format_key, detect(cons).list_key) == ("us-ofac-cons-adv", "us-ofac-cons")
    assert not OFAC_CONS_ADVANCED.sniff(path, path.read_bytes()[:8192])


def test_what_the_csv_cannot_carry_non_latin_names_and_relation_types(tmp_path: Path) -> None:
    """Test input: the excerpt with KOMID's Korean name added and the relationship typed otherwise."""
    hangul = (
        '<Alias FixedRef="9345" AliasTypeID="1400" Primary="false" LowQuality="false"><DocumentedName '
        'ID="1" FixedRef="9345" DocNameStatusID="1"><DocumentedNamePart><NamePartValue '
        'NamePartGroupID="30003" ScriptID="220">조선광업개발무역회사</NamePartValue></DocumentedNamePart>'
        "</DocumentedName></Alias>"
    )
    path = _variant(
        tmp_path,
        ('<Alias FixedRef="9345" AliasTypeID="1400"', hangul + '<Alias FixedRef="9345" AliasTypeID="1400"'),
        ('RelationTypeID="15003"', 'RelationTypeID="1555"'),
    )
    entities, _ = _parse(path)
    assert entities["us-ofac-sdn:9345"].names[-1] == Name("조선광업개발무역회사", NameKind.AKA, script="Hang")
    assert Link("associate_of", "KOREA MINING DEVELOPMENT TRADING CORPORATION", "us-ofac-sdn:9345") in (
        entities["us-ofac-sdn:18552"].links
    )


def test_alias_kinds_of_weak_and_second_names(tmp_path: Path) -> None:
    """Test input: KOMID's weak alias typed F.K.A., and a second, non-primary Name alias for KIM."""
    second = (
        '<Alias FixedRef="20157" AliasTypeID="1403" Primary="false" LowQuality="false"><DocumentedName '
        'ID="2" FixedRef="20157" DocNameStatusID="1"><DocumentedNamePart><NamePartValue '
        'NamePartGroupID="30001" ScriptID="215">KIM</NamePartValue></DocumentedNamePart><DocumentedNamePart>'
        '<NamePartValue NamePartGroupID="30002" ScriptID="215">Jong-un</NamePartValue></DocumentedNamePart>'
        "</DocumentedName></Alias>"
    )
    path = _variant(
        tmp_path,
        ('<Alias FixedRef="9345" AliasTypeID="1400"', '<Alias FixedRef="9345" AliasTypeID="1401"'),
        ("<NamePartGroups>", second + "<NamePartGroups>"),
    )
    entities, _ = _parse(path)
    assert entities["us-ofac-sdn:9345"].names[1:] == (Name("KOMID", NameKind.FKA, weak=True),)
    assert entities["us-ofac-sdn:20157"].names[1:] == (
        Name("KIM, Jong-un", NameKind.AKA, first="Jong-un", last="KIM"),
    )


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE Sanctions [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE Sanctions [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>',
    ],
    ids=["external-entity", "entity-expansion"],
)
def test_a_dtd_is_refused_naming_the_file(tmp_path: Path, doctype: str) -> None:
    path = _variant(
        tmp_path,
        ("<Sanctions ", doctype + "\n<Sanctions "),
        ("<Comment/>", "<Comment>&xxe;&c;</Comment>"),
    )
    text = path.read_text("utf-8")
    line = text[: text.index("<!DOCTYPE")].count("\n") + 1
    with pytest.raises(ListFileError, match=r"declares a DTD") as err:
        list(OFAC_SDN_ADVANCED.parse(OFAC_SDN_ADVANCED.resolve(path), ParseContext(lenient=True)))
    assert str(err.value).startswith(f"{path}:line {line}: ")
    assert "root:" not in str(err.value)  # nothing of /etc/passwd, and no expansion, ever


def test_a_truncated_file_is_an_error_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "SDN_ADVANCED.XML"
    data = EXCERPT.read_bytes()
    path.write_bytes(data[: data.index(b'<DistinctParty FixedRef="18552"')])
    with pytest.raises(ListFileError, match=r"truncated") as err:
        list(OFAC_SDN_ADVANCED.parse(OFAC_SDN_ADVANCED.resolve(path), ParseContext()))
    assert str(err.value).startswith(f"{path}:line ")


def test_wrong_format_is_refused(data_dir: Path, tmp_path: Path) -> None:
    un = data_dir / "un" / "consolidated-2026-02-27.xml"
    with pytest.raises(ListFileError, match=r"root element is <CONSOLIDATED_LIST>; expected an OFAC SDN"):
        OFAC_SDN_ADVANCED.resolve(un)


def test_a_party_without_profile_names_file_line_and_element(tmp_path: Path) -> None:
    text = EXCERPT.read_text("utf-8")
    start = text.index('<Profile ID="9345"')
    end = text.index("</Profile>", start)
    path = tmp_path / "SDN_ADVANCED.XML"
    path.write_text(
        text[:start] + "<Other>" + text[start + 1 : end].split(">", 1)[1] + "</Other>" + text[end + 10 :]
    )
    with pytest.raises(
        ListFileError, match=r"DistinctParty FixedRef=9345 \(line \d+\): missing element <Profile>"
    ):
        list(OFAC_SDN_ADVANCED.parse(OFAC_SDN_ADVANCED.resolve(path), ParseContext()))
    entities, ctx = _parse(path, lenient=True)
    # KOMID's programs and HWANG's relationship point at the party left out: reported, not dropped.
    assert [s.reason for s in ctx.skipped] == [
        "missing element <Profile>",
        "ProfileID '9345' is no DistinctParty of the file",
        "To-ProfileID '9345' is no DistinctParty of the file",
        "To-ProfileID '9345' is no DistinctParty of the file",
    ]
    assert "us-ofac-sdn:9345" not in entities and "us-ofac-sdn:20157" in entities


def test_an_unknown_reference_is_quoted(tmp_path: Path) -> None:
    path = _variant(tmp_path, ('FeatureTypeID="46"', 'FeatureTypeID="4646"'))
    with pytest.raises(
        ListFileError, match=r"FeatureTypeID '4646' is not in <ReferenceValueSets>/<FeatureTypeValues>"
    ):
        list(OFAC_SDN_ADVANCED.parse(OFAC_SDN_ADVANCED.resolve(path), ParseContext()))


def test_a_party_without_sanctions_entry_is_reported(tmp_path: Path) -> None:
    path = _variant(tmp_path, ('ProfileID="20540"', 'ProfileID="99999"'))
    entities, ctx = _parse(path, lenient=True)
    line = _line(path, '<DistinctParty FixedRef="20540"')
    assert "us-ofac-sdn:20540" not in entities
    assert [str(s).split(":", 1)[1] for s in ctx.skipped] == [
        "SanctionsEntry ProfileID=99999: ProfileID '99999' is no DistinctParty of the file",
        f"DistinctParty FixedRef=20540 (line {line}): no SanctionsEntry for ProfileID '20540'",
    ]


def test_records_pointing_at_no_party_are_reported(tmp_path: Path) -> None:
    path = _variant(tmp_path, ('From-ProfileID="18552"', 'From-ProfileID="18553"'))
    with pytest.raises(
        ListFileError, match=r"ProfileRelationship From-ProfileID=18553: ProfileID '18553' is no"
    ):
        list(OFAC_SDN_ADVANCED.parse(OFAC_SDN_ADVANCED.resolve(path), ParseContext()))


def _period(start: tuple[int, int, int], end: tuple[int, int, int], approximate: bool = False) -> str:
    from lxml import etree

    def ymd(d: tuple[int, int, int]) -> str:
        return f"<Year>{d[0]}</Year><Month>{d[1]}</Month><Day>{d[2]}</Day>"

    a = "true" if approximate else "false"
    xml = (
        f'<DatePeriod><Start Approximate="{a}"><From>{ymd(start)}</From><To>{ymd(start)}</To></Start>'
        f'<End Approximate="{a}"><From>{ymd(end)}</From><To>{ymd(end)}</To></End></DatePeriod>'
    )
    return period_text(etree.fromstring(xml))


@pytest.mark.parametrize(
    ("start", "end", "approximate", "expected"),
    [
        ((1984, 1, 8), (1984, 1, 8), False, "08 Jan 1984"),
        ((1974, 1, 1), (1974, 12, 31), False, "1974"),
        ((1960, 1, 1), (1962, 12, 31), False, "1960 to 1962"),
        ((1963, 7, 1), (1963, 7, 31), False, "Jul 1963"),
        ((1960, 1, 1), (1960, 12, 31), True, "circa 1960"),
        ((1970, 3, 2), (1970, 5, 9), False, "02 Mar 1970 to 09 May 1970"),
    ],
)
def test_date_periods_read_as_the_csv_writes_them(
    start: tuple[int, int, int], end: tuple[int, int, int], approximate: bool, expected: str
) -> None:
    assert _period(start, end, approximate) == expected


def test_lists_update_fetches_the_advanced_xml_for_ofac() -> None:
    table = official_urls(FORMATS)
    exports = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/"
    assert table["us-ofac-sdn-adv"] == {"SDN_ADVANCED.XML": exports + "SDN_ADVANCED.XML"}
    assert table["us-ofac-cons-adv"] == {"CONS_ADVANCED.XML": exports + "CONS_ADVANCED.XML"}
    assert "us-ofac-sdn" not in table and "us-ofac-cons" not in table


def test_a_folder_with_the_csv_set_and_the_advanced_xml_gives_the_advanced_xml(
    data_dir: Path, tmp_path: Path
) -> None:
    (tmp_path / "sdn.csv").write_bytes((data_dir / "ofac" / "sdn-2024-05-03" / "sdn.csv").read_bytes())
    _variant(tmp_path, ("x", "x"))
    sets, ignored = sets_in_folder(tmp_path, FORMATS)
    assert [(s.format_key, s.list_key, [p.name for p in s.paths]) for s in sets] == [
        ("us-ofac-sdn-adv", "us-ofac-sdn", ["SDN_ADVANCED.XML"])
    ]
    assert ignored == []


def test_switching_the_store_from_csv_to_advanced_xml_changes_no_entity(
    data_dir: Path, tmp_path: Path
) -> None:
    """The seven excerpt entries as CSV rows (copied at test time from the real file), then as XML."""
    from sanctionwatch.settings import Settings
    from sanctionwatch.store.liststore import ListStore

    real = (data_dir / "ofac" / "sdn-2024-05-03" / "sdn.csv").read_bytes().splitlines(keepends=True)
    wanted = tuple(f"{native.split(':')[1]},".encode() for native in IDS)
    csv_dir = tmp_path / "csv"
    csv_dir.mkdir()
    (csv_dir / "sdn.csv").write_bytes(b"".join(line for line in real if line.startswith(wanted)))
    xml = _variant(tmp_path, ("x", "x"))
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'store.db'}", data_dir=tmp_path / "data", lists_dir=None
    )
    store = ListStore.open(settings)
    first = store.import_paths([csv_dir], rescreen=False)
    second = store.import_paths([xml], rescreen=False)
    assert [r.version.format_key for r in (*first, *second)] == ["us-ofac-sdn", "us-ofac-sdn-adv"]
    diff = store.diff("us-ofac-sdn")
    assert (diff.added, diff.removed, diff.changed, diff.unchanged_count) == ((), (), (), 7)
