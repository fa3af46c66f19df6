"""The application starts, reports its health, and speaks Thai and English."""

from __future__ import annotations

from datetime import UTC, date, datetime

import flask_babel
import pytest

from participation import create_app
from participation.core.i18n import format_date, format_datetime
from participation.extensions import db as _db
from tests.conftest import TEST_SECRET


def test_home_renders(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"Ruam" in response.data


def test_healthz(client):
    assert client.get("/healthz").get_json() == {"status": "ok", "database": "ok"}


def test_healthz_is_503_with_a_reason_when_the_database_is_unreachable(monkeypatch):
    broken = create_app(
        {
            "ENV": "testing",
            "SECRET_KEY": TEST_SECRET,
            "DATABASE_URL": "sqlite:////nonexistent-dir/ruam.db",
            "DEFAULT_LOCALE": "en",
        }
    )
    # The db fixture binds the shared session to the test database; give this app its own.
    monkeypatch.setattr(_db, "session", _db._make_scoped_session({}))
    with broken.app_context():
        response = broken.test_client().get("/healthz")
        _db.session.remove()
        _db.engine.dispose()
    assert response.status_code == 503
    assert response.get_json() == {
        "status": "error",
        "database": "unreachable",
        "reason": "OperationalError",
    }


def test_factories(make, db):
    group = make.group(voting_members=3)
    proposal = make.proposal(group=group)
    assert proposal.id and len(group.seats) == 3


@pytest.mark.parametrize(
    ("language", "expected"),
    [("th", "22 มีนาคม 2564"), ("en", "March 22, 2021")],
)
def test_dates_are_formatted_for_the_reader(app, language, expected):
    with app.test_request_context(f"/?lang={language}"), flask_babel.force_locale(language):
        assert format_date(date(2021, 3, 22)) == expected


def test_thai_datetimes_use_the_buddhist_era_and_bangkok_time(app):
    moment = datetime(2021, 3, 22, 2, 30, tzinfo=UTC)
    with app.test_request_context("/"), flask_babel.force_locale("th"):
        assert format_datetime(moment) == "22 มีนาคม 2564 09:30 น."
        assert format_date(date(2021, 3, 22), short=True) == "22 มี.ค. 2564"
    with app.test_request_context("/"), flask_babel.force_locale("en"):
        assert format_datetime(moment) == "March 22, 2021, 09:30"


def test_lang_parameter_switches_language_and_is_remembered(client):
    assert '<html lang="th">' in client.get("/?lang=th").text
    assert '<html lang="th">' in client.get("/log").text
    assert '<html lang="en">' in client.get("/?lang=en").text
    response = client.get("/log")
    assert '<html lang="en">' in response.text
    assert response.headers["Content-Language"] == "en"


def test_unknown_lang_parameter_is_ignored(client):
    assert '<html lang="en">' in client.get("/?lang=xx").text


def test_accept_language_is_honoured_without_a_choice(client):
    response = client.get("/", headers={"Accept-Language": "th-TH,th;q=0.9,en;q=0.5"})
    assert '<html lang="th">' in response.text
    response = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert '<html lang="en">' in response.text


def test_a_remembered_choice_beats_accept_language(client):
    client.get("/?lang=en")
    response = client.get("/", headers={"Accept-Language": "th"})
    assert '<html lang="en">' in response.text


@pytest.mark.parametrize(
    "path",
    ["/", "/log", "/proposals", "/decisions", "/commitments", "/groups", "/login", "/register",
     "/no-such-page"],
)
@pytest.mark.parametrize("language", ["th", "en"])
def test_every_page_declares_its_language(client, path, language):
    response = client.get(f"{path}?lang={language}")
    assert response.status_code in (200, 404)
    assert response.text.lstrip().lower().startswith("<!doctype html>")
    assert f'<html lang="{language}">' in response.text
