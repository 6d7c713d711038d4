"""Screening: listed parties, BICs, vessels and sanctioned places held with located reasons; clean
messages and every public sample passed."""

from __future__ import annotations

from pathlib import Path

import pytest

from sanctionwatch.matching.screener import Screener
from sanctionwatch.messages.jurisdictions import Jurisdictions
from sanctionwatch.messages.reader import expand_paths, read_file
from sanctionwatch.messages.screen import MessageScreener, imo_valid
from sanctionwatch.messages.verdict import Reason, Verdict
from tests.messages.templates import CLEAN_MT, CLEAN_PACS, MT103, PACS008, write

FTB = "us-ofac-sdn:15603"  # FOREIGN TRADE BANK OF THE DPRK, SWIFT/BIC FTBDKPPY
DAESONG = "us-ofac-sdn:12312"  # KOREA DAESONG BANK, SWIFT/BIC KDBKKPPY
AM_NOK_GANG = "us-ofac-sdn:17084"  # vessel, IMO 8132835


@pytest.fixture(scope="module")
def ms(all_lists: Screener) -> MessageScreener:
    return MessageScreener(all_lists)


def _one(ms: MessageScreener, path: Path) -> Verdict:
    (v,) = ms.screen_all(read_file(path))
    return v


def _kinds(v: Verdict, kind: str) -> list[Reason]:
    return [r for r in v.reasons if r.kind == kind]


def test_every_public_sample_passes(ms: MessageScreener, samples: Path) -> None:
    files = [p for p in expand_paths([samples]) if p.suffix != ".md"]
    verdicts = [v for p in files for v in ms.screen_all(read_file(p))]
    assert len(verdicts) >= 24
    held = [(v.source, v.index, [r.explanation for r in v.reasons]) for v in verdicts if v.verdict != "pass"]
    assert held == []


def test_clean_messages_pass(ms: MessageScreener, tmp_path: Path) -> None:
    assert _one(ms, write(tmp_path, "a.xml", PACS008, CLEAN_PACS)).verdict == "pass"
    assert _one(ms, write(tmp_path, "a.fin", MT103, CLEAN_MT)).verdict == "pass"


def test_listed_creditor_name_is_held_with_its_field(ms: MessageScreener, tmp_path: Path) -> None:
    path = write(
        tmp_path, "komid.xml", PACS008, CLEAN_PACS, cdtr="Korea Mining Development Trading Corporation"
    )
    v = _one(ms, path)
    assert v.verdict == "hold"
    parties = _kinds(v, "party")
    assert {r.entity_id for r in parties} & {"un-sc:KPe.001", "us-ofac-sdn:9345"}
    r = parties[0]
    assert r.role == "Cdtr" and r.field == "FIToFICstmrCdtTrf/CdtTrfTxInf/Cdtr/Nm"
    assert r.value[r.span[0] : r.span[1]] == "Korea Mining Development Trading Corporation"


def test_listed_bic_in_8_or_11_characters_and_its_embargoed_country(
    ms: MessageScreener, tmp_path: Path
) -> None:
    for bic in ("FTBDKPPY", "FTBDKPPYXXX"):
        v = _one(ms, write(tmp_path, f"{bic}.xml", PACS008, CLEAN_PACS, cdtr_bic=bic))
        assert v.verdict == "hold"
        bics = _kinds(v, "bic")
        assert FTB in {b.entity_id for b in bics}  # the UN entry carries it in its remarks too
        assert {(b.role, b.field.rsplit("/", 3)[-3]) for b in bics} == {("CdtrAgt", "CdtrAgt")}
        (j,) = _kinds(v, "jurisdiction")
        assert j.jurisdiction == "north-korea" and j.value[j.span[0] : j.span[1]] == "KP"
        assert j.legal_basis and "2017/1509" in j.legal_basis


def test_unlisted_bic_of_an_embargoed_country_is_a_jurisdiction_reason(
    ms: MessageScreener, tmp_path: Path
) -> None:
    v = _one(ms, write(tmp_path, "kp.xml", PACS008, CLEAN_PACS, instd_bic="ZZZZKPPYXXX"))
    assert v.verdict == "hold"
    assert _kinds(v, "bic") == []
    roles = sorted(r.role for r in _kinds(v, "jurisdiction"))
    assert roles == ["AppHdr/To", "InstdAgt"]


@pytest.mark.parametrize(
    ("town", "country", "key"),
    [
        ("Sevastopol", "UA", "crimea"),
        ("Севастополь", "UA", "crimea"),
        ("P'yŏngyang", "KP", "north-korea"),
        ("Bandar Abbas", "IR", "iran"),
        ("Simferopol", "UA", "crimea"),
    ],
)
def test_sanctioned_places_in_addresses(
    ms: MessageScreener, tmp_path: Path, town: str, country: str, key: str
) -> None:
    v = _one(ms, write(tmp_path, "p.xml", PACS008, CLEAN_PACS, town=town))
    places = [r for r in _kinds(v, "jurisdiction") if r.field.endswith("TwnNm")]
    assert v.verdict == "hold"
    assert [(r.jurisdiction, r.value[r.span[0] : r.span[1]]) for r in places] == [(key, town)]


def test_syria_is_off_by_default_and_can_be_switched_on(all_lists: Screener, tmp_path: Path) -> None:
    path = write(tmp_path, "sy.xml", PACS008, CLEAN_PACS, town="Damascus", country="SY")
    assert _one(MessageScreener(all_lists), path).verdict == "pass"
    on = MessageScreener(all_lists, Jurisdictions.select("+syria"))
    v = _one(on, path)
    assert v.verdict == "hold" and {r.jurisdiction for r in v.reasons} == {"syria"}
    off = MessageScreener(all_lists, Jurisdictions.select("-north-korea"))
    kp = write(tmp_path, "kp2.xml", PACS008, CLEAN_PACS, instd_bic="ZZZZKPPYXXX")
    assert _one(off, kp).verdict == "pass"


def test_mt103_listed_bic_name_vessel_and_places_in_free_text(ms: MessageScreener, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "kp.fin",
        MT103,
        CLEAN_MT,
        bic57="KDBKKPPY",
        beneficiary="KOREA DAESONG BANK",
        bene_address="PYONGYANG",
        remittance="FREIGHT MV AM NOK GANG IMO 8132835 EX NAMPHO",
        sender_info="/INS/FTBDKPPYXXX",
    )
    v = _one(ms, path)
    assert v.verdict == "hold"
    bics = _kinds(v, "bic")
    assert {r.role for r in bics} == {"57A"} and DAESONG in {r.entity_id for r in bics}
    assert DAESONG in {r.entity_id for r in _kinds(v, "party") if r.role == "59"}
    (vessel,) = _kinds(v, "vessel")
    assert vessel.entity_id == AM_NOK_GANG and vessel.field == "4:70"
    assert vessel.value[vessel.span[0] : vessel.span[1]] == "IMO 8132835"
    in_72 = [r for r in _kinds(v, "text") if r.field == "4:72"]
    assert FTB in {r.entity_id for r in in_72}
    assert {r.value[r.span[0] : r.span[1]] for r in in_72} == {"FTBDKPPYXXX"}
    in_70 = [r for r in _kinds(v, "text") if r.field == "4:70"]  # the vessel's name, by the name scan
    assert AM_NOK_GANG in {r.entity_id for r in in_70}
    assert {r.value[r.span[0] : r.span[1]] for r in in_70} == {"AM NOK GANG"}
    places = {(r.field, r.value[r.span[0] : r.span[1]]) for r in _kinds(v, "jurisdiction")}
    assert ("4:70", "NAMPHO") in places and ("4:59/address[1]", "PYONGYANG") in places


def test_imo_check_digit() -> None:
    assert imo_valid("8132835") and imo_valid("9074729")
    assert not imo_valid("8132836") and not imo_valid("813283") and not imo_valid("81328a5")


def test_imo_with_a_wrong_check_digit_is_not_a_vessel_finding(ms: MessageScreener, tmp_path: Path) -> None:
    v = _one(ms, write(tmp_path, "imo.fin", MT103, CLEAN_MT, remittance="CARGO IMO 8132836"))
    assert _kinds(v, "vessel") == [] and v.verdict == "pass"


def test_unreadable_message_is_an_error_record(ms: MessageScreener, tmp_path: Path) -> None:
    path = tmp_path / "bad.xml"
    path.write_text("<Document xmlns='urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08'><oops>")
    v = _one(ms, path)
    assert v.verdict == "error" and v.error is not None and str(path) in v.error
    assert v.to_dict()["error"] == v.error


def test_listed_names_in_free_text_confirmed_by_the_scorer(ms: MessageScreener, tmp_path: Path) -> None:
    text = "Payment for ore, agent Korea Mining Development Trading Corporation, contract 7"
    v = _one(ms, write(tmp_path, "t.xml", PACS008, CLEAN_PACS, remittance=text))
    assert v.verdict == "hold"
    found = _kinds(v, "text")
    assert {r.entity_id for r in found} & {"un-sc:KPe.001", "us-ofac-sdn:9345"}
    r = found[0]
    assert r.field.endswith("RmtInf/Ustrd")
    assert r.value[r.span[0] : r.span[1]] == "Korea Mining Development Trading Corporation"


@pytest.mark.parametrize(
    ("entity_id", "name"),
    [("un-sc:IQi.001", "صدام حسين التكريتي"), ("un-sc:QDi.290", "Умаров Доку Хаматович")],
)
def test_listed_names_in_other_scripts_in_free_text(
    ms: MessageScreener, tmp_path: Path, entity_id: str, name: str
) -> None:
    v = _one(ms, write(tmp_path, "s.xml", PACS008, CLEAN_PACS, remittance=f"оплата: {name}, договор 12"))
    found = [r for r in _kinds(v, "text") if r.entity_id == entity_id]
    assert found and v.verdict == "hold"
    assert found[0].value[found[0].span[0] : found[0].span[1]] == name


def test_ordinary_words_in_free_text_are_not_names(ms: MessageScreener, tmp_path: Path) -> None:
    text = "Victory supplies, general trading invoice 55, international transport services"
    v = _one(ms, write(tmp_path, "w.xml", PACS008, CLEAN_PACS, remittance=text))
    assert _kinds(v, "text") == [], [r.explanation for r in v.reasons]


@pytest.mark.parametrize(
    ("bic", "entity_id"),
    [("ILSIKPPY", "un-sc:KPe.034"), ("DCBKKPPYXXX", "un-sc:KPe.023")],  # "SWIFT: ..." in UN remarks
)
def test_bics_kept_in_remarks_are_listed_bics(
    ms: MessageScreener, tmp_path: Path, bic: str, entity_id: str
) -> None:
    v = _one(ms, write(tmp_path, "r.xml", PACS008, CLEAN_PACS, cdtr_bic=bic))
    assert entity_id in {r.entity_id for r in _kinds(v, "bic")}


def test_a_name_repeated_in_a_message_is_a_reason_in_each_of_its_roles(
    ms: MessageScreener, tmp_path: Path
) -> None:
    komid = "Korea Mining Development Trading Corporation"
    doc = f"""<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"><CstmrCdtTrfInitn>
    <GrpHdr><MsgId>P1</MsgId><InitgPty><Nm>{komid}</Nm></InitgPty></GrpHdr>
    <PmtInf><Dbtr><Nm>{komid}</Nm></Dbtr>
    <CdtTrfTxInf><Cdtr><Nm>Boulangerie Dupont SARL</Nm></Cdtr></CdtTrfTxInf>
    <CdtTrfTxInf><Cdtr><Nm>Acme Tools Inc</Nm></Cdtr></CdtTrfTxInf></PmtInf>
    </CstmrCdtTrfInitn></Document>"""
    path = tmp_path / "pain.xml"
    path.write_text(doc, encoding="utf-8")
    v = _one(ms, path)
    assert v.verdict == "hold" and v.message_type == "pain.001.001.09"
    assert {r.role for r in _kinds(v, "party")} == {"InitgPty", "Dbtr"}


def test_mt_name_wrapped_onto_the_next_line_is_still_found(ms: MessageScreener, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "wrap.fin",
        MT103,
        CLEAN_MT,
        beneficiary="KOREA MINING",  # alone, two common words: not an alert
        bene_address="DEVELOPMENT TRADING CORPORATION",
    )
    v = _one(ms, path)
    wrapped = [r for r in _kinds(v, "party") if r.field == "4:59"]
    assert v.verdict == "hold"
    assert {r.entity_id for r in wrapped} & {"un-sc:KPe.001", "us-ofac-sdn:9345"}
    r = wrapped[0]
    assert r.value[r.span[0] : r.span[1]] == "KOREA MINING DEVELOPMENT TRADING CORPORATION"


@pytest.mark.parametrize(
    ("text", "held"),
    [
        ("/INS/ZZZZKPPYXXX", True),
        ("PAY VIA BIC: ZZZZKPPY", True),
        ("SWIFT ZZZZIRTH", True),
        ("/INS/DEUTDEFF", False),
        ("REFERENCE ZZZZKPPY", False),  # a BIC-shaped word with no BIC context is not a bank
    ],
)
def test_embargoed_bic_country_in_free_text_where_the_text_says_it_is_a_bic(
    ms: MessageScreener, tmp_path: Path, text: str, held: bool
) -> None:
    v = _one(ms, write(tmp_path, "b.fin", MT103, CLEAN_MT, sender_info=text))
    found = [r for r in _kinds(v, "jurisdiction") if r.field == "4:72"]
    assert bool(found) is held and (v.verdict == "hold") is held
    for r in found:
        assert len(r.value[r.span[0] : r.span[1]]) == 2


def test_listed_name_without_its_bracketed_part_in_free_text(ms: MessageScreener, tmp_path: Path) -> None:
    text = "ref 55 correspondent Foreign Trade Bank settlement"  # listed: FOREIGN TRADE BANK (FTB)
    v = _one(ms, write(tmp_path, "ftb.xml", PACS008, CLEAN_PACS, remittance=text))
    found = [r for r in _kinds(v, "text") if r.entity_id == "un-sc:KPe.047"]
    assert found and found[0].value[found[0].span[0] : found[0].span[1]] == "Foreign Trade Bank"
