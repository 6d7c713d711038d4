"""The delta re-screen equals a full re-screen on a real list diff: OFAC SDN 2022-01-31 → 2024-05-03,
with a synthetic book of 100,000 customers holding planted listed names (tests/cases/synthetic.py).

Both databases start as the same copy: the 2022 list, the book screened against it, and analysts'
decisions on some of its alerts. One then imports 2024 and re-screens by delta; the other imports
2024 without re-screening and screens the whole book. Their alerts must be the same.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from sanctionwatch.cases.alerts import Alert, decide, list_alerts
from sanctionwatch.cases.book import import_book
from sanctionwatch.cases.delta import DeltaReport, run_pending
from sanctionwatch.cases.screening import ScreenReport, screen_book
from sanctionwatch.matching.screener import Screener
from sanctionwatch.store import ListStore
from tests.cases.synthetic import Planted, make_book, parse_set
from tests.store.fresh import make_settings

BOOK_SIZE = 100_000
OLD, NEW = "ofac/sdn-2022-01-31", "ofac/sdn-2024-05-03"


@dataclass(frozen=True)
class Outcome:
    """Both runs: the alerts of each database, the delta's report, the full screen's report."""

    planted: Planted
    delta: list[Alert]
    full: list[Alert]
    report: DeltaReport
    full_report: ScreenReport
    decided: dict[int, str]


def _open(folder: Path, name: str) -> ListStore:
    return ListStore.open(make_settings(f"sqlite:///{folder / name}", folder))


def _decide_some(store: ListStore) -> dict[int, str]:
    """Close every 7th alert as a false positive, escalate every 11th, approve a true match every 13th."""
    done: dict[int, str] = {}
    for n, alert in enumerate(list_alerts(store.engine)):
        if n % 7 == 0:
            decide(store.engine, alert.id, "false-positive", "ana", "not our customer's namesake")
            done[alert.id] = "closed_false_positive"
        elif n % 11 == 0:
            decide(store.engine, alert.id, "escalate", "ana", "needs a second look")
            done[alert.id] = "escalated"
        elif n % 13 == 0:
            decide(store.engine, alert.id, "propose-true-match", "ana", "same person")
            decide(store.engine, alert.id, "approve-true-match", "sam", "confirmed")
            done[alert.id] = "closed_true_match"
    return done


@pytest.fixture(scope="module")
def outcome(tmp_path_factory: pytest.TempPathFactory, data_dir: Path, eval_dir: Path) -> Iterator[Outcome]:
    folder = tmp_path_factory.mktemp("delta-ofac")
    old, new = parse_set(data_dir / OLD, lenient=True), parse_set(data_dir / NEW, lenient=False)
    planted = make_book(folder / "book.csv", BOOK_SIZE, old, new, eval_dir / "dev" / "negatives.csv")
    del old, new
    with _open(folder, "delta.db") as store:
        store.import_paths([data_dir / OLD], lenient=True)  # data README: the 2022 files need it
        import_book(store.engine, folder / "book.csv", "ana")
        screen_book(store.engine, Screener(store.active_entities()), "ana")
        decided = _decide_some(store)
    shutil.copy(folder / "delta.db", folder / "full.db")
    with _open(folder, "delta.db") as store:
        store.import_paths([data_dir / NEW])
        screener = Screener(store.active_entities())
        [report] = run_pending(store.engine, lambda: screener, "ops", cache_dir=folder / "cache")
        delta = list_alerts(store.engine)
    with _open(folder, "full.db") as store:
        store.import_paths([data_dir / NEW], rescreen=False)
        full_report = screen_book(store.engine, screener, "ops")
        full = list_alerts(store.engine)
    yield Outcome(planted, delta, full, report, full_report, decided)


def _comparable(alerts: list[Alert]) -> set[tuple[Any, ...]]:
    """Everything an alert holds but its id (ids of alerts opened by the update differ in order)."""
    by_id = {a.id: a for a in alerts}

    def pair(alert_id: int | None) -> tuple[str, str] | None:
        return None if alert_id is None else (by_id[alert_id].customer_id, by_id[alert_id].entity_id)

    return {
        (
            a.customer_id,
            a.entity_id,
            a.state,
            round(a.score, 6),
            a.list_version_id,
            a.customer_fingerprint,
            a.entity_fingerprint,
            pair(a.supersedes_alert_id),
        )
        for a in alerts
    }


def test_delta_rescreen_equals_full_rescreen(outcome: Outcome) -> None:
    assert len(outcome.delta) == len(outcome.full)
    assert _comparable(outcome.delta) == _comparable(outcome.full)


def test_delta_screened_a_fraction_of_the_book(outcome: Outcome) -> None:
    report = outcome.report
    assert report.book == BOOK_SIZE
    assert outcome.full_report.customers == BOOK_SIZE
    assert report.added > 0 and report.changed > 0 and report.removed > 0
    assert report.candidates < BOOK_SIZE / 4
    assert report.screen.customers == report.candidates


def test_planted_names_of_the_update_are_alerted(outcome: Outcome) -> None:
    live = {(a.customer_id, a.entity_id) for a in outcome.delta if a.state == "open"}
    exact = outcome.planted.of_kind("added")
    assert len(exact) == 400
    assert set(exact.items()) <= live  # the listed name itself must alert
    # One letter of the longest word replaced: most still alert (a guard against the delta path
    # losing fuzzy matches wholesale; the equality test pins the exact set).
    typos = outcome.planted.of_kind("added_typo")
    found = sum(1 for pair in typos.items() if pair in live)
    assert found >= 0.8 * len(typos)
    vessels = outcome.planted.of_kind("vessel")
    assert len(vessels) == 50
    assert set(vessels.items()) <= live  # renamed ships found by their IMO number alone


def test_removed_entities_close_their_alerts_as_delisted(outcome: Outcome) -> None:
    removed = outcome.planted.of_kind("removed")
    states = {(a.customer_id, a.entity_id): a.state for a in outcome.delta}
    alerted = [pair for pair in removed.items() if pair in states]
    assert len(alerted) == len(removed)  # exact listed names: each alerted in 2022
    # Alerts still under review are closed as delisted; decided ones keep their decision.
    for pair in alerted:
        assert states[pair] in ("closed_delisted", "closed_false_positive", "closed_true_match")
    assert any(states[pair] == "closed_delisted" for pair in alerted)
    delisted = [a for a in outcome.delta if a.state == "closed_delisted"]
    assert outcome.report.delisted == len(delisted)
    assert {a.state for a in outcome.full if a.state == "closed_delisted"} == {"closed_delisted"}


def test_decisions_survive_or_reopen_by_what_changed(outcome: Outcome) -> None:
    alerts = {a.id: a for a in outcome.delta}
    reopened = [a for a in outcome.delta if a.supersedes_alert_id is not None]
    assert reopened, "changed entities with false positives must reopen some"
    for alert in reopened:
        before = alerts[alert.supersedes_alert_id or 0]
        assert before.state == outcome.decided[before.id]
        assert before.entity_fingerprint != alert.entity_fingerprint
    assert outcome.report.screen.reopened == len(reopened)
