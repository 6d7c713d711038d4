"""Server logs: JSON lines read back from a live server's stderr carry time, level, logger, message,
request id and the key's name; no key, password or screened name appears unless
``SANCTIONWATCH_LOG_QUERIES=true``. Plus the formatters on their own."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

import httpx
import pytest

from sanctionwatch.logs import JsonFormatter, TextFormatter
from tests.api.serverproc import Server, run_cli

SCREENED = "Korea Mining Development Trading Corporation"
SEARCHED = "Tanchon Commercial Bank"
PASSWORD = "correct horse battery staple 42"


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SANCTIONWATCH_")}
    env.update(SANCTIONWATCH_DATA_DIR=str(tmp_path / "data"), SANCTIONWATCH_LOG_FORMAT="json", **extra)
    return env


def _json_lines(text: str) -> list[dict[str, Any]]:
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines, "the server wrote nothing on stderr"
    return [json.loads(line) for line in lines]  # every line is one JSON object


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> tuple[str, Path, str]:
    """A SQLite store with the UN list and one API key: (URL, folder, key)."""
    folder = tmp_path_factory.mktemp("logs")
    db = f"sqlite:///{folder / 'logs.db'}"
    run_cli(db, folder, "lists", "import", data_dir / "un" / "consolidated-2026-02-27.xml")
    key = run_cli(db, folder, "keys", "create", "compliance-bot").stdout.strip()
    return db, folder, key


def _exercise(server: Server, key: str) -> httpx.Response:
    server.wait_for("/readyz")
    auth = {"Authorization": f"ApiKey {key}"}
    screened = httpx.post(server.url + "/screen", json={"name": SCREENED}, headers=auth, timeout=30)
    assert screened.status_code == 200
    assert any(h["match"] for h in screened.json()["hits"])
    searched = httpx.get(server.url + "/search/default", params={"q": SEARCHED}, headers=auth, timeout=30)
    assert searched.status_code == 200
    signin = httpx.post(
        server.url + "/ui/sign-in", data={"username": "nobody", "password": PASSWORD}, timeout=30
    )
    assert signin.status_code < 500
    return httpx.get(server.url + "/lists", headers=auth | {"X-Request-ID": "trace-abc.123"}, timeout=30)


def test_json_lines_carry_the_fields_and_no_secret_or_screened_name(
    store: tuple[str, Path, str], tmp_path: Path
) -> None:
    db, _, key = store
    with Server(
        None, tmp_path, "--reload-interval", "0", env=_env(tmp_path, SANCTIONWATCH_DATABASE_URL=db)
    ) as server:
        traced = _exercise(server, key)
        made = httpx.get(server.url + "/healthz", timeout=30)
        assert server.stop() in (0, -15)  # uvicorn re-raises SIGTERM after its graceful shutdown
    assert traced.headers["x-request-id"] == "trace-abc.123"
    assert len(made.headers["x-request-id"]) >= 16
    records = _json_lines(server.stderr)
    for record in records:
        assert {"time", "level", "logger", "message"} <= set(record), record
    requests = [r for r in records if r["logger"] == "sanctionwatch.request"]
    by_route = {(r["method"], r["route"]): r for r in requests}
    screen = by_route["POST", "/screen"]
    assert screen["key"] == "compliance-bot" and screen["status"] == 200
    assert screen["duration_ms"] > 0 and len(screen["request_id"]) >= 16
    assert by_route["GET", "/lists"]["request_id"] == "trace-abc.123"
    assert by_route["GET", "/healthz"]["request_id"] == made.headers["x-request-id"]
    assert by_route["GET", "/search/{dataset}"]["key"] == "compliance-bot"
    assert ("POST", "/ui/sign-in") in by_route
    text = server.stderr
    for secret in (key, PASSWORD, SCREENED, SEARCHED, "Tanchon"):
        assert secret not in text, f"{secret!r} is in the server's log"


def test_log_queries_true_shows_the_raw_path_and_query(store: tuple[str, Path, str], tmp_path: Path) -> None:
    db, _, key = store
    env = _env(tmp_path, SANCTIONWATCH_LOG_QUERIES="true", SANCTIONWATCH_DATABASE_URL=db)
    with Server(None, tmp_path, "--reload-interval", "0", env=env) as server:
        _exercise(server, key)
        assert server.stop() in (0, -15)  # uvicorn re-raises SIGTERM after its graceful shutdown
    records = _json_lines(server.stderr)
    paths = [r.get("path", "") for r in records if r["logger"] == "sanctionwatch.request"]
    assert any(p.startswith("/search/default?q=Tanchon") for p in paths), paths
    assert key not in server.stderr and PASSWORD not in server.stderr


def _record(**extra: Any) -> logging.LogRecord:
    record = logging.LogRecord(
        "sanctionwatch.x", logging.WARNING, __file__, 1, "reload failed: %s", ("db",), None
    )
    for name, value in extra.items():
        setattr(record, name, value)
    return record


def test_json_formatter_writes_one_object_with_the_request_fields() -> None:
    line = JsonFormatter().format(_record(request_id="r1", status=503))
    assert "\n" not in line
    out = json.loads(line)
    assert out["level"] == "WARNING" and out["logger"] == "sanctionwatch.x"
    assert out["message"] == "reload failed: db"
    assert out["request_id"] == "r1" and out["status"] == 503
    assert out["time"].endswith("+00:00")


def test_text_formatter_is_one_readable_line_naming_the_request() -> None:
    line = TextFormatter().format(_record(request_id="r1"))
    assert line.endswith("WARNING sanctionwatch.x: reload failed: db [request r1]")


@pytest.mark.parametrize(("trusted", "seen"), [(None, "203.0.113.7"), ("192.0.2.1", "127.0.0.1")])
def test_the_client_address_comes_from_a_trusted_proxy_only(
    tmp_path: Path, trusted: str | None, seen: str
) -> None:
    """Behind a proxy on this host (trusted by default) the log names the forwarded client; a
    request from an address not in ``--forwarded-allow-ips`` keeps its own."""
    db = f"sqlite:///{tmp_path / 'p.db'}"
    run_cli(db, tmp_path, "keys", "create", "ops")  # else serve warns on stderr, in plain text
    env = _env(tmp_path, SANCTIONWATCH_DATABASE_URL=db)
    args = ["--reload-interval", "0"] + (["--forwarded-allow-ips", trusted] if trusted else [])
    with Server(None, tmp_path, *args, env=env) as server:
        server.wait_for("/healthz")
        forwarded = {"X-Forwarded-For": "203.0.113.7", "X-Request-ID": "proxied-1"}
        assert httpx.get(server.url + "/healthz", headers=forwarded, timeout=30).status_code == 200
        assert server.stop() in (0, -15)
    [line] = [r for r in _json_lines(server.stderr) if r.get("request_id") == "proxied-1"]
    assert line["client"] == seen
