"""Which official files ``lists update`` downloads: every current source, never a retired one."""

from __future__ import annotations

from pathlib import Path

from sanctionwatch.sources.registry import FORMATS
from sanctionwatch.store.download import not_fetched, official_urls, sets_in_folder

FIXTURES = Path(__file__).resolve().parent.parent / "sources" / "fixtures"


def test_the_uk_sanctions_list_is_fetched_and_the_retired_ofsi_list_is_not() -> None:
    table = official_urls(FORMATS)
    assert table["uk-sl"] == {
        "UK-Sanctions-List.csv": "https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.csv"
    }
    assert "uk-ofsi" not in table
    assert {"us-ofac-sdn-adv", "us-ofac-cons-adv", "un-sc", "eu-fsf", "us-csl"} <= set(table)
    assert not_fetched(FORMATS) == [
        "uk-ofsi not fetched: retired since 2026-01-28, no longer updated; "
        "its successor uk-sl is fetched instead"
    ]


def test_a_folder_with_the_uksl_csv_holds_the_uk_sl_set(tmp_path: Path) -> None:
    (tmp_path / "UK-Sanctions-List.csv").write_bytes((FIXTURES / "uk-sl-excerpt.csv").read_bytes())
    sets, ignored = sets_in_folder(tmp_path, FORMATS)
    assert [(s.format_key, s.list_key) for s in sets] == [("uk-sl", "uk-sl")] and ignored == []
