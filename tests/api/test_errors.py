"""Error responses: every error class answers with its own status and a JSON body naming the field.

yente's bug to avoid: its 404/503 never took effect because a default argument froze the status.
The expected statuses below are written out independently of the classes' attributes.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from sanctionwatch import errors
from sanctionwatch.api.auth import Unauthorized
from sanctionwatch.app import create_app
from sanctionwatch.errors import SanctionwatchError
from sanctionwatch.service import NotReady, ScreeningService, state_of
from sanctionwatch.settings import Settings
from sanctionwatch.store.keys import KeyNotFound

EXPECTED_STATUS: dict[type[SanctionwatchError], int] = {
    errors.SanctionwatchError: 500,
    errors.ConfigError: 500,
    errors.InputError: 422,
    errors.ListFileError: 422,
    errors.FormatDetectionError: 422,
    errors.ImportRefused: 409,
    errors.DownloadError: 502,
    errors.StoreError: 503,
    errors.NotFound: 404,
    errors.ListNotFound: 404,
    errors.VersionNotFound: 404,
    errors.EntityNotFound: 404,
    errors.AlertNotFound: 404,
    errors.TransitionError: 409,
    errors.FourEyesError: 409,
    errors.UserError: 422,
    errors.UserNotFound: 404,
    errors.PermissionDenied: 403,
    KeyNotFound: 404,
    NotReady: 503,
    Unauthorized: 401,
}


def _instance(cls: type[SanctionwatchError]) -> SanctionwatchError:
    if issubclass(cls, errors.ListFileError):
        return cls("lists/sdn.csv", "bad row", "line 7")
    return cls(f"thing: {cls.__name__} was raised")


@pytest.fixture(scope="module")
def raising_client(api_settings: Settings, service: ScreeningService) -> Iterator[TestClient]:
    """A test app instance with one extra route raising the error class named in the path."""
    app = create_app(api_settings, service=service, auth=None, load_on_start=False)
    classes = {cls.__name__: cls for cls in EXPECTED_STATUS}

    def boom(name: str) -> None:
        raise _instance(classes[name])

    app.add_api_route("/test-only/raise/{name}", boom, methods=["GET"])
    with TestClient(app) as c:
        yield c


def test_the_table_covers_every_error_class() -> None:
    declared = {
        obj for obj in vars(errors).values() if inspect.isclass(obj) and issubclass(obj, SanctionwatchError)
    }
    assert declared <= set(EXPECTED_STATUS), declared - set(EXPECTED_STATUS)


@pytest.mark.parametrize("cls", list(EXPECTED_STATUS), ids=lambda c: c.__name__)
def test_each_error_class_answers_its_status(
    raising_client: TestClient, cls: type[SanctionwatchError]
) -> None:
    response = raising_client.get(f"/test-only/raise/{cls.__name__}")
    assert response.status_code == EXPECTED_STATUS[cls]
    assert response.headers["content-type"] == "application/json"
    error = response.json()["error"]
    assert error["type"] == cls.__name__
    assert error["message"] == str(_instance(cls))
    if not issubclass(cls, errors.ListFileError):
        assert error["field"] == "thing"


# --- the real endpoints ------------------------------------------------------------------------


def _error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["error"]
    assert error["message"]
    return error


@pytest.mark.parametrize(
    ("body", "field", "quoted"),
    [
        ({"name": ""}, "name", None),
        ({"name": "   "}, "name", None),
        ({"name": "x" * 501}, "name", "500"),
        ({}, "name", None),
        ({"name": "Kim", "schema": "Dog"}, "schema", "'Dog'"),
        ({"name": "Kim", "birth_date": "08/01/1984"}, "birth_date", None),
        ({"name": "Kim", "birth_date": "1984-02-30"}, "birth_date", "'1984-02-30'"),
        ({"name": "Kim", "country": "Atlantis"}, "country", "'Atlantis'"),
        ({"name": "Kim", "limit": 0}, "limit", None),
        ({"name": "Kim", "threshold": 1.5}, "threshold", None),
        ({"name": "Kim", "birthdate": "1984"}, "birthdate", None),
    ],
)
def test_screen_rejects_bad_input_naming_the_field(
    client: TestClient, body: dict[str, Any], field: str, quoted: str | None
) -> None:
    error = _error(client.post("/screen", json=body), 422)
    assert error["field"] == field
    assert field in error["message"]
    if quoted:
        assert quoted in error["message"]


def test_malformed_json_is_422(client: TestClient) -> None:
    response = client.post("/screen", content=b"{name:", headers={"content-type": "application/json"})
    _error(response, 422)


@pytest.mark.parametrize("path", ["/screen", "/screen/batch", "/match/default"])
def test_oversized_body_is_413(client: TestClient, app: FastAPI, path: str) -> None:
    size = state_of(app).settings.max_body_bytes + 1
    response = client.post(path, content=b" " * size, headers={"content-type": "application/json"})
    error = _error(response, 413)
    assert f"{state_of(app).settings.max_body_bytes:,}" in error["message"]


def _match(client: TestClient, example: dict[str, Any], **params: Any) -> Any:
    return client.post("/match/default", json={"queries": {"q1": example}}, params=params)


@pytest.mark.parametrize(
    ("properties", "schema", "field"),
    [
        ({"name": [""]}, "Person", "queries.q1.properties.name"),
        ({"birthDate": ["1984"]}, "Person", "queries.q1.properties.name"),
        ({"name": ["x" * 501]}, "Person", "queries.q1.properties.name"),
        ({"name": ["Kim"]}, "Document", "queries.q1.schema"),
        ({"name": ["Kim"], "birthDate": ["08.01.1984"]}, "Person", "queries.q1.properties.birthDate"),
        ({"name": ["Kim"], "birthDate": ["1984-13"]}, "Person", "queries.q1.properties.birthDate"),
        ({"name": ["Kim"], "nationality": ["zz-land"]}, "Person", "queries.q1.properties.nationality"),
    ],
)
def test_match_rejects_bad_examples_naming_the_field(
    client: TestClient, properties: dict[str, Any], schema: str, field: str
) -> None:
    error = _error(_match(client, {"schema": schema, "properties": properties}), 422)
    assert error["field"] == field


def test_match_rejects_too_many_queries(client: TestClient) -> None:
    queries = {f"q{i}": {"schema": "Person", "properties": {"name": ["Kim"]}} for i in range(1001)}
    error = _error(client.post("/match/default", json={"queries": queries}), 422)
    assert error["field"] == "queries"
    assert "1,001" in error["message"]


def test_match_rejects_empty_queries_unknown_algorithm_and_weights(client: TestClient) -> None:
    assert _error(client.post("/match/default", json={"queries": {}}), 422)["field"] == "queries"
    example = {"schema": "Person", "properties": {"name": ["Kim Jong Un"]}}
    assert _error(_match(client, example, algorithm="magic"), 422)["field"] == "algorithm"
    body = {"queries": {"q": example}, "weights": {"name_literal_match": 2.0}}
    assert _error(client.post("/match/default", json=body), 422)["field"] == "weights"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/match/eu-nowhere"),
        ("GET", "/search/eu-nowhere?q=Kim"),
        ("POST", "/match/default?include_dataset=eu-nowhere"),
    ],
)
def test_unknown_dataset_is_404(client: TestClient, method: str, path: str) -> None:
    body = {"queries": {"q": {"schema": "Person", "properties": {"name": ["Kim"]}}}}
    error = _error(client.request(method, path, json=body), 404)
    assert error["type"] == "ListNotFound"
    assert "'eu-nowhere'" in error["message"]
    assert "default" in error["message"]


def test_search_rejects_bad_schema_and_long_query(client: TestClient) -> None:
    assert (
        _error(client.get("/search/default", params={"q": "Kim", "schema": "Dog"}), 422)["field"] == "schema"
    )
    assert _error(client.get("/search/default", params={"q": "x" * 501}), 422)["field"] == "q"


def test_unknown_entity_is_404(client: TestClient) -> None:
    error = _error(client.get("/entities/un-sc:KPe.999"), 404)
    assert error["type"] == "EntityNotFound"


@pytest.fixture(scope="module")
def unloaded_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """An app whose service has no index loaded (an empty store)."""
    folder = Path(tmp_path_factory.mktemp("empty-store"))
    settings = Settings(database_url=f"sqlite:///{folder / 'empty.db'}", data_dir=folder, reload_interval=0)
    app = create_app(settings, service=ScreeningService(settings), auth=None, load_on_start=False)
    with TestClient(app) as c:
        yield c


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/screen", {"name": "Kim Jong Un"}),
        ("POST", "/screen/batch", {"queries": [{"name": "Kim Jong Un"}]}),
        ("GET", "/lists", None),
        ("GET", "/entities/us-ofac-sdn:20157", None),
        ("POST", "/match/default", {"queries": {"q": {"schema": "Person", "properties": {"name": "Kim"}}}}),
        ("GET", "/search/default?q=Kim", None),
        ("GET", "/catalog", None),
    ],
)
def test_not_ready_is_503(unloaded_client: TestClient, method: str, path: str, body: Any) -> None:
    error = _error(unloaded_client.request(method, path, json=body), 503)
    assert error["type"] == "NotReady"


def test_algorithms_answer_before_the_index_is_loaded(unloaded_client: TestClient) -> None:
    assert unloaded_client.get("/algorithms").status_code == 200
