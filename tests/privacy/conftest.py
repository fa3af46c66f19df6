"""A notice published after the one in force, to see people asked again."""

from __future__ import annotations

import shutil

import pytest

from participation.privacy import notices

NEW_VERSION = "2027-03-01"


@pytest.fixture
def new_notice(tmp_path, monkeypatch) -> str:
    """A later version of the notice, in Thai and English, beside the shipped ones."""
    for path in notices.NOTICES.glob("*.md"):
        shutil.copy(path, tmp_path)
    (tmp_path / f"{NEW_VERSION}.en.md").write_text(
        "## What changed\n\nReports are now kept for one year.\n", encoding="utf-8")
    (tmp_path / f"{NEW_VERSION}.th.md").write_text(
        "## สิ่งที่เปลี่ยนไป\n\nการรายงานเนื้อหาจะเก็บไว้หนึ่งปี\n", encoding="utf-8")
    monkeypatch.setattr(notices, "NOTICES", tmp_path)
    notices.notice_versions.cache_clear()
    yield NEW_VERSION
    notices.notice_versions.cache_clear()
