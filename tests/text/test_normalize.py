"""fold() and consonant_key() on the spellings the lists really use."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from sanctionwatch.text.normalize import consonant_key, fold


@pytest.fixture(scope="module")
def sdn_names(data_dir: Path) -> dict[str, str]:
    """ent_num → SDN_Name of the 2024-05-03 OFAC SDN list."""
    raw = (data_dir / "ofac/sdn-2024-05-03/sdn.csv").read_text("latin-1").rstrip("\x1a")
    return {row[0]: row[1] for row in csv.reader(raw.splitlines()) if len(row) > 2}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hyŏn", "hyon"),
        ("Müller", "muller"),
        ("CH'OE", "choe"),
        ("Kyo'ng", "kyong"),
        ("KY’ONG", "kyong"),  # U+2019
        ("Ch'o'l", "chol"),
        ("Chʼol", "chol"),  # U+02BC
        ("Ch`ol", "chol"),
        ("Kyo´ng", "kyong"),  # U+00B4, which NFKC would split into space + accent
        ("Ch‘ŏl", "chol"),
        ("Sa'id", "said"),
        ("Łukasz Żółć", "lukasz zolc"),
        ("Ørsted", "orsted"),
        ("Straße", "strasse"),
        ("İlham Əliyev", "ilham eliyev"),
        ("ＫＩＭ　Ｊｏｎｇ", "kim jong"),  # full-width letters and ideographic space
        ("  KIM,   Jong\tUn ", "kim jong un"),
        ("A.B.C. (Holdings) & Co./Ltd", "a b c holdings co ltd"),
        ("Jong-un", "jong un"),
        ("Jong‐un", "jong un"),  # U+2010 hyphen
    ],
)
def test_fold(text: str, expected: str) -> None:
    assert fold(text) == expected


def test_fold_keeps_word_hyphens_when_asked() -> None:
    assert fold("Kim Jong-un", hyphens=True) == "kim jong-un"
    assert fold("RI, U'n-so'ng", hyphens=True) == "ri un-song"
    # A dash between words is punctuation, not a name hyphen.
    assert fold("KIM — Jong -un-", hyphens=True) == "kim jong un"


def test_fold_leaves_other_scripts_in_their_script() -> None:
    assert fold("Владимир ПУТИН") == "владимир путин"
    assert fold("Сергей Шойгу") == "сергей шойгу"  # й is a letter, not и with a breve
    assert fold("김정은") == "김정은"
    assert fold("ガ") == "ガ"  # the voicing mark stays
    assert fold("Σωκράτης") == "σωκρατησ"  # Greek accents go, the letters stay Greek
    assert fold("مُحَمَّد") == "محمد"  # Arabic vowel points go


def test_fold_of_nothing() -> None:
    assert fold("") == ""
    assert fold(" ,.-'' ") == ""


@pytest.mark.parametrize(
    ("ent_num", "expected"),
    [
        ("23001", "choe sok min"),  # CH'OE, So'k-min
        ("23013", "ri un song"),  # RI, U'n-so'ng
        ("23014", "chu hyok"),  # CHU, Hyo'k
        ("21304", "kang pil hun"),  # KANG, P'il-Hun
        ("20157", "kim jong un"),  # KIM, Jong Un
    ],
)
def test_fold_ofac_mccune_reischauer_names(sdn_names: dict[str, str], ent_num: str, expected: str) -> None:
    assert fold(sdn_names[ent_num]) == expected


def test_fold_every_sdn_name_is_plain_lowercase_ascii(sdn_names: dict[str, str]) -> None:
    assert len(sdn_names) == 14965  # data README
    for name in sdn_names.values():
        folded = fold(name)
        assert folded.isascii(), name
        assert folded == folded.lower(), name
        assert not set("'`,.-\"") & set(folded), name
        assert "  " not in folded, name


def test_consonant_key_makes_vowel_less_arabic_comparable() -> None:
    # محمد transliterates to "mhmd"; lists write Muhammad, Mohammed, Mohamed.
    assert {consonant_key(t) for t in ("mhmd", "muhammad", "mohammed", "mohamed")} == {"mhmd"}
    # Initial vowels vary between sources (Umar/Omar) and stay one letter.
    assert consonant_key("umar") == consonant_key("omar") == consonant_key("amr")
    # Final h of ة: Usamah / Usama / Osama.
    assert consonant_key("usamah") == consonant_key("osama") == consonant_key("asama")
    assert consonant_key("ladin") == consonant_key("laden") == consonant_key("ladn")
    assert consonant_key("ahmad") != consonant_key("mahmud")
    assert consonant_key("") == ""
