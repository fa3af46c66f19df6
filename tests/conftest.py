"""Fixtures: app, client, runner, db (rolled back per test), login, fresh_app and factories."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import flask_migrate
import pytest
import sqlalchemy as sa
from flask import Flask, g, has_app_context
from flask.testing import FlaskClient
from flask_sqlalchemy.session import Session as FlaskSession

from participation import create_app
from participation.extensions import db as _db
from tests import factories

# Set to a PostgreSQL URL (postgresql+psycopg://...) to run the whole suite on PostgreSQL.
TEST_DATABASE_URL = os.environ.get("PARTICIPATION_TEST_DATABASE_URL", "")
TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"


def _database_url(tmp: Path) -> tuple[str, Callable[[], None]]:
    """A database of our own: a new SQLite file, or a new schema in the PostgreSQL database."""
    if not TEST_DATABASE_URL:
        return f"sqlite:///{tmp / 'test.db'}", lambda: None
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(TEST_DATABASE_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    separator = "&" if "?" in TEST_DATABASE_URL else "?"
    url = f"{TEST_DATABASE_URL}{separator}options=-csearch_path%3D{schema}"

    def drop() -> None:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()

    return url, drop


def build_app(tmp: Path, **overrides: object) -> tuple[Flask, Callable[[], None]]:
    """Create an app on a new database with the schema made by the migrations."""
    url, drop = _database_url(tmp)
    settings = {
        "ENV": "testing",
        "SECRET_KEY": TEST_SECRET,
        "DATABASE_URL": url,
        "WTF_CSRF_ENABLED": False,
        "DEFAULT_LOCALE": "en",
        # Checkpoints lane: the checkpoint-signing key of a test app lives beside its database.
        "SIGNING_KEY_FILE": str(tmp / "signing-key.pem"),
        # Rate limits count nothing in tests, except those that switch them on to test them.
        "RATELIMIT_ENABLED": False,
    }
    settings.update(overrides)
    app = create_app(settings)
    app.test_client_class = FreshRequestClient
    with app.app_context():
        flask_migrate.upgrade()

    def teardown() -> None:
        with app.app_context():
            _db.engine.dispose()
        drop()

    return app, teardown


class FreshRequestClient(FlaskClient):
    """Each request starts with an empty `g`, as on a real server.

    Tests keep one app context open (for the rolled-back session), and a request reuses it;
    without this, per-request caches such as Flask-Login's user or the chosen locale would
    leak from one request to the next.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            for name in list(g):
                g.pop(name)
        return super().open(*args, **kwargs)


class ConnectionBoundSession(FlaskSession):
    """Flask-SQLAlchemy's session picks the engine itself; in tests use the test connection."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        return self.bind if self.bind is not None else super().get_bind(mapper, clause, bind)


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    app, teardown = build_app(tmp_path_factory.mktemp("db"))
    yield app
    teardown()


@pytest.fixture
def fresh_app(tmp_path: Path) -> Iterator[Flask]:
    """An app on its own new database whose transactions really commit (for concurrency)."""
    app, teardown = build_app(tmp_path)
    yield app
    teardown()


@pytest.fixture(autouse=True)
def db(request: pytest.FixtureRequest) -> Iterator[object]:
    """Run each test inside one outer transaction that is rolled back at the end."""
    if "fresh_app" in request.fixturenames or "browser" in request.keywords:
        yield _db  # a fresh app of its own, or a real server with its own database
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        connection = _db.engine.connect()
        outer = connection.begin()
        original = _db.session
        _db.session = _db._make_scoped_session(
            {
                "bind": connection,
                "join_transaction_mode": "create_savepoint",
                "class_": ConnectionBoundSession,
            }
        )
        try:
            yield _db
        finally:
            _db.session.remove()
            _db.session = original
            outer.rollback()
            connection.close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


@pytest.fixture
def login(client: FlaskClient) -> Callable[[object], FlaskClient]:
    """Log the test client in as a user, without going through the login form."""

    def log_in(user) -> FlaskClient:
        with client.session_transaction() as session:
            session["_user_id"] = str(user.id)
            session["_fresh"] = True
        return client

    return log_in


@pytest.fixture
def admin(make, login, db):
    """An administrator, logged in on the test client; setup is committed (inside the test's
    transaction) so that a view's rollback after a refused rule keeps it."""
    user = make.user(is_admin=True, display_name="Admin Person")
    db.session.commit()
    login(user)
    return user


@pytest.fixture
def make() -> factories.Factories:
    """Factories that add realistic rows to the test database."""
    return factories.Factories()
