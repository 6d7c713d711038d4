"""Shared fixtures: where the real list files are."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("SANCTIONWATCH_TEST_DATA", REPO.parent / "shared" / "data"))
EVAL_DIR = DATA_DIR.parent / "eval"


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--update-screenshots``: the browser tests rewrite ``docs/screenshots/`` (else a temp dir)."""
    parser.addoption(
        "--update-screenshots",
        action="store_true",
        default=False,
        help="browser tests write their screenshots into docs/screenshots/ instead of a temp dir",
    )


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The real official list files (../shared/data); the suite fails loudly if they are missing."""
    if not DATA_DIR.is_dir():
        raise RuntimeError(f"list files not found at {DATA_DIR}; set SANCTIONWATCH_TEST_DATA")
    return DATA_DIR


@pytest.fixture(scope="session")
def eval_dir() -> Path:
    """The labelled screening queries (../shared/eval)."""
    if not EVAL_DIR.is_dir():
        raise RuntimeError(f"eval queries not found at {EVAL_DIR}")
    return EVAL_DIR
