"""Counts broken down by the sector a person or a seat speaks for."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from participation.accounts.models import Sector


def count_by_sector(rows: Iterable[tuple[Any, Any, int]]) -> dict[str, dict[str, int]]:
    """Fold (sector, key, count) rows into {sector: {key: count}}, every sector present.

    Sectors and keys may be enum members or their stored values; the result uses values so it
    can be stored as JSON and read back the same."""
    counts: dict[str, dict[str, int]] = {sector.value: {} for sector in Sector}
    for sector, key, number in rows:
        sector_value = getattr(sector, "value", sector)
        key_value = getattr(key, "value", key)
        row = counts.setdefault(sector_value, {})
        row[key_value] = row.get(key_value, 0) + number
    return counts


def sector_rows(
    counts: dict[str, dict[str, int]], keys: Iterable[str]
) -> tuple[list[tuple[str, list[int]]], list[int]]:
    """Lay counts out as a table: (sector label, numbers per key) rows in sector order, and
    the totals per key."""
    keys = list(keys)
    rows = [
        (str(sector.label), [counts.get(sector.value, {}).get(key, 0) for key in keys])
        for sector in Sector
    ]
    totals = [sum(numbers[index] for _label, numbers in rows) for index in range(len(keys))]
    return rows, totals
