"""The checkpoints pages: the list, publishing on demand, the file to keep, and /about/keys."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from participation.accountability import signing
from participation.accountability.models import Checkpoint
from participation.accountability.services import publish_checkpoint, record, saved_checkpoint
from tests.querycount import page_queries

MOMENT = datetime(2026, 3, 1, 1, 2, 3, tzinfo=UTC)


def append(n: int) -> None:
    for number in range(n):
        record(actor=None, verb="ballot.opened", subject_type="ballot", subject_id=number + 1,
               data={})


def publish_many(n: int, start: datetime = MOMENT) -> list[Checkpoint]:
    checkpoints = []
    for day in range(n):
        append(1)
        checkpoints.append(publish_checkpoint(now=start + timedelta(days=day)))
    return checkpoints


# The list


def test_no_checkpoint_yet_says_so(client):
    page = client.get("/log/checkpoints")
    assert page.status_code == 200
    assert "No checkpoint has been published yet." in page.text
    assert "Publish a checkpoint now" not in page.text


def test_checkpoints_are_listed_newest_first_with_time_entries_hash_and_file(client):
    first, second = publish_many(2)

    page = client.get("/log/checkpoints").text
    rows = page.split("<tbody", 1)[1]

    assert rows.index(f"#{second.id}") < rows.index(f"#{first.id}")
    assert f'title="{second.head_hash}">{second.head_hash[:12]}…</code>' in rows
    assert f'href="/log/checkpoints/{first.id}.json"' in rows
    assert "March 2, 2026" in rows and "March 1, 2026" in rows
    assert re.search(r'data-label="Entries">2</td>', rows)
    assert 'href="/about/keys"' in page
    assert 'href="/feeds/checkpoints.atom?lang=en"' in page


def test_the_list_is_paginated(client, app):
    per_page = app.config["PER_PAGE"]
    checkpoints = publish_many(per_page + 2)
    first = client.get("/log/checkpoints").text
    assert "Page 1 of 2" in first
    assert f"/log/checkpoints/{checkpoints[0].id}.json" not in first
    second = client.get("/log/checkpoints?page=2").text
    assert len(re.findall(r'<th scope="row"', second)) == 2
    assert f"/log/checkpoints/{checkpoints[0].id}.json" in second


def test_the_log_page_links_to_the_checkpoints(client):
    assert 'href="/log/checkpoints"' in client.get("/log").text


def test_every_page_links_to_the_keys_in_its_footer(client):
    footer = client.get("/").text.split('<footer', 1)[1]
    assert '<a href="/about/keys">Signing keys</a>' in footer


def test_the_list_runs_a_fixed_number_of_queries(client, app):
    publish_many(2)
    few, _ = page_queries(client, "/log/checkpoints")
    publish_many(app.config["PER_PAGE"], start=MOMENT + timedelta(days=9))
    many, _ = page_queries(client, "/log/checkpoints")
    assert many == few


# Publishing on demand


def test_an_administrator_publishes_a_checkpoint_from_the_list(client, admin, db):
    append(3)
    page = client.get("/log/checkpoints").text
    assert "Publish a checkpoint now" in page
    assert 'action="/log/checkpoints"' in page

    response = client.post("/log/checkpoints", follow_redirects=True)

    assert response.status_code == 200
    assert "Checkpoint published: 3 entries signed." in response.text
    checkpoint = db.session.scalars(sa.select(Checkpoint)).one()
    assert checkpoint.entry_count == 3
    assert f"/log/checkpoints/{checkpoint.id}.json" in response.text


@pytest.mark.parametrize("is_admin", [False, None])
def test_others_cannot_publish_and_see_no_button(client, make, login, db, is_admin):
    if is_admin is not None:
        login(make.user(is_admin=is_admin))
    assert "Publish a checkpoint now" not in client.get("/log/checkpoints").text
    response = client.post("/log/checkpoints")
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response.headers["Location"].startswith("/login")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Checkpoint)) == 0


def test_an_unusable_key_file_is_reported_and_publishes_nothing(client, admin, key_file, db):
    key_file.parent.mkdir(parents=True)
    key_file.write_text("garbage")
    response = client.post("/log/checkpoints", follow_redirects=True)
    assert response.status_code == 200
    assert "could not be signed" in response.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Checkpoint)) == 0


# The file


def test_the_checkpoint_file_is_a_download_of_the_statement_key_and_signature(client):
    append(2)
    checkpoint = publish_checkpoint(now=MOMENT)

    response = client.get(f"/log/checkpoints/{checkpoint.id}.json")

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="log-checkpoint-{checkpoint.id}.json"'
    )
    document = json.loads(response.data)
    assert document == {
        "format": "ruam-checkpoint-1",
        "entries": 2,
        "head": checkpoint.head_hash,
        "time": "2026-03-01T01:02:03Z",
        "public_key": checkpoint.public_key,
        "signature": checkpoint.signature,
    }
    saved = signing.parse_checkpoint_file(response.text)
    assert signing.signature_matches(public_key=saved.public_key, signature=saved.signature,
                                     statement=saved.statement)


def test_a_downloaded_file_verifies_with_the_command(client, runner, tmp_path):
    append(2)
    checkpoint = publish_checkpoint(now=MOMENT)
    path = tmp_path / "saved.json"
    path.write_bytes(client.get(f"/log/checkpoints/{checkpoint.id}.json").data)
    append(1)
    result = runner.invoke(args=["verify-log", "--checkpoint", str(path)])
    assert result.exit_code == 0, result.output
    assert "the current log extends the checkpoint" in result.output


@pytest.mark.parametrize("checkpoint_id", ["999", "0", "2147483648"])
def test_an_unknown_checkpoint_file_is_not_found(client, checkpoint_id):
    assert client.get(f"/log/checkpoints/{checkpoint_id}.json").status_code == 404


# The keys page


def test_keys_page_before_any_key_says_one_comes_with_the_first_checkpoint(client, key_file):
    page = client.get("/about/keys").text
    assert "has no signing key yet" in page
    assert not key_file.exists()  # showing the page creates nothing


def test_keys_page_shows_the_current_key_in_base64_and_pem_with_its_fingerprint(
        client, key_file):
    checkpoint = publish_checkpoint(now=MOMENT)
    key = checkpoint.public_key

    page = client.get("/about/keys").text

    assert key in page
    assert signing.fingerprint(key) in page
    assert "-----BEGIN PUBLIC KEY-----" in page
    assert signing.public_key_pem(key).splitlines()[1] in page
    assert "PRIVATE KEY" not in page
    for line in key_file.read_text().splitlines()[1:-1]:
        assert line not in page
    assert "flask --app participation verify-log --checkpoint FILE" in page
    assert "What it proves" in page
    assert 'href="/log/checkpoints"' in page


def test_keys_page_lists_every_key_that_ever_signed(client, app, tmp_path, monkeypatch):
    old = publish_checkpoint(now=MOMENT)
    publish_checkpoint(now=MOMENT + timedelta(days=1))
    monkeypatch.setitem(app.config, "SIGNING_KEY_FILE", str(tmp_path / "rotated.pem"))
    new = publish_checkpoint(now=MOMENT + timedelta(days=2))

    page = client.get("/about/keys").text
    rows = page.split("<tbody", 1)[1]

    assert rows.index(signing.fingerprint(new.public_key)) < rows.index(
        signing.fingerprint(old.public_key))
    assert rows.count("(current key)") == 1
    assert rows.index("(current key)") < rows.index(old.public_key)
    assert re.search(r'data-label="Checkpoints">2</td>', rows)
    assert "March 1, 2026" in rows and "March 2, 2026" in rows and "March 3, 2026" in rows


def test_keys_page_is_in_thai_too(client):
    publish_checkpoint(now=MOMENT)
    page = client.get("/about/keys?lang=th")
    assert page.status_code == 200
    assert '<html lang="th">' in page.text
    assert "2569" in page.text  # the Buddhist Era year of the checkpoint


def test_keys_page_runs_a_fixed_number_of_queries(client, app, tmp_path, monkeypatch):
    publish_checkpoint(now=MOMENT)
    few, _ = page_queries(client, "/about/keys")
    for number in range(3):
        monkeypatch.setitem(app.config, "SIGNING_KEY_FILE", str(tmp_path / f"key{number}.pem"))
        publish_checkpoint(now=MOMENT)
    many, _ = page_queries(client, "/about/keys")
    assert many == few


def test_saved_checkpoint_round_trips_through_the_file_format():
    checkpoint = publish_checkpoint(now=MOMENT)
    saved = saved_checkpoint(checkpoint)
    assert signing.parse_checkpoint_file(json.dumps(saved.document())) == saved
