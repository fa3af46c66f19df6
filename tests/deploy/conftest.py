"""The deployment's tests run real servers that commit to a database of their own."""

from __future__ import annotations

import pytest

from participation.extensions import db as _db


@pytest.fixture(autouse=True)
def db():
    """No rolled-back test session here: the servers and the setup commit for real."""
    yield _db
