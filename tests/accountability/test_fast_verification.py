"""verify-log's fast path, on both engines: it builds each entry's canonical JSON by formatting
raw rows and splits a long log between processes, and its verdict is always the one
verify_chain() gives over rows read through the ORM."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from participation.accountability import services
from participation.accountability.models import LogEntry
from participation.accountability.services import (
    HASHED_FIELDS,
    Verification,
    canonical_payload,
    record,
    verify_chain,
    verify_log,
)
from participation.extensions import db as _db

ORM_COLUMNS = [getattr(LogEntry, name) for name in (*HASHED_FIELDS, "prev_hash", "hash")]
BANGKOK = timezone(timedelta(hours=7))

# Data as the services log it, and the awkward cases canonical JSON must get right.
VARIED_DATA = [
    {},
    {"from": "draft", "to": "open"},
    {"title": "ลดการเผาในที่โล่ง ตำบลบ้านเอื้อม", "หมายเหตุ": "ภาษาไทย", "title_en": "Burning"},
    {"weights": {"12": "0.250", "3": "0.750"}, "nested": [1, [2, {"b": None, "a": True}], []]},
    {"note": None, "late": False, "answer": None},
    {"value": 37.5, "tiny": 1e-07, "big": 1e16, "negative_zero": -0.0, "third": 1 / 3},
    {"huge": 2**70, "negative": -12, "zero": 0},
    # Around orjson's 64 bits (it reads larger integers as floats), and exponents in strings.
    {"edge": 2**63, "unsigned": 2**64 - 1, "past": 2**64, "below": -2**63 - 1, "long": 10**18,
     "hash": "3e5f", "pm": "PM2.5", "floats": [1e15, 123456789.125, 5e-324, 1.7976931348623157e308]},
    {"quote": 'say "hi" \\ bye', "control": "line\nbreak\ttab\x01\x1f", "del": "\x7f",
     "emoji": "🔥", "escape_lookalike": "\\u0e01", "slash": "a/b"},
    {"b": 1, "a": 2, "B": 3, "_": 4, "ก": 5, "a ": 6, "": 7, "é": 8},
    {"present": [3, 1, 2], "quorum": {"needed": 7, "present": 8}},
]
MOMENTS = [
    datetime(2026, 3, 1, 1, 2, 3, 456789, tzinfo=UTC),
    datetime(2026, 3, 1, 1, 2, 3, tzinfo=UTC),  # no microseconds
    datetime(2026, 3, 1, 8, 2, 3, 1, tzinfo=BANGKOK),  # stored in UTC
    datetime(2025, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
]


def dialect(db) -> str:
    return db.session.get_bind().dialect.name


def reference(db) -> Verification:
    """The verdict of verify_chain() over the whole log read through the ORM."""
    return verify_chain(db.session.execute(sa.select(*ORM_COLUMNS).order_by(LogEntry.id)))


def allow_tampering(db) -> None:
    """Switch off the log's append-only triggers for this transaction."""
    if dialect(db) == "postgresql":
        db.session.execute(
            sa.text("ALTER TABLE log_entries DISABLE TRIGGER log_entries_append_only"))
    else:
        db.session.execute(sa.text("DROP TRIGGER log_entries_no_update"))
        db.session.execute(sa.text("DROP TRIGGER log_entries_no_delete"))
        # Foreign keys are checked at the commit, which never comes.
        db.session.execute(sa.text("PRAGMA defer_foreign_keys = ON"))


def append(n: int) -> list[LogEntry]:
    return [
        record(actor=None, verb="ballot.opened", subject_type="ballot", subject_id=number,
               data={"quorum": number, "note": "ลำปาง"},
               now=datetime(2026, 3, 1, tzinfo=UTC)
               + timedelta(seconds=number, microseconds=number))
        for number in range(1, n + 1)
    ]


def test_formatted_payloads_are_canonical_payload_byte_for_byte(make, db):
    people = [make.user(), None]
    entries = []
    for number, data in enumerate(VARIED_DATA):
        entries.append(record(
            actor=people[number % 2], verb="proposal.opened", subject_type="proposal",
            subject_id=number + 1, data=data, now=MOMENTS[number % len(MOMENTS)],
            corrects=entries[0] if number == 5 else None,
        ))
    record(actor=people[0], verb='odd "verb"\\', subject_type="ข้อเสนอ", subject_id=2**31 - 1,
           data={"a": 1}, now=MOMENTS[0])

    hashed_text = (services._hashed_text_from_sqlite if dialect(db) == "sqlite"
                   else services._hashed_text_from_postgresql)
    with services._raw_rows(db.session.connection()) as cursor:
        raw_rows = cursor.fetchall()
    orm_rows = db.session.execute(sa.select(*ORM_COLUMNS).order_by(LogEntry.id)).all()

    assert len(raw_rows) == len(orm_rows) == len(VARIED_DATA) + 1
    known: dict[str, str] = {}
    for raw, row in zip(raw_rows, orm_rows, strict=True):
        expected = f"{row.prev_hash}{canonical_payload(row)}"
        assert hashed_text(raw, known) == expected
        assert hashed_text(raw, known) == expected  # its data's canonical JSON remembered
    assert verify_log() == reference(db) == Verification(len(orm_rows), orm_rows[-1].hash)


def test_every_entry_the_services_write_verifies_in_the_database_alone(make, db, monkeypatch):
    for number, data in enumerate(VARIED_DATA):
        record(actor=make.user() if number % 3 else None, verb="progress.posted",
               subject_type="commitment", subject_id=number + 1, data=data,
               now=MOMENTS[number % len(MOMENTS)])
    record(actor=None, verb='odd "verb"\\\n', subject_type="ข้อเสนอ", subject_id=2**31 - 1,
           data={"z": {"b": 1, "a": [{"d": 2, "c": 3}]}}, now=MOMENTS[0])

    def never(*_args):
        raise AssertionError("an entry the services wrote was checked in Python")

    for check in ("_hashed_text_from_sqlite", "_hashed_text_from_postgresql",
                  "_hash_matches_exactly"):
        monkeypatch.setattr(services, check, never)
    assert verify_log() == reference(db)
    assert verify_log().entries == len(VARIED_DATA) + 1


def test_stored_data_is_the_canonical_json_the_hash_covers(db):
    entry = record(actor=None, verb="proposal.opened", subject_type="proposal", subject_id=1,
                   data={"title": "ลำปาง", "b": [1, {"y": 2, "x": None}], "a": 1.5})
    stored = db.session.execute(
        sa.text("SELECT data FROM log_entries WHERE id = :id"
                if dialect(db) == "sqlite" else
                "SELECT data::text FROM log_entries WHERE id = :id"), {"id": entry.id}).scalar()
    assert stored == '{"a":1.5,"b":[1,{"x":null,"y":2}],"title":"ลำปาง"}'


def test_entries_stored_with_spaced_and_escaped_json_still_verify(make, db):
    """An older release stored data as json.dumps() writes it by default (spaces, keys in the
    order given, \\u escapes): such entries are checked in Python, with the same verdict."""
    entries = append(5)
    allow_tampering(db)
    db.session.execute(sa.text(
        "UPDATE log_entries SET data = :text WHERE id IN (2, 4)"
        if dialect(db) == "sqlite" else
        "UPDATE log_entries SET data = CAST(:text AS json) WHERE id IN (2, 4)"),
        {"text": '{"quorum": 2, "note": "\\u0e25\\u0e33\\u0e1b\\u0e32\\u0e07"}'})

    result = verify_log()

    assert result == reference(db)
    assert (result.first_bad_id, result.problem) == (4, "hash")  # entry 4 had quorum 4
    assert result.entries == 3 and result.head == entries[2].hash


SAME = "same"  # the tampering leaves the entry's content as it was: the chain still verifies


@pytest.mark.parametrize(
    ("statements", "expected"),
    [
        # (statement on SQLite, statement on PostgreSQL), then the id and problem expected
        (("UPDATE log_entries SET data = '{\"quorum\": 99}' WHERE id = 4",) * 2, (4, "hash")),
        (("UPDATE log_entries SET data = '{\"note\": "
          "\"\\u0e25\\u0e33\\u0e1b\\u0e32\\u0e07\",  \"quorum\" : 4}' WHERE id = 4",) * 2,
         SAME),
        (("UPDATE log_entries SET data = ' ' || data || ' ' WHERE id = 4",
          "UPDATE log_entries SET data = (' ' || data::text || ' ')::json WHERE id = 4"), SAME),
        (("UPDATE log_entries SET created_at = replace(created_at, ' ', 'T') WHERE id = 4",
          "UPDATE log_entries SET created_at = created_at WHERE id = 4"), SAME),
        (("UPDATE log_entries SET created_at = created_at || '+00:00' WHERE id = 4",
          "UPDATE log_entries SET created_at = created_at AT TIME ZONE 'Asia/Bangkok' "
          "AT TIME ZONE 'Asia/Bangkok' WHERE id = 4"), SAME),
        (("UPDATE log_entries SET created_at = replace(created_at, '.', ',') WHERE id = 4",
          "UPDATE log_entries SET created_at = created_at + interval '0' WHERE id = 4"), SAME),
        (("UPDATE log_entries SET created_at = substr(created_at, 1, 23) || '+07' WHERE id = 4",
          "UPDATE log_entries SET created_at = created_at - interval '7 hours' WHERE id = 4"),
         (4, "hash")),
        (("UPDATE log_entries SET created_at = substr(created_at, 1, 19) WHERE id = 4",
          "UPDATE log_entries SET created_at = date_trunc('second', created_at) WHERE id = 4"),
         (4, "hash")),
        (("UPDATE log_entries SET created_at = replace(created_at, '2026', '0999') WHERE id = 4",
          "UPDATE log_entries SET created_at = created_at - interval '1027 years' WHERE id = 4"),
         (4, "hash")),
        (("UPDATE log_entries SET actor_id = 'null' WHERE id = 4",
          "UPDATE log_entries SET actor_id = (SELECT min(id) FROM users) WHERE id = 4"),
         (4, "hash")),
        (("UPDATE log_entries SET subject_id = 4.5 WHERE id = 4",) * 2, (4, "hash")),
        (("UPDATE log_entries SET subject_id = '4' WHERE id = 4",
          "UPDATE log_entries SET subject_id = '4' WHERE id = 4"), SAME),
        (("UPDATE log_entries SET verb = 'ballot.closed' WHERE id = 4",) * 2, (4, "hash")),
        (("UPDATE log_entries SET subject_type = 'ballot ' WHERE id = 4",) * 2, (4, "hash")),
        (("UPDATE log_entries SET corrects_id = 1 WHERE id = 4",) * 2, (4, "hash")),
        (("UPDATE log_entries SET hash = 'f' || substr(hash, 2) WHERE id = 4",) * 2, (4, "hash")),
        (("UPDATE log_entries SET prev_hash = 'f' || substr(prev_hash, 2) WHERE id = 4",) * 2,
         (4, "prev_hash")),
        (("DELETE FROM log_entries WHERE id = 4",) * 2, (5, "gap")),
        (("DELETE FROM log_entries WHERE id = 1",) * 2, (2, "gap")),
        (("UPDATE log_entries SET id = 9 WHERE id = 6",) * 2, (9, "gap")),
        (("UPDATE log_entries SET id = -1 WHERE id = 6",) * 2, (-1, "gap")),
    ],
    ids=["data", "data-respelled", "data-spaced", "time-respelled", "time-zone", "time-comma",
         "time-short-zone", "time-seconds",
         "time-year-999", "actor", "subject-fraction", "subject-text", "verb", "subject-type",
         "corrects", "hash", "prev-hash", "deleted", "first-deleted", "renumbered",
         "negative-id"],
)
def test_fast_verification_gives_the_reference_verdict_on_a_tampered_log(make, db, statements,
                                                                         expected):
    make.user()
    entries = append(6)
    allow_tampering(db)
    db.session.execute(sa.text(statements[dialect(db) == "postgresql"]))

    result = verify_log()

    assert result == reference(db)
    if expected == SAME:
        assert result == Verification(6, entries[-1].hash)
    else:
        bad_id, problem = expected
        assert (result.first_bad_id, result.problem) == (bad_id, problem)


def test_a_tampered_entry_does_not_hide_behind_the_data_remembered_for_another(db):
    append(3)
    later = [record(actor=None, verb="proposal.opened", subject_type="proposal", subject_id=n,
                    data={"from": "draft", "to": "open"}) for n in (1, 2, 3)]
    allow_tampering(db)
    db.session.execute(sa.text("UPDATE log_entries SET data = '{\"from\": \"draft\", \"to\": "
                               "\"adopted\"}' WHERE id = :id"), {"id": later[2].id})

    result = verify_log()

    assert result == Verification(5, later[1].hash, later[2].id, "hash")
    assert result == reference(db)


# Splitting the work between processes. The workers read committed entries through
# connections of their own, so these tests run on an app whose transactions commit.


def tamper_and_commit(statement: str, **params: object) -> None:
    if _db.session.get_bind().dialect.name == "postgresql":
        trigger = "log_entries_append_only"
        _db.session.execute(sa.text(f"ALTER TABLE log_entries DISABLE TRIGGER {trigger}"))
        _db.session.execute(sa.text(statement), params)
        _db.session.execute(sa.text(f"ALTER TABLE log_entries ENABLE TRIGGER {trigger}"))
    else:
        _db.session.execute(sa.text("DROP TRIGGER IF EXISTS log_entries_no_update"))
        _db.session.execute(sa.text("DROP TRIGGER IF EXISTS log_entries_no_delete"))
        _db.session.execute(sa.text(statement), params)
    _db.session.commit()


def verdicts(processes: tuple[int, ...] = (2, 3)) -> list[Verification]:
    found = [verify_log(processes=n) for n in processes]
    _db.session.rollback()
    return found


def test_split_verification_reports_each_earlier_tampering_as_one_process_does(fresh_app,
                                                                              monkeypatch):
    monkeypatch.setattr(services, "PARALLEL_FROM", 1)
    with fresh_app.app_context():
        entries = append(30)
        _db.session.commit()
        hashes = {entry.id: entry.hash for entry in entries}
        assert verdicts() == [Verification(30, hashes[30])] * 2

        # With two processes the ranges are 1-15 and 16-30; with three 1-10, 11-20, 21-30.
        steps = [
            ("UPDATE log_entries SET data = '{\"quorum\": 99}' WHERE id = 23",
             Verification(22, hashes[22], 23, "hash")),
            (f"UPDATE log_entries SET prev_hash = '{'f' * 64}' WHERE id = 16",
             Verification(15, hashes[15], 16, "prev_hash")),
            ("UPDATE log_entries SET verb = 'ballot.closed' WHERE id = 11",
             Verification(10, hashes[10], 11, "hash")),
            ("DELETE FROM log_entries WHERE id = 10",
             Verification(9, hashes[9], 11, "gap")),
            ("UPDATE log_entries SET subject_id = 70 WHERE id = 7",
             Verification(6, hashes[6], 7, "hash")),
        ]
        for statement, expected in steps:
            tamper_and_commit(statement)
            one_process = verify_log(processes=1)
            _db.session.rollback()
            assert one_process == expected, statement
            assert verdicts() == [expected, expected], statement


def test_split_verification_of_an_intact_log_counts_every_entry(fresh_app, monkeypatch):
    monkeypatch.setattr(services, "PARALLEL_FROM", 1)
    with fresh_app.app_context():
        assert verdicts((2,)) == [verify_log()]  # an empty log
        _db.session.rollback()
        entries = append(7)
        _db.session.commit()
        assert verdicts((2, 3, 9)) == [Verification(7, entries[-1].hash)] * 3


def test_split_verification_waits_for_a_log_long_enough(make, db, monkeypatch):
    """A short log is checked in this process, so it sees this transaction's entries."""
    entries = append(5)
    monkeypatch.setattr(services, "PARALLEL_FROM", 6)
    assert verify_log(processes=2) == Verification(5, entries[-1].hash)


def test_verify_log_command_splits_a_long_log_and_names_the_first_broken_entry(fresh_app,
                                                                             monkeypatch):
    monkeypatch.setattr(services, "PARALLEL_FROM", 1)
    runner = fresh_app.test_cli_runner()
    with fresh_app.app_context():
        hashes = [entry.hash for entry in append(12)]
        _db.session.commit()
    result = runner.invoke(args=["verify-log", "--processes", "2"])
    assert result.exit_code == 0, result.output
    assert "intact: 12 entries" in result.output and hashes[-1] in result.output

    with fresh_app.app_context():
        tamper_and_commit("UPDATE log_entries SET data = '{}' WHERE id = 9")
    result = runner.invoke(args=["verify-log", "--processes", "2"])
    assert result.exit_code == 1
    assert "BROKEN at entry 9" in result.output and "[hash]" in result.output
    assert f"The 8 entries before it verify; the last good hash is {hashes[7]}" in result.output


def test_the_site_writes_while_the_verify_log_command_checks(fresh_app, monkeypatch):
    """The command only reads: on SQLite its transaction does not hold the write lock, so a
    request's write (BEGIN IMMEDIATE) commits during the check instead of waiting for it."""
    with fresh_app.app_context():
        append(3)
        _db.session.commit()
    written: list[float] = []
    check_span = services._verify_span

    def write_as_a_request_would() -> None:
        started = time.monotonic()
        with fresh_app.app_context(), _db.engine.begin() as writer:
            writer.execute(sa.text("UPDATE users SET display_name = 'Kanya' WHERE id = 0"))
        written.append(time.monotonic() - started)

    def check_while_the_site_writes(connection, *args):
        span = check_span(connection, *args)
        request = threading.Thread(target=write_as_a_request_would)
        request.start()
        request.join()
        return span

    monkeypatch.setattr(services, "_verify_span", check_while_the_site_writes)
    result = fresh_app.test_cli_runner().invoke(args=["verify-log", "--processes", "1"])

    assert result.exit_code == 0, result.output
    assert "intact: 3 entries" in result.output
    assert len(written) == 1 and written[0] < 2  # not the 10 s busy timeout


def test_verify_log_command_splits_by_default_on_sqlite_only(fresh_app, monkeypatch):
    """PostgreSQL's server checks with parallel workers of its own; SQLite's check runs in
    this machine's processes, one per core."""
    monkeypatch.setattr(services, "PARALLEL_FROM", 1)
    monkeypatch.setattr(services, "_usable_cores", lambda: 2)
    split_between: list[int] = []
    split = services._verify_in_parallel

    def remember(connection, last_id, processes):
        split_between.append(processes)
        return split(connection, last_id, processes)

    monkeypatch.setattr(services, "_verify_in_parallel", remember)
    with fresh_app.app_context():
        append(4)
        _db.session.commit()
        postgresql = _db.engine.dialect.name == "postgresql"
    result = fresh_app.test_cli_runner().invoke(args=["verify-log"])

    assert result.exit_code == 0, result.output
    assert "intact: 4 entries" in result.output
    assert split_between == ([] if postgresql else [2])


def test_verify_log_command_refuses_fewer_than_one_process(runner):
    result = runner.invoke(args=["verify-log", "--processes", "0"])
    assert result.exit_code == 2
    assert "--processes" in result.output
