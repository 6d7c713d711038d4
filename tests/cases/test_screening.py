"""Screening the book: one alert per matching pair, idempotent, false positives suppressed until a change."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from sanctionwatch.cases.alerts import decide, list_alerts
from sanctionwatch.cases.audit import iter_audit
from sanctionwatch.cases.book import import_book
from sanctionwatch.cases.screening import screen_book
from sanctionwatch.matching.screener import Screener
from sanctionwatch.store import ListStore
from sanctionwatch.store.schema import entities
from tests.cases.conftest import BOOK, PLANTED, UN_FILE


def _pairs(store: ListStore) -> set[tuple[str, str]]:
    return {(a.customer_id, a.entity_id) for a in list_alerts(store.engine)}


def _fingerprint(store: ListStore, entity_id: str, version_id: int) -> str:
    with store.engine.connect() as conn:
        return str(
            conn.execute(
                sa.select(entities.c.fingerprint).where(
                    entities.c.entity_id == entity_id, entities.c.version_id == version_id
                )
            ).scalar_one()
        )


def test_planted_names_open_one_alert_each_and_clean_names_none(
    listed: ListStore, book_csv: Path, un_screener: Screener
) -> None:
    import_book(listed.engine, book_csv, "alice")
    report = screen_book(listed.engine, un_screener, "alice", chunk_size=2)
    assert _pairs(listed) == PLANTED
    assert (report.customers, report.opened, report.suppressed) == (6, 3, 0)
    version = listed.active_versions()["un-sc"]
    komid = next(a for a in list_alerts(listed.engine) if a.customer_id == "C1")
    assert komid.state == "open"
    assert komid.list_version_id == version.id
    assert komid.customer_data["name"] == "KOMID"
    assert komid.customer_data["extra"] == {"segment": "corporate"}
    assert komid.entity_fingerprint == _fingerprint(listed, "un-sc:KPe.001", version.id)
    assert komid.hit["entity_id"] == "un-sc:KPe.001"
    assert komid.hit["explanation"]["summary"]
    assert komid.score >= 0.8


def test_screening_twice_opens_nothing_new(listed: ListStore, book_csv: Path, un_screener: Screener) -> None:
    import_book(listed.engine, book_csv, "alice")
    screen_book(listed.engine, un_screener, "alice")
    again = screen_book(listed.engine, un_screener, "alice")
    assert (again.opened, again.reopened, again.already_open) == (0, 0, 3)
    assert len(list_alerts(listed.engine)) == 3


def test_a_false_positive_stays_suppressed_until_the_customer_changes(
    listed: ListStore, book_csv: Path, un_screener: Screener, tmp_path: Path
) -> None:
    import_book(listed.engine, book_csv, "alice")
    screen_book(listed.engine, un_screener, "alice")
    bank = next(a for a in list_alerts(listed.engine) if a.customer_id == "C2")
    decide(listed.engine, bank.id, "false-positive", "alice", "our client is a different bank")
    quiet = screen_book(listed.engine, un_screener, "alice")
    assert (quiet.opened, quiet.reopened, quiet.suppressed, quiet.already_open) == (0, 0, 1, 2)
    changed = tmp_path / "changed.csv"
    changed.write_text(
        BOOK.replace(
            "C2,Tanchon Commercial Bank,Organization,,,", "C2,Tanchon Commercial Bank,Organization,,KP,"
        ),
        encoding="utf-8",
    )
    assert import_book(listed.engine, changed, "alice").changed == 1
    loud = screen_book(listed.engine, un_screener, "alice")
    assert (loud.reopened, loud.suppressed) == (1, 0)
    new = [a for a in list_alerts(listed.engine) if a.customer_id == "C2" and a.id != bank.id]
    assert len(new) == 1
    assert new[0].supersedes_alert_id == bank.id
    assert new[0].state == "open"
    assert new[0].customer_data["country"] == "KP"


def test_a_changed_listed_record_reopens_a_false_positive(
    listed: ListStore, book_csv: Path, un_screener: Screener, data_dir: Path, tmp_path: Path
) -> None:
    import_book(listed.engine, book_csv, "alice")
    screen_book(listed.engine, un_screener, "alice")
    komid = next(a for a in list_alerts(listed.engine) if a.customer_id == "C1")
    decide(listed.engine, komid.id, "false-positive", "bob", "a namesake")
    # A new UN version in which KOMID's record changed (its comment) and nothing else.
    text = (data_dir / UN_FILE).read_text(encoding="utf-8")
    anchor = "<REFERENCE_NUMBER>KPe.001</REFERENCE_NUMBER>"
    assert text.count(anchor) == 1
    modified = tmp_path / "consolidated.xml"
    modified.write_text(
        text.replace(anchor, anchor + "<COMMENTS1>Amended entry.</COMMENTS1>", 1), encoding="utf-8"
    )
    listed.import_paths([modified])
    new_version = listed.active_versions()["un-sc"].id
    assert new_version != komid.list_version_id
    assert _fingerprint(listed, "un-sc:KPe.001", new_version) != komid.entity_fingerprint
    report = screen_book(listed.engine, un_screener, "alice")
    assert (report.reopened, report.suppressed, report.already_open) == (1, 0, 2)
    reopened = next(a for a in list_alerts(listed.engine) if a.supersedes_alert_id == komid.id)
    assert (reopened.customer_id, reopened.entity_id, reopened.list_version_id) == (
        "C1",
        "un-sc:KPe.001",
        new_version,
    )


def test_removed_customers_are_not_screened(
    listed: ListStore, book_csv: Path, un_screener: Screener, tmp_path: Path
) -> None:
    only_clean = tmp_path / "clean.csv"
    only_clean.write_text("\n".join(BOOK.splitlines()[:1] + BOOK.splitlines()[4:]) + "\n", encoding="utf-8")
    import_book(listed.engine, book_csv, "alice")
    import_book(listed.engine, only_clean, "alice")
    report = screen_book(listed.engine, un_screener, "alice")
    assert (report.customers, report.opened) == (3, 0)
    assert _pairs(listed) == set()


def test_every_screen_and_alert_is_audited(listed: ListStore, book_csv: Path, un_screener: Screener) -> None:
    import_book(listed.engine, book_csv, "alice")
    screen_book(listed.engine, un_screener, "carol")
    entries = list(iter_audit(listed.engine))
    opened = [e for e in entries if e.action == "alert.open"]
    assert {(e.details["customer_id"], e.details["entity_id"]) for e in opened} == PLANTED
    assert all(e.actor == "carol" for e in opened)
    screen = entries[-1]
    assert (screen.action, screen.actor) == ("book.screen", "carol")
    assert screen.details["opened"] == 3
    assert screen.details["list_versions"] == {"un-sc": listed.active_versions()["un-sc"].id}


def test_kim_jong_un_alerts_against_ofac(store: ListStore, data_dir: Path, tmp_path: Path) -> None:
    store.import_paths([data_dir / "ofac/sdn-2024-05-03"])
    screener = Screener(list(store.active_entities()))
    book = tmp_path / "kim.csv"
    book.write_text(
        "id,name,birth_date,nationality\nK1,Kim Jong Un,1984-01-08,KP\nK2,Jane Smith,,GB\n", encoding="utf-8"
    )
    import_book(store.engine, book, "alice")
    screen_book(store.engine, screener, "alice")
    assert ("K1", "us-ofac-sdn:20157") in _pairs(store)
    assert not any(c == "K2" for c, _ in _pairs(store))
    alert = next(a for a in list_alerts(store.engine) if a.entity_id == "us-ofac-sdn:20157")
    assert alert.hit["programs"] == ["DPRK3"]


def test_matches_with_entities_not_in_the_active_lists_are_counted_as_stale(
    store: ListStore, book_csv: Path, un_screener: Screener
) -> None:
    import_book(store.engine, book_csv, "alice")  # no list imported in this store
    report = screen_book(store.engine, un_screener, "alice")
    assert (report.matches, report.stale, report.opened) == (3, 3, 0)
    assert list_alerts(store.engine) == []
