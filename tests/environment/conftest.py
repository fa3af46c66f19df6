"""Helpers for the environment tests: counts of the rows an import may write."""

from __future__ import annotations

import sqlalchemy as sa

from participation.accountability.models import LogEntry
from participation.environment.models import DataImport, Hotspot, Reading, Station
from participation.extensions import db


def counts() -> dict[str, int]:
    """How many rows each table an import writes holds."""
    return {
        model.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in (DataImport, Reading, Station, Hotspot, LogEntry)
    }
