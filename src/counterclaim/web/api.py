"""The REST API under /api/ (being written)."""

from fastapi import APIRouter

router = APIRouter(prefix="/api")
