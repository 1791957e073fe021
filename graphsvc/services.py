"""Builds each domain service once per process, around one database driver."""

from __future__ import annotations

from dataclasses import dataclass

from .db import Database
from .settings import Settings

__all__ = ["Services"]


@dataclass
class Services:
    settings: Settings
    db: Database

    @classmethod
    def build(cls, settings: Settings, db: Database | None = None) -> "Services":
        db = db or Database(settings)
        return cls(settings=settings, db=db)

    def close(self) -> None:
        self.db.close()
