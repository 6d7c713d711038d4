"""A screener over every sanctions list in ../shared/data, built once per test session worker."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sanctionwatch.matching.screener import Screener
from sanctionwatch.model import Entity
from sanctionwatch.sources.base import ParseContext
from sanctionwatch.sources.registry import detect, get_format

# Every sanctions list file of ../shared/data (the PEP export is not a sanctions list).
SANCTIONS_FILES = (
    "ofac/sdn-2024-05-03",
    "ofac/cons-2025-12",
    "un/consolidated-2026-02-27.xml",
    "uk/conlist-2018-04-13.csv",
    "eu/fsf-v1.0-2016-02-11-subset.xml",
    "us-csl/consolidated-subset.csv",
    "opensanctions/ua_war_sanctions_targets.simple.csv",
)


# The CSL subset ends in the middle of a row: that one row is skipped (and must be the only one).
LENIENT = {"us-csl/consolidated-subset.csv": 1}


def parse_lists(data_dir: Path, names: tuple[str, ...]) -> Iterator[Entity]:
    """Entities of the given list files, parsed strictly except for the known-truncated CSL subset."""
    for name in names:
        files = detect(data_dir / name)
        ctx = ParseContext(lenient=name in LENIENT)
        yield from get_format(files.format_key).parse(files, ctx)
        assert len(ctx.skipped) == LENIENT.get(name, 0), ctx.skipped


@pytest.fixture(scope="session")
def all_lists(data_dir: Path) -> Screener:
    """Screener over all sanctions lists."""
    return Screener(parse_lists(data_dir, SANCTIONS_FILES))


@pytest.fixture(scope="session")
def un_only(data_dir: Path) -> Screener:
    """Screener over the UN list alone."""
    return Screener(parse_lists(data_dir, ("un/consolidated-2026-02-27.xml",)))
