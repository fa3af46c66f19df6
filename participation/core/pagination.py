"""Offset pagination over a select(), counted with one extra query."""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil
from typing import Any

import sqlalchemy as sa

from participation.extensions import db

# Far past any real list, and an offset every database can take.
MAX_PAGE = 100_000


@dataclass
class Page:
    items: list[Any]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def paginate(statement: sa.Select[Any], *, page: int, per_page: int) -> Page:
    """Return one page of the statement's rows and the total count."""
    # A page number from the address can be any size; past MAX_PAGE it is just empty.
    page = min(max(1, page), MAX_PAGE)
    total = db.session.scalar(
        sa.select(sa.func.count()).select_from(statement.order_by(None).subquery())
    )
    items = list(db.session.scalars(statement.limit(per_page).offset((page - 1) * per_page)))
    return Page(items=items, page=page, per_page=per_page, total=total or 0)
