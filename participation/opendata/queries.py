"""Reads of the open datasets: row counts, keyset pages, one row, and a flat-memory stream."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from participation.extensions import db
from participation.opendata.datasets import CHUNK_ROWS, DATASETS, Dataset, count_statement


def row_counts() -> dict[str, int]:
    """The number of public rows of every dataset, in one query."""
    counts = db.session.execute(count_statement()).one()
    return dict(zip(DATASETS, counts, strict=True))


def _as_dicts(dataset: Dataset, rows: Any) -> list[dict[str, Any]]:
    converters = dataset.converters()
    return [
        {f.name: convert(value) for (f, convert), value in zip(converters, row, strict=True)}
        for row in rows
    ]


def page(dataset: Dataset, filters: dict[str, Any], *, after: int | None,
         limit: int) -> tuple[list[dict[str, Any]], int | None]:
    """Up to `limit` rows after the key `after`, in key order, and the key to continue after
    (None on the last page); one query."""
    rows = db.session.execute(
        dataset.statement(filters, after=after).limit(limit + 1)
    ).all()
    more = len(rows) > limit
    rows = rows[:limit]
    items = _as_dicts(dataset, rows)
    return items, (items[-1][dataset.key] if more else None)


def one(dataset: Dataset, key: int) -> dict[str, Any] | None:
    """The row with this key, or None when there is none (or it is not public)."""
    row = db.session.execute(dataset.statement(key=key)).first()
    return _as_dicts(dataset, [row])[0] if row is not None else None


def stream(dataset: Dataset, filters: dict[str, Any]) -> Iterator[list[list[Any]]]:
    """Every row as a list of published values, in chunks fetched with a server-side cursor
    on PostgreSQL (and SQLite's own stepping), so memory stays flat whatever the size."""
    converters = [convert for _field, convert in dataset.converters()]
    result = db.session.execute(
        dataset.statement(filters).execution_options(yield_per=CHUNK_ROWS)
    )
    try:
        for partition in result.partitions():
            yield [
                [convert(value) for convert, value in zip(converters, row, strict=True)]
                for row in partition
            ]
    finally:
        result.close()
