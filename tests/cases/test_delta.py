"""Delta re-screening after a list update, on SQLite and PostgreSQL, with two versions of the real UN list."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from sanctionwatch.cases.alerts import decide, history, list_alerts
from sanctionwatch.cases.audit import iter_audit
from sanctionwatch.cases.book import import_book
from sanctionwatch.cases.delta import pending_jobs, run_pending
from sanctionwatch.cases.screening import screen_book
from sanctionwatch.errors import ListFileError
from sanctionwatch.matching.screener import Screener
from sanctionwatch.store import ListStore
from sanctionwatch.store.schema import rescreen_jobs
from tests.cases.unversions import ADDED, CHANGED, COMMENTED, REMOVED, un_pair
from tests.store.listfiles import un_truncated

UN_FILE = "un/consolidated-2026-02-27.xml"


def _screener(store: ListStore) -> Screener:
    return Screener(store.active_entities())


def _alerts(store: ListStore) -> set[tuple[str, str, str]]:
    return {(a.customer_id, a.entity_id, a.state) for a in list_alerts(store.engine)}


def _jobs(store: ListStore) -> list[tuple[str, str]]:
    with store.engine.connect() as conn:
        rows = conn.execute(
            sa.select(rescreen_jobs.c.list_key, rescreen_jobs.c.state).order_by(rescreen_jobs.c.id)
        )
        return [(r.list_key, r.state) for r in rows]


@pytest.fixture
def versions(tmp_path: Path, data_dir: Path) -> tuple[Path, Path]:
    """The old and new UN versions (tests/cases/unversions.py)."""
    return un_pair(data_dir / UN_FILE, tmp_path / "un")


@pytest.fixture
def screened(store: ListStore, versions: tuple[Path, Path], book_csv: Path) -> ListStore:
    """The old UN version imported, the six-customer book imported and screened against it."""
    store.import_paths([versions[0]], actor="loader")
    assert run_pending(store.engine, lambda: pytest.fail("no customer yet: no screener needed"), "ops")
    import_book(store.engine, book_csv, "alice")
    screen_book(store.engine, _screener(store), "alice")
    # KOMID is listed in the old version; Tanchon is not, and KKBC goes by another name there.
    assert _alerts(store) == {("C1", REMOVED, "open")}
    return store


def test_update_adds_reopens_and_delists_only_what_changed(
    screened: ListStore, versions: tuple[Path, Path]
) -> None:
    screened.import_paths([versions[1]], actor="loader")
    assert _jobs(screened)[-1] == ("un-sc", "pending")
    [report] = run_pending(screened.engine, lambda: _screener(screened), "ops")
    assert (report.added, report.changed, report.removed) == (1, 2, 1)
    # KPe.010's comments changed, not what is scored: only KPe.003 and KPe.025 are looked up.
    assert report.rescored == 2
    assert report.book == 6
    # Only the two customers the added and renamed entities can reach are screened again.
    assert report.candidates == 2
    assert (report.screen.opened, report.delisted) == (2, 1)
    assert _alerts(screened) == {
        ("C1", REMOVED, "closed_delisted"),
        ("C2", ADDED, "open"),
        ("C3", CHANGED, "open"),
    }
    delisted = next(a for a in list_alerts(screened.engine) if a.entity_id == REMOVED)
    [step] = history(screened.engine, delisted.id)
    assert (step.from_state, step.to_state, step.actor) == ("open", "closed_delisted", "ops")
    assert step.reason.startswith("delisted")
    assert _jobs(screened)[-1] == ("un-sc", "done")
    assert pending_jobs(screened.engine) == []
    actions = [e.action for e in iter_audit(screened.engine)]
    assert actions.count("book.rescreen") == 2  # the first import's (empty book) and this one
    assert "alert.delisted" in actions


def test_delta_equals_a_full_rescreen(
    screened: ListStore, versions: tuple[Path, Path], tmp_path: Path, book_csv: Path, db_url: str
) -> None:
    screened.import_paths([versions[1]])
    run_pending(screened.engine, lambda: _screener(screened), "ops")
    # The same history on a second database, then the full screen instead of the delta.
    other_url = f"sqlite:///{tmp_path / 'full.db'}"
    settings = screened.settings.model_copy(update={"database_url": other_url})
    with ListStore.open(settings) as full:
        full.import_paths([versions[0]], rescreen=False)
        import_book(full.engine, book_csv, "alice")
        screen_book(full.engine, _screener(full), "alice")
        full.import_paths([versions[1]], rescreen=False)
        assert [s for _, s in _jobs(full)] == ["skipped", "skipped"]
        assert pending_jobs(full.engine) == []
        screen_book(full.engine, _screener(full), "alice")
        assert _alerts(full) == _alerts(screened)


def test_false_positive_on_a_changed_entity_reopens_and_links(
    screened: ListStore, versions: tuple[Path, Path], tmp_path: Path
) -> None:
    extra = tmp_path / "more.csv"
    extra.write_text(
        "id,name,schema\nC7,Green Pine Associated Corporation,Organization\n"
        "C8,Pyongyang Harbour Logistics Bureau,Organization\n",
        encoding="utf-8",
    )
    import_book(screened.engine, extra, "alice", full=False)
    screen_book(screened.engine, _screener(screened), "alice")
    before = {a.customer_id: a for a in list_alerts(screened.engine) if a.customer_id in ("C7", "C8")}
    assert (before["C7"].entity_id, before["C8"].entity_id) == (COMMENTED, CHANGED)
    for alert in before.values():
        decide(screened.engine, alert.id, "false-positive", "alice", "a different company")
    screened.import_paths([versions[1]])
    [report] = run_pending(screened.engine, lambda: _screener(screened), "ops")
    assert report.screen.reopened == 1
    after = {(a.customer_id, a.state, a.supersedes_alert_id) for a in list_alerts(screened.engine)}
    # Green Pine's record changed: its false positive reopens as a new alert linking the decided one.
    assert ("C7", "open", before["C7"].id) in after
    # KKBC was renamed away from C8's name: no match any more, the decision stands alone.
    assert ("C8", "closed_false_positive", None) in after
    assert not any(c == "C8" and s == "open" for c, s, _ in after)


def test_no_rescreen_records_a_skipped_job_and_book_rescreen_catches_up(
    screened: ListStore, versions: tuple[Path, Path]
) -> None:
    screened.import_paths([versions[1]], rescreen=False)
    assert _jobs(screened)[-1] == ("un-sc", "skipped")
    assert run_pending(screened.engine, lambda: pytest.fail("nothing pending"), "ops") == []
    assert ("C2", ADDED, "open") not in _alerts(screened)


def test_a_full_screen_closes_delisted_alerts_and_supersedes_pending_jobs(
    screened: ListStore, versions: tuple[Path, Path]
) -> None:
    screened.import_paths([versions[1]])
    assert len(pending_jobs(screened.engine)) == 1
    report = screen_book(screened.engine, _screener(screened), "alice")
    assert report.opened == 2
    assert pending_jobs(screened.engine) == []
    assert ("C1", REMOVED, "closed_delisted") in _alerts(screened)


def test_list_imports_are_audited_with_their_actor_and_failures_too(
    store: ListStore, data_dir: Path, tmp_path: Path
) -> None:
    store.import_paths([data_dir / UN_FILE], actor="loader")
    broken = un_truncated(data_dir / UN_FILE, tmp_path / "cut", "2026-03-01")
    with pytest.raises(ListFileError):
        store.import_paths([broken], actor="loader")
    entries = [e for e in iter_audit(store.engine) if e.action.startswith("list.")]
    assert [(e.action, e.actor, e.subject) for e in entries] == [
        ("list.import", "loader", "un-sc"),
        ("list.import_failed", "loader", "un-sc"),
    ]
    assert entries[0].details["entity_count"] == 1003  # data README: 730 individuals + 273 entities
    assert entries[0].details["activated"] is True
    assert str(broken) in entries[1].details["files"]
    assert "consolidated.xml" in entries[1].details["reason"]
