"""Datasets as the API names them: ``default`` (every active list) and each list key on its own.

Both the own API (``lists`` in a query) and the yente-compatible one (``/match/{dataset}``,
``include_dataset``...) resolve names here, against the snapshot a request is served from.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache

from sanctionwatch.errors import InputError, ListNotFound
from sanctionwatch.service import Snapshot
from sanctionwatch.store.records import VersionInfo

__all__ = ["DEFAULT_DATASET", "check_lists", "dataset_lists", "list_title", "select_lists"]

DEFAULT_DATASET = "default"
"""The dataset covering every active list."""


@cache
def _format_title(format_key: str) -> str:
    from sanctionwatch.sources.registry import get_format  # loads the parsers: once, on first use

    try:
        return get_format(format_key).title
    except Exception:  # a format removed since the import: the key still names the list
        return format_key


def list_title(version: VersionInfo) -> str:
    """Human title of a list (its format's title; ``ftm:<dataset>`` lists add the dataset name)."""
    title = _format_title(version.format_key)
    if version.list_key != version.format_key:
        suffix = version.list_key.split(":", 1)[-1]
        return f"{title}: {suffix}"
    return title


def _known(snapshot: Snapshot) -> str:
    return ", ".join([DEFAULT_DATASET, *sorted(snapshot.versions)])


def dataset_lists(snapshot: Snapshot, name: str, field: str = "dataset") -> tuple[str, ...]:
    """The list keys a dataset name covers.

    Raises:
        ListNotFound: No such dataset; the message names ``field`` and the known datasets.
    """
    if name == DEFAULT_DATASET:
        return tuple(sorted(snapshot.versions))
    if name in snapshot.versions:
        return (name,)
    raise ListNotFound(f"{field}: unknown dataset {name!r}; datasets: {_known(snapshot)}")


def select_lists(
    snapshot: Snapshot, dataset: str, include: Sequence[str] = (), exclude: Sequence[str] = ()
) -> tuple[str, ...]:
    """The lists of ``dataset``, narrowed to those of ``include`` (if any), minus those of ``exclude``.

    Raises:
        ListNotFound: ``dataset`` or a name in ``include``/``exclude`` is unknown.
    """
    keys = dataset_lists(snapshot, dataset)
    if include:
        wanted = {k for name in include for k in dataset_lists(snapshot, name, "include_dataset")}
        keys = tuple(k for k in keys if k in wanted)
    if exclude:
        unwanted = {k for name in exclude for k in dataset_lists(snapshot, name, "exclude_dataset")}
        keys = tuple(k for k in keys if k not in unwanted)
    return keys


def check_lists(snapshot: Snapshot, keys: Iterable[str]) -> tuple[str, ...]:
    """Validate the ``lists`` of a screening query: active list keys, or a prefix such as ``ftm``.

    Raises:
        InputError: A key matches no active list.
    """
    out = []
    for key in keys:
        if key not in snapshot.versions and not any(k.split(":", 1)[0] == key for k in snapshot.versions):
            active = ", ".join(sorted(snapshot.versions))
            raise InputError(f"lists: unknown list {key!r}; active lists: {active}")
        out.append(key)
    return tuple(out)
