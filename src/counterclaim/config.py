"""Settings with defaults, overridable from the environment.

All environment variable names live here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ENV_VARS = {
    "cache_dir": "COUNTERCLAIM_CACHE_DIR",  # where the compact gazetteer index is kept
    "db": "COUNTERCLAIM_DB",  # store URL (used by the store, later)
}


@dataclass(frozen=True, slots=True)
class Settings:
    cache_dir: Path
    db: str

    @classmethod
    def from_env(cls) -> Settings:
        cache = os.environ.get(ENV_VARS["cache_dir"])
        if cache:
            cache_dir = Path(cache)
        else:
            base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
            cache_dir = Path(base) / "counterclaim"
        return cls(cache_dir=cache_dir, db=os.environ.get(ENV_VARS["db"], "sqlite:///counterclaim.db"))


def settings() -> Settings:
    return Settings.from_env()
