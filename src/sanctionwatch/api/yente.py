"""yente-compatible API: /match/{dataset}, /search/{dataset}, /catalog, /algorithms (in development)."""

from __future__ import annotations

from fastapi import APIRouter

__all__ = ["router"]

router = APIRouter()
