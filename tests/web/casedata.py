"""Case data for the alert and audit page tests: a copy of the web test store with a screened book.

The book holds KIM Jong Un (OFAC SDN ``us-ofac-sdn:20157``, data README), the names of the first
55 DPRK entities of the UN list as the raw XML spells them (read here with lxml, independently of
the importers), and three made-up names. It is imported with ``cases.book.import_book`` and
screened with the test service's screener (built from the store's active entities); then a few
alerts are decided and back-dated so every state and age filter has something to find (:data:`PLAN`).

Each test gets a fresh copy of the prepared database (SQLite's backup API) and an app on it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import lxml.etree
import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from sanctionwatch.app import create_app
from sanctionwatch.cases.alerts import decide, list_alerts
from sanctionwatch.cases.audit import now
from sanctionwatch.cases.book import import_book
from sanctionwatch.cases.screening import screen_book
from sanctionwatch.cases.users import User
from sanctionwatch.service import ScreeningService, state_of
from sanctionwatch.settings import Settings
from sanctionwatch.store.database import open_engine
from sanctionwatch.store.schema import alerts
from tests.web.conftest import PASSWORDS, WebStore, settings_for
from tests.web.pages import csrf_token, sign_in

__all__ = [
    "HEADER",
    "KIM_ENTITY",
    "UN_ENTITIES",
    "CaseBase",
    "CaseSite",
    "case_base",
    "count_alerts",
    "decide_post",
    "signed_in",
    "site",
]

KIM_ENTITY = "us-ofac-sdn:20157"
UN_FILE = "un/consolidated-2026-02-27.xml"
HEADER = "id,name,schema,birth_date,country,identifiers,segment"
UN_ENTITIES = 55
"""UN DPRK entities (``KPe.*``) in the book: with KIM Jong Un, more alerts than a 50-row page."""
CLEAN = ("Marguerite Oyelaran-Thistlewood", "Fjordhaven Biscuit Cooperative", "Quillon Pemberton-Vasquez")


@dataclass(frozen=True)
class CaseBase:
    """The prepared database file and what was set up in it.

    Attributes:
        path: The SQLite file (copy it; do not write to it).
        un_customers: Customer id → UN reference number of the entity named after it.
        kim_alert: The KIM Jong Un alert (left open).
        escalated: Alerts escalated by ana.
        false_positive: Alerts closed as false positives by ana.
        pending: Alerts proposed as true matches by ana.
        ten_days: Alerts back-dated to 10 days ago (left open).
        forty_days: Alerts back-dated to 40 days ago (left open).
    """

    path: Path
    un_customers: dict[str, str]
    kim_alert: int
    escalated: tuple[int, ...]
    false_positive: tuple[int, ...]
    pending: tuple[int, ...]
    ten_days: tuple[int, ...]
    forty_days: tuple[int, ...]


@dataclass(frozen=True)
class CaseSite:
    """One test's copy: its settings, engine, app and a client that does not follow redirects."""

    base: CaseBase
    settings: Settings
    engine: Engine
    app: FastAPI
    client: TestClient


def un_dprk_entities(data_dir: Path, count: int) -> list[tuple[str, str]]:
    """``(REFERENCE_NUMBER, FIRST_NAME)`` of the first ``count`` UN entities numbered ``KPe.``."""
    tree = lxml.etree.parse(str(data_dir / UN_FILE))
    found = [
        (e.findtext("REFERENCE_NUMBER") or "", e.findtext("FIRST_NAME") or "")
        for e in tree.iter("ENTITY")
        if (e.findtext("REFERENCE_NUMBER") or "").startswith("KPe.")
    ]
    return found[:count]


def _book(data_dir: Path, folder: Path) -> tuple[Path, dict[str, str]]:
    rows = [
        "id,name,schema,birth_date,country,identifiers,segment",
        "K1,KIM Jong Un,Person,1984-01-08,KP,,private",
    ]
    un_customers = {}
    for n, (ref, name) in enumerate(un_dprk_entities(data_dir, UN_ENTITIES), start=1):
        cid = f"U{n:02d}"
        un_customers[cid] = ref
        rows.append(f'{cid},"{name.replace(chr(34), "")}",Organization,,KP,,corporate')
    rows += [f"N{n},{name},,,GB,,retail" for n, name in enumerate(CLEAN, start=1)]
    path = folder / "book.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path, un_customers


def _backdate(engine: Engine, ids: tuple[int, ...], days: int) -> None:
    with engine.begin() as conn:
        conn.execute(
            alerts.update().where(alerts.c.id.in_(ids)).values(opened_at=now() - timedelta(days=days))
        )


def _copy(source: Path, target: Path) -> None:
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def _sqlite_path(settings: Settings) -> Path:
    url = settings.database_url or ""
    assert url.startswith("sqlite:///"), url
    return Path(url.removeprefix("sqlite:///"))


@pytest.fixture(scope="module")
def case_base(
    web_store: WebStore,
    web_service: ScreeningService,
    ui_users: dict[str, User],
    tmp_path_factory: pytest.TempPathFactory,
) -> CaseBase:
    """The web store copied, with the UI users, the screened book and a few decisions.

    The users are the session's ``ui_users``, made in the web store before it is copied: creating
    them here instead failed whenever another module of the same worker had made them first.
    """
    folder = tmp_path_factory.mktemp("case-base")
    settings = settings_for(folder)
    _copy(_sqlite_path(web_store.settings), _sqlite_path(settings))
    engine = open_engine(settings)
    try:
        book, un_customers = _book(web_store.data_dir, folder)
        import_book(engine, book, "test-setup")
        screen_book(engine, web_service.current().screener, "test-setup")
        every = list_alerts(engine)
        kim = next(a.id for a in every if (a.customer_id, a.entity_id) == ("K1", KIM_ENTITY))
        others = [a.id for a in every if a.id != kim]
        escalated, false_positive, pending = tuple(others[0:2]), tuple(others[2:5]), tuple(others[5:6])
        ten_days, forty_days = tuple(others[10:15]), tuple(others[15:17])
        for i in escalated:
            decide(engine, i, "escalate", "ana", "needs a second look")
        for i in false_positive:
            decide(engine, i, "false-positive", "ana", "different registration")
        for i in pending:
            decide(engine, i, "propose-true-match", "ana", "same name and country")
        _backdate(engine, ten_days, 10)
        _backdate(engine, forty_days, 40)
    finally:
        engine.dispose()
    return CaseBase(
        _sqlite_path(settings), un_customers, kim, escalated, false_positive, pending, ten_days, forty_days
    )


@pytest.fixture
def site(case_base: CaseBase, web_service: ScreeningService, tmp_path: Path) -> Iterator[CaseSite]:
    """A fresh copy of the prepared database and the real app on it (``--no-auth``: case pages still
    need a signed-in user)."""
    settings = settings_for(tmp_path)
    _copy(case_base.path, _sqlite_path(settings))
    engine = open_engine(settings)
    app = create_app(settings, service=web_service, auth=None, load_on_start=False)
    try:
        yield CaseSite(case_base, settings, engine, app, TestClient(app, follow_redirects=False))
    finally:
        engine.dispose()
        state_of(app).close()


def count_alerts(engine: Engine, where: sa.ColumnElement[bool] | None = None) -> int:
    """Alerts in the database (matching ``where``), counted with SQL."""
    query = sa.select(sa.func.count()).select_from(alerts)
    if where is not None:
        query = query.where(where)
    with engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def signed_in(site: CaseSite, username: str) -> str:
    """Sign ``username`` in on the site's client; the session's CSRF token."""
    assert sign_in(site.client, username, PASSWORDS[username], "/ui/alerts").status_code == 303
    return csrf_token(site.client.get("/ui/alerts").text)


def decide_post(site: CaseSite, alert_id: int, action: str, reason: str, token: str | None) -> int:
    form = {"action": action, "reason": reason}
    if token is not None:
        form["csrf_token"] = token
    return int(site.client.post(f"/ui/alerts/{alert_id}/decide", data=form).status_code)
