"""The lists page over plain HTTP: counts from the data README, the last update's diff checked
against the entity numbers read straight from the two raw OFAC ``sdn.csv`` files."""

from __future__ import annotations

import csv
from pathlib import Path

import lxml.html
from fastapi.testclient import TestClient

from sanctionwatch.store import ListStore
from sanctionwatch.web.lists import EXAMPLES
from tests.web.conftest import WebStore
from tests.web.pages import classed, html, nodes, texts


def ent_nums(sdn_csv: Path) -> set[str]:
    """The ent_num column of a legacy OFAC sdn.csv (headerless, latin-1, may end with 0x1A)."""
    with sdn_csv.open(encoding="latin-1", newline="") as f:
        return {row[0] for row in csv.reader(f) if row and row[0].strip().isdigit()}


def card(doc: lxml.html.HtmlElement, list_key: str) -> lxml.html.HtmlElement:
    [section] = nodes(doc, f"//section[@aria-labelledby='list-{list_key}']")
    return section


def fact(section: lxml.html.HtmlElement, label: str) -> str:
    return texts(section, f".//dl/div[dt='{label}']/dd")[0]


def schema_counts(section: lxml.html.HtmlElement) -> dict[str, str]:
    out = {}
    for item in nodes(section, f".//span[{classed('schema-count')}]"):
        out[texts(item, f".//*[{classed('schema-tag')}]")[0]] = texts(item, f".//*[{classed('num')}]")[0]
    return out


def diff_count(section: lxml.html.HtmlElement, kind: str) -> int:
    return int(texts(section, f".//li[{classed('diff-' + kind)}]/span")[0].replace(",", ""))


def test_each_list_shows_its_active_version_and_counts(client: TestClient, web_store: WebStore) -> None:
    response = client.get("/ui/lists")
    assert response.status_code == 200
    doc = html(response.text)
    with ListStore.open(web_store.settings) as store:
        active = store.active_versions()
    un = card(doc, "un-sc")
    assert f"version {active['un-sc'].id}" in texts(un, ".//h2")[0]
    assert fact(un, "Published") == "2026-02-27"
    assert fact(un, "Entities") == "1,003"  # README: 730 individuals + 273 entities
    assert schema_counts(un) == {"Organization": "273", "Person": "730"}
    assert fact(un, "Imported at") == active["un-sc"].imported_at.strftime("%Y-%m-%d %H:%M UTC")
    assert fact(un, "Skipped records") == "0"
    assert texts(un, f".//p[{classed('diff-none')}]") == [
        "First version of this list: no earlier version to compare with."
    ]
    ofac = card(doc, "us-ofac-sdn")
    assert (
        fact(ofac, "Entities") == "14,965"
    )  # README: 6,854 individual, 6,884 entity, 851 vessel, 376 aircraft
    assert schema_counts(ofac) == {
        "Aircraft": "376",
        "Organization": "6,884",
        "Person": "6,854",
        "Vessel": "851",
    }
    # The UN file is dated 2026-02-27, past its 7 days for good; the legacy OFAC CSV states no date,
    # so its age counts from today's import.
    assert texts(un, f".//span[{classed('badge')}]") == ["In use for screening", "Stale"]
    assert texts(un, f".//p[{classed('stale-reason')}]")[0].startswith(
        "Stale: newest version published 2026-02-27,"
    )
    assert fact(ofac, "Published") == "not stated in the files"
    assert texts(ofac, f".//span[{classed('badge')}]") == ["In use for screening"]


def test_the_last_update_diff_matches_the_raw_files(client: TestClient, web_store: WebStore) -> None:
    ofac = web_store.data_dir / "ofac"
    old, new = ent_nums(ofac / "sdn-2022-01-31" / "sdn.csv"), ent_nums(ofac / "sdn-2024-05-03" / "sdn.csv")
    added, removed = {f"us-ofac-sdn:{n}" for n in new - old}, {f"us-ofac-sdn:{n}" for n in old - new}
    with ListStore.open(web_store.settings) as store:
        [v2022, _] = store.versions("us-ofac-sdn")
    section = card(html(client.get("/ui/lists").text), "us-ofac-sdn")
    assert texts(section, f".//h3[{classed('diff-title')}]") == [f"Last update: from version {v2022.id}"]
    assert diff_count(section, "added") == len(added)
    assert diff_count(section, "removed") == len(removed)
    assert diff_count(section, "changed") + diff_count(section, "same") == len(old & new)
    assert diff_count(section, "changed") > 0
    columns = {
        texts(col, "./h4")[0].split(" (")[0]: texts(col, f".//code[{classed('entity-id')}]")
        for col in nodes(section, f".//div[{classed('diff-col')}]")
    }
    assert set(columns) == {"Added", "Removed", "Changed"}
    assert len(columns["Added"]) == EXAMPLES and set(columns["Added"]) <= added
    assert len(columns["Removed"]) == EXAMPLES and set(columns["Removed"]) <= removed
    assert len(columns["Changed"]) == EXAMPLES and set(columns["Changed"]) <= {
        f"us-ofac-sdn:{n}" for n in old & new
    }
    added_links = nodes(section, f".//div[{classed('diff-col')}][h4[starts-with(., 'Added')]]//a")
    first = added_links[0].get("href")
    assert first is not None and client.get(first).status_code == 200
