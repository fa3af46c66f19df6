"""The Atom feed of the log's signed checkpoints."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree as ET

import pytest

from participation.accountability import signing
from participation.accountability.services import publish_checkpoint, record, saved_checkpoint
from tests.feeds.test_feeds import A, atom_feed, entries, parsed_time, queries_for, titles

MOMENT = datetime(2026, 3, 1, 17, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def key_file(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "SIGNING_KEY_FILE", str(tmp_path / "signing-key.pem"))


def publish(days: int = 0):
    record(actor=None, verb="group.created", subject_type="group", subject_id=1)
    return publish_checkpoint(now=MOMENT + timedelta(days=days))


def test_an_empty_checkpoint_feed_is_still_a_valid_document(client):
    root = atom_feed(client, "/feeds/checkpoints.atom")
    assert entries(root) == []
    assert root.findtext(f"{A}title") == "Log checkpoints · Ruam"


def test_checkpoint_feed_lists_checkpoints_newest_first_with_their_signed_statement(client):
    first, second = publish(0), publish(1)

    root = atom_feed(client, "/feeds/checkpoints.atom?lang=en")

    assert titles(root) == [f"Checkpoint #{second.id}", f"Checkpoint #{first.id}"]
    newest = entries(root)[0]
    assert parsed_time(newest.findtext(f"{A}updated")) == MOMENT + timedelta(days=1)
    assert newest.findtext(f"{A}summary") == f"2 entries, head hash {second.head_hash}"
    content = newest.findtext(f"{A}content")
    assert saved_checkpoint(second).statement.decode() in content
    assert second.public_key in content and second.signature in content
    assert signing.fingerprint(second.public_key) in content
    alternate = newest.find(f"{A}link[@rel='alternate']").get("href")
    assert alternate.endswith(f"/log/checkpoints?lang=en#checkpoint-{second.id}")
    enclosure = newest.find(f"{A}link[@rel='enclosure']")
    assert enclosure.get("type") == "application/json"
    assert enclosure.get("href") == f"http://localhost/log/checkpoints/{second.id}.json"
    assert newest.findtext(f"{A}id") == enclosure.get("href")


def test_the_file_a_feed_entry_offers_is_the_checkpoint(client):
    checkpoint = publish()
    root = atom_feed(client, "/feeds/checkpoints.atom")
    href = entries(root)[0].find(f"{A}link[@rel='enclosure']").get("href")
    document = json.loads(client.get(href.removeprefix("http://localhost")).data)
    assert document == saved_checkpoint(checkpoint).document()


def test_checkpoint_feed_in_thai_keeps_the_statement_as_signed(client):
    checkpoint = publish()
    response = client.get("/feeds/checkpoints.atom?lang=th")
    root = ET.fromstring(response.data)
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "th"
    content = entries(root)[0].findtext(f"{A}content")
    assert saved_checkpoint(checkpoint).statement.decode() in content


def test_checkpoints_page_announces_its_feed(client):
    head = client.get("/log/checkpoints?lang=en").text.split("</head>")[0]
    assert ('<link rel="alternate" type="application/atom+xml" title="Log checkpoints · Ruam" '
            'href="/feeds/checkpoints.atom?lang=en">') in head


def test_checkpoint_feed_runs_the_same_number_of_queries_whatever_its_size(client):
    publish()
    few = queries_for(client, "/feeds/checkpoints.atom")
    for day in range(1, 8):
        publish(day)
    many = queries_for(client, "/feeds/checkpoints.atom")
    assert many == few and few >= 1
