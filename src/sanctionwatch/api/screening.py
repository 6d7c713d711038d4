"""Own API: POST /screen, POST /screen/batch, GET /lists, GET /entities/{id} (in development)."""

from __future__ import annotations

from fastapi import APIRouter

__all__ = ["router"]

router = APIRouter()
