"""The jurisdiction data file, the folding with offsets and the gazetteer, as literal tables."""

from __future__ import annotations

import pytest

from sanctionwatch.errors import ConfigError
from sanctionwatch.messages.jurisdictions import Jurisdictions, fold_with_offsets


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Bandar Abbas", "bandar abbas"),
        ("BANDAR  ABBAS", "bandar abbas"),
        ("P'yŏngyang-si", "pyongyang si"),
        ("  Sevastopol, UA ", "sevastopol ua"),
        ("Севастополь", "севастополь"),
        ("평양시", "평양시"),
        ("", ""),
    ],
)
def test_fold_and_every_offset_points_at_its_source(text: str, folded: str) -> None:
    f = fold_with_offsets(text)
    assert f.text == folded
    assert len(f.starts) == len(f.ends) == len(folded)
    for k, c in enumerate(folded):
        if c != " ":
            source = text[f.starts[k] : f.ends[k]]
            assert fold_with_offsets(source).text[:1] == c, (k, c, source)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Port of NAMPHO, DPRK.", [("north-korea", "NAMPHO"), ("north-korea", "DPRK")]),
        ("ship to P'yŏngyang", [("north-korea", "P'yŏngyang")]),
        ("평양시 중구역", [("north-korea", "평양")]),
        ("RAJIN-SONBONG FREE ZONE", [("north-korea", "RAJIN-SONBONG")]),
        ("Севастополь, Крым", [("crimea", "Севастополь"), ("crimea", "Крым")]),
        ("bandar-e abbas", [("iran", "bandar-e abbas")]),
        ("Iranian pistachios, Cubano sandwich, Havanas", []),
        ("Kherson city office", []),  # government-controlled: deliberately not in the gazetteer
        ("Shiraz wine, Mariel Smith", []),  # words as often something else: left out
    ],
)
def test_gazetteer_whole_words_any_script(text: str, found: list[tuple[str, str]]) -> None:
    matches = Jurisdictions().places(text)
    assert [(m.jurisdiction.key, text[m.start : m.end]) for m in matches] == found


def test_every_entry_has_a_legal_basis_and_a_source_and_defaults_leave_syria_out() -> None:
    entries = Jurisdictions.all_entries()
    assert {j.key for j in entries} >= {"north-korea", "iran", "cuba", "crimea", "donetsk", "luhansk"}
    for j in entries:
        assert j.legal_basis and j.sources and (j.countries or j.places), j.key
    defaults = {j.key for j in Jurisdictions().enabled}
    assert "syria" not in defaults and "north-korea" in defaults
    assert Jurisdictions().country("SY") is None and Jurisdictions().country("kp") is not None


def test_switches() -> None:
    assert [j.key for j in Jurisdictions.select("north-korea,iran").enabled] == ["north-korea", "iran"]
    plus = {j.key for j in Jurisdictions.select("+syria,-cuba").enabled}
    assert "syria" in plus and "cuba" not in plus and "iran" in plus
    with pytest.raises(ConfigError, match="atlantis"):
        Jurisdictions.select("atlantis")
    with pytest.raises(ConfigError, match="atlantis"):
        Jurisdictions.select("-atlantis")
