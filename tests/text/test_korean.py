"""Korean names: romanization, Hanja readings, syllable keys, segmentation.

Expected names come from the brief's examples, the official romanization tables, and independent
readings of the raw list files (``sdn.csv`` rows by ent_num, UN ``KPi`` entries by reference), never
from this module's output.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

import hanja
import pytest
from lxml import etree

from sanctionwatch.errors import ConfigError
from sanctionwatch.text import korean_data
from sanctionwatch.text.korean import (
    hanja_to_hangul,
    has_hanja,
    is_hangul,
    name_keys,
    romanize_hangul,
    romanize_hangul_rr,
    romanize_hangul_words,
    segment,
    syllable_key,
)

# DPRK names in every form they appear: Hangul, Hanja, list style, McCune–Reischauer, Revised
# Romanization, passport spellings, joined and hyphenated given names. Keyed by OFAC ent_num.
FORMS = {
    "20157": [
        "김정은",
        "金正恩",
        "Kim Jong Un",
        "Kim Jong-un",
        "Kim Jongun",
        "Gim Jeong-eun",
        "KIM Jong-Eun",
    ],
    "23213": ["최룡해", "崔龍海", "Choe Ryong Hae", "Choi Ryong-hae", "Ch'oe Ryong-hae", "Choe Yong Hae"],
    "21735": ["리수용", "李洙墉", "Ri Su Yong", "Lee Su-yong", "Yi Su Yong", "Rhee Sooyong"],
    "21444": ["김여정", "金與正", "Kim Yo Jong", "Kim Yeo-jeong", "Kim Yo-jong", "Kim Yeojung"],
    "20120": ["최부일", "崔富日", "Choe Pu Il", "Choi Bu-il", "Chwe Boo Il"],
    "23215": ["리병철", "李炳哲", "Ri Pyong Chol", "Ri Pyo'ng-ch'o'l", "Lee Byung-chul", "Ri Byeong-cheol"],
}


def _tokens(name: str) -> list[str]:
    return [t for t in re.split(r"[\s,]+", name) if t]


def _keys(name: str) -> list[str | None]:
    return sorted(name_keys(_tokens(name)), key=str)


@pytest.fixture(scope="module")
def sdn_names(data_dir: Path) -> dict[str, str]:
    """ent_num → SDN_Name, read straight from the headerless latin-1 CSV."""
    with (data_dir / "ofac/sdn-2024-05-03/sdn.csv").open(encoding="latin-1", newline="") as f:
        return {row[0]: row[1] for row in csv.reader(f) if len(row) > 1}


@pytest.fixture(scope="module")
def un_kpi(data_dir: Path) -> dict[str, list[str]]:
    """UN reference → [primary name, aliases...] of every DPRK individual (``KPi``)."""
    tree = etree.parse(str(data_dir / "un/consolidated-2026-02-27.xml"))
    out: dict[str, list[str]] = {}
    for ind in tree.iter("INDIVIDUAL"):
        ref = ind.findtext("REFERENCE_NUMBER") or ""
        if ref.startswith("KPi"):
            parts = [
                ind.findtext(f) or "" for f in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
            ]
            aliases = [a.text or "" for a in ind.iter("ALIAS_NAME")]
            out[ref] = [" ".join(p for p in parts if p), *aliases]
    return out


# -- romanization ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hangul", "listed"),
    [
        ("김정은", "Kim Jong Un"),
        ("최룡해", "Choe Ryong Hae"),
        ("리수용", "Ri Su Yong"),
        ("박봉주", "Pak Pong Ju"),
        ("김여정", "Kim Yo Jong"),
        ("최부일", "Choe Pu Il"),
        ("현영철", "Hyon Yong Chol"),
        ("리병철", "Ri Pyong Chol"),
        ("오극렬", "O Kuk Ryol"),  # sdn.csv 15771 "O, Kuk-Ryol"
        ("김꽃분이", "Kim Kkot Pun I"),  # DPRK guide: Kkotpuni, written here syllable by syllable
        ("안복철", "An Pok Chol"),  # DPRK guide example
    ],
)
def test_romanize_hangul_writes_names_as_the_lists_do(hangul: str, listed: str) -> None:
    assert romanize_hangul(hangul) == listed


def test_romanize_hangul_keeps_other_text() -> None:
    assert romanize_hangul("김정은 (Kim)") == "Kim Jong Un (Kim)"
    assert romanize_hangul("Mr 김") == "Mr Kim"
    assert romanize_hangul("") == ""


def test_revised_romanization_follows_the_rr_table() -> None:
    assert romanize_hangul_rr("김정은") == "Gim Jeong Eun"
    assert romanize_hangul_rr("최룡해") == "Choe Ryong Hae"
    assert romanize_hangul_rr("박봉주") == "Bak Bong Ju"
    assert romanize_hangul_rr("여의도") == "Yeo Ui Do"


def test_romanize_words_joins_and_voices_like_the_un_list(data_dir: Path) -> None:
    raw = (data_dir / "un/consolidated-2026-02-27.xml").read_text("utf-8")
    assert "CHANGGWANG SINYONG CORPORATION" in raw  # KOMID's alias, as the UN writes it
    assert romanize_hangul_words("창광 신용") == "Changgwang Sinyong"
    assert romanize_hangul_words("조선광업") == "Josongwangop"  # ㄱ voiced after ㄴ
    assert romanize_hangul_words("무역회사") == "Muyokhoesa"


def test_script_helpers() -> None:
    assert is_hangul("김정은") and is_hangul("Kim 정") and not is_hangul("Kim Jong Un")
    assert has_hanja("金正恩") and has_hanja("金铁三") and not has_hanja("김정은 Kim")


# -- Hanja ----------------------------------------------------------------------------------------


def test_hanja_surname_layer_reads_kim_as_a_surname() -> None:
    assert hanja.translate("金", "substitution") == "금"  # the package alone gets the surname wrong
    assert hanja_to_hangul("金正恩")[0] == "김정은"
    assert hanja_to_hangul("朴") == ["박"]


def test_hanja_gives_dprk_then_south_readings() -> None:
    assert hanja_to_hangul("崔龍海")[:2] == ["최룡해", "최용해"]
    assert hanja_to_hangul("李") == ["리", "이"]
    assert hanja_to_hangul("李洙墉")[:2] == ["리수용", "이수용"]
    assert hanja_to_hangul("金 铁三")[0] == "김철삼"  # UN KPi.035 alias 金铁三 = Kim Chol Sam, simplified 铁
    assert all(len(hanja_to_hangul(n)) <= 4 for n in ("林龍烈", "柳麗羅", "盧良烈"))
    assert hanja_to_hangul("김정은") == [] and hanja_to_hangul("Kim") == []


def test_surname_file_agrees_with_the_hanja_package() -> None:
    """Each surname's DPRK/South Hangul is the package's reading, except the documented surname readings."""
    exceptions = {"金", "沈"}  # 금 → 김, 침 → 심 as surnames
    checked = 0
    for surname in korean_data.surnames():
        for chars in surname.hanja:
            if chars in exceptions:
                continue
            raw = "".join(hanja.translate("각" + c, "substitution")[1:] for c in chars)  # no word-initial law
            assert (raw, hanja.translate(chars, "substitution")) == (surname.dprk, surname.south), chars
            checked += 1
    assert checked > 130


def test_every_surname_romanization_keys_like_its_hangul() -> None:
    for surname in korean_data.surnames():
        want = [korean_data.hangul_key(ch) for ch in surname.dprk]
        for spelling in surname.romanized:
            assert name_keys([spelling]) == want, (spelling, surname.dprk)


# -- syllable keys --------------------------------------------------------------------------------

SAME_SYLLABLE = [
    ["Kim", "Gim", "KIM", "김"],
    ["Ri", "Rhee", "Lee", "Yi", "I", "Li", "Rhie", "리", "이"],
    ["Pak", "Park", "Bak", "박"],
    ["Choe", "Choi", "Chwe", "Ch'oe", "Ch’oe", "최"],
    ["Jon", "Jeon", "Chon", "Chun", "Jun", "전"],
    ["Jong", "Jung", "Jeong", "Chong", "Chung", "Cho'ng", "정"],
    ["Yong", "Young", "Yeong", "Ryong", "Lyong", "용", "룡", "영"],
    ["Chol", "Cheol", "Chul", "Ch'o'l", "Ch'ŏl", "철"],
    ["Un", "Eun", "U'n", "은"],
    ["Pong", "Bong", "봉"],
    ["Pu", "Bu", "Boo", "부"],
    ["Su", "Soo", "수"],
    ["Hyon", "Hyun", "Hyeon", "Hyo'n", "현"],
    ["Kyong", "Kyung", "Gyeong", "Kyoung", "Kyo'ng", "경"],
    ["Myong", "Myung", "Myeong", "My'ong", "명"],
    ["Sok", "Seok", "Suk", "So'k", "석"],
    ["Song", "Sung", "Seong", "So'ng", "성"],
    ["Hui", "Hee", "희"],
    ["Ryu", "Yu", "Yoo", "Lyu", "류", "유"],
    ["Sin", "Shin", "신"],
    ["Ro", "No", "Roh", "Noh", "로", "노"],
]


@pytest.mark.parametrize("spellings", SAME_SYLLABLE, ids=lambda s: s[0])
def test_spellings_of_one_syllable_share_a_key(spellings: list[str]) -> None:
    keys = {syllable_key(s) for s in spellings}
    assert len(keys) == 1 and None not in keys, dict(
        zip(spellings, map(syllable_key, spellings), strict=True)
    )


def test_different_syllables_keep_different_keys() -> None:
    for group in (["Kim", "Kang", "Kam"], ["Jong", "Jang", "Jin"], ["Un", "Il", "Yo", "An"], ["Pak", "Paek"]):
        assert len({syllable_key(s) for s in group}) == len(group), group
    assert name_keys(["Kim", "Jong", "Il"]) != name_keys(["Kim", "Jong", "Un"])
    assert sorted(map(str, name_keys(["Kim", "Yo", "Jong"]))) != sorted(
        map(str, name_keys(["Kim", "Jong", "Un"]))
    )
    kju = sorted(map(str, name_keys(["Kim", "Jong", "Un"])))
    for other in (["Andy", "Kim"], ["Young", "Kim"], ["Kim", "Young", "Un"]):
        assert sorted(map(str, name_keys(other))) != kju, other


@pytest.mark.parametrize("token", ["andy", "mohammed", "trading", "smith", "x", "", "kimjongun", "中"])
def test_non_syllables_have_no_key(token: str) -> None:
    assert syllable_key(token) is None


def test_every_hangul_syllable_keys_alike_in_dprk_mr_and_rr() -> None:
    for code in range(korean_data.S_BASE, korean_data.S_BASE + korean_data.S_COUNT):
        ch = chr(code)
        want = korean_data.hangul_key(ch)
        dprk, rr = romanize_hangul(ch).lower(), romanize_hangul_rr(ch).lower()
        assert syllable_key(dprk) == want == syllable_key(rr) == syllable_key(ch), (ch, dprk, rr)


def test_bad_variant_rules_are_refused() -> None:
    rules = {"vowel": {"ㅏ": [{"spelling": "x"}]}}
    with pytest.raises(ConfigError, match=r"korean_variants\.yml.*ㅏ"):
        korean_data._extras(rules, "vowel", korean_data.VOWEL_JAMO)
    with pytest.raises(ConfigError, match=r"'kim'.*'kang'"):
        korean_data._add({"kim": "kim"}, "kim", "kang", "a test")


# -- segmentation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("token", "parts"),
    [
        ("jongun", ["jong", "un"]),
        ("Jongun", ["jong", "un"]),
        ("jongil", ["jong", "il"]),
        ("ryonghae", ["ryong", "hae"]),
        ("suyong", ["su", "yong"]),
        ("bongju", ["bong", "ju"]),
        ("yojong", ["yo", "jong"]),
        ("kimjongun", ["kim", "jong", "un"]),
        ("kim", ["kim"]),
        ("taeil", ["tae", "il"]),
    ],
)
def test_segment_splits_joined_given_names(token: str, parts: list[str]) -> None:
    assert segment(token) == parts


@pytest.mark.parametrize("token", ["mohammed", "trading", "andy", "maria", "hassan", "smith", "", "kim-jong"])
def test_segment_refuses_non_korean_tokens(token: str) -> None:
    assert segment(token) is None


def test_name_keys_handles_every_form_of_a_name() -> None:
    assert name_keys(["Kim", "Jong-un"]) == name_keys(["Kim", "Jongun"]) == name_keys(["김정은"])
    assert name_keys(["金正恩"]) == name_keys(["KIM,", "Jong", "Un"]) == ["kim", "jong", "on"]
    assert name_keys(["Kim", "Smith"]) == ["kim", None]


def test_fixture_forms_match_the_listed_name(sdn_names: dict[str, str]) -> None:
    for ent_num, forms in FORMS.items():
        listed = _keys(sdn_names[ent_num])
        assert None not in listed, sdn_names[ent_num]
        for form in forms:
            assert _keys(form) == listed, (form, sdn_names[ent_num])


# -- the dev evaluation queries ---------------------------------------------------------------------


def _eval_rows(eval_dir: Path) -> Iterator[dict[str, str]]:
    with (eval_dir / "dev/korean-forms.csv").open(encoding="utf-8", newline="") as f:
        yield from csv.DictReader(f)


def test_eval_queries_key_like_the_listed_names(
    eval_dir: Path, sdn_names: dict[str, str], un_kpi: dict[str, list[str]]
) -> None:
    checked = 0
    for row in _eval_rows(eval_dir):
        if row["group"] not in ("korean-hangul", "korean-hanja", "korean-rr"):
            continue
        query = _keys(row["name"])
        assert None not in query, row
        for expected in row["expected"].split(";"):
            source, native = expected.split(":", 1)
            listed = sdn_names[native] if source == "us-ofac-sdn" else un_kpi[native][0]
            assert query == _keys(listed), (row["name"], listed)
            checked += 1
    assert checked == 19  # 16 queries; the three forms of 조용원 expect an OFAC and a UN entry


def test_south_korean_public_figures_key_unlike_every_listed_dprk_person(
    eval_dir: Path, un_kpi: dict[str, list[str]]
) -> None:
    listed = {(ref, name): _keys(name) for ref, names in un_kpi.items() for name in names}
    assert len(un_kpi) == 80  # data README: 80 KPi individuals
    negatives = [row["name"] for row in _eval_rows(eval_dir) if row["group"] == "korean-negative"]
    assert len(negatives) == 8
    same_surname = 0
    for name in negatives:
        query = _keys(name)
        assert None not in query, name
        surname = name_keys(_tokens(name))[0]
        for (ref, listed_name), keys in listed.items():
            same_surname += name_keys(_tokens(listed_name))[:1] == [surname]
            assert query != keys, (name, ref, listed_name)
    assert same_surname > 20  # the guard really compared Kims with Kims
