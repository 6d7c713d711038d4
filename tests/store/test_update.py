"""``lists update``: downloads with retries and back-off (against a local HTTP server), the offline
failure (a closed port on 127.0.0.1), and reading the files from a folder for air-gapped sites."""

from __future__ import annotations

import hashlib
import shutil
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from sanctionwatch.errors import ConfigError, DownloadError, ListFileError
from sanctionwatch.settings import Settings
from sanctionwatch.store import Downloader, ImportStatus, ListStore
from sanctionwatch.store.download import load_url_table
from tests.store.listfiles import un_truncated, un_with_date


class ScriptedServer:
    """An HTTP server on 127.0.0.1 answering each path from a script: a status code, or a body."""

    def __init__(self, script: dict[str, list[int | bytes]]) -> None:
        self.script = script
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append(self.path)
                steps = server.script.get(self.path) or [404]
                step = steps.pop(0) if len(steps) > 1 else steps[0]
                if isinstance(step, int):
                    self.send_error(step)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(step)))
                self.end_headers()
                self.wfile.write(step)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> ScriptedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def un_file(data_dir: Path) -> Path:
    return data_dir / "un" / "consolidated-2026-02-27.xml"


@pytest.fixture
def closed_port() -> Iterator[int]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    yield port  # closed: connecting is refused


def test_offline_update_fails_with_one_message_naming_the_url(
    store: ListStore, settings: Settings, closed_port: int
) -> None:
    url = f"http://127.0.0.1:{closed_port}/consolidated.xml"
    waits: list[float] = []
    two_tries = settings.model_copy(update={"download_retries": 2})
    with ListStore.open(two_tries) as other, pytest.raises(DownloadError) as info:
        other.update(urls={"un-sc": {"consolidated.xml": url}})
    message = str(info.value)
    assert message.startswith(f"{url}: download failed after 2 attempt(s)")
    assert "--from DIR" in message and "\n" not in message
    with pytest.raises(DownloadError):
        store.update(urls={"un-sc": {"x.xml": url}}, downloader=Downloader(3, 2.0, 0.01, waits.append))
    assert waits == [0.01, 0.02]
    assert store.status() == []


def test_retries_with_exponential_backoff_then_imports(store: ListStore, un_file: Path) -> None:
    body = un_file.read_bytes()
    waits: list[float] = []
    with ScriptedServer({"/un.xml": [503, 500, body]}) as server:
        outcome = store.update(
            urls={"un-sc": {"consolidated.xml": f"{server.url}/un.xml"}},
            downloader=Downloader(retries=4, timeout=10, backoff=0.05, sleep=waits.append),
        )
    assert server.requests == ["/un.xml"] * 3
    assert waits == [0.05, 0.1]  # doubling waits before the 2nd and 3rd attempts
    [result] = outcome.results
    assert result.status is ImportStatus.ACTIVATED and result.version.entity_count == 1003
    saved = outcome.origin / "un-sc" / "consolidated.xml"
    assert saved.parent.parent.parent == store.settings.data_dir / "downloads"
    assert hashlib.sha256(saved.read_bytes()).hexdigest() == hashlib.sha256(body).hexdigest()
    assert not list(saved.parent.glob("*.part"))


def test_a_missing_file_is_not_retried(store: ListStore) -> None:
    with ScriptedServer({}) as server, pytest.raises(DownloadError, match="HTTP 404"):
        store.update(urls={"un-sc": {"consolidated.xml": f"{server.url}/gone.xml"}},
                     downloader=Downloader(4, 10, 0.0))  # fmt: skip
    assert server.requests == ["/gone.xml"]


def test_a_broken_download_imports_nothing(store: ListStore, un_file: Path, tmp_path: Path) -> None:
    broken = un_truncated(un_file, tmp_path, "2026-03-01").read_bytes()
    with ScriptedServer({"/un.xml": [broken]}) as server, pytest.raises(ListFileError):
        store.update(urls={"un-sc": {"consolidated.xml": f"{server.url}/un.xml"}},
                     downloader=Downloader(1, 10, 0.0))  # fmt: skip
    assert store.status() == []


def test_update_from_a_folder_with_official_names_in_any_case(
    store: ListStore, data_dir: Path, un_file: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "lists"
    folder.mkdir()
    shutil.copy(un_file, folder / "CONSOLIDATED.XML")
    shutil.copy(data_dir / "ofac" / "fixtures-small" / "sdn.csv", folder / "SDN.CSV")
    (folder / "notes.txt").write_text("copied from the USB stick on Monday\n")
    outcome = store.update(folder)
    assert outcome.origin == folder
    counts = {r.version.list_key: r.version.entity_count for r in outcome.results}
    assert counts == {"un-sc": 1003, "us-ofac-sdn": 17}
    assert [p.name for p in outcome.ignored] == ["notes.txt"]


def test_update_from_the_lists_dir_setting_detects_other_names(
    settings: Settings, un_file: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "lists"
    folder.mkdir()
    shutil.copy(un_file, folder / "un-2026-02-27.xml")
    with ListStore.open(settings.model_copy(update={"lists_dir": folder})) as air_gapped:
        [result] = air_gapped.update().results
    assert result.version.list_key == "un-sc" and result.version.file_names == ("un-2026-02-27.xml",)


def test_several_candidates_for_one_list_is_an_error(store: ListStore, un_file: Path, tmp_path: Path) -> None:
    folder = tmp_path / "lists"
    un_with_date(un_file, folder, "2026-01-31", name="un-january.xml")
    un_with_date(un_file, folder, "2026-02-27", name="un-february.xml")
    with pytest.raises(ListFileError, match="several candidate file sets for list 'un-sc'") as info:
        store.update(folder)
    assert "un-january.xml" in str(info.value) and "un-february.xml" in str(info.value)
    assert store.status() == []


def test_url_table_file_is_validated(tmp_path: Path) -> None:
    good = tmp_path / "urls.json"
    good.write_text('{"un-sc": {"consolidated.xml": "http://127.0.0.1:1/x.xml"}}')
    assert load_url_table(good) == {"un-sc": {"consolidated.xml": "http://127.0.0.1:1/x.xml"}}
    bad = tmp_path / "bad.json"
    bad.write_text('{"un-sc": "http://127.0.0.1:1/x.xml"}')
    with pytest.raises(ConfigError, match="a URL table is a JSON object"):
        load_url_table(bad)
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'db'}", data_dir=tmp_path, lists_dir=None)
    with ListStore.open(settings) as store, pytest.raises(ConfigError, match="unknown list source 'nope'"):
        store.update(urls={"nope": {"a": "http://127.0.0.1:1/a"}})
