"""The seeded demo for the demo tests, and the local SMTP server of the mail tests.

The demo is seeded once per test session into a database of its own; each test that asks for
`demo` runs on it inside a transaction that is rolled back, like every other test.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields
from datetime import UTC, datetime

import pytest
from flask import Flask

from participation.core.models import Base
from participation.demo.services import DemoInstance, seed_demo
from participation.extensions import db as _db
from tests.conftest import build_app
from tests.mail.conftest import mailbox  # noqa: F401  (a real aiosmtpd server on 127.0.0.1)

NOW = datetime(2026, 11, 26, 5, 0, tzinfo=UTC)

@dataclass(frozen=True)
class _Row:
    """A row of the seeded demo, by model and id, to load again in each test's session."""

    model: type
    id: int


def _refer(value: object) -> object:
    if isinstance(value, dict):
        return {key: _refer(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_refer(item) for item in value]
    if isinstance(value, Base):
        return _Row(type(value), value.id)
    return value


def _load(value: object) -> object:
    if isinstance(value, dict):
        return {key: _load(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_load(item) for item in value]
    if isinstance(value, _Row):
        return _db.session.get(value.model, value.id)
    return value


@pytest.fixture(scope="session")
def seeded_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, dict]]:
    """An app whose database holds the demo, committed; and what the seed made, by id."""
    app, teardown = build_app(tmp_path_factory.mktemp("demo"))
    with app.app_context():
        instance = seed_demo(now=NOW)
        _db.session.commit()
        made = {field.name: _refer(getattr(instance, field.name)) for field in fields(instance)}
    yield app, made
    teardown()


@pytest.fixture
def app(app: Flask, request: pytest.FixtureRequest) -> Flask:
    """The seeded demo's app for a test that asks for `demo`, the empty one otherwise."""
    if "demo" in request.fixturenames:
        return request.getfixturevalue("seeded_demo")[0]
    return app


@pytest.fixture
def demo(db, seeded_demo: tuple[Flask, dict]) -> DemoInstance:
    return DemoInstance(**{name: _load(value) for name, value in seeded_demo[1].items()})
