"""The entity page over plain HTTP. Expected values are read from the raw list files (quoted in
comments) or the data README, not from the parser."""

from __future__ import annotations

import lxml.html
from fastapi.testclient import TestClient

from sanctionwatch.store import ListStore
from tests.web.conftest import WebStore
from tests.web.pages import classed, html, nodes, texts


def entity(client: TestClient, entity_id: str) -> lxml.html.HtmlElement:
    response = client.get(f"/ui/entities/{entity_id}")
    assert response.status_code == 200, response.text[:300]
    return html(response.text)


def fact(doc: lxml.html.HtmlElement, label: str) -> list[str]:
    """The values listed under a ``<dt>`` label (one per item where the page lists several)."""
    [dd] = nodes(doc, f"//dl/div[dt='{label}']/dd")
    items = texts(dd, f".//*[{classed('fact-item')}]")
    return items or [" ".join(dd.text_content().split())]


def name_rows(doc: lxml.html.HtmlElement) -> list[list[str]]:
    return [
        [" ".join(td.text_content().split()) for td in tr.xpath("./td")]
        for tr in nodes(doc, f"//table[{classed('names-table')}]/tbody/tr")
    ]


def test_kim_jong_un_page_shows_his_record_and_its_source(client: TestClient, web_store: WebStore) -> None:
    doc = entity(client, "us-ofac-sdn:20157")
    assert texts(doc, "//h1") == ["KIM, Jong Un"]
    assert texts(doc, f"//header[{classed('entity-head')}]//*[{classed('program')}]") == ["DPRK3"]
    assert fact(doc, "Born") == ["1984-01-08"]  # sdn.csv remarks: "DOB 08 Jan 1984"
    assert fact(doc, "Titles, positions") == ["Chairman of the Workers' Party of Korea"]
    assert name_rows(doc) == [["KIM, Jong Un family KIM · given Jong Un", "Primary", "not stated", "Strong"]]
    with ListStore.open(web_store.settings) as store:
        active = store.active_versions()["us-ofac-sdn"]
    assert fact(doc, "List") == ["us-ofac-sdn"]
    assert fact(doc, "Id in list") == ["20157"]
    assert fact(doc, "List version") == [str(active.id)]
    assert fact(doc, "Imported at") == [active.imported_at.strftime("%Y-%m-%d %H:%M UTC")]
    assert fact(doc, "Published") == ["not stated in the files"]  # the legacy CSV carries no date
    assert fact(doc, "Files") == ["sdn.csv"]


def test_a_un_entry_shows_every_name_in_every_script_and_its_documents(client: TestClient) -> None:
    # consolidated-2026-02-27.xml, REFERENCE_NUMBER QDi.290: FIRST_NAME DOKU, SECOND_NAME KHAMATOVICH,
    # THIRD_NAME UMAROV, NAME_ORIGINAL_SCRIPT "Умаров Доку Хаматович", aliases (Good) "Lom-ali
    # Butayev (Butaev)" and "Dokka Umarov", four INDIVIDUAL_DATE_OF_BIRTH, born in Kharsenoy Village,
    # nationality Russian Federation, passport 96 03 464086, listed on 2011-03-10.
    doc = entity(client, "un-sc:QDi.290")
    rows = name_rows(doc)
    names = [r[0].split(" family ")[0] for r in rows]
    assert names[0] == "DOKU KHAMATOVICH UMAROV"
    assert {"Умаров Доку Хаматович", "Lom-ali Butayev (Butaev)", "Dokka Umarov"} <= set(names)
    scripts = {r[0].split(" family ")[0]: r[2] for r in rows}
    assert scripts["Умаров Доку Хаматович"] == "Cyrillic (Cyrl)"
    assert scripts["Dokka Umarov"] == "Latin (Latn)"
    assert [r[1] for r in rows] == ["Primary"] + ["Alias (a.k.a.)"] * (len(rows) - 1)
    assert set(fact(doc, "Born")) == {"1964-04-13", "1965-04-13", "1964-05-12", "1955"}
    assert "Kharsenoy Village" in fact(doc, "Place of birth")[0]
    assert fact(doc, "Nationality")[0] == "Russian Federation (RU)"
    assert fact(doc, "Listed on") == ["2011-03-10"]
    assert fact(doc, "Published") == ["2026-02-27"]
    numbers = texts(doc, f"//table[{classed('ids-table')}]/tbody/tr/td[2]")
    assert "96 03 464086" in numbers, numbers
    remarks = texts(doc, f"//p[{classed('remarks')}]")[0]
    assert remarks.startswith("Physical description: 180 cm tall")


def test_weak_aliases_are_flagged(client: TestClient) -> None:
    # sdn.csv 9345: remarks "a.k.a. 'KOMID'" (single quotes: a weak alias)
    rows = name_rows(entity(client, "us-ofac-sdn:9345"))
    assert ["KOMID", "Alias (a.k.a.)", "not stated", "Weak alias"] in rows
    assert rows[0][3] == "Strong"


def test_linked_entities_are_links_when_the_target_is_known(client: TestClient) -> None:
    # sdn.csv 10392 remarks: "Linked To: ISLAMIC REVOLUTIONARY GUARD CORPS (IRGC)-QODS FORCE; Linked To:
    # ROSOBORONEKSPORT OAO." - 10465 is the IRGC-QF entry.
    doc = entity(client, "us-ofac-sdn:10392")
    anchors = nodes(doc, f"//ul[{classed('links')}]//a")
    links = {" ".join(a.text_content().split()): a.get("href") for a in anchors}
    assert links["ISLAMIC REVOLUTIONARY GUARD CORPS (IRGC)-QODS FORCE"] == "/ui/entities/us-ofac-sdn:10465"
    target = entity(client, "us-ofac-sdn:10465")
    assert texts(target, "//h1") == ["ISLAMIC REVOLUTIONARY GUARD CORPS (IRGC)-QODS FORCE"]


def test_an_unknown_entity_is_a_404_page_not_json(client: TestClient) -> None:
    response = client.get("/ui/entities/us-ofac-sdn:999999999")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    doc = html(response.text)
    assert texts(doc, "//h1") == ["Entity not found"]
    assert "'us-ofac-sdn:999999999'" in texts(doc, "//main//p")[0]
