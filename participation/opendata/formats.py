"""Writing dataset rows as CSV (UTF-8 with a byte-order mark, so Excel shows Thai) and as a
JSON array, chunk by chunk."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from participation.opendata.datasets import Dataset

BOM = "\ufeff"
STRUCTURED = frozenset({"object", "array", "geojson"})


def _csv_cell(kind: str) -> Any:
    if kind == "boolean":
        return lambda value: "" if value is None else ("true" if value else "false")
    if kind in STRUCTURED:
        return lambda value: "" if value is None else json.dumps(
            value, ensure_ascii=False, separators=(",", ":")
        )
    if kind == "string":
        return _text_cell
    return lambda value: "" if value is None else value


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection): such
# text gets a leading apostrophe, which spreadsheets hide; the JSON download keeps it exact.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _text_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_chunks(dataset: Dataset, chunks: Iterable[list[list[Any]]]) -> Iterator[bytes]:
    """The header (field names) and then one encoded block per chunk of rows."""
    cells = [_csv_cell(f.type) for f in dataset.fields]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow([f.name for f in dataset.fields])
    yield buffer.getvalue().encode()
    for rows in chunks:
        buffer.seek(0)
        buffer.truncate()
        writer.writerows(
            [cell(value) for cell, value in zip(cells, row, strict=True)] for row in rows
        )
        yield buffer.getvalue().encode()


def json_chunks(dataset: Dataset, chunks: Iterable[list[list[Any]]]) -> Iterator[bytes]:
    """A JSON array of objects, written as it goes: valid JSON once the last chunk is out."""
    names = [f.name for f in dataset.fields]
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    yield b"["
    first = True
    for rows in chunks:
        if not rows:
            continue
        # One encoder call per chunk; strip the chunk's own brackets to continue the array.
        text = encode([dict(zip(names, row, strict=True)) for row in rows])[1:-1]
        yield (text if first else "," + text).encode()
        first = False
    yield b"]\n"
