"""Settings for a fresh store in a test, immune to the caller's ``SANCTIONWATCH_*`` environment."""

from __future__ import annotations

from pathlib import Path

from sanctionwatch.settings import Settings

__all__ = ["make_settings"]


def make_settings(db_url: str, folder: Path) -> Settings:
    """Settings on ``db_url`` with a private data dir and no lists dir."""
    return Settings(database_url=db_url, data_dir=folder / "data", lists_dir=None)
