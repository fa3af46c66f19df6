"""Translation catalogue checks and the English fill step (`python -m participation.core.catalogues`)."""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po


def load(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def untranslated(path: Path) -> list[str]:
    """Return the message ids that are empty or fuzzy in a catalogue."""
    missing = []
    for message in load(path):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def fill_source_language(path: Path) -> int:
    """English is the source language: give each empty English entry its own id."""
    catalog = load(path)
    filled = 0
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            if not all(message.string):
                message.string = tuple(message.id[:2])
                filled += 1
        elif not message.string:
            message.string = message.id
            filled += 1
        message.flags.discard("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False)
    return filled


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "fill-source-language":
        sys.exit("usage: python -m participation.core.catalogues fill-source-language FILE.po")
    print(f"{fill_source_language(Path(sys.argv[2]))} English entries filled")
