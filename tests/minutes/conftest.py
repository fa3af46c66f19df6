"""Fixtures for the minutes tests: a group with a held meeting and its Thai agenda."""

from __future__ import annotations

import pytest

from tests.minutes.scene import Scene


@pytest.fixture
def scene(make, db) -> Scene:
    """The scene, committed inside the test's transaction, so that a view's rollback after a
    refused rule keeps it."""
    built = Scene(make)
    db.session.commit()
    return built
