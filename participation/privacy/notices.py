"""The privacy notice: one Markdown file per version and language in `notices/`, named
`<version>.<language>.md` (the version is the date it takes effect, YYYY-MM-DD). The newest
version is the one people consent to; older versions stay readable."""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from pathlib import Path

NOTICES = Path(__file__).parent / "notices"
LANGUAGES = ("th", "en")
_FILE_NAME = re.compile(r"(?P<version>[0-9]{4}-[0-9]{2}-[0-9]{2})\.(?P<language>th|en)\.md")


@cache
def notice_versions() -> tuple[str, ...]:
    """Every published version, oldest first."""
    found = (_FILE_NAME.fullmatch(path.name) for path in NOTICES.glob("*.md"))
    return tuple(sorted({match["version"] for match in found if match}))


def current_notice_version() -> str:
    return notice_versions()[-1]


def is_notice_version(version: str) -> bool:
    return version in notice_versions()


def notice_date(version: str) -> date:
    """The day a version takes effect (its name)."""
    return date.fromisoformat(version)


def notice_text(version: str, language: str) -> tuple[str, str]:
    """The Markdown of a version in `language`, or in the other language when that one is
    missing; with the language it is written in. An unknown version reads as empty."""
    if not is_notice_version(version):
        return "", language
    for each in (language, *(other for other in LANGUAGES if other != language)):
        path = NOTICES / f"{version}.{each}.md"
        if path.is_file():
            return path.read_text(encoding="utf-8"), each
    return "", language
