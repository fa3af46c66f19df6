"""Signed checkpoints: publishing them, and proving with verify-log --checkpoint that the log
still extends one saved earlier, on both engines."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from participation.accountability import signing
from participation.accountability.models import GENESIS_HASH, Checkpoint, LogEntry
from participation.accountability.services import (
    canonical_payload,
    chain_hash,
    publish_checkpoint,
    record,
    saved_checkpoint,
    verify_log,
)

MOMENT = datetime(2026, 3, 1, 1, 2, 3, 456789, tzinfo=UTC)


def append(n: int) -> list[LogEntry]:
    return [
        record(actor=None, verb="ballot.opened", subject_type="ballot", subject_id=number,
               data={"quorum": number, "note": "ลำปาง"})
        for number in range(1, n + 1)
    ]


def save(tmp_path, document: dict, name: str = "checkpoint.json"):
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def verify(runner, path):
    return runner.invoke(args=["verify-log", "--checkpoint", str(path)])


def allow_rewriting(db) -> None:
    """Switch off the log's append-only trigger, for this test's transaction only."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text("ALTER TABLE log_entries DISABLE TRIGGER log_entries_append_only"))
    else:
        db.session.execute(sa.text("DROP TRIGGER log_entries_no_update"))
        db.session.execute(sa.text("DROP TRIGGER log_entries_no_delete"))


def rewrite_from(db, entry_id: int, data: dict) -> None:
    """Change one entry's data and recompute every hash from it on: a consistent forgery."""
    table = LogEntry.__table__
    rows = db.session.execute(
        sa.select(table).where(table.c.id >= entry_id).order_by(table.c.id)
    ).all()
    prev_hash = db.session.scalar(sa.select(table.c.hash).where(table.c.id == entry_id - 1)) \
        or GENESIS_HASH
    for row in rows:
        fields = SimpleNamespace(**row._mapping)
        if row.id == entry_id:
            fields.data = data
        new_hash = chain_hash(prev_hash, canonical_payload(fields))
        db.session.execute(
            sa.update(table).where(table.c.id == row.id)
            .values(data=fields.data, prev_hash=prev_hash, hash=new_hash)
        )
        prev_hash = new_hash


# Publishing


def test_a_checkpoint_signs_the_count_head_and_time_as_canonical_json():
    entries = append(3)

    checkpoint = publish_checkpoint(now=MOMENT)

    assert checkpoint.entry_count == 3
    assert checkpoint.head_hash == entries[-1].hash
    assert checkpoint.created_at == MOMENT.replace(microsecond=0)
    statement = (
        '{"entries":3,"format":"ruam-checkpoint-1",'
        f'"head":"{entries[-1].hash}","time":"2026-03-01T01:02:03Z"}}'
    ).encode()
    assert saved_checkpoint(checkpoint).statement == statement
    public_key = Ed25519PublicKey.from_public_bytes(base64.b64decode(checkpoint.public_key))
    public_key.verify(base64.b64decode(checkpoint.signature), statement)  # raises if not


def test_a_checkpoint_of_an_empty_log_signs_zero_entries_and_the_genesis_hash():
    checkpoint = publish_checkpoint(now=MOMENT)
    assert (checkpoint.entry_count, checkpoint.head_hash) == (0, GENESIS_HASH)


def test_publish_checkpoint_command_stores_it_and_prints_what_it_signed(runner, db):
    entries = append(2)

    result = runner.invoke(args=["publish-checkpoint"])

    assert result.exit_code == 0, result.output
    checkpoint = db.session.scalars(sa.select(Checkpoint)).one()
    assert "2 entries" in result.output
    assert saved_checkpoint(checkpoint).statement.decode() in result.output
    assert entries[-1].hash in result.output
    assert checkpoint.signature in result.output


def test_checkpoints_are_never_changed_or_deleted(db):
    checkpoint = publish_checkpoint(now=MOMENT)
    for statement in ("UPDATE log_checkpoints SET entry_count = 9 WHERE id = :id",
                      "DELETE FROM log_checkpoints WHERE id = :id"):
        with pytest.raises(sa.exc.DBAPIError), db.session.begin_nested():
            db.session.execute(sa.text(statement), {"id": checkpoint.id})
    assert db.session.scalar(sa.select(Checkpoint.entry_count)) == 0


# Verifying


def test_a_saved_checkpoint_verifies_against_the_log(runner, tmp_path):
    entries = append(4)
    path = save(tmp_path, saved_checkpoint(publish_checkpoint(now=MOMENT)).document())

    result = verify(runner, path)

    assert result.exit_code == 0, result.output
    assert "Entries then: 4; entries now: 4." in result.output
    assert entries[-1].hash in result.output
    assert "the current log extends the checkpoint" in result.output


def test_a_checkpoint_still_verifies_after_more_entries_are_appended(runner, tmp_path):
    append(3)
    path = save(tmp_path, saved_checkpoint(publish_checkpoint(now=MOMENT)).document())
    append(5)

    result = verify(runner, path)

    assert result.exit_code == 0, result.output
    assert "Entries then: 3; entries now: 8." in result.output
    assert "the current log extends the checkpoint" in result.output


def test_a_checkpoint_of_the_empty_log_verifies_once_the_log_has_grown(runner, tmp_path):
    path = save(tmp_path, saved_checkpoint(publish_checkpoint(now=MOMENT)).document())
    append(2)
    result = verify(runner, path)
    assert result.exit_code == 0, result.output
    assert "Entries then: 0; entries now: 2." in result.output


@pytest.mark.parametrize("field, value", [
    ("entries", 2),
    ("head", "f" * 64),
    ("time", "2026-03-02T01:02:03Z"),
    ("signature", base64.b64encode(bytes(64)).decode()),
])
def test_a_forged_checkpoint_fails_its_signature(runner, tmp_path, field, value):
    append(3)
    document = saved_checkpoint(publish_checkpoint(now=MOMENT)).document()
    document[field] = value

    result = verify(runner, save(tmp_path, document))

    assert result.exit_code == 1
    assert "CHECKPOINT NOT VERIFIED" in result.output
    assert "signature does not match" in result.output
    assert "extends the checkpoint" not in result.output


def test_a_checkpoint_signed_by_another_key_fails(runner, tmp_path):
    entries = append(3)
    publish_checkpoint(now=MOMENT)  # the instance has a key, and it is not this one
    stranger = Ed25519PrivateKey.generate()
    time = signing.statement_time(MOMENT)
    statement = signing.statement_bytes(entries=3, head=entries[-1].hash, time=time)
    document = signing.SavedCheckpoint(
        entries=3, head=entries[-1].hash, time=time,
        public_key=signing.public_key_text(stranger.public_key()),
        signature=signing.sign(stranger, statement),
    ).document()

    result = verify(runner, save(tmp_path, document))

    assert result.exit_code == 1
    assert "signed by a key this instance never used" in result.output


def test_a_checkpoint_signed_by_an_earlier_key_of_the_instance_still_verifies(
        runner, tmp_path, app, monkeypatch):
    append(2)
    path = save(tmp_path, saved_checkpoint(publish_checkpoint(now=MOMENT)).document())
    monkeypatch.setitem(app.config, "SIGNING_KEY_FILE", str(tmp_path / "new-key.pem"))
    new = publish_checkpoint(now=MOMENT)
    assert new.public_key != json.loads(path.read_text())["public_key"]

    result = verify(runner, path)

    assert result.exit_code == 0, result.output


def test_a_rewritten_log_fails_and_names_the_entry_whose_hash_differs(runner, tmp_path, db):
    entries = append(5)
    checkpoint_head = entries[-1].hash
    path = save(tmp_path, saved_checkpoint(publish_checkpoint(now=MOMENT)).document())
    append(1)
    allow_rewriting(db)
    rewrite_from(db, entries[1].id, {"quorum": 99, "note": "ลำปาง"})
    db.session.expire_all()
    assert verify_log().ok  # the forged chain is consistent in itself
    new_head = db.session.scalar(sa.select(LogEntry.hash).where(LogEntry.id == 5))
    assert new_head != checkpoint_head

    result = verify(runner, path)

    assert result.exit_code == 1
    assert "CHECKPOINT NOT VERIFIED" in result.output
    assert "REWRITTEN" in result.output
    assert f"entry 5 now has the hash {new_head}" in result.output
    assert f"the checkpoint says {checkpoint_head}" in result.output
    assert "Entries then: 5; entries now: 6." in result.output
    assert "extends the checkpoint" not in result.output


def test_a_log_cut_short_fails(runner, tmp_path, db):
    entries = append(4)
    path = save(tmp_path, saved_checkpoint(publish_checkpoint(now=MOMENT)).document())
    allow_rewriting(db)
    db.session.execute(sa.text("DELETE FROM log_entries WHERE id = :id"), {"id": entries[-1].id})

    result = verify(runner, path)

    assert result.exit_code == 1
    assert "the checkpoint has 4 entries but the log now has only 3" in result.output


def test_a_broken_chain_fails_and_names_the_broken_entry(runner, tmp_path, db):
    entries = append(4)
    path = save(tmp_path, saved_checkpoint(publish_checkpoint(now=MOMENT)).document())
    allow_rewriting(db)
    db.session.execute(sa.text("UPDATE log_entries SET subject_id = 77 WHERE id = :id"),
                       {"id": entries[2].id})

    result = verify(runner, path)

    assert result.exit_code == 1
    assert f"BROKEN at entry {entries[2].id}" in result.output
    assert "hash chain is broken" in result.output


@pytest.mark.parametrize("text, reason", [
    ("{not json", "is not JSON"),
    ("[1, 2]", "not a JSON object"),
    ('{"format": "ruam-checkpoint-1", "entries": 1}', "fields missing: head, time, public_key, "
                                                      "signature"),
])
def test_a_file_that_is_not_a_checkpoint_is_a_clear_error(runner, tmp_path, text, reason):
    path = tmp_path / "checkpoint.json"
    path.write_text(text)
    result = verify(runner, path)
    assert result.exit_code == 1
    assert "is not a checkpoint file" in result.output and reason in result.output


@pytest.mark.parametrize("field, value, reason", [
    ("format", "ruam-checkpoint-9", "format"),
    ("entries", -1, "'entries'"),
    ("entries", True, "'entries'"),
    ("head", "ABC", "'head'"),
    ("time", "yesterday", "'time'"),
    ("public_key", "a+b", "'public_key'"),
    ("signature", 42, "'signature'"),
])
def test_a_checkpoint_with_a_wrong_field_is_a_clear_error(runner, tmp_path, field, value,
                                                          reason):
    document = saved_checkpoint(publish_checkpoint(now=MOMENT)).document()
    document[field] = value
    result = verify(runner, save(tmp_path, document))
    assert result.exit_code == 1
    assert "is not a checkpoint file" in result.output and reason in result.output


def test_a_missing_checkpoint_file_is_a_clear_error(runner, tmp_path):
    result = verify(runner, tmp_path / "nowhere.json")
    assert result.exit_code == 1
    assert "cannot be read" in result.output


def test_verify_log_without_a_checkpoint_is_unchanged(runner):
    entries = append(2)
    result = runner.invoke(args=["verify-log"])
    assert result.exit_code == 0
    assert "intact: 2 entries" in result.output and entries[-1].hash in result.output
