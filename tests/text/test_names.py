"""name_forms() on real listed names: DPRK names in every form, legal forms, titles, particles."""

from __future__ import annotations

import csv
import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from sanctionwatch.errors import ConfigError
from sanctionwatch.text.names import MAX_FORMS, NameForm, Token, TokenKind, name_forms
from sanctionwatch.text.normalize import consonant_key
from sanctionwatch.text.wordlists import legal_forms, load_word_lists, parse_legal_forms, word_lists

# The DPRK leader in the forms he is written in (OFAC 20157 is "KIM, Jong Un").
KIM_JONG_UN = ["KIM, Jong Un", "Kim Jong-un", "Kim Jongun", "김정은", "金正恩", "Kim Jong Un", "KIM JONG-UN"]
# OFAC 35096 "PUTIN, Vladimir Vladimirovich" and his name in Russian.
PUTIN = ["PUTIN, Vladimir Vladimirovich", "Vladimir Vladimirovich Putin", "Владимир Владимирович Путин"]


def name_sets(name: str) -> list[frozenset[str]]:
    return [frozenset(form.name_keys) for form in name_forms(name)]


def kinds(form: NameForm) -> list[tuple[str, TokenKind]]:
    return [(token.key, token.kind) for token in form.tokens]


@pytest.fixture(scope="module")
def sdn(data_dir: Path) -> dict[str, str]:
    """ent_num → SDN_Name of the 2024-05-03 OFAC SDN list."""
    raw = (data_dir / "ofac/sdn-2024-05-03/sdn.csv").read_text("latin-1").rstrip("\x1a")
    return {row[0]: row[1] for row in csv.reader(raw.splitlines()) if len(row) > 2}


@pytest.fixture(scope="module")
def uk_rows(data_dir: Path) -> list[dict[str, str]]:
    text = (data_dir / "uk/conlist-2018-04-13.csv").read_text("latin-1")
    return list(csv.DictReader(text.splitlines()[1:]))


@pytest.fixture(scope="module")
def sa_peps(data_dir: Path) -> dict[str, list[str]]:
    """OpenSanctions entity id → names and aliases (all scripts)."""
    out: dict[str, list[str]] = {}
    with (data_dir / "opensanctions/sa_wiki_peps_entities.ftm.json").open(encoding="utf-8") as fh:
        for line in fh:
            entity: dict[str, Any] = json.loads(line)
            props = entity.get("properties", {})
            out[entity["id"]] = props.get("name", []) + props.get("alias", [])
    return out


@pytest.mark.parametrize("name", KIM_JONG_UN)
def test_kim_jong_un_in_every_form(name: str) -> None:
    assert {frozenset({"kim", "jong", "un"}), frozenset({"kim", "jongun"})} & set(name_sets(name))


def test_kim_jong_un_from_the_ofac_file(sdn: dict[str, str]) -> None:
    assert sdn["20157"] == "KIM, Jong Un"
    [form] = name_forms(sdn["20157"])
    # The comma is dropped, the written order kept.
    assert [t.text for t in form.tokens] == ["kim", "jong", "un"]
    assert form.script == "Latn" and form.source == "original"


def test_hyphenated_names_give_split_and_joined_forms() -> None:
    assert [f.text for f in name_forms("Kim Jong-un")] == ["kim jong un", "kim jongun"]
    assert [f.text for f in name_forms("RI, U'n-so'ng")] == ["ri un song", "ri unsong"]


def test_hanja_and_hangul_forms() -> None:
    hangul = name_forms("김정은")
    assert hangul[0].script == "Hang" and hangul[0].source == "korean"
    hanja = name_forms("金正恩")
    assert hanja[0].source == "hanja" and hanja[0].name_keys == ("kim", "jong", "un")
    assert any(f.source == "pinyin" and f.name_keys == ("jin", "zheng", "en") for f in hanja)
    # CJK syllables are never read as Latin particles: 德 "de", 本 "ben" stay names.
    assert all(t.kind is TokenKind.NAME for f in name_forms("朱德") for t in f.tokens)


@pytest.mark.parametrize("name", PUTIN)
def test_putin(name: str) -> None:
    assert frozenset({"putin", "vladimir", "vladimirovich"}) in name_sets(name)


def test_osama_bin_laden_across_scripts(sa_peps: dict[str, list[str]]) -> None:
    names = sa_peps["Q1317"]
    wanted = [
        "Osama bin Laden",
        "Usama bin Ladin",
        "Усама бен Ладен",
        "أسامة بن لادن",
        "Ousama ben Mohamed ben Awad ben Laden",
    ]
    assert set(wanted) <= set(names)
    for name in wanted:
        [form] = name_forms(name)
        # bin / ben / ibn / Arabic بن are one weak particle...
        assert [t.key for t in form.tokens if t.kind is TokenKind.WEAK] and all(
            t.key == "bin" for t in form.tokens if t.kind is TokenKind.WEAK
        ), name
        # ... and the names agree once vowels are ignored (the Arabic is written without them).
        assert {consonant_key(k) for k in form.name_keys} >= {"asm", "ldn"}, name


def test_mohammed_bin_salman_particles(sa_peps: dict[str, list[str]]) -> None:
    assert "Muhamed ibn Salman ibn Abdulaziz al-Saud" in sa_peps["Q6892571"]
    split, joined = name_forms("Muhamed ibn Salman ibn Abdulaziz al-Saud")
    assert kinds(split) == [
        ("muhamed", TokenKind.NAME),
        ("bin", TokenKind.WEAK),
        ("salman", TokenKind.NAME),
        ("bin", TokenKind.WEAK),
        ("abdulaziz", TokenKind.NAME),
        ("al", TokenKind.WEAK),
        ("saud", TokenKind.NAME),
    ]
    assert joined.name_keys == ("muhamed", "salman", "abdulaziz", "alsaud")
    # Written in Chinese with middle dots: one word per part, and 本 read as the particle.
    [words, *_] = name_forms("穆罕默德·本·萨勒曼·沙特")
    assert words.source == "pinyin-words"
    assert [t.kind for t in words.tokens].count(TokenKind.WEAK) == 1


def test_korea_mining_development_trading_corporation(sdn: dict[str, str]) -> None:
    assert sdn["9345"] == "KOREA MINING DEVELOPMENT TRADING CORPORATION"
    [listed] = name_forms(sdn["9345"])
    [query] = name_forms("Korea Mining Development Trading Corp.")
    assert listed.keys == query.keys == ("korea", "mining", "development", "trading", "corp")
    assert listed.tokens[-1].kind is query.tokens[-1].kind is TokenKind.LEGAL
    assert all(t.kind is TokenKind.NAME for t in listed.tokens[:-1])  # Trading is an ordinary word


# Every legal form the brief names, with the canonical it must get where one is set.
LEGAL = [
    ("Co.", "co"), ("Company", "co"), ("Ltd", "ltd"), ("Limited", "ltd"), ("LLC", "llc"), ("L.L.C.", "llc"),
    ("Corporation", "corp"), ("Corp.", "corp"), ("Inc.", "inc"), ("JSC", "jsc"), ("OJSC", "ojsc"),
    ("PJSC", "pjsc"), ("CJSC", "cjsc"), ("OOO", "llc"), ("ООО", "llc"), ("ОАО", "ojsc"), ("ЗАО", "cjsc"),
    ("АО", "jsc"), ("AO", "jsc"), ("GmbH", "gmbh"), ("AG", "ag"), ("SA", "sa"), ("S.A.", "sa"),
    ("SARL", "sarl"), ("SRL", "srl"), ("Sp. z o.o.", "spzoo"), ("PLC", "plc"), ("LLP", "llp"), ("LP", "lp"),
    ("FZE", "fze"), ("FZCO", "fzco"), ("FZ-LLC", "fzllc"), ("Pte", "pte"), ("Pvt", "pvt"),
    ("Sdn Bhd", "sdnbhd"), ("Bhd", "bhd"), ("Tbk", "tbk"), ("KG", "kg"), ("BV", "bv"), ("NV", "nv"),
    ("Joint Stock Company", "jsc"), ("Joint-Stock Company", "jsc"), ("Limited Liability Company", "llc"),
    ("Obshchestvo s Ogranichennoy Otvetstvennostyu", "llc"), ("Otkrytoe Aktsionernoe Obshchestvo", "ojsc"),
    ("주식회사", "jsc"), ("유한회사", "llc"), ("株式会社", "jsc"), ("股份有限公司", "jsc"),
    ("有限公司", "ltd"),
]  # fmt: skip


@pytest.mark.parametrize(("form", "canonical"), LEGAL)
def test_legal_form_at_the_end(form: str, canonical: str) -> None:
    name_form = name_forms(f"Ryonbong {form}")[0]
    *rest, last = name_form.tokens
    assert last.kind is TokenKind.LEGAL and last.key == canonical, name_form
    assert all(t.kind is not TokenKind.LEGAL for t in rest)


@pytest.mark.parametrize(
    "form", ["OOO", "ООО", "AO", "Joint Stock Company", "Obshchestvo s Ogranichennoy Otvetstvennostyu"]
)
def test_legal_form_at_the_start(form: str) -> None:
    first = name_forms(f"{form} Laitkhaus")[0].tokens[0]
    assert first.kind is TokenKind.LEGAL


def test_multi_word_forms_are_one_phrase() -> None:
    [form] = name_forms("Limited Liability Company Kapo")
    assert kinds(form) == [("llc", TokenKind.LEGAL), ("kapo", TokenKind.NAME)]
    assert form.tokens[0].text == "limited liability company"
    [form] = name_forms("Amber Trading Co., Ltd.")
    assert kinds(form)[-2:] == [("co", TokenKind.LEGAL), ("ltd", TokenKind.LEGAL)]


def test_short_forms_mid_name_are_initials() -> None:
    [form] = name_forms("John S. A. Smith")
    assert all(t.kind is TokenKind.NAME for t in form.tokens)
    [form] = name_forms("Banco Co Rio")
    assert form.tokens[1].kind is TokenKind.NAME


def test_real_joint_stock_companies_in_ofac(sdn: dict[str, str]) -> None:
    names = [n for n in sdn.values() if n.startswith(("JOINT STOCK COMPANY ", "LIMITED LIABILITY COMPANY "))]
    assert len(names) > 50  # grep: 80 + 134 such phrases in SDN_Name
    for name in names:
        first = name_forms(name)[0].tokens[0]
        assert first.kind is TokenKind.LEGAL and first.key in {"jsc", "llc"}, name


def test_ordinary_words_are_not_legal_forms() -> None:
    [form] = name_forms("Trading Group Holding Bank")
    assert all(t.kind is TokenKind.NAME for t in form.tokens)


TITLES = ["Dr", "Mr", "Mrs", "Sheikh", "Haji", "Hajji", "Mullah", "Maulawi", "Mawlawi", "Qari", "General",
          "Gen.", "Colonel", "Col.", "Admiral", "Commander", "Imam", "Sayyid", "Emir", "Prof.",
          "Eng."]  # fmt: skip


@pytest.mark.parametrize("title", TITLES)
def test_titles_are_weak(title: str) -> None:
    [form] = name_forms(f"{title} Abdul Ghani Baradar")
    assert form.tokens[0].kind is TokenKind.WEAK
    assert form.name_keys == ("abdul", "ghani", "baradar")


def test_uk_titles_are_weak(uk_rows: list[dict[str, str]]) -> None:
    titled = [
        r for r in uk_rows if r["Title"].strip() in {"Haji", "Mullah", "Maulavi", "Dr", "Sheikh", "Qari"}
    ]
    assert len(titled) > 200  # Maulavi 84, Haji 65, Dr 53, Mullah 43, Sheikh 12, Qari 8
    for row in titled:
        name = f"{row['Title']} {row['Name 1']} {row['Name 6']}"
        [*forms] = name_forms(name)
        assert forms[0].tokens[0].kind is TokenKind.WEAK, name


def test_title_spellings_share_a_key(uk_rows: list[dict[str, str]]) -> None:
    # UK writes "ABDUL,Shaikh,Ismail": Shaikh is Name 1 here, and leads the name.
    row = next(r for r in uk_rows if r["Name 6"] == "ABDUL" and r["Name 1"] == "Shaikh")
    first = name_forms(f"{row['Name 1']} {row['Name 2']} {row['Name 6']}")[0].tokens[0]
    assert (first.text, first.key, first.kind) == ("shaikh", "sheikh", TokenKind.WEAK)
    assert name_forms("KHAN, Dr. Abdul Qadeer")[0].tokens[1].kind is TokenKind.WEAK
    [form] = name_forms("Major General Qasem Soleimani")
    assert form.name_keys == ("qasem", "soleimani")


def test_titles_only_lead() -> None:
    # Somalia's president: Sheikh mid-name is part of the name.
    assert name_forms("Hasan Sheikh Mohamud")[0].name_keys == ("hasan", "sheikh", "mohamud")
    # A surname that is also a title, alone before the comma.
    assert name_forms("KING, John")[0].name_keys == ("king", "john")
    # Nothing but weak words: they are the name.
    assert name_forms("Sheikh")[0].name_keys == ("sheikh",)


def test_stopwords(sdn: dict[str, str]) -> None:
    [form] = name_forms(sdn["15603"])  # FOREIGN TRADE BANK OF THE DEMOCRATIC PEOPLE'S REPUBLIC OF KOREA
    stops = [t.text for t in form.tokens if t.kind is TokenKind.STOP]
    assert stops == ["of", "the"]  # the last "of" is inside the country's name
    assert form.name_keys == ("foreign", "trade", "bank", "dprk")


@pytest.mark.parametrize(
    ("name", "keys"),
    [
        ("Foreign Trade Bank of North Korea", ("foreign", "trade", "bank", "dprk")),
        ("FOREIGN TRADE BANK OF DPRK", ("foreign", "trade", "bank", "dprk")),
        ("Law Enforcement Forces of the Islamic Republic of Iran", ("law", "enforcement", "forces", "iran")),
        ("LAW ENFORCEMENT FORCES OF IRAN", ("law", "enforcement", "forces", "iran")),
        ("Korea Mining Development Trading", ("korea", "mining", "development", "trading")),  # Korea alone
    ],
)
def test_country_names_inside_names_take_one_key(name: str, keys: tuple[str, ...]) -> None:
    assert name_forms(name)[0].name_keys == keys


@pytest.mark.parametrize(
    ("name", "keys"),
    [
        ("KVITKA, Ivan Ivanovich", ("kvitka", "ivan")),  # surname part and the first given name
        ("VALLE VALLE, Luis Alonso", ("valle", "valle", "luis")),
        ("Stephen Edward Smith", ("stephen", "smith")),  # no comma: first and last
        ("AL-OLABI, Adel Anwar", ("olabi", "adel")),  # particles are not key parts
        ("Madonna", ("madonna",)),
    ],
)
def test_key_positions(name: str, keys: tuple[str, ...]) -> None:
    form = name_forms(name)[0]
    assert tuple(form.tokens[i].key for i in form.key_positions) == keys


def test_forms_are_deduplicated_capped_and_typed() -> None:
    assert len(name_forms("Kim Jong Un")) == 1
    assert name_forms("") == [] and name_forms(" - , ") == []
    for name in [*KIM_JONG_UN, *PUTIN, "Al-Ab-Cd-Ef Gh-Ij", "穆罕默德·本·萨勒曼"]:
        forms = name_forms(name)
        assert 1 <= len(forms) <= MAX_FORMS
        assert len({f.tokens for f in forms}) == len(forms)
    token = name_forms("Kim")[0].tokens[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        token.text = "x"  # type: ignore[misc]
    assert Token("corporation", TokenKind.LEGAL, "corp").key == "corp"
    assert Token("kim", TokenKind.NAME).key == "kim"


def test_every_sdn_name_gives_forms(sdn: dict[str, str]) -> None:
    for name in sdn.values():
        forms = name_forms(name)
        assert 1 <= len(forms) <= MAX_FORMS, name
        assert all(f.tokens for f in forms), name


def test_shipped_word_lists_load() -> None:
    lists = word_lists()
    assert lists.titles["hajji"] == "haji" and lists.particles["ibn"] == "bin"
    assert "of" in lists.stopwords
    assert len(legal_forms()) > 100


def test_bad_word_lists_are_refused() -> None:
    with pytest.raises(ConfigError, match=r"honorifics\.yml.*'titles'"):
        load_word_lists({"particles": {"al": ["al"]}}, {"stopwords": ["of"]})
    with pytest.raises(ConfigError, match=r"'hajji' is given both 'haji' and 'hadj'"):
        load_word_lists(
            {"titles": {"haji": ["hajji"], "hadj": ["hajji"]}, "particles": {"al": ["al"]}},
            {"stopwords": ["of"]},
        )
    with pytest.raises(ConfigError, match=r"'al' is both a title and a particle"):
        load_word_lists({"titles": {"al": ["al"]}, "particles": {"al": ["el"]}}, {"stopwords": ["of"]})
    with pytest.raises(ConfigError, match=r"stopwords\.yml: 'al' is also in honorifics\.yml"):
        load_word_lists({"titles": {"dr": ["dr"]}, "particles": {"al": ["al"]}}, {"stopwords": ["al"]})
    with pytest.raises(ConfigError, match=r"'major general' does not fold to one token"):
        load_word_lists(
            {"titles": {"gen": ["major general"]}, "particles": {"al": ["al"]}}, {"stopwords": ["of"]}
        )
    with pytest.raises(ConfigError, match=r"'ltd' is given both 'ltd' and 'llc'"):
        parse_legal_forms({"forms": {"ltd": ["ltd"], "llc": ["Ltd."]}, "edge_forms": {"co": ["co"]}}, "x.yml")
