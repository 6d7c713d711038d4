"""Health, readiness, reload and ``sanctionwatch serve``.

Expected list figures come from ``shared/data/README.md``: the UN file holds 1,003 entries and its
``dateGenerated`` is 2026-02-27.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from sanctionwatch.app import create_app
from sanctionwatch.service import ScreeningService
from sanctionwatch.settings import Settings
from sanctionwatch.store import ListStore
from tests.api.serverproc import Server, run_cli
from tests.store.listfiles import un_with_date

UN_ENTITIES = 1003


@pytest.fixture(scope="module")
def un_file(data_dir: Path) -> Path:
    return data_dir / "un" / "consolidated-2026-02-27.xml"


def _settings(folder: Path, reload_interval: float = 0) -> Settings:
    return Settings(
        database_url=f"sqlite:///{folder / 'system.db'}",
        data_dir=folder / "data",
        reload_interval=reload_interval,
    )


def _import(settings: Settings, *paths: Path) -> list[int]:
    with ListStore.open(settings) as store:
        return [r.version.id for r in store.import_paths(paths)]


def _wait(client: TestClient, path: str, status: int, timeout: float = 60) -> httpx.Response:
    deadline = time.monotonic() + timeout
    while True:
        response: httpx.Response = client.get(path)
        if response.status_code == status or time.monotonic() > deadline:
            return response
        time.sleep(0.05)


class BlockingService(ScreeningService):
    """A service whose loads wait until the test lets them go."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.go = threading.Event()

    def reload(self, force: bool = False) -> bool:
        assert self.go.wait(30)
        return super().reload(force)


def test_healthz_is_ok_and_readyz_says_loading_until_the_index_is_built(
    tmp_path: Path, un_file: Path
) -> None:
    settings = _settings(tmp_path)
    [version] = _import(settings, un_file)
    service = BlockingService(settings)
    with TestClient(create_app(settings, service=service, auth=None)) as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        loading = client.get("/readyz")
        assert loading.status_code == 503
        body = loading.json()
        assert body["status"] == "loading"
        assert "being built" in body["reason"] or "not loaded yet" in body["reason"]
        assert body["error"]["type"] == "NotReady"
        service.go.set()
        ready = _wait(client, "/readyz", 200)
        assert ready.status_code == 200, ready.text
        body = ready.json()
        assert body["status"] == "ok"
        assert body["entity_count"] == UN_ENTITIES
        [un] = body["lists"]
        assert un == {
            "list_key": "un-sc",
            "version_id": version,
            "published": "2026-02-27",
            "entity_count": UN_ENTITIES,
            "imported_at": un["imported_at"],
            "stale": True,  # published 2026-02-27: older than the UN's 7 days for good
            "stale_reason": un["stale_reason"],
            "age_days": un["age_days"],
        }
        assert un["stale_reason"].startswith("newest version published 2026-02-27")
        assert body["stale"] == ["un-sc"] and len(body["warnings"]) == 1
        assert body["loaded_at"] >= un["imported_at"]
        assert client.get("/healthz").status_code == 200


def test_readyz_explains_an_empty_store(tmp_path: Path) -> None:
    with TestClient(create_app(_settings(tmp_path), auth=None)) as client:
        response = _wait(client, "/readyz", 503)
        deadline = time.monotonic() + 30
        while response.json()["status"] == "loading" and time.monotonic() < deadline:
            time.sleep(0.05)
            response = client.get("/readyz")
        assert response.status_code == 503
        assert response.json()["status"] == "empty"
        assert "no list imported yet" in response.json()["reason"]
        assert client.get("/healthz").status_code == 200


def test_readyz_reports_a_failed_load_and_healthz_stays_up(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the database folder should be")
    settings = Settings(
        database_url=f"sqlite:///{blocker / 'db.sqlite'}", data_dir=tmp_path, reload_interval=0
    )
    with TestClient(create_app(settings, auth=None)) as client:
        deadline = time.monotonic() + 30
        response = client.get("/readyz")
        while response.json()["status"] == "loading" and time.monotonic() < deadline:
            time.sleep(0.05)
            response = client.get("/readyz")
        assert response.status_code == 503
        body = response.json()
        assert body["status"] == "failed"
        assert "loading the screening index failed" in body["reason"]
        assert "cannot create the database folder" in body["reason"]
        assert client.get("/healthz").json() == {"status": "ok"}


@pytest.fixture
def loaded(tmp_path: Path, un_file: Path) -> Iterator[tuple[TestClient, Settings, int]]:
    settings = _settings(tmp_path)
    [version] = _import(settings, un_file)
    with TestClient(create_app(settings, auth=None)) as client:
        assert _wait(client, "/readyz", 200).status_code == 200
        yield client, settings, version


def test_admin_reload_switches_to_a_newer_version_and_says_what_changed(
    loaded: tuple[TestClient, Settings, int], un_file: Path, tmp_path: Path
) -> None:
    client, settings, old = loaded
    same = client.post("/admin/reload").json()
    assert (same["reloaded"], same["changed"]) == (False, [])
    [new] = _import(settings, un_with_date(un_file, tmp_path / "newer", "2026-03-13"))
    response = client.post("/admin/reload")
    assert response.status_code == 200
    body = response.json()
    assert body["reloaded"] is True
    [change] = body["changed"]
    assert change["list_key"] == "un-sc"
    assert (change["from"]["version_id"], change["from"]["published"]) == (old, "2026-02-27")
    assert (change["to"]["version_id"], change["to"]["published"]) == (new, "2026-03-13")
    [un] = client.get("/readyz").json()["lists"]
    assert (un["version_id"], un["published"]) == (new, "2026-03-13")
    forced = client.post("/admin/reload", params={"force": "true"}).json()
    assert (forced["reloaded"], forced["changed"]) == (True, [])


def test_background_poller_picks_up_a_new_version(tmp_path: Path, un_file: Path) -> None:
    settings = _settings(tmp_path, reload_interval=0.2)
    [old] = _import(settings, un_file)
    with TestClient(create_app(settings, auth=None)) as client:
        assert _wait(client, "/readyz", 200).json()["lists"][0]["version_id"] == old
        [new] = _import(settings, un_with_date(un_file, tmp_path / "newer", "2026-03-13"))
        deadline = time.monotonic() + 30
        while client.get("/readyz").json()["lists"][0]["version_id"] != new:
            assert time.monotonic() < deadline, "the poller never switched to the new version"
            time.sleep(0.1)
        assert client.get("/readyz").json()["lists"][0]["published"] == "2026-03-13"


def test_serve_runs_the_real_command_with_keys(tmp_path: Path, un_file: Path) -> None:
    db = f"sqlite:///{tmp_path / 'serve.db'}"
    run_cli(db, tmp_path, "lists", "import", un_file)
    key = run_cli(db, tmp_path, "keys", "create", "ops").stdout.strip()
    with Server(db, tmp_path, "--reload-interval", "0") as server:
        assert server.wait_for("/healthz").json() == {"status": "ok"}
        ready = server.wait_for("/readyz").json()
        assert [(v["list_key"], v["entity_count"]) for v in ready["lists"]] == [("un-sc", UN_ENTITIES)]
        query = {"name": "Eric Badege"}  # CDi.001, the first individual of the UN file
        refused = httpx.post(server.url + "/screen", json=query)
        assert refused.status_code == 401
        assert refused.json()["error"]["type"] == "Unauthorized"
        answered = httpx.post(server.url + "/screen", json=query, headers={"Authorization": f"ApiKey {key}"})
        assert answered.status_code == 200, answered.text
        assert answered.json()["hits"][0]["entity_id"] == "un-sc:CDi.001"
        status = server.stop()
    assert status in (0, -15), server.stderr
    assert f"sanctionwatch API: {server.url}" in server.stdout
    assert "keys create NAME" in server.stdout
    assert "Application shutdown complete" in server.stderr
    assert "Traceback" not in server.stderr
    assert "WARNING" not in server.stderr


def test_serve_no_auth_warns_loudly_and_serves_without_keys(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'open.db'}"
    with Server(db, tmp_path, "--no-auth", "--reload-interval", "0") as server:
        server.wait_for("/healthz")
        assert httpx.post(server.url + "/admin/reload").status_code == 200
        assert server.stop() in (0, -15)
    assert "WARNING: authentication is OFF (--no-auth)" in server.stderr
    assert "open to anyone who can reach" in server.stderr


def test_serve_without_any_key_says_how_to_make_one(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'nokeys.db'}"
    with Server(db, tmp_path, "--reload-interval", "0") as server:
        server.wait_for("/healthz")
        assert httpx.post(server.url + "/admin/reload").status_code == 401
        assert server.stop() in (0, -15)
    assert "No API key exists yet" in server.stderr
    assert "keys create NAME" in server.stderr
    assert "nobody can sign in yet, create a user:" in server.stdout
    assert "users add NAME --role admin" in server.stdout


def test_serve_with_two_workers_each_loads_the_index(tmp_path: Path, un_file: Path) -> None:
    db = f"sqlite:///{tmp_path / 'workers.db'}"
    run_cli(db, tmp_path, "lists", "import", un_file)
    key = run_cli(db, tmp_path, "keys", "create", "ops").stdout.strip()
    with Server(db, tmp_path, "--workers", "2", "--reload-interval", "0", "--no-access-log") as server:
        server.wait_for("/readyz")
        # Connections land on either worker: once both are ready, every answer is 200.
        deadline = time.monotonic() + 60
        streak = 0
        while streak < 20:
            assert time.monotonic() < deadline, server.stderr
            streak = streak + 1 if httpx.get(server.url + "/readyz").status_code == 200 else 0
        auth = {"X-API-Key": key}
        answers = [
            httpx.post(server.url + "/screen", json={"name": "Eric Badege"}, headers=auth) for _ in range(10)
        ]
        assert [a.status_code for a in answers] == [200] * 10
        assert server.stop() in (0, -15)
    assert server.stderr.count("Application startup complete") == 2
    assert "Traceback" not in server.stderr
