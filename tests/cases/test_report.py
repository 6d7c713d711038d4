"""The audit CSV export and the per-alert HTML report."""

from __future__ import annotations

import csv
from pathlib import Path

import orjson
from lxml import html as lxml_html

from sanctionwatch.cases.alerts import decide, list_alerts
from sanctionwatch.cases.audit import CSV_COLUMNS, export_csv
from sanctionwatch.cases.book import import_book
from sanctionwatch.cases.report import write_alert_html
from sanctionwatch.cases.screening import screen_book
from sanctionwatch.matching.screener import Screener
from sanctionwatch.store import ListStore


def test_audit_export_has_every_entry(
    listed: ListStore, book_csv: Path, un_screener: Screener, tmp_path: Path
) -> None:
    import_book(listed.engine, book_csv, "alice")
    screen_book(listed.engine, un_screener, "alice")
    first = list_alerts(listed.engine)[0]
    decide(listed.engine, first.id, "escalate", "bob", "check, please")
    out = tmp_path / "audit.csv"
    # list import, book import, 3 alerts, screen, transition
    assert export_csv(listed.engine, out) == 7
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [r["action"] for r in rows] == ["list.import", "book.import"] + ["alert.open"] * 3 + [
        "book.screen",
        "alert.transition",
    ]
    assert rows[-1]["actor"] == "bob"
    assert rows[-1]["subject"] == f"alert:{first.id}"
    assert orjson.loads(rows[-1]["details"])["reason"] == "check, please"
    assert rows[0]["at"].endswith("+00:00")


def test_alert_report_shows_customer_entity_explanation_and_history(
    listed: ListStore, book_csv: Path, un_screener: Screener, tmp_path: Path
) -> None:
    import_book(listed.engine, book_csv, "alice")
    screen_book(listed.engine, un_screener, "alice")
    komid = next(a for a in list_alerts(listed.engine) if a.customer_id == "C1")
    decide(listed.engine, komid.id, "propose-true-match", "alice", "KOMID <is> the aka")
    out = tmp_path / "report.html"
    write_alert_html(listed.engine, komid.id, out)
    page = out.read_text(encoding="utf-8")
    assert "&lt;is&gt;" in page  # escaped
    text = "".join(str(t) for t in lxml_html.fromstring(page).itertext())
    assert f"Alert {komid.id}" in text
    assert "KOREA MINING DEVELOPMENT TRADING CORPORATION" in text  # the UN record's caption
    assert "un-sc:KPe.001" in text
    assert "segment: corporate" in text
    assert "KOMID <is> the aka" in text
    assert "open → pending_true_match" in text
    assert str(komid.hit["explanation"]["summary"]) in text
