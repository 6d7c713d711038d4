"""Two real OFAC SDN versions (2022-01-31, 2024-05-03): duplicates, history, diff, entity reads.

Expected values come from the data README and from reading the raw CSVs with the csv module here,
independently of the parser and the store.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from sanctionwatch.errors import EntityNotFound, ListFileError, ListNotFound, VersionNotFound
from sanctionwatch.model import Schema
from sanctionwatch.store import ImportResult, ImportStatus, ListStore
from tests.store.fresh import make_settings
from tests.store.listfiles import copy_set


def _raw_names(path: Path) -> dict[str, str]:
    """ent_num → SDN_Name, first occurrence kept, straight from the file."""
    out: dict[str, str] = {}
    with path.open(encoding="latin-1", newline="") as f:
        for row in csv.reader(f):
            if row and row[0].strip().isdigit():
                out.setdefault(row[0].strip(), row[1].strip())
    return out


@dataclass
class History:
    store: ListStore
    strict_error: ListFileError
    v2022: ImportResult
    v2024: ImportResult
    raw2022: dict[str, str]
    raw2024: dict[str, str]
    ofac: Path


@pytest.fixture(scope="module")
def history(
    module_db_url: str, tmp_path_factory: pytest.TempPathFactory, data_dir: Path
) -> Iterator[History]:
    ofac = data_dir / "ofac"
    with ListStore.open(make_settings(module_db_url, tmp_path_factory.mktemp("h"))) as store:
        with pytest.raises(ListFileError) as strict:  # the full set: add.csv names an unknown ent_num
            store.import_paths([ofac / "sdn-2022-01-31"])
        [v2022] = store.import_paths([ofac / "sdn-2022-01-31"], lenient=True)
        [v2024] = store.import_paths([ofac / "sdn-2024-05-03"])
        yield History(
            store,
            strict.value,
            v2022,
            v2024,
            _raw_names(ofac / "sdn-2022-01-31" / "sdn.csv"),
            _raw_names(ofac / "sdn-2024-05-03" / "sdn.csv"),
            ofac,
        )


def test_strict_import_of_2022_sdn_csv_fails_on_the_duplicate_ent_num(
    store: ListStore, data_dir: Path, tmp_path: Path
) -> None:
    only_sdn = copy_set(data_dir / "ofac" / "sdn-2022-01-31", tmp_path / "sdn", ("sdn.csv",))
    with pytest.raises(ListFileError) as info:
        store.import_paths([only_sdn])
    message = str(info.value)
    assert message.startswith(f"{only_sdn / 'sdn.csv'}:entity us-ofac-sdn:2677: duplicate id")
    assert "HAMER AND NAIL CONSTRUCTION LIMITED" in message  # the second row with ent_num 2677
    assert store.status() == []


def test_strict_import_of_the_2022_set_fails_on_its_first_bad_record(history: History) -> None:
    # add.csv line 13625 is for ent_num 34489, which sdn.csv lacks (grep '^34489,' finds only add.csv).
    assert str(history.strict_error).startswith(f"{history.ofac / 'sdn-2022-01-31' / 'add.csv'}:line 13625:")


def test_lenient_import_of_2022_keeps_9043_and_reports_the_skipped(history: History) -> None:
    v = history.v2022.version
    assert v.entity_count == 9043  # README: 9,044 rows, ent_num 2677 twice
    assert v.skipped_count == 2
    orphan, duplicate = history.store.skipped(v.id)
    assert (Path(orphan.path).name, orphan.location) == ("add.csv", "line 13625")
    assert "34489" in orphan.reason
    assert duplicate.location == "entity us-ofac-sdn:2677" and "duplicate id" in duplicate.reason
    [listed] = [x for x in history.store.status(all_versions=True) if x.id == v.id]
    assert listed.skipped_count == 2


def test_2024_version_counts_and_activation(history: History) -> None:
    v = history.v2024.version
    assert history.v2024.status is ImportStatus.ACTIVATED
    assert v.entity_count == 14965
    assert v.schema_counts == {"Aircraft": 376, "Organization": 6884, "Person": 6854, "Vessel": 851}
    assert v.replaced_id == history.v2022.version.id
    assert [s.id for s in history.store.status()] == [v.id]
    assert [x.id for x in history.store.versions("us-ofac-sdn")] == [history.v2022.version.id, v.id]


def test_reimporting_the_old_file_is_unchanged_not_reactivated(history: History, data_dir: Path) -> None:
    [again] = history.store.import_paths([data_dir / "ofac" / "sdn-2022-01-31"], lenient=True)
    assert again.status is ImportStatus.UNCHANGED and again.version.id == history.v2022.version.id
    assert history.store.active_versions()["us-ofac-sdn"].id == history.v2024.version.id


def test_default_diff_is_previous_to_active(history: History) -> None:
    diff = history.store.diff("us-ofac-sdn")
    assert (diff.from_version.id, diff.to_version.id) == (history.v2022.version.id, history.v2024.version.id)
    old, new = history.raw2022, history.raw2024
    assert {e.id for e in diff.added} == {f"us-ofac-sdn:{n}" for n in new.keys() - old.keys()}
    assert {e.id for e in diff.removed} == {f"us-ofac-sdn:{n}" for n in old.keys() - new.keys()}
    assert (len(diff.added), len(diff.removed)) == (6414, 492)  # comm -13 / -23 on the ent_num columns
    common = old.keys() & new.keys()
    assert len(diff.changed) + diff.unchanged_count == len(common)
    renamed = {n for n in common if old[n] != new[n]}
    assert renamed, "the two files rename some entities"
    changed = {c.entity.id: c for c in diff.changed}
    for n in renamed:
        change = changed[f"us-ofac-sdn:{n}"]
        names = next(f for f in change.fields if f.field == "names")
        assert (names.old[0]["full"], names.new[0]["full"]) == (old[n], new[n])


def test_diff_between_named_versions_and_its_errors(history: History, tmp_path: Path, data_dir: Path) -> None:
    a, b = history.v2022.version.id, history.v2024.version.id
    back = history.store.diff("us-ofac-sdn", from_version=b, to_version=a)
    assert (len(back.added), len(back.removed)) == (492, 6414)
    with pytest.raises(VersionNotFound, match="belongs to 'us-ofac-sdn'"):
        history.store.diff("un-sc", from_version=a, to_version=b)
    with pytest.raises(VersionNotFound, match="no version before"):
        history.store.diff("us-ofac-sdn", to_version=a)
    with pytest.raises(VersionNotFound, match="999999"):
        history.store.diff("us-ofac-sdn", from_version=999999)


def test_get_entity_from_active_and_older_versions(history: History) -> None:
    kim = history.store.get_entity("us-ofac-sdn:20157")
    assert kim.caption == "KIM, Jong Un" and kim.schema is Schema.PERSON
    assert "DPRK3" in kim.programs
    assert "1984-01-08" in [b.date for b in kim.birth_dates]
    assert kim.list_version == history.v2024.version.id
    gone = next(iter(history.raw2022.keys() - history.raw2024.keys()))
    with pytest.raises(EntityNotFound, match=rf"in list version\(s\) {history.v2022.version.id}"):
        history.store.get_entity(f"us-ofac-sdn:{gone}")
    old = history.store.get_entity(f"us-ofac-sdn:{gone}", version=history.v2022.version.id)
    assert old.caption == history.raw2022[gone]
    with pytest.raises(EntityNotFound):
        history.store.get_entity("us-ofac-sdn:0")


def test_active_entities_streams_the_active_version(history: History) -> None:
    streamed = list(history.store.active_entities())
    assert len(streamed) == len({e.id for e in streamed}) == 14965
    assert {e.list_version for e in streamed} == {history.v2024.version.id}
    assert {e.id for e in streamed} == {f"us-ofac-sdn:{n}" for n in history.raw2024}
    assert sum(1 for _ in history.store.active_entities(["us-ofac-sdn"])) == 14965
    with pytest.raises(ListNotFound, match="'un-sc' has no active version"):
        history.store.active_entities(["un-sc"])
