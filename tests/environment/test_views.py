"""The upload page: who may use it, the summary with rejected lines, oversize and wrong files."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from participation.environment.forms import upload_limit
from participation.environment.models import DataImport, Reading
from participation.extensions import db
from participation.groups.models import SeatRole
from tests.environment.conftest import counts

FILES = Path(__file__).parent / "files"
GOOD = b"station_id,timestamp,pm25\n37t,2026-03-01T01:00,41.5\n37t,2026-03-01T02:00,40\n"


def upload(client, data: bytes, name: str, kind: str = "air"):
    return client.post("/data/import", data={"kind": kind, "file": (io.BytesIO(data), name)})


@pytest.fixture
def secretary(make, login, db):
    group = make.group()
    user = make.member(group, role=SeatRole.SECRETARY)
    db.session.commit()
    login(user)
    return user


def test_visitors_are_sent_to_log_in(client):
    response = client.get("/data/import")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("role", [None, SeatRole.CHAIR, SeatRole.MEMBER])
def test_people_without_a_secretariat_seat_may_not_import(make, login, client, role):
    user = make.user()
    if role is not None:
        make.seat(make.group(), role=role, holder=user)
    login(user)
    assert client.get("/data/import").status_code == 403
    before = counts()
    assert upload(client, GOOD, "pm25.csv").status_code == 403
    assert counts() == before


def test_an_assistant_secretary_may_import(make, login, client):
    user = make.member(make.group(), role=SeatRole.ASSISTANT_SECRETARY)
    login(user)
    assert client.get("/data/import").status_code == 200


def test_the_secretariat_uploads_a_file_and_sees_the_summary_with_rejected_lines(
    secretary, client
):
    response = upload(client, (FILES / "air-some-bad-rows.csv").read_bytes(), "bad-rows.csv")
    assert response.status_code == 200
    page = response.text
    assert "Imported bad-rows.csv" in page
    assert "Line 3: PM2.5 is not a number" in page
    assert "Line 10: the row has 2 fields instead of 3" in page
    assert "2 new rows imported." in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Reading)) == 2
    data_import = db.session.scalars(sa.select(DataImport)).one()
    assert data_import.actor_id == secretary.id
    # The recent imports list shows it.
    assert client.get("/data/import").text.count("bad-rows.csv") == 1


def test_administrators_upload_hotspots_and_see_those_outside_counted(admin, client):
    response = upload(client, (FILES / "firms-viirs-some-bad-rows.csv").read_bytes(),
                      "viirs.csv", kind="hotspots")
    assert response.status_code == 200
    assert "Outside every district (not stored)" in response.text
    assert "Line 4: the time is not a valid time" in response.text


def test_uploading_the_same_file_again_reports_duplicates(admin, client):
    upload(client, GOOD, "pm25.csv")
    response = upload(client, GOOD, "pm25.csv")
    assert "0 new rows imported." in response.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Reading)) == 2


@pytest.mark.parametrize(
    ("data", "name", "kind", "message"),
    [
        (GOOD, "pm25.exe", "air", "Upload a .csv or .json file."),
        (b"{}", "fires.json", "hotspots", "Fire hotspot files are CSV files (.csv)."),
        (b"", "empty.csv", "air", "The file is empty."),
        ((FILES / "air-bad-header.csv").read_bytes(), "header.csv", "air",
         "Unknown column layout"),
        ((FILES / "air-not-utf8.csv").read_bytes(), "latin.csv", "air", "not UTF-8 text"),
        (GOOD, "pm25.csv", "hotspots", "Unknown column layout"),
    ],
)
def test_a_wrong_file_is_refused_with_a_message_and_nothing_written(
    admin, client, data, name, kind, message
):
    before = counts()
    response = upload(client, data, name, kind)
    assert response.status_code == 200
    assert message in response.text
    assert 'class="error"' in response.text
    assert counts() == before


def test_no_file_chosen_is_an_error(admin, client):
    response = client.post("/data/import", data={"kind": "air"})
    assert "Choose a file to upload." in response.text


@pytest.mark.parametrize(("size", "status"), [(110_000, 200), (150_000, 413)])
def test_a_file_over_the_limit_is_refused_on_the_upload_page_and_nothing_written(
    admin, client, app, monkeypatch, size, status
):
    """Just over the limit the form says so; far over it the request is cut short (413) and
    the same page says so."""
    monkeypatch.setitem(app.config, "DATA_UPLOAD_MAX_BYTES", 104_858)  # 0.1 MB
    before = counts()
    data = GOOD + b"37t,2026-03-01T03:00,1\n" * ((size - len(GOOD)) // 23)
    response = upload(client, data, "big.csv")
    assert response.status_code == status
    assert "The file is larger than 0.1 MB." in response.text
    assert 'name="file"' in response.text
    assert counts() == before


def test_files_larger_than_the_site_form_limit_are_accepted_up_to_the_upload_limit(
    admin, client, app, monkeypatch
):
    # A small site-wide limit keeps the request body in memory in the test client.
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 100_000)
    rows = b"".join(b"37t,2026-01-%02dT%02d:00,12.5\n" % (day, hour)
                    for day in range(1, 31) for hour in range(24))
    padding = b"".join(b"37t,2026-02-01T01:00,%d.%s\n" % (n, b"0" * 40) for n in range(4000))
    data = b"station_id,timestamp,pm25\n" + rows + padding
    assert 200_000 < len(data) < upload_limit()
    response = upload(client, data, "large.csv")
    assert response.status_code == 200
    assert "721 new rows imported." in response.text


def test_with_csrf_protection_on_a_large_upload_is_read_under_the_upload_limit(
    admin, client, app, monkeypatch
):
    """CSRF protection reads the form before the view runs: the larger limit must already
    apply then, so the upload is imported rather than cut short by the site's 1 MB limit."""
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 100_000)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    page = client.get("/data/import").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    data = b"station_id,timestamp,pm25\n" + b"37t,2026-02-01T01:00,12.5\n" * 9000
    assert len(data) > 200_000
    response = client.post("/data/import", data={
        "csrf_token": token, "kind": "air", "file": (io.BytesIO(data), "large.csv")})
    assert response.status_code == 200
    assert "1 new row imported." in response.text
