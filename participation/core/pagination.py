"""Numbered pages over a select(): the page's keys found alone, then its rows loaded, and the
total counted with one extra query."""

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
    """Return one page of the statement's rows (it selects one entity with a one-column
    primary key) and the total count.

    A deep page costs about what the first does: a plain OFFSET would build, join and throw
    away every row before the page; here the keys before it are skipped inside an index (a
    "deferred join"), and only the page's own rows are read and joined, still in one query."""
    page = _clamped(page)
    (key,) = sa.inspect(statement.column_descriptions[0]["entity"]).primary_key
    # The keys alone: the same filters and sort with nothing else selected, so that an index
    # holding them answers without reading the rows.
    keys = statement.with_only_columns(key)
    total = db.session.scalar(
        sa.select(sa.func.count()).select_from(keys.order_by(None).subquery())
    )
    # Joined rather than IN: SQLite then starts from the page's keys, where it could otherwise
    # walk a filter's index and test every row against them.
    page_keys = keys.limit(per_page).offset((page - 1) * per_page).subquery()
    (page_key,) = page_keys.c
    items = list(db.session.scalars(statement.join(page_keys, page_key == key)))
    return Page(items=items, page=page, per_page=per_page, total=total or 0)


def paginate_keys(statement: sa.Select[Any], *, page: int, per_page: int) -> Page:
    """Return one page of a statement that selects keys alone, and their total count."""
    page = _clamped(page)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(
        statement.order_by(None).subquery()))
    items = list(db.session.scalars(statement.limit(per_page).offset((page - 1) * per_page)))
    return Page(items=items, page=page, per_page=per_page, total=total or 0)


def _clamped(page: int) -> int:
    # A page number from the address can be any size; past MAX_PAGE it is just empty.
    return min(max(1, page), MAX_PAGE)
