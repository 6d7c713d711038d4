"""A page's parameters: reading a posted form, wording a field's error, and links that change some
GET parameters of the current page (the pagers and sort links of the alert queue and audit view)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, urlencode

from fastapi import Request

from sanctionwatch.errors import InputError

__all__ = ["field_sentence", "link_with", "read_form"]


async def read_form(request: Request) -> dict[str, str]:
    """The url-encoded form of a POST, first value of each field (blank values kept)."""
    # The stdlib parses url-encoded forms; FastAPI's Form() would pull in python-multipart for this.
    body = (await request.body()).decode("utf-8", errors="replace")
    return {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}


def field_sentence(exc: InputError, labels: Mapping[str, str]) -> str:
    """``min_score: enter…`` → ``Min score: enter….`` (the field's label, then the message)."""
    key, _, text = str(exc).partition(": ")
    return f"{labels.get(key, key)}: {text}" + ("" if text.endswith(".") else ".")


def link_with(base: str, values: Mapping[str, str], **changes: Any) -> str:
    """``base`` with the GET parameters ``values`` updated by ``changes``; empty values and
    ``page=1`` left out, so the first page has one address."""
    merged = {**values, **{k: str(v) for k, v in changes.items()}}
    kept = {k: v for k, v in merged.items() if v and not (k == "page" and v == "1")}
    return base + ("?" + urlencode(kept) if kept else "")
