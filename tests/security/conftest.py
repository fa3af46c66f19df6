"""Fixtures for the security tests: the world of every role and state, built once per module.

Building the world is the slow part of these tests, and no test keeps what it changes: each
runs in a savepoint of a transaction that lasts the whole module, rolled back after the test,
while the world, built once in that transaction, stays until the module ends.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from flask import Flask

from participation.extensions import db as _db
from tests.conftest import ConnectionBoundSession
from tests.factories import Factories
from tests.security.world import World, build_world


@pytest.fixture(scope="module")
def module_connection(app: Flask) -> Iterator[sa.Connection]:
    """One connection for the module, in a transaction rolled back when the module ends."""
    with app.app_context():
        connection = _db.engine.connect()
        outer = connection.begin()
    yield connection
    outer.rollback()
    connection.close()


@contextmanager
def session_on(connection: sa.Connection) -> Iterator[None]:
    """Bind the app's session to the connection: a commit only releases a savepoint."""
    original = _db.session
    _db.session = _db._make_scoped_session(
        {"bind": connection, "join_transaction_mode": "create_savepoint",
         "class_": ConnectionBoundSession}
    )
    try:
        yield
    finally:
        _db.session.remove()
        _db.session = original


@pytest.fixture(autouse=True)
def db(app: Flask, module_connection: sa.Connection) -> Iterator[object]:
    """Run each test in a savepoint of the module's transaction, rolled back at its end (this
    replaces the suite's `db` fixture in this package)."""
    with app.app_context():
        savepoint = module_connection.begin_nested()
        try:
            with session_on(module_connection):
                yield _db
        finally:
            if savepoint.is_active:
                savepoint.rollback()


@pytest.fixture(scope="module")
def world(app: Flask, module_connection: sa.Connection) -> World:
    with app.app_context(), session_on(module_connection):
        return build_world(Factories())
