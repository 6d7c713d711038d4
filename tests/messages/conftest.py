"""Fixtures for the payment message tests: the public samples and a screener over every list."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.matching.conftest import all_lists

__all__ = ["all_lists"]


@pytest.fixture(scope="session")
def samples(eval_dir: Path) -> Path:
    """The 24 public sample messages (../shared/eval/payment-samples), read in place."""
    folder = eval_dir / "payment-samples"
    if not folder.is_dir():
        raise RuntimeError(f"payment samples not found at {folder}")
    return folder
