"""``GET /metrics``: who may read it, per-request counts by route template, screening hits, the
store's gauges read at scrape time, and two workers' counts summed in multiprocess mode."""

from __future__ import annotations

import os
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import sqlalchemy as sa
import yaml
from fastapi import FastAPI
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from sanctionwatch.app import create_app
from sanctionwatch.metrics import exported_names
from sanctionwatch.service import KeyGrant, ScreeningService
from sanctionwatch.settings import Settings
from sanctionwatch.store import schema
from sanctionwatch.store.database import open_engine
from tests.api.conftest import API_KEY, StaticKeys, api_settings_for
from tests.api.serverproc import Server

KEY = {"Authorization": f"ApiKey {API_KEY}"}


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of an exposition, by name and label set."""
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def value(text: str, name: str, **labels: str) -> float:
    return samples(text).get((name, frozenset(labels.items())), 0.0)


def _app(settings: Settings, service: ScreeningService, **update: object) -> FastAPI:
    return create_app(
        settings.model_copy(update=update),
        service=service,
        auth=StaticKeys({API_KEY: "tests"}),
        load_on_start=False,
    )


def test_metrics_need_a_key_by_default_and_obey_the_setting(
    api_settings: Settings, service: ScreeningService
) -> None:
    with TestClient(_app(api_settings, service)) as c:
        assert c.get("/metrics").status_code == 401
        good = c.get("/metrics", headers=KEY)
        assert good.status_code == 200
        assert good.headers["content-type"].startswith("text/plain")
    with TestClient(_app(api_settings, service, metrics="open")) as c:
        assert c.get("/metrics").status_code == 200
    with TestClient(_app(api_settings, service, metrics="off")) as c:
        assert c.get("/metrics", headers=KEY).status_code == 404


class ScreenOnly:
    """A key checker whose one key has only the ``screen`` scope."""

    def check(self, key: str) -> KeyGrant | None:
        return KeyGrant("crm", frozenset({"screen"})) if key == API_KEY else None


def test_metrics_need_the_admin_scope(api_settings: Settings, service: ScreeningService) -> None:
    app = create_app(api_settings, service=service, auth=ScreenOnly(), load_on_start=False)
    with TestClient(app) as c:
        refused = c.get("/metrics", headers=KEY)
        assert refused.status_code == 403
        assert "admin" in refused.text
        assert c.post("/screen", json={"name": "KOMID"}, headers=KEY).status_code == 200


def test_requests_are_counted_by_route_template_and_screening_hits_by_surface(
    api_settings: Settings, service: ScreeningService
) -> None:
    with TestClient(_app(api_settings, service)) as c:
        before = c.get("/metrics", headers=KEY).text
        assert c.get("/entities/un-sc:KPe.001", headers=KEY).status_code == 200
        assert c.get("/entities/un-sc:nothing-such", headers=KEY).status_code == 404
        one = c.post("/screen", json={"name": "Korea Mining Development Trading Corporation"}, headers=KEY)
        assert one.status_code == 200
        matches = sum(1 for h in one.json()["hits"] if h["match"])
        assert matches >= 1
        batch = c.post(
            "/screen/batch", json={"queries": [{"name": "KOMID"}, {"name": "Zzyzx Qwv"}]}, headers=KEY
        )
        assert batch.status_code == 200
        after = c.get("/metrics", headers=KEY).text
    route = "/entities/{entity_id:path}"
    for status in ("200", "404"):
        d = value(
            after, "sanctionwatch_http_requests_total", method="GET", route=route, status=status
        ) - value(before, "sanctionwatch_http_requests_total", method="GET", route=route, status=status)
        assert d == 1
    assert "KPe.001" not in after and "nothing-such" not in after
    name = "sanctionwatch_screening_hits_count"
    assert value(after, name, surface="name") - value(before, name, surface="name") == 1
    assert value(after, name, surface="batch") - value(before, name, surface="batch") == 2
    name = "sanctionwatch_screening_matches_sum"
    assert value(after, name, surface="name") - value(before, name, surface="name") == matches
    name = "sanctionwatch_screening_duration_seconds_count"
    assert value(after, name, surface="batch") - value(before, name, surface="batch") == 1
    assert value(after, "process_resident_memory_bytes") > 0


def test_list_gauges_give_age_staleness_and_size_of_each_active_list(
    api_settings: Settings, service: ScreeningService
) -> None:
    with TestClient(_app(api_settings, service)) as c:
        text = c.get("/metrics", headers=KEY).text
    assert value(text, "sanctionwatch_list_entities", list="un-sc") == 1003
    assert value(text, "sanctionwatch_list_entities", list="us-ofac-sdn") == 14965
    # The UN file generated 2026-02-27: older than the UN list's weekly allowance.
    assert value(text, "sanctionwatch_list_stale", list="un-sc") == 1
    hours = (datetime.now(UTC) - datetime(2026, 2, 27, tzinfo=UTC)).total_seconds() / 3600
    assert abs(value(text, "sanctionwatch_list_age_hours", list="un-sc") - hours) < 0.1
    # OFAC's CSV states no date: the version's age runs from its import in this session.
    assert value(text, "sanctionwatch_list_stale", list="us-ofac-sdn") == 0
    assert 0 <= value(text, "sanctionwatch_list_age_hours", list="us-ofac-sdn") < 2


def test_a_list_within_its_cadence_is_not_stale(api_settings: Settings, service: ScreeningService) -> None:
    allowed = (datetime.now(UTC).date() - date(2026, 2, 27)).days + 1
    with TestClient(_app(api_settings, service, stale_after_days={"un-sc": allowed})) as c:
        text = c.get("/metrics", headers=KEY).text
    assert value(text, "sanctionwatch_list_stale", list="un-sc") == 0


def test_case_work_gauges_count_alerts_under_review_and_pending_rescreens(tmp_path: Path) -> None:
    settings = api_settings_for(tmp_path)
    engine = open_engine(settings)
    now = datetime.now(UTC)
    with engine.begin() as conn:
        conn.execute(
            sa.insert(schema.customers).values(
                id="c1", data="{}", fingerprint="f", active=True, imported_at=now, updated_at=now
            )
        )
        common = {
            "customer_id": "c1",
            "score": 0.9,
            "explanation": "{}",
            "list_version_id": 1,
            "customer_data": "{}",
            "customer_fingerprint": "f",
            "entity_fingerprint": "e",
        }
        for entity, state, hours in (
            ("a", "open", 2),
            ("b", "escalated", 0.5),
            ("c", "closed_false_positive", 240),
        ):
            conn.execute(
                sa.insert(schema.alerts).values(
                    entity_id=entity, state=state, opened_at=now - timedelta(hours=hours), **common
                )
            )
        for state, hours in (("pending", 3), ("pending", 1), ("done", 100)):
            conn.execute(
                sa.insert(schema.rescreen_jobs).values(
                    list_key="un-sc", to_version_id=1, state=state, created_at=now - timedelta(hours=hours)
                )
            )
        for minutes in (10, 50, 130):
            conn.execute(
                sa.insert(schema.transitions).values(
                    alert_id=1,
                    from_state="open",
                    to_state="escalated",
                    actor="alice",
                    reason="r",
                    at=now - timedelta(minutes=minutes),
                )
            )
    engine.dispose()
    app = create_app(settings, service=ScreeningService(settings), auth=None, load_on_start=False)
    with TestClient(app) as c:
        text = c.get("/metrics").text
    assert value(text, "sanctionwatch_alerts_open", state="open") == 1
    assert value(text, "sanctionwatch_alerts_open", state="escalated") == 1
    assert value(text, "sanctionwatch_alerts_open", state="pending_true_match") == 0
    assert 7200 <= value(text, "sanctionwatch_alerts_oldest_open_age_seconds") < 7200 + 120
    assert value(text, "sanctionwatch_rescreen_jobs_pending") == 2
    assert value(text, "sanctionwatch_alert_decisions_last_hour") == 2
    assert 10800 <= value(text, "sanctionwatch_rescreen_oldest_pending_age_seconds") < 10800 + 120
    assert ("sanctionwatch_list_entities", frozenset()) not in samples(text)


def test_two_workers_count_into_one_sum(tmp_path: Path) -> None:
    folder = tmp_path / "multiproc"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SANCTIONWATCH_")}
    env.update(
        SANCTIONWATCH_DATA_DIR=str(tmp_path / "data"),
        SANCTIONWATCH_DATABASE_URL=f"sqlite:///{tmp_path / 'w.db'}",
        SANCTIONWATCH_METRICS="open",
        PROMETHEUS_MULTIPROC_DIR=str(folder),
    )
    with Server(None, tmp_path, "--workers", "2", env=env) as server:
        server.wait_for("/healthz")
        sent, pids = 0, set[str]()
        while len(pids) < 2 and sent < 2000:
            with httpx.Client() as one:  # a new connection each time: the kernel spreads them
                assert one.get(server.url + "/healthz").status_code == 200
            sent += 1
            pids = {p.stem.rsplit("_", 1)[1] for p in folder.glob("counter_*.db")}
        assert len(pids) == 2, f"{sent} requests all went to one worker"
        scraped = [httpx.get(server.url + "/metrics").text for _ in range(6)]
        assert server.stop() == 0
    for text in scraped:
        got = value(text, "sanctionwatch_http_requests_total", method="GET", route="/healthz", status="200")
        assert got == sent + 1  # and wait_for's one answered /healthz


ALERTS = Path(__file__).resolve().parents[2] / "deploy" / "prometheus" / "alerts.yml"
METRIC = re.compile(r"\b(sanctionwatch_[a-z0-9_]+)\b")


def test_the_alert_rules_use_only_metrics_the_app_exports(
    api_settings: Settings, service: ScreeningService
) -> None:
    rules = yaml.safe_load(ALERTS.read_text(encoding="utf-8"))["groups"][0]["rules"]
    assert len(rules) >= 5
    used: set[str] = set()
    for rule in rules:
        assert {"alert", "expr", "for", "labels", "annotations"} <= set(rule), rule
        assert rule["labels"]["severity"] in ("warning", "critical")
        used |= set(METRIC.findall(rule["expr"]))
    assert {"sanctionwatch_list_stale", "sanctionwatch_http_requests_total"} <= used
    # What a real scrape shows once each surface has served a request.
    with TestClient(_app(api_settings, service)) as c:
        c.post("/screen", json={"name": "KOMID"}, headers=KEY)
        c.post("/screen/batch", json={"queries": [{"name": "KOMID"}]}, headers=KEY)
        scraped = {
            s.name
            for f in text_string_to_metric_families(c.get("/metrics", headers=KEY).text)
            for s in f.samples
        }
    assert used <= scraped, sorted(used - scraped)
    assert {n for n in scraped if n.startswith("sanctionwatch_")} <= exported_names()
