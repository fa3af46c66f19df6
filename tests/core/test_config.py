"""Configuration from the environment, and refusing to run in production without a secret."""

import pytest

from participation import config, create_app
from participation.extensions import db


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.delenv("PARTICIPATION_SECRET_KEY", raising=False)
    monkeypatch.delenv("PARTICIPATION_ENV", raising=False)
    with pytest.raises(RuntimeError, match="PARTICIPATION_SECRET_KEY"):
        create_app({"DATABASE_URL": "sqlite://"})


@pytest.mark.parametrize("key", ["short", config.INSECURE_KEY])
def test_production_refuses_a_weak_secret_key(key):
    with pytest.raises(RuntimeError):
        config.load({"ENV": "production", "SECRET_KEY": key})


def test_production_with_a_real_key_uses_secure_cookies():
    settings = config.load({"ENV": "production", "SECRET_KEY": "x" * 40})
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["SESSION_COOKIE_HTTPONLY"] is True
    assert settings["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_settings_come_from_participation_environment_variables(monkeypatch):
    monkeypatch.setenv("PARTICIPATION_ENV", "development")
    monkeypatch.setenv("PARTICIPATION_DATABASE_URL", "sqlite:////tmp/elsewhere.db")
    monkeypatch.setenv("PARTICIPATION_PER_PAGE", "7")
    monkeypatch.setenv("PARTICIPATION_LANGUAGES", "th, en")
    settings = config.load()
    assert settings["SQLALCHEMY_DATABASE_URI"] == "sqlite:////tmp/elsewhere.db"
    assert settings["PER_PAGE"] == 7
    assert settings["LANGUAGES"] == ("th", "en")
    assert settings["SECRET_KEY"]  # development gets a key of its own


def test_embedded_sqlite_runs_in_wal_mode_with_foreign_keys_and_a_busy_timeout(tmp_path):
    app = create_app({"ENV": "testing", "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"})
    with app.app_context():
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000
        db.engine.dispose()
