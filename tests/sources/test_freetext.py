"""Free-text enumerations and countries named in prose (UK OFSI nationality and birth fields)."""

from __future__ import annotations

import pytest

from sanctionwatch.sources.freetext import countries_in, demonym_code, split_enumeration, strip_parentheses


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("(1) Somali (2) Swedish", ["Somali", "Swedish"]),
        ("1) Saudi Arabia 2) Qatar", ["Saudi Arabia", "Qatar"]),
        ("a) French, b) Tunisian", ["French", "Tunisian"]),
        ("(1)-(2) Tunisia (3) Libya", ["Tunisia", "Libya"]),
        ("(1) to (6) Algeria (7) Morocco", ["Algeria", "Morocco"]),
        ("(1) Manzil Tmim (2)-(6) -", ["Manzil Tmim"]),
        ("Afghanistan (since 2009)", ["Afghanistan (since 2009)"]),
    ],
)
def test_split_enumeration(text: str, items: list[str]) -> None:
    assert split_enumeration(text) == items


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Afghan", ("AF",)),
        ("Afgan", ("AF",)),  # the UK list's spelling
        ("Saudi Arabian", ("SA",)),
        ("North Korean", ("KP",)),
        ("Democratic People’s Republic of Korea", ("KP",)),
        ("Democratic Republic of the Congo", ("CD",)),
        ("United States of America. Also believed to hold Syrian nationality", ("US", "SY")),
        ("Iranian national and US national/citizen", ("IR", "US")),
        ("DRC and Belgian nationalities", ("CD", "BE")),
        ("BORN IN IRAQ", ("IQ",)),  # capital "IN" is not India in all-capital text
        ("Congolese", ()),  # ambiguous: CD or CG
        ("USSR (until 1991)", ()),
    ],
)
def test_countries_in(text: str, codes: tuple[str, ...]) -> None:
    assert countries_in(text) == codes


def test_demonym_and_parentheses() -> None:
    assert demonym_code("Filipino") == "PH"
    assert demonym_code("Korean") is None
    assert strip_parentheses("592667 (Qatari passport (issued 2007))") == "592667"
