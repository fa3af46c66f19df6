"""Read back what the database holds, to assert which rows a test's actions changed."""

from __future__ import annotations

import sqlalchemy as sa

from participation.extensions import db


def count_rows(model: type, *where: sa.ColumnElement[bool]) -> int:
    """How many rows of the model match every condition (all its rows without one)."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))
