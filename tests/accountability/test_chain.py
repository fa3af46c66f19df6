"""The hash chain: verify-log, the append-only triggers and the ORM guard, on both engines."""

from __future__ import annotations

import gc

import pytest
import sqlalchemy as sa

from participation.accountability.models import GENESIS_HASH, LogEntry
from participation.accountability.services import LogIsAppendOnly, head, record, verify_log


def _dialect(db) -> str:
    return db.session.get_bind().dialect.name


def _append_entries(make, n: int = 4) -> list[LogEntry]:
    proposal = make.proposal()
    entries = [
        record(actor=proposal.author, verb="proposal.opened", subject_type="proposal",
               subject_id=proposal.id, data={"from": "draft", "to": "open"})
    ]
    for number in range(1, n):
        entries.append(
            record(actor=None, verb="ballot.opened", subject_type="ballot", subject_id=number,
                   data={"quorum": number, "note": "ลำปาง"})
        )
    return entries


def _allow_tampering(db, action: str) -> None:
    """Switch off the append-only trigger for this test's transaction only."""
    if _dialect(db) == "postgresql":
        db.session.execute(sa.text("ALTER TABLE log_entries DISABLE TRIGGER log_entries_append_only"))
    else:
        db.session.execute(sa.text(f"DROP TRIGGER log_entries_no_{action}"))


def test_verify_log_reports_an_intact_chain(runner, make):
    entries = _append_entries(make)
    result = runner.invoke(args=["verify-log"])
    assert result.exit_code == 0, result.output
    assert "intact: 4 entries" in result.output
    assert entries[-1].hash in result.output


def test_verify_log_leaves_the_process_to_end_without_a_last_collection(runner, monkeypatch):
    at_exit = []
    monkeypatch.setattr("atexit.register", at_exit.append)
    monkeypatch.setattr("atexit.unregister", lambda function: None)
    assert runner.invoke(args=["verify-log"]).exit_code == 0
    assert at_exit == [gc.freeze]


def test_verify_log_on_an_empty_log_succeeds(runner):
    result = runner.invoke(args=["verify-log"])
    assert result.exit_code == 0
    assert "0 entries" in result.output and GENESIS_HASH in result.output


def test_verify_log_names_the_first_edited_entry_and_exits_1(runner, make, db):
    entries = _append_entries(make)
    _allow_tampering(db, "update")
    db.session.execute(
        sa.text("UPDATE log_entries SET subject_id = subject_id + 100 WHERE id = :id"),
        {"id": entries[1].id},
    )
    result = runner.invoke(args=["verify-log"])
    assert result.exit_code == 1
    assert f"BROKEN at entry {entries[1].id}" in result.output
    assert "[hash]" in result.output
    assert "changed after it was written" in result.output
    assert f"The 1 entries before it verify; the last good hash is {entries[0].hash}" in result.output


def test_verify_log_notices_a_deleted_entry(runner, make, db):
    entries = _append_entries(make)
    _allow_tampering(db, "delete")
    db.session.execute(sa.text("DELETE FROM log_entries WHERE id = :id"), {"id": entries[2].id})
    result = runner.invoke(args=["verify-log"])
    assert result.exit_code == 1
    assert f"BROKEN at entry {entries[3].id}" in result.output
    assert "[gap]" in result.output


def test_verify_log_notices_a_rewritten_link(make, db):
    entries = _append_entries(make)
    _allow_tampering(db, "update")
    db.session.execute(
        sa.text("UPDATE log_entries SET prev_hash = :fake WHERE id = :id"),
        {"fake": "f" * 64, "id": entries[3].id},
    )
    result = verify_log()
    assert (result.first_bad_id, result.problem, result.entries) == (entries[3].id, "prev_hash", 3)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE log_entries SET verb = 'proposal.adopted' WHERE id = :id",
        "DELETE FROM log_entries WHERE id = :id",
    ],
)
def test_database_refuses_to_change_or_delete_a_log_entry(make, db, statement):
    entries = _append_entries(make, 2)
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        with db.session.begin_nested():
            db.session.execute(sa.text(statement), {"id": entries[0].id})
    stored = db.session.execute(
        sa.select(LogEntry.verb).where(LogEntry.id == entries[0].id)
    ).scalar_one()
    assert stored == "proposal.opened"
    assert verify_log().ok


def test_orm_refuses_to_modify_a_log_entry(make, db):
    entry = _append_entries(make, 1)[0]
    entry.verb = "proposal.adopted"
    with pytest.raises(LogIsAppendOnly):
        db.session.flush()
    db.session.rollback()


def test_orm_refuses_to_delete_a_log_entry(make, db):
    entry = _append_entries(make, 1)[0]
    db.session.delete(entry)
    with pytest.raises(LogIsAppendOnly):
        db.session.flush()
    db.session.rollback()


def test_entries_written_by_the_services_form_a_valid_chain(make, db):
    entries = _append_entries(make, 5)
    result = verify_log()
    assert result.ok
    assert result.entries == 5
    assert head() == (entries[-1].id, entries[-1].hash)
    assert entries[0].prev_hash == GENESIS_HASH
    pairs = zip(entries, entries[1:], strict=False)
    assert all(later.prev_hash == earlier.hash for earlier, later in pairs)
    assert db.session.get(LogEntry, entries[1].id).data == {"quorum": 1, "note": "ลำปาง"}
