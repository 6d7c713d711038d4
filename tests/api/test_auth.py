"""API keys on the HTTP API: the store-backed checker behind ``require_api_key``.

Health endpoints are open; every other endpoint answers 401 with a JSON error without a live key,
whichever of the three header forms carries it. The yente client's own header is checked against a
real server.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sanctionwatch.api.keys import StoreKeyChecker
from sanctionwatch.app import create_app
from sanctionwatch.errors import StoreError
from sanctionwatch.service import KeyGrant
from sanctionwatch.settings import Settings
from sanctionwatch.store.keys import KeyStore, LiveKey
from tests.api.serverproc import Server, run_cli

PROTECTED = "/admin/reload"
ADMIN = ("screen", "admin")
"""The scopes of the keys these tests send to :data:`PROTECTED` (an admin endpoint)."""


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'auth.db'}", data_dir=tmp_path / "data", reload_interval=0
    )


@pytest.fixture
def keys(settings: Settings) -> Iterator[KeyStore]:
    with KeyStore.open(settings) as store:
        yield store


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def checker(keys: KeyStore, clock: FakeClock) -> StoreKeyChecker:
    return StoreKeyChecker(keys, refresh_seconds=2.0, touch_seconds=60.0, clock=clock)


@pytest.fixture
def client(settings: Settings, checker: StoreKeyChecker) -> Iterator[TestClient]:
    with TestClient(create_app(settings, auth=checker, load_on_start=False)) as test_client:
        yield test_client


def _assert_401(response: object, message: str) -> None:
    from httpx import Response

    assert isinstance(response, Response)
    assert response.status_code == 401, response.text
    assert response.headers["content-type"] == "application/json"
    error = response.json()["error"]
    assert error["type"] == "Unauthorized"
    assert message in error["message"]


def test_health_endpoints_need_no_key(client: TestClient) -> None:
    assert client.get("/healthz").status_code == 200
    # Not loaded (load_on_start=False): 503, but never 401.
    assert client.get("/readyz").status_code == 503


def test_no_key_is_401_with_a_json_error_naming_the_headers(client: TestClient) -> None:
    response = client.post(PROTECTED)
    _assert_401(response, "missing API key")
    assert "Authorization: ApiKey <key>" in response.json()["error"]["message"]
    assert "sanctionwatch keys create NAME" in response.json()["error"]["message"]
    _assert_401(client.get("/lists"), "missing API key")  # the screening API's routes too


@pytest.mark.parametrize(
    "headers",
    [
        lambda k: {"Authorization": f"ApiKey {k}"},  # what yente and its client send
        lambda k: {"Authorization": f"apikey {k}"},  # the scheme is case-insensitive
        lambda k: {"Authorization": f"Bearer {k}"},
        lambda k: {"X-API-Key": k},
    ],
    ids=["apikey", "apikey-lower", "bearer", "x-api-key"],
)
def test_each_header_form_is_accepted(client: TestClient, keys: KeyStore, headers: object) -> None:
    key = keys.create("crm", ADMIN).key
    assert callable(headers)
    response = client.post(PROTECTED, headers=headers(key))
    assert response.status_code == 200, response.text
    assert response.json()["reloaded"] is False  # empty store: nothing to load


def test_wrong_keys_are_refused(client: TestClient, keys: KeyStore) -> None:
    key = keys.create("crm", ADMIN).key
    for wrong in (key[:-1] + ("A" if key[-1] != "A" else "B"), key.upper(), "sw_" + "x" * 43, key[3:]):
        _assert_401(client.post(PROTECTED, headers={"X-API-Key": wrong}), "invalid or revoked API key")
    # A key in an unknown scheme is not looked for elsewhere.
    _assert_401(client.post(PROTECTED, headers={"Authorization": f"Basic {key}"}), "missing API key")
    # The stored hash itself is not a key.
    digest = hashlib.sha256(key.encode()).hexdigest()
    _assert_401(client.post(PROTECTED, headers={"X-API-Key": digest}), "invalid or revoked API key")


def test_revoked_key_is_refused_within_the_refresh_delay(
    client: TestClient, keys: KeyStore, clock: FakeClock
) -> None:
    key = keys.create("crm", ADMIN).key
    other = keys.create("backoffice", ADMIN).key
    auth = {"Authorization": f"ApiKey {key}"}
    assert client.post(PROTECTED, headers=auth).status_code == 200
    keys.revoke("crm")  # as `sanctionwatch keys revoke crm` in another process would
    clock.now += 1.0  # within the cache's 2 s: the old answer may still be given
    assert client.post(PROTECTED, headers=auth).status_code == 200
    clock.now += 1.5  # past it: refused
    _assert_401(client.post(PROTECTED, headers=auth), "invalid or revoked API key")
    assert client.post(PROTECTED, headers={"Authorization": f"Bearer {other}"}).status_code == 200


def test_new_key_is_accepted_after_the_refresh_delay(
    client: TestClient, keys: KeyStore, clock: FakeClock
) -> None:
    keys.create("first", ADMIN)
    assert client.post(PROTECTED).status_code == 401  # loads the (one-key) cache
    key = keys.create("second", ADMIN).key
    clock.now += 2.5
    assert client.post(PROTECTED, headers={"X-API-Key": key}).status_code == 200


def test_last_used_is_recorded_at_most_every_touch_interval(
    client: TestClient, keys: KeyStore, clock: FakeClock
) -> None:
    key = keys.create("crm", ADMIN).key
    before = datetime.now(UTC)
    assert client.post(PROTECTED, headers={"X-API-Key": key}).status_code == 200
    clock.now += 10  # a refresh, but not yet time to write
    client.post(PROTECTED, headers={"X-API-Key": key})
    assert keys.list_all()[0].last_used_at is None
    clock.now += 60
    client.post(PROTECTED, headers={"X-API-Key": key})  # this refresh writes the pending use
    used = keys.list_all()[0].last_used_at
    assert used is not None and before <= used <= datetime.now(UTC)


def test_unreadable_key_table_refuses_with_503_after_the_stale_limit(tmp_path: Path) -> None:
    class FailingKeys(KeyStore):
        def __init__(self) -> None:
            self.fail = False

        def live_keys(self) -> list[LiveKey]:
            if self.fail:
                raise StoreError("sqlite:///x.db: cannot read API keys: database is locked")
            return [LiveKey(1, "crm", hashlib.sha256(b"sw_k").digest(), frozenset({"screen", "admin"}))]

        def touch(self, used: Mapping[int, datetime]) -> None:
            if self.fail:
                raise StoreError("sqlite:///x.db: cannot record API key use: database is locked")

    clock = FakeClock()
    failing = FailingKeys()
    checker = StoreKeyChecker(failing, refresh_seconds=2, max_stale_seconds=60, clock=clock)
    assert checker.check("sw_k") == KeyGrant("crm", frozenset({"screen", "admin"}))
    failing.fail = True
    clock.now += 30  # a failed refresh inside the stale limit: the last good list answers
    assert checker.check("sw_k") == KeyGrant("crm", frozenset({"screen", "admin"}))
    clock.now += 31
    with pytest.raises(StoreError, match="last read 61 s ago"):
        checker.check("sw_k")
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'x.db'}", data_dir=tmp_path, reload_interval=0)
    with TestClient(create_app(settings, auth=checker, load_on_start=False)) as test_client:
        response = test_client.post(PROTECTED, headers={"X-API-Key": "sw_k"})
    assert response.status_code == 503
    assert response.json()["error"]["type"] == "StoreError"


def test_without_auth_every_endpoint_is_open(settings: Settings) -> None:
    with TestClient(create_app(settings, auth=None, load_on_start=False)) as test_client:
        assert test_client.post(PROTECTED).status_code == 200


def test_yente_client_key_header_works_on_a_real_server(tmp_path: Path) -> None:
    from yente_client import Client  # type: ignore[import-untyped]
    from yente_client.exceptions import AuthenticationError  # type: ignore[import-untyped]

    db = f"sqlite:///{tmp_path / 'yente.db'}"
    key = run_cli(db, tmp_path, "keys", "create", "yente").stdout.strip()
    with Server(db, tmp_path, "--reload-interval", "0") as server:
        server.wait_for("/healthz")
        with Client(api_key=key, base_url=server.url) as client:
            assert client.healthz().status == "ok"
            # /algorithms is protected and answers before any list is loaded.
            assert client.algorithms().default == "sanctionwatch"
        with Client(api_key="sw_wrong", base_url=server.url) as client, pytest.raises(AuthenticationError):
            client.algorithms()
        with Client(base_url=server.url) as client, pytest.raises(AuthenticationError):
            client.algorithms()
        assert server.stop() in (0, -15)


def _assert_403(response: object, scope: str) -> None:
    from httpx import Response

    assert isinstance(response, Response)
    assert response.status_code == 403, response.text
    assert response.headers["content-type"] == "application/json"
    error = response.json()["error"]
    assert error["type"] == "Forbidden"
    assert f"lacks the {scope!r} scope" in error["message"]
    assert f"--scope {scope}" in error["message"]


def test_a_key_without_admin_cannot_reload(client: TestClient, keys: KeyStore) -> None:
    key = keys.create("crm").key  # the default: screen only
    assert keys.list_all()[0].scopes == frozenset({"screen"})
    _assert_403(client.post(PROTECTED, headers={"X-API-Key": key}), "admin")
    # The screening API lets it through the key check: 503 only because nothing is loaded.
    response = client.get("/lists", headers={"X-API-Key": key})
    assert response.status_code == 503 and response.json()["error"]["type"] == "NotReady"


def test_a_key_without_screen_cannot_screen(client: TestClient, keys: KeyStore) -> None:
    admin = keys.create("ops", ["admin"]).key
    cases = keys.create("case-bot", ["cases"]).key
    assert client.post(PROTECTED, headers={"X-API-Key": admin}).status_code == 200
    for key in (admin, cases):
        _assert_403(client.get("/lists", headers={"X-API-Key": key}), "screen")
        _assert_403(client.post("/screen", json={"name": "Kim"}, headers={"X-API-Key": key}), "screen")
    _assert_403(client.post(PROTECTED, headers={"X-API-Key": cases}), "admin")
