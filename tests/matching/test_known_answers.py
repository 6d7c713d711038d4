"""Known answers from the issue and the real lists: who must alert, who must not, and why."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from sanctionwatch.matching.query import Query
from sanctionwatch.matching.screener import Screener
from sanctionwatch.model import Schema

KIM_JONG_UN = "us-ofac-sdn:20157"
KIM_FORMS = ["Kim Jong Un", "KIM JONG-UN", "Kim Jongun", "김정은", "金正恩", "KIM, Jong Un", "Jong Un Kim"]


@pytest.mark.parametrize("name", KIM_FORMS)
def test_kim_jong_un_in_every_form_alerts_on_him_first(all_lists: Screener, name: str) -> None:
    hits = all_lists.screen(Query.build(name, schema="Person"))
    assert hits, f"no hit for {name!r}"
    assert hits[0].entity_id == KIM_JONG_UN, [(h.entity_id, h.score) for h in hits[:3]]
    assert hits[0].match


@pytest.mark.parametrize("name", ["Andy Kim", "Young Kim"])
def test_us_politicians_named_kim_raise_no_alert(all_lists: Screener, name: str) -> None:
    hits = all_lists.screen(Query.build(name, schema="Person"))
    assert not [h for h in hits if h.match], [(h.entity_id, h.matched_name, h.score) for h in hits[:3]]


@pytest.mark.parametrize("name", ["Kim Jong Il", "Kim Yo Jong"])
def test_relatives_do_not_alert_on_kim_jong_un(all_lists: Screener, name: str) -> None:
    assert all_lists.compare(name, "KIM, Jong Un").score < all_lists.config.threshold


def test_kim_yo_jong_is_her_own_top_hit(all_lists: Screener) -> None:
    hits = all_lists.screen(Query.build("Kim Yo Jong", schema="Person"))
    assert hits and hits[0].entity_id == "us-ofac-sdn:21444" and hits[0].match


@pytest.mark.parametrize("name", ["KOREA MINING DEVELOPMENT TRADING CORP.", "KOMID"])
def test_komid_alerts_on_un_and_ofac(all_lists: Screener, name: str) -> None:
    hits = all_lists.screen(Query.build(name), limit=20)
    alerted = {h.entity_id for h in hits if h.match}
    assert {"un-sc:KPe.001", "us-ofac-sdn:9345"} <= alerted, [(h.entity_id, h.score) for h in hits[:5]]


def test_listed_alias_changgwang_sinyong_alerts_on_komid(all_lists: Screener) -> None:
    hits = all_lists.screen(Query.build("Changgwang Sinyong Corp"))
    assert "un-sc:KPe.001" in {h.entity_id for h in hits if h.match}


@pytest.mark.parametrize("name", ["Kim", "Mohammed", "Trading", "Co", "Ltd", "Korea"])
def test_a_lone_common_name_part_cannot_alert(all_lists: Screener, name: str) -> None:
    hits = all_lists.screen(Query.build(name))
    assert not [h for h in hits if h.match], [(h.entity_id, h.matched_name, h.score) for h in hits[:3]]


def test_mccune_reischauer_apostrophes_match_plain_spelling(all_lists: Screener) -> None:
    plain = all_lists.screen(Query.build("Mun Chong Chol", schema="Person"))
    marked = all_lists.screen(Query.build("MUN CH'O'NG-CH'O'L", schema="Person"))
    assert plain and marked
    assert plain[0].entity_id == marked[0].entity_id == "un-sc:KPi.012"


def test_contradicting_birth_date_lowers_the_score(all_lists: Screener) -> None:
    same = all_lists.screen(Query.build("Kim Jong Un", birth_date="1984-01-08"))[0]
    other = all_lists.screen(Query.build("Kim Jong Un", birth_date="1950-06-01"))
    assert same.entity_id == KIM_JONG_UN and same.score >= 0.99
    kim = [h for h in other if h.entity_id == KIM_JONG_UN]
    assert kim, [(h.entity_id, h.score) for h in other[:3]]  # 1.00 − 0.30 is still returned
    assert kim[0].score == pytest.approx(1.0 - 0.30)  # exact name, contradicting birth year
    assert any(f.name == "birth_date" and f.contribution < 0 for f in kim[0].explanation.features)


def test_explanation_shows_alignment_and_features(all_lists: Screener) -> None:
    hit = all_lists.screen(Query.build("Choi Ryong-hae", birth_date="1950", country="KP"))[0]
    ex = hit.explanation
    assert ex.matched_name and ex.parts
    hows = {p.how for p in ex.parts}
    assert "korean" in hows, ex.parts
    assert {f.name for f in ex.features} <= {"birth_date", "country", "identifier"}
    assert "name" in ex.summary()


def test_vessel_renamed_is_found_by_its_imo_number(all_lists: Screener, data_dir: Path) -> None:
    # A DPRK vessel from the 2024 SDN file with its IMO number, read from the raw file.
    with (data_dir / "ofac/sdn-2024-05-03/sdn.csv").open(encoding="cp1252", newline="") as f:
        row = next(
            r
            for r in csv.reader(f)
            if len(r) > 11 and r[2].strip() == "vessel" and "DPRK" in r[3] and "IMO " in r[11]
        )
    imo = row[11].split("IMO ")[1][:7]
    hits = all_lists.screen(Query.build("Completely New Name", schema="Vessel", identifiers=[imo]))
    assert hits and hits[0].entity_id == f"us-ofac-sdn:{row[0]}" and hits[0].match
    assert any(f.name == "identifier" for f in hits[0].explanation.features)


def test_schema_filter_excludes_other_kinds(all_lists: Screener) -> None:
    name = "KOREA MINING DEVELOPMENT TRADING CORPORATION"
    orgs = {h.entity_id for h in all_lists.screen(Query.build(name), limit=50) if h.schema == "Organization"}
    assert orgs
    people = all_lists.screen(Query.build(name, schema="Person"), limit=50)
    assert not orgs & {h.entity_id for h in people}
    only = all_lists.screen(Query.build(name, schema="Organization"), limit=50)
    assert only and {h.schema for h in only} == {"Organization"}


# Names with a second form in brackets, on both sides (UN 2026-02-27 and UK 2018-04-13 files).
@pytest.mark.parametrize(
    ("name", "entity"),
    [
        ("Jin Tiesan (金铁三)", "un-sc:KPi.035"),  # the UN alias as written
        ("Korea Kwangson Banking Corporation", "un-sc:KPe.025"),  # listed "... (KKBC)"
        ("KKBC", "un-sc:KPe.025"),
        ("Hesa Trade Center", "uk-ofsi:11199"),  # listed "HESA TRADE CENTER (HTC)"
        ("Lom-ali Butaev", "uk-ofsi:11688"),  # listed "Lom-ali BUTAYEV (BUTAEV)"
        ("Igor Venedyktovych Plotnytskyy", "uk-ofsi:13017"),  # listed "Ihor (Igor) ..."
    ],
)
def test_bracketed_forms_alert(all_lists: Screener, name: str, entity: str) -> None:
    hits = all_lists.screen(Query.build(name), limit=20)
    alerted = {h.entity_id: h for h in hits if h.match}
    assert entity in alerted, [(h.entity_id, h.matched_name, h.score) for h in hits[:3]]
    assert alerted[entity].score == 1.0


def test_compare_two_names_directly(all_lists: Screener) -> None:
    same = all_lists.compare("Choi Bu-il", "CHOE, Pu Il")
    diff = all_lists.compare("Andy Kim", "KIM, Jong Un")
    assert same.score >= 0.8 > diff.score
    assert same.explanation.parts


# Short forms and ordinary variation (issue 18): the issue's own table.
@pytest.mark.parametrize(
    ("name", "entity"),
    [
        ("Ali Khamenei", "us-ofac-sdn:26945"),  # KHAMENEI, Ali Husseini
        ("Vladimir V. Putin", "us-ofac-sdn:35096"),  # PUTIN, Vladimir Vladimirovich
        ("KOREA MINING DEV. TRADING CORP", "un-sc:KPe.001"),
        ("Tanchon Commercial Bank Pyongyang Branch", "un-sc:KPe.003"),
        (
            "Foreign Trade Bank of North Korea",
            "us-ofac-sdn:15603",
        ),  # ... OF THE DEMOCRATIC PEOPLE'S REPUBLIC OF KOREA
    ],
)
def test_short_forms_alert(all_lists: Screener, name: str, entity: str) -> None:
    hits = all_lists.screen(Query.build(name), limit=20)
    assert entity in {h.entity_id for h in hits if h.match}, [(h.entity_id, h.score) for h in hits[:3]]


def test_an_initial_and_a_surname_find_but_do_not_alert(all_lists: Screener) -> None:
    hits = all_lists.screen(Query.build("V. Putin", schema="Person"))
    assert hits and hits[0].entity_id in {"us-ofac-sdn:35096", "ftm:ua_war_sanctions:Q7747"}
    assert not hits[0].match
    assert "initial" in {p.how for p in hits[0].explanation.parts}


@pytest.mark.parametrize("name", ["Ahmed Ali", "Young Kim"])
def test_a_short_form_of_common_parts_does_not_alert(all_lists: Screener, name: str) -> None:
    hits = all_lists.screen(Query.build(name, schema="Person"))
    assert hits  # there are listed people it resembles
    assert not [h for h in hits if h.match], [(h.entity_id, h.matched_name, h.score) for h in hits[:3]]


def test_explanation_says_what_a_short_form_left_out(all_lists: Screener) -> None:
    hit = next(h for h in all_lists.screen(Query.build("Ali Khamenei")) if h.entity_id == "us-ofac-sdn:26945")
    assert hit.explanation.coverage == "listed middle name not in query: huseini"
    assert "listed middle name not in query" in hit.explanation.summary()
    branch = all_lists.screen(Query.build("Tanchon Commercial Bank Pyongyang Branch"))[0]
    assert branch.explanation.coverage == "query office not in listed name: pyongyang branch"


def test_numbers_in_words_match_digits(all_lists: Screener) -> None:
    got = all_lists.compare("Brigade 44", "Brigade Forty-Four", Schema.ORGANIZATION)
    assert got.score >= all_lists.config.threshold
    assert "numeral" in {p.how for p in got.explanation.parts}
