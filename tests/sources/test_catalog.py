"""Source descriptions and the frozen-list guard: retired sources, publication cadence, staleness."""

from __future__ import annotations

from datetime import date

import pytest

from sanctionwatch.sources.catalog import SOURCES, freshness, source_info
from sanctionwatch.sources.registry import FORMATS

TODAY = date(2026, 12, 4)
IMPORTED = "2026-12-04T08:00:00+00:00"


def test_every_format_belongs_to_one_source_and_every_source_format_exists() -> None:
    owned = [key for info in SOURCES for key in info.formats]
    assert sorted(owned) == sorted(fmt.key for fmt in FORMATS)
    keys = {info.key for info in SOURCES}
    assert all(info.successor in keys for info in SOURCES if info.successor)


def test_ofsi_is_retired_with_the_uk_sanctions_list_as_successor() -> None:
    ofsi = source_info("uk-ofsi")
    assert ofsi is not None
    assert (ofsi.retired_since, ofsi.successor, ofsi.max_age_days) == ("2026-01-28", "uk-sl", None)
    uksl = source_info("uk-sl")
    assert uksl is not None and uksl.retired_since is None and uksl.formats == ("uk-sl", "uk-sl-xml")
    assert source_info("ftm:ua_war_sanctions") is source_info("ftm")
    assert source_info("nope") is None


@pytest.mark.parametrize(
    ("key", "published", "imported", "stale", "age", "reason"),
    [
        ("un-sc", "2026-12-01", IMPORTED, False, 3, None),
        ("un-sc", "2026-11-27", IMPORTED, False, 7, None),
        (
            "un-sc",
            "2026-11-26",
            IMPORTED,
            True,
            8,
            "newest version published 2026-11-26, 8 days ago, older than 7 days; United Nations Security "
            "Council Consolidated List is updated as committees amend it, usually several times a month",
        ),
        (
            "us-ofac-sdn",
            None,
            "2026-11-01T10:00:00+00:00",
            True,
            33,
            "newest version imported 2026-11-01 (the files state no date), 33 days ago, older than 7 days; "
            "Specially Designated Nationals and Blocked Persons List (SDN) is updated as designations "
            "change, often several times a week",
        ),
        ("us-ofac-cons", None, "2026-11-20T10:00:00+00:00", False, 14, None),
        (
            "uk-ofsi",
            "2026-01-27",
            IMPORTED,
            True,
            311,
            "retired since 2026-01-28: the publisher no longer updates it; import its successor uk-sl",
        ),
        ("ftm:ua_war_sanctions", "2026-12-02", IMPORTED, False, 2, None),
        ("unknown-list", "2020-01-01", IMPORTED, False, 2529, None),
    ],
)
def test_freshness(
    key: str, published: str | None, imported: str, stale: bool, age: int, reason: str | None
) -> None:
    result = freshness(key, published, imported, TODAY)
    assert (result.stale, result.age_days, result.reason) == (stale, age, reason)


def test_a_retired_list_is_stale_even_when_recent() -> None:
    result = freshness("uk-ofsi", "2026-12-03", IMPORTED, TODAY)
    assert result.stale and result.reason is not None and result.reason.startswith("retired since 2026-01-28")


def test_allowed_age_can_be_configured_per_list() -> None:
    assert freshness("un-sc", "2026-11-20", IMPORTED, TODAY).stale
    assert not freshness("un-sc", "2026-11-20", IMPORTED, TODAY, {"un-sc": 30}).stale
    assert freshness("ftm:x", "2026-11-20", IMPORTED, TODAY, {"ftm": 3}).stale
    assert freshness("un-sc", "2026-12-02", IMPORTED, TODAY, {"un-sc": 1}).to_dict() == {
        "stale": True,
        "stale_reason": "newest version published 2026-12-02, 2 days ago, older than 1 day; United Nations "
        "Security Council Consolidated List is updated as committees amend it, usually several times a month",
        "age_days": 2,
    }
