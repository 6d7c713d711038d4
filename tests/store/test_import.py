"""Importing list files: snapshots, checksums, the activation rule, all-or-nothing, safety checks."""

from __future__ import annotations

import hashlib
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from lxml import etree
from sqlalchemy.engine import Connection

from sanctionwatch.errors import ImportRefused, ListFileError, StoreError
from sanctionwatch.settings import Settings
from sanctionwatch.store import ImportStatus, ListStore
from sanctionwatch.store.importer import ImportReport
from sanctionwatch.store.schema import entities, skipped, versions
from tests.store.fresh import make_settings
from tests.store.listfiles import copy_set, un_truncated, un_with_date


@pytest.fixture
def un_file(data_dir: Path) -> Path:
    return data_dir / "un" / "consolidated-2026-02-27.xml"


@pytest.fixture
def ofac_small(data_dir: Path, tmp_path: Path) -> Path:
    """The 17 rows of fixtures-small/sdn.csv alone (its add/alt files name ent_nums it lacks)."""
    return copy_set(data_dir / "ofac" / "fixtures-small", tmp_path / "ofac-small", ("sdn.csv",))


def _row_counts(store: ListStore) -> tuple[int, int, int]:
    with store.engine.connect() as conn:
        return tuple(  # type: ignore[return-value]
            conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
            for t in (versions, entities, skipped)
        )


def _un_without(source: Path, folder: Path, date: str, drop: int) -> Path:
    """The UN list dated ``date`` minus its first ``drop`` INDIVIDUAL elements."""
    tree = etree.parse(str(un_with_date(source, folder, date)))
    individuals = tree.getroot().find("INDIVIDUALS")
    assert individuals is not None
    for element in list(individuals)[:drop]:
        individuals.remove(element)
    out = folder / "consolidated.xml"
    tree.write(str(out), xml_declaration=True, encoding="UTF-8")
    return out


def test_import_stores_a_complete_snapshot(store: ListStore, un_file: Path) -> None:
    calls: list[tuple[str, int]] = []
    [result] = store.import_paths([un_file], progress=lambda key, n: calls.append((key, n)))
    assert result.status is ImportStatus.ACTIVATED
    v = result.version
    assert (v.list_key, v.format_key) == ("un-sc", "un-sc")
    assert v.entity_count == 1003  # data README: 730 individuals + 273 entities
    assert v.schema_counts == {"Organization": 273, "Person": 730}
    assert v.published == "2026-02-27"  # dateGenerated in the file's root element
    assert v.checksum == hashlib.sha256(un_file.read_bytes()).hexdigest()
    assert v.file_names == ("consolidated-2026-02-27.xml",)
    assert v.files[0].size == un_file.stat().st_size
    assert v.active and v.skipped_count == 0 and result.skipped == ()
    assert timedelta(0) <= datetime.now(UTC) - v.imported_at < timedelta(minutes=5)
    assert calls[-1] == ("un-sc", 1003)
    assert store.active_versions() == {"un-sc": v}
    komid = store.get_entity("un-sc:KPe.001")
    assert komid.caption == "KOREA MINING DEVELOPMENT TRADING CORPORATION"
    assert komid.list_version == v.id
    assert _row_counts(store) == (1, 1003, 0)


def test_checksum_of_a_file_set_is_the_sha256_of_its_manifest(store: ListStore, data_dir: Path) -> None:
    folder = data_dir / "ofac" / "cons-2025-12"
    names = ["cons_add.csv", "cons_alt.csv", "cons_comments.csv", "cons_prim.csv"]
    out = subprocess.run(["sha256sum", *names], cwd=folder, capture_output=True, text=True, check=True).stdout
    manifest = "".join(sorted(line.lower() + "\n" for line in out.splitlines()))  # "<sha256>  <name>"
    [result] = store.import_paths([folder])
    v = result.version
    assert v.list_key == "us-ofac-cons" and v.entity_count == 442  # data README
    assert v.checksum == hashlib.sha256(manifest.encode()).hexdigest()
    assert v.file_names[0] == "cons_prim.csv" and sorted(v.file_names) == names
    expected = {line.split()[1]: line.split()[0] for line in out.splitlines()}
    assert {f.name: f.sha256 for f in v.files} == expected


def test_reimporting_the_same_files_is_a_no_op(store: ListStore, un_file: Path, tmp_path: Path) -> None:
    [first] = store.import_paths([un_file])
    renamed = tmp_path / "other-name.xml"  # same bytes under another name: same checksum
    renamed.write_bytes(un_file.read_bytes())
    [again] = store.import_paths([renamed])
    assert again.status is ImportStatus.UNCHANGED
    assert again.version.id == first.version.id
    assert "unchanged" in again.message and "nothing written" in again.message
    assert _row_counts(store) == (1, 1003, 0)


def test_older_publication_is_stored_but_not_activated(
    store: ListStore, un_file: Path, tmp_path: Path
) -> None:
    [current] = store.import_paths([un_file])
    [older] = store.import_paths([un_with_date(un_file, tmp_path, "2025-06-30")])
    assert older.status is ImportStatus.STORED
    assert "NOT activated" in older.message and f"version {current.version.id}" in older.message
    assert not older.version.active and older.version.published == "2025-06-30"
    assert store.active_versions()["un-sc"].id == current.version.id
    assert [v.id for v in store.versions("un-sc")] == [current.version.id, older.version.id]
    kept = store.get_entity("un-sc:KPe.001", version=older.version.id)  # older versions stay queryable
    assert kept.list_version == older.version.id


def test_newer_publication_replaces_the_active_version(
    store: ListStore, un_file: Path, tmp_path: Path
) -> None:
    [old] = store.import_paths([un_with_date(un_file, tmp_path, "2025-06-30")])
    [new] = store.import_paths([un_file])
    assert new.status is ImportStatus.ACTIVATED
    assert new.previous is not None and new.previous.id == old.version.id
    assert new.version.replaced_id == old.version.id
    assert [v.active for v in store.versions("un-sc")] == [False, True]


def test_without_publication_dates_the_later_import_is_newer(
    store: ListStore, ofac_small: Path, tmp_path: Path
) -> None:
    [first] = store.import_paths([ofac_small])
    assert first.version.published is None  # the legacy CSV states no date
    assert first.version.entity_count == 17
    changed = copy_set(ofac_small, tmp_path / "changed")
    sdn = changed / "sdn.csv"
    sdn.write_bytes(sdn.read_bytes().replace(b"Toledo District", b"Toledo Distr."))
    [second] = store.import_paths([changed])
    assert second.status is ImportStatus.ACTIVATED
    assert store.active_versions()["us-ofac-sdn"].id == second.version.id


def test_a_broken_newer_file_leaves_the_active_version_untouched(
    store: ListStore, un_file: Path, tmp_path: Path
) -> None:
    [good] = store.import_paths([un_file])
    broken = un_truncated(un_file, tmp_path, "2026-12-31")
    with pytest.raises(ListFileError) as info:
        store.import_paths([broken])
    assert str(broken) in str(info.value)
    assert store.active_versions() == {"un-sc": good.version}
    assert _row_counts(store) == (1, 1003, 0)  # nothing half-written
    assert sum(1 for _ in store.active_entities()) == 1003


def test_a_corrupted_ofac_line_fails_naming_file_and_line(
    store: ListStore, ofac_small: Path, tmp_path: Path
) -> None:
    [good] = store.import_paths([ofac_small])
    broken = copy_set(ofac_small, tmp_path / "broken")
    lines = (broken / "sdn.csv").read_bytes().split(b"\n")
    lines[3] = b'"unterminated,' + lines[3]  # line 4 now opens a quote it never closes
    (broken / "sdn.csv").write_bytes(b"\n".join(lines))
    with pytest.raises(ListFileError) as info:
        store.import_paths([broken])
    assert f"{broken / 'sdn.csv'}:" in str(info.value)
    assert store.active_versions() == {"us-ofac-sdn": good.version}
    assert _row_counts(store) == (1, 17, 0)


def test_duplicate_ids_fail_strict_and_are_reported_lenient(
    store: ListStore, ofac_small: Path, tmp_path: Path
) -> None:
    dup = copy_set(ofac_small, tmp_path / "dup")
    sdn = dup / "sdn.csv"
    first = sdn.read_bytes().split(b"\n")[0]  # 10278,"LOGAN MOREY, Elvis Angus",individual,...
    assert first.startswith(b'10278,"LOGAN MOREY, Elvis Angus"')
    sdn.write_bytes(
        sdn.read_bytes().rstrip(b"\x1a\r\n") + b"\r\n" + first.replace(b"LOGAN MOREY", b"OTHER") + b"\n"
    )
    with pytest.raises(ListFileError, match="us-ofac-sdn:10278"):
        store.import_paths([dup])
    assert _row_counts(store) == (0, 0, 0)
    [result] = store.import_paths([dup], lenient=True)
    assert result.version.entity_count == 17 and result.version.skipped_count == 1
    [skip] = result.skipped
    assert "duplicate id 'us-ofac-sdn:10278'" in skip.reason
    assert store.skipped(result.version.id) == [skip]
    assert store.get_entity("us-ofac-sdn:10278").caption == "LOGAN MOREY, Elvis Angus"  # first one kept


def test_drop_guard_refuses_a_version_losing_too_many_entities(
    store: ListStore, un_file: Path, tmp_path: Path
) -> None:
    [good] = store.import_paths([un_file])
    shrunk = _un_without(un_file, tmp_path / "a", "2026-03-31", drop=200)
    with pytest.raises(ImportRefused) as info:
        store.import_paths([shrunk])
    message = str(info.value)
    assert "1,003" in message and "803" in message and "200" in message and "--force" in message
    assert store.active_versions() == {"un-sc": good.version}
    assert _row_counts(store) == (1, 1003, 0)
    [forced] = store.import_paths([shrunk], force=True)
    assert forced.status is ImportStatus.ACTIVATED and forced.version.entity_count == 803


def test_drop_guard_lets_small_drops_through_and_follows_the_setting(
    store: ListStore, settings: Settings, un_file: Path, tmp_path: Path
) -> None:
    store.import_paths([un_file])
    [small] = store.import_paths([_un_without(un_file, tmp_path / "a", "2026-03-31", drop=50)])
    assert small.status is ImportStatus.ACTIVATED and small.version.entity_count == 953
    loose = make_settings(settings.resolved_database_url, tmp_path).model_copy(update={"max_drop_ratio": 0.5})
    with ListStore.open(loose) as other:
        [big] = other.import_paths([_un_without(un_file, tmp_path / "b", "2026-04-30", drop=400)])
    assert big.status is ImportStatus.ACTIVATED and big.version.entity_count == 603


def test_one_active_version_per_list(store: ListStore, un_file: Path, tmp_path: Path) -> None:
    for n, date in enumerate(["2026-01-31", "2025-12-31", "2026-02-27", "2026-05-31"]):
        store.import_paths([un_with_date(un_file, tmp_path / str(n), date)])
    actives = [v for v in store.versions("un-sc") if v.active]
    assert [v.published for v in actives] == ["2026-05-31"]


class _Reports:
    """A reporter that keeps what it is told, and sees whether it runs inside the import."""

    def __init__(self, fail: bool = False) -> None:
        self.reports: list[ImportReport] = []
        self.versions_seen: list[int] = []
        self.fail = fail

    def __call__(self, conn: Connection, report: ImportReport) -> None:
        self.reports.append(report)
        # The stored version is visible on the connection given: the import's own transaction.
        self.versions_seen.append(conn.execute(sa.select(sa.func.count()).select_from(versions)).scalar_one())
        if self.fail:
            raise sa.exc.OperationalError("INSERT INTO audit_log", {}, Exception("disk full"))


def test_the_store_reports_what_each_import_did_to_its_reporter(
    settings: Settings, un_file: Path, tmp_path: Path
) -> None:
    reports = _Reports()
    with ListStore.open(settings, reporter=reports) as store:
        [good] = store.import_paths([un_file], actor="loader")
        store.import_paths([un_file], actor="loader")  # unchanged: nothing written, nothing reported
        broken = un_truncated(un_file, tmp_path, "2026-12-31")
        with pytest.raises(ListFileError) as info:
            store.import_paths([broken], actor="loader")
    assert len(reports.reports) == 2
    stored, failed = reports.reports
    assert (stored.actor, stored.files.list_key, stored.version, stored.activated) == (
        "loader",
        "un-sc",
        good.version,
        True,
    )
    assert stored.failure is None
    assert (failed.actor, failed.version, failed.activated, failed.failure) == (
        "loader",
        None,
        False,
        str(info.value),
    )
    assert failed.files.paths == (broken,)
    assert reports.versions_seen == [1, 1]


def test_a_reporter_that_fails_rolls_the_import_back(settings: Settings, un_file: Path) -> None:
    with ListStore.open(settings, reporter=_Reports(fail=True)) as store:
        with pytest.raises(StoreError, match="disk full"):
            store.import_paths([un_file])
        assert store.active_versions() == {}
        assert _row_counts(store) == (0, 0, 0)
