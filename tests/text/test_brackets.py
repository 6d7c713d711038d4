"""Names with a second form in brackets: the texts each is read as (real names from the lists)."""

from __future__ import annotations

import pytest

from sanctionwatch.errors import ConfigError
from sanctionwatch.text.brackets import bracket_variants, parse_bracket_rules
from sanctionwatch.text.names import name_forms


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("KIM, Jong Un", [("KIM, Jong Un", "whole")]),
        # An acronym at the end (UN KPe.025) is a name of its own.
        (
            "KOREA KWANGSON BANKING CORPORATION (KKBC)",
            [("KOREA KWANGSON BANKING CORPORATION", "outside"), ("KKBC", "inside")],
        ),
        # Another script (UN KPi.035 alias).
        ("Jin Tiesan (金铁三)", [("Jin Tiesan", "outside"), ("金铁三", "inside")]),
        # An alias after a marker: the marker goes.
        (
            "Twister Shipmanagement LLC-FZ (ex. Starfish Ship Management Llc-fz)",
            [("Twister Shipmanagement LLC-FZ", "outside"), ("starfish ship management llc-fz", "inside")],
        ),
        ("Acme (a.k.a. Widget Works)", [("Acme", "outside"), ("widget works", "inside")]),
        # Qualifiers (country, legal form, branch, offshore) belong to the name: never alone.
        ("AL-HARAMAIN (BANGLADESH)", [("AL-HARAMAIN", "outside"), ("AL-HARAMAIN BANGLADESH", "with")]),
        (
            "SHER MATCH INDUSTRIES (PVT.) LIMITED",
            [("SHER MATCH INDUSTRIES LIMITED", "outside"), ("SHER MATCH INDUSTRIES PVT. LIMITED", "with")],
        ),
        (
            "IMAM KHOMEINI RELIEF COMMITTEE (LEBANON BRANCH)",
            [
                ("IMAM KHOMEINI RELIEF COMMITTEE", "outside"),
                ("IMAM KHOMEINI RELIEF COMMITTEE LEBANON BRANCH", "with"),
            ],
        ),
        (
            "Al-Haramain Foundation (Union of the Comoros)",
            [("Al-Haramain Foundation", "outside"), ("Al-Haramain Foundation Union of the Comoros", "with")],
        ),
        ("MINISTRY OF OIL [IRAQ]", [("MINISTRY OF OIL", "outside"), ("MINISTRY OF OIL IRAQ", "with")]),
        # One word inside a person's name: another spelling of the word before it (UK 13017, 11688).
        (
            "Ihor (Igor) Venedyktovych PLOTNYTSKYY",
            [
                ("Ihor Venedyktovych PLOTNYTSKYY", "outside"),
                ("Igor Venedyktovych PLOTNYTSKYY", "substituted"),
            ],
        ),
        ("Lom-ali BUTAYEV (BUTAEV)", [("Lom-ali BUTAYEV", "outside"), ("Lom-ali BUTAEV", "substituted")]),
        # A last word spelt unlike the one before it is a name of its own.
        ("HAQQANI NETWORK (HQN)", [("HAQQANI NETWORK", "outside"), ("HQN", "inside")]),
        # An acronym inside the name takes the place of the words it abbreviates.
        (
            "ISLAMIC REVOLUTIONARY GUARD CORPS (IRGC)-QODS FORCE",
            [
                ("ISLAMIC REVOLUTIONARY GUARD CORPS -QODS FORCE", "outside"),
                ("IRGC -QODS FORCE", "substituted"),
            ],
        ),
        # Unbalanced or mismatched brackets are not brackets; a name wholly in brackets is the name.
        ("ABC (XYZ", [("ABC (XYZ", "whole")]),
        ("ABC (XYZ] DEF", [("ABC (XYZ] DEF", "whole")]),
        ("(KKBC)", [("KKBC", "whole")]),
        # Nested: read at the outer level.
        ("Alpha (Beta (Gamma)) Delta", [("Alpha Delta", "outside"), ("Beta (Gamma)", "inside")]),
    ],
)
def test_bracket_variants(name: str, expected: list[tuple[str, str]]) -> None:
    assert [(v.text, v.role) for v in bracket_variants(name)] == expected


def test_name_forms_of_a_bracketed_name_are_each_reading() -> None:
    forms = {(f.text, f.source) for f in name_forms("KOREA KWANGSON BANKING CORPORATION (KKBC)")}
    assert forms == {
        ("korea kwangson banking corporation", "original+without-brackets"),
        ("kkbc", "original+in-brackets"),
    }
    texts = [f.text for f in name_forms("Jin Tiesan (金铁三)")]
    assert texts[0] == "jin tiesan"
    assert "kim chol sam" in texts  # the Korean reading of the Hanja in brackets


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"alias_markers": ["aka"]},
        {"alias_markers": ["aka"], "qualifiers": []},
        {"alias_markers": ["."], "qualifiers": ["x"]},
    ],
)
def test_malformed_rules_are_refused(data: object) -> None:
    with pytest.raises(ConfigError, match=r"brackets\.yml"):
        parse_bracket_rules(data, "text/data/brackets.yml")
