"""The seeded demo for the demo tests, and the local SMTP server of the mail tests."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache

import pytest

from participation.accounts import services as accounts_services
from participation.core.security import hash_password
from participation.demo.services import seed_demo
from tests.mail.conftest import mailbox  # noqa: F401  (a real aiosmtpd server on 127.0.0.1)

NOW = datetime(2026, 11, 26, 5, 0, tzinfo=UTC)

# Every demo account has the same password: hash it once per run, argon2 is deliberately slow.
_hash_once = cache(hash_password)


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch):
    monkeypatch.setattr(accounts_services, "hash_password", _hash_once)


@pytest.fixture
def demo(db):
    return seed_demo(now=NOW)
