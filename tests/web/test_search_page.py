"""The search page over plain HTTP (the no-JavaScript path): results, explanations, form errors.

Known answers come from the data README (``us-ofac-sdn:20157`` = KIM, Jong Un, DPRK3, DOB 08 Jan
1984; KOMID a weak a.k.a. on OFAC and an alias of ``un-sc:KPe.001``; Tanchon Commercial Bank =
``un-sc:KPe.003`` / ``us-ofac-sdn:9346``) and the scoring configuration's published weights.
"""

from __future__ import annotations

import lxml.html
import pytest
from fastapi.testclient import TestClient

from sanctionwatch.app import create_app
from sanctionwatch.matching.config import DEFAULT_CONFIG
from sanctionwatch.service import ScreeningService
from tests.web.conftest import WebStore
from tests.web.pages import classed, html, nodes, texts

HIT = f"//article[{classed('hit')}]"
TOKEN_CLASSES = {"tok-exact", "tok-edit", "tok-korean", "tok-joined", "tok-unmatched", "tok-missing"}


def search(client: TestClient, **params: str) -> tuple[int, lxml.html.HtmlElement]:
    response = client.get("/ui/search", params=params)
    assert response.headers["content-type"].startswith("text/html")
    return response.status_code, html(response.text)


def hit_ids(doc: lxml.html.HtmlElement) -> list[str]:
    return [str(a.get("data-entity-id")) for a in nodes(doc, HIT)]


def tokens(article: lxml.html.HtmlElement, row: str) -> list[tuple[str, str]]:
    """(token, its tok-* class) of the ``Query`` or ``Listed`` row of a hit's alignment."""
    spans = nodes(
        article,
        f".//div[{classed('align-row')}][span[{classed('align-label')}]='{row}']//span[{classed('tok')}]",
    )
    out = []
    for span in spans:
        kind = next(c for c in (span.get("class") or "").split() if c.startswith("tok-"))
        out.append(((span.text or "").strip(), kind))
    return out


def test_the_empty_search_page_has_a_labelled_form_and_no_results(client: TestClient) -> None:
    status, doc = search(client)
    assert status == 200
    for field in ("name", "schema", "birth_date", "country", "threshold", "limit"):
        assert nodes(doc, f"//label[@for='{field}']"), field
        assert nodes(doc, f"//*[@id='{field}'][@name='{field}']"), field
    assert nodes(doc, "//form[@role='search'][@method='get']")
    assert hit_ids(doc) == []
    assert texts(doc, "//*[@id='results-status']") == ["Enter a name to screen."]


def test_kim_jong_un_ranks_first_with_his_explanation(client: TestClient) -> None:
    status, doc = search(client, name="Kim Jong-un", birth_date="1984-01-08")
    assert status == 200
    assert hit_ids(doc)[0] == "us-ofac-sdn:20157"
    first = nodes(doc, HIT)[0]
    assert texts(first, f".//span[{classed('badge')}]") == ["Alert"]
    assert texts(first, ".//h3") == ["KIM, Jong Un"]
    assert texts(first, f".//*[{classed('list-tag')}]") == ["us-ofac-sdn"]
    assert texts(first, f".//*[{classed('program')}]") == ["DPRK3"]
    assert texts(first, f".//*[{classed('matched-name')}]") == ["KIM, Jong Un"]
    assert tokens(first, "Query") == [("kim", "tok-exact"), ("jong", "tok-exact"), ("un", "tok-exact")]
    assert tokens(first, "Listed") == [("kim", "tok-exact"), ("jong", "tok-exact"), ("un", "tok-exact")]
    [evidence] = nodes(first, f".//li[{classed('ev')}]")
    assert "ev-for" in (evidence.get("class") or "")
    assert texts(evidence, f".//*[{classed('ev-amount')}]") == [f"{DEFAULT_CONFIG.dob_match_bonus:+.2f}"]
    assert "1984-01-08" in texts(evidence, f".//*[{classed('ev-detail')}]")[0]
    assert nodes(first, ".//a[@href='/ui/entities/us-ofac-sdn:20157']")


def test_a_korean_spelling_variant_is_highlighted_as_such(client: TestClient) -> None:
    _, doc = search(client, name="Kim Jong Eun")
    first = nodes(doc, HIT)[0]
    assert first.get("data-entity-id") == "us-ofac-sdn:20157"
    assert ("eun", "tok-korean") in tokens(first, "Query")
    assert ("un", "tok-korean") in tokens(first, "Listed")
    assert any("korean spelling" in t for t in texts(first, f".//ul[{classed('parts')}]/li"))


def test_a_hangul_query_finds_kim_jong_un_and_says_how(client: TestClient) -> None:
    _, doc = search(client, name="김정은")
    first = nodes(doc, HIT)[0]
    assert first.get("data-entity-id") == "us-ofac-sdn:20157"
    assert texts(first, f".//*[{classed('via')}]") == ["via Hangul romanized"]


def test_unmatched_and_missing_name_parts_are_marked(client: TestClient) -> None:
    _, doc = search(client, name="Kim Jong-un Smith")
    first = nodes(doc, HIT)[0]
    assert first.get("data-entity-id") == "us-ofac-sdn:20157"
    assert ("smith", "tok-unmatched") in tokens(first, "Query")
    assert any(t.startswith("Not in the listed name: smith") for t in texts(first, ".//ul/li"))

    _, doc = search(client, name="Tanchon Bank")
    assert set(hit_ids(doc)[:2]) == {"un-sc:KPe.003", "us-ofac-sdn:9346"}
    first = nodes(doc, HIT)[0]
    assert texts(first, f".//*[{classed('matched-name')}]") == ["TANCHON COMMERCIAL BANK"]
    listed = tokens(first, "Listed")
    assert [k for _, k in listed].count("tok-missing") == 1
    assert {k for _, k in listed} <= TOKEN_CLASSES


def test_a_weak_alias_match_is_labelled_weak(client: TestClient) -> None:
    _, doc = search(client, name="KOMID")
    matched = {
        a.get("data-entity-id"): " ".join(a.xpath("string(.//p[@class='matched'])").split())
        for a in nodes(doc, HIT)
    }
    assert matched["us-ofac-sdn:9345"] == "Matched KOMID (weak alias)"
    assert matched["un-sc:KPe.001"] == "Matched KOMID (alias)"


@pytest.mark.parametrize("threshold", ["", "0.6", "0.95"])
def test_badges_follow_the_threshold_and_hits_are_ranked(client: TestClient, threshold: str) -> None:
    _, doc = search(client, name="Kim Jong-un", threshold=threshold)
    limit = float(threshold) if threshold else DEFAULT_CONFIG.threshold
    scores = []
    for article in nodes(doc, HIT):
        score = float(texts(article, f".//*[{classed('score-value')}]")[0].removeprefix("Score "))
        badge = texts(article, f".//span[{classed('badge')}]")[0]
        assert badge == ("Alert" if score >= limit else "Below threshold"), (
            article.get("data-entity-id"),
            score,
        )
        assert ("hit-alert" in (article.get("class") or "")) == (score >= limit)
        scores.append(score)
    assert scores and scores == sorted(scores, reverse=True)
    assert min(scores) >= min(limit, DEFAULT_CONFIG.min_score) - 0.005
    status_line = texts(doc, "//*[@id='results-status']")[0]
    assert f"at threshold {limit:.2f}" in status_line
    assert status_line.startswith(f"{len(scores)} hit")


def test_the_results_limit_is_one_of_the_offered_sizes(client: TestClient) -> None:
    _, doc = search(client, name="Kim", threshold="0", limit="25")
    assert len(hit_ids(doc)) == 25
    _, doc = search(client, name="Kim", threshold="0", limit="7")  # not offered: the default, 10
    assert len(hit_ids(doc)) == 10


def field_error(doc: lxml.html.HtmlElement, field: str) -> str:
    """The error shown at a field, checking the input is marked invalid and points at it."""
    [control] = nodes(doc, f"//*[@id='{field}']")
    assert control.get("aria-invalid") == "true", field
    assert f"{field}-error" in (control.get("aria-describedby") or "").split(), field
    return texts(doc, f"//*[@id='{field}-error']")[0].removeprefix("Error: ")


def test_an_empty_name_re_renders_the_form_with_a_message_at_the_field(client: TestClient) -> None:
    status, doc = search(client, name="   ", birth_date="1984-01-08")
    assert status == 422
    assert field_error(doc, "name") == "Enter the name to screen."
    assert texts(doc, "//div[@class='error-summary']//a") == ["Enter the name to screen."]
    assert nodes(doc, "//div[@class='error-summary']//a[@href='#name']")
    assert nodes(doc, "//input[@id='name'][@autofocus]")
    assert nodes(doc, "//input[@id='birth_date'][@value='1984-01-08']")  # what was typed stays
    assert hit_ids(doc) == []


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("birth_date", "1984-13-45", "'1984-13-45' is not a real date."),
        ("birth_date", "08/01/1984", "'08/01/1984' is not YYYY, YYYY-MM or YYYY-MM-DD."),
        ("country", "Narnia", "Unknown country 'Narnia'; use ISO 3166 alpha-2 or a name."),
        ("schema", "Planet", "Unknown schema 'Planet'; use Person, Organization, Vessel, Aircraft or any."),
        ("threshold", "1.5", "Enter a number from 0 to 1, such as 0.80; '1.5' is not one."),
        ("threshold", "abc", "Enter a number from 0 to 1, such as 0.80; 'abc' is not one."),
    ],
)
def test_a_bad_field_is_reported_at_that_field_never_a_500(
    client: TestClient, field: str, value: str, expected: str
) -> None:
    status, doc = search(client, name="Kim Jong-un", **{field: value})
    assert status == 422
    assert field_error(doc, field) == expected
    assert hit_ids(doc) == []
    assert nodes(doc, f"//*[@id='{field}'][@autofocus]")


def test_every_bad_field_is_reported_at_once(client: TestClient) -> None:
    status, doc = search(client, name="", birth_date="1984-02-30", country="Atlantis", threshold="-1")
    assert status == 422
    for field in ("name", "birth_date", "country", "threshold"):
        assert field_error(doc, field)
    assert len(texts(doc, "//div[@class='error-summary']//li")) == 4
    assert len(nodes(doc, "//*[@autofocus]")) == 1
    assert nodes(doc, "//input[@id='name'][@autofocus]")


def test_query_text_is_escaped_not_executed(client: TestClient) -> None:
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    response = client.get("/ui/search", params={"name": payload})
    assert response.status_code == 200
    assert payload not in response.text
    doc = html(response.text)
    assert not nodes(doc, "//main//script") and not nodes(doc, "//img")
    assert [el.get("value") for el in nodes(doc, "//input[@id='name']")] == [payload]


def test_pages_carry_security_and_no_store_headers(client: TestClient) -> None:
    for url in ("/ui/search?name=Kim+Jong-un", "/ui/entities/us-ofac-sdn:20157", "/ui/lists"):
        response = client.get(url)
        assert response.status_code == 200, url
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["x-content-type-options"] == "nosniff"


def test_the_front_door_redirects_to_the_search_page(client: TestClient) -> None:
    for url in ("/", "/ui"):
        response = client.get(url)
        assert response.status_code == 307
        assert response.headers["location"] == "/ui/search"


def test_static_files_are_served_with_their_types(client: TestClient) -> None:
    css = client.get("/ui/static/app.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    htmx = client.get("/ui/static/vendor/htmx-2.0.11.min.js")
    assert htmx.status_code == 200 and "javascript" in htmx.headers["content-type"]
    assert 'version:"2.0.11"' in htmx.text
    assert client.get("/ui/static/../templates/base.html").status_code == 404
    page = html(client.get("/ui/search").text)
    for src in [*page.xpath("//script/@src"), *page.xpath("//link/@href")]:
        assert client.get(str(src)).status_code == 200, src


def test_before_the_index_is_loaded_the_page_says_so(web_store: WebStore) -> None:
    app = create_app(web_store.settings, service=ScreeningService(web_store.settings), load_on_start=False)
    client = TestClient(app)
    response = client.get("/ui/search", params={"name": "Kim Jong-un"})
    assert response.status_code == 503
    doc = html(response.text)
    assert "no screening index loaded yet" in texts(doc, "//div[@role='alert']")[0]
    assert client.get("/ui/entities/us-ofac-sdn:20157").status_code == 503
    lists = html(client.get("/ui/lists").text)
    # un-sc (dated 2026-02-27, so also stale), then us-ofac-sdn
    assert texts(lists, f"//*[{classed('badge')}]") == [
        "Not yet in the screening index",
        "Stale",
        "Not yet in the screening index",
    ]
