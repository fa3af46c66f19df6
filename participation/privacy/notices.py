"""The privacy notice: one Markdown file per version and language in `notices/`, named
`<version>.<language>.md` (the version is the date it takes effect, YYYY-MM-DD). The newest
version is the one people consent to; older versions stay readable."""

from __future__ import annotations

from functools import cache
from pathlib import Path

NOTICES = Path(__file__).parent / "notices"


@cache
def notice_versions() -> tuple[str, ...]:
    """Every published version, oldest first."""
    return tuple(sorted({path.name.split(".", 1)[0] for path in NOTICES.glob("*.md")}))


def current_notice_version() -> str:
    return notice_versions()[-1]
