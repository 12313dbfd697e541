"""The HTML pages (being written)."""

from fastapi import APIRouter

router = APIRouter()
