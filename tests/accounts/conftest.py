"""Fixtures for the accounts tests."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD

GOOD_PASSWORD = PASSWORD


@pytest.fixture
def admin(make, login, db):
    """An administrator, logged in on the test client; setup is committed so a view's rollback
    after a refused rule keeps it."""
    user = make.user(is_admin=True, display_name="Admin Person")
    db.session.commit()
    login(user)
    return user
