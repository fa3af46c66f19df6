"""Fixtures for the security tests: the world of every role and state."""

from __future__ import annotations

import pytest

from tests.security.world import World, build_world


@pytest.fixture
def world(make, db) -> World:
    return build_world(make)
