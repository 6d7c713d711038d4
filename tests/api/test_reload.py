"""Hot reload for real: a running ``sanctionwatch serve`` switches to a list version imported by
another process while screening requests keep coming, without failing any of them.

Version A is the real UN file; version B is a copy written into tmp_path with a later
``dateGenerated`` and one individual added (a name on no real list).
"""

from __future__ import annotations

import csv
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest

from tests.api.serverproc import Server, run_cli
from tests.store.listfiles import un_with_date

ADDED_REF = "CDi.999"
ADDED_NAME = "ZEBULON QUARTERMAYNE"
ADDED = f"""    <INDIVIDUAL>
      <DATAID>99999999</DATAID>
      <VERSIONNUM>1</VERSIONNUM>
      <FIRST_NAME>ZEBULON</FIRST_NAME>
      <SECOND_NAME>QUARTERMAYNE</SECOND_NAME>
      <UN_LIST_TYPE>DRC</UN_LIST_TYPE>
      <REFERENCE_NUMBER>{ADDED_REF}</REFERENCE_NUMBER>
      <LISTED_ON>2026-03-12</LISTED_ON>
      <NATIONALITY>
        <VALUE>Democratic Republic of the Congo</VALUE>
      </NATIONALITY>
      <LIST_TYPE>
        <VALUE>UN List</VALUE>
      </LIST_TYPE>
      <INDIVIDUAL_DATE_OF_BIRTH>
        <TYPE_OF_DATE>EXACT</TYPE_OF_DATE>
        <YEAR>1970</YEAR>
      </INDIVIDUAL_DATE_OF_BIRTH>
    </INDIVIDUAL>
  </INDIVIDUALS>"""
CLIENTS = 4


def _version_b(un_file: Path, folder: Path) -> Path:
    path = un_with_date(un_file, folder, "2026-03-13")
    text = path.read_text(encoding="utf-8")
    assert text.count("  </INDIVIDUALS>") == 1
    path.write_text(text.replace("  </INDIVIDUALS>", ADDED), encoding="utf-8")
    return path


class Load:
    """Threads screening names in a loop until stopped, recording every outcome."""

    def __init__(self, url: str, key: str, names: list[str]) -> None:
        self.url, self.names = url, names
        self.headers = {"Authorization": f"ApiKey {key}"}
        self.stop = threading.Event()
        self.statuses: Counter[int] = Counter()
        self.errors: list[str] = []
        self.versions: Counter[int] = Counter()
        self._lock = threading.Lock()
        self.threads = [threading.Thread(target=self._run, args=(i,)) for i in range(CLIENTS)]

    def _run(self, offset: int) -> None:
        i = offset
        with httpx.Client(base_url=self.url, headers=self.headers, timeout=30) as client:
            while not self.stop.is_set():
                name = self.names[i % len(self.names)]
                i += CLIENTS
                try:
                    response = client.post("/screen", json={"name": name})
                except httpx.HTTPError as exc:
                    with self._lock:
                        self.errors.append(f"{name!r}: {exc!r}")
                    continue
                with self._lock:
                    self.statuses[response.status_code] += 1
                    if response.status_code == 200:
                        self.versions[response.json()["versions"]["un-sc"]] += 1
                    else:
                        self.errors.append(f"{name!r}: {response.status_code} {response.text[:200]}")

    def __enter__(self) -> Load:
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(60)

    @property
    def total(self) -> int:
        with self._lock:
            return sum(self.statuses.values())


def _wait_total(load: Load, more: int, timeout: float = 60) -> None:
    target = load.total + more
    deadline = time.monotonic() + timeout
    while load.total < target:
        assert time.monotonic() < deadline, f"only {load.total} requests answered"
        time.sleep(0.05)


def _active_version(server: Server) -> int:
    version: int = server.wait_for("/readyz").json()["lists"][0]["version_id"]
    return version


@pytest.mark.parametrize("trigger", ["admin", "poller"])
def test_reload_under_load_drops_no_request(
    trigger: str, tmp_path: Path, data_dir: Path, eval_dir: Path
) -> None:
    un_file = data_dir / "un" / "consolidated-2026-02-27.xml"
    db = f"sqlite:///{tmp_path / 'reload.db'}"
    run_cli(db, tmp_path, "lists", "import", un_file)
    key = run_cli(db, tmp_path, "keys", "create", "load", "--scope", "screen,admin").stdout.strip()
    version_b = _version_b(un_file, tmp_path / "b")
    with (eval_dir / "dev" / "un-typos.csv").open(encoding="utf-8") as f:
        names = [row["name"] for row in csv.DictReader(f)]
    interval = "0" if trigger == "admin" else "0.5"
    auth = {"Authorization": f"ApiKey {key}"}
    with Server(db, tmp_path, "--reload-interval", interval, "--no-access-log") as server:
        ready = server.wait_for("/readyz").json()
        [a] = ready["lists"]
        before = httpx.post(server.url + "/screen", json={"name": ADDED_NAME}, headers=auth).json()
        assert f"un-sc:{ADDED_REF}" not in [h["entity_id"] for h in before["hits"]]

        with Load(server.url, key, names) as load:
            _wait_total(load, 40)
            imported = run_cli(db, tmp_path, "lists", "import", version_b).stdout
            assert "imported and activated" in imported
            if trigger == "admin":
                reload = httpx.post(server.url + "/admin/reload", headers=auth, timeout=60)
                assert reload.status_code == 200, reload.text
                [change] = reload.json()["changed"]
                assert change["from"]["version_id"] == a["version_id"]
                b_id = change["to"]["version_id"]
            else:
                deadline = time.monotonic() + 60
                while (b_id := server.wait_for("/readyz").json()["lists"][0]["version_id"]) == a[
                    "version_id"
                ]:
                    assert time.monotonic() < deadline, "the poller never switched"
                    time.sleep(0.1)
            _wait_total(load, 40)

        assert load.errors == [], load.errors[:5]
        assert set(load.statuses) == {200}
        # Requests were answered from both versions: the swap happened under load.
        assert set(load.versions) == {a["version_id"], b_id}, load.versions

        ready = server.wait_for("/readyz").json()
        [b] = ready["lists"]
        assert (b["version_id"], b["published"], b["entity_count"]) == (b_id, "2026-03-13", 1003 + 1)
        after = httpx.post(server.url + "/screen", json={"name": "Zebulon Quartermayne"}, headers=auth).json()
        assert after["versions"] == {"un-sc": b_id}
        top = after["hits"][0]
        assert (top["entity_id"], top["match"]) == (f"un-sc:{ADDED_REF}", True)
        assert server.stop() in (0, -15)
    assert "Traceback" not in server.stderr
