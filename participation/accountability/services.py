"""Append to the accountability log, verify its hash chain, and publish and check signed
checkpoints of it."""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.orm import Session

from participation.accountability import signing
from participation.accountability.models import GENESIS_HASH, Checkpoint, LogEntry
from participation.accounts.models import User
from participation.core.db import lock_for_append
from participation.core.models import utcnow
from participation.extensions import db

LOG_LOCK_KEY = 0x52554D  # "RUM": the advisory lock that serialises appends on PostgreSQL


class LogIsAppendOnly(Exception):
    """Raised when code tries to change or delete a log entry."""


HASHED_FIELDS = ("id", "created_at", "actor_id", "verb", "subject_type", "subject_id", "data",
                 "corrects_id")


def canonical_payload(entry: Any) -> str:
    """The canonical JSON an entry's hash covers: its HASHED_FIELDS with sorted keys, no
    spaces, UTF-8 and the time in UTC with microseconds. `entry` is a LogEntry or a row."""
    fields = {name: getattr(entry, name) for name in HASHED_FIELDS}
    fields["created_at"] = fields["created_at"].astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def chain_hash(prev_hash: str, payload: str) -> str:
    return hashlib.sha256(f"{prev_hash}{payload}".encode()).hexdigest()


def stored_data(data: dict[str, Any] | None) -> dict[str, Any]:
    """An entry's data as it is stored: through JSON and back, so that what is stored is
    exactly what is hashed, with its keys in sorted order at every level, so that its stored
    text is the canonical JSON the hash covers (verify_log() checks such an entry in the
    database alone)."""
    return json.loads(json.dumps(data or {}, ensure_ascii=False, sort_keys=True))


def record(
    *,
    actor: User | None,
    verb: str,
    subject_type: str,
    subject_id: int,
    data: dict[str, Any] | None = None,
    corrects: LogEntry | None = None,
    now: datetime | None = None,
) -> LogEntry:
    """Append one entry to the chain inside the caller's transaction."""
    lock_for_append(LOG_LOCK_KEY)
    head = db.session.execute(
        sa.select(LogEntry.id, LogEntry.hash).order_by(LogEntry.id.desc()).limit(1)
    ).first()
    entry_id, prev_hash = (head.id + 1, head.hash) if head else (1, GENESIS_HASH)
    entry = LogEntry(
        id=entry_id,
        created_at=(now or utcnow()).astimezone(UTC),
        actor_id=actor.id if actor is not None else None,
        verb=verb,
        subject_type=subject_type,
        subject_id=subject_id,
        data=stored_data(data),
        corrects_id=corrects.id if corrects is not None else None,
        prev_hash=prev_hash,
    )
    entry.hash = chain_hash(prev_hash, canonical_payload(entry))
    db.session.add(entry)
    db.session.flush([entry])
    return entry


@dataclass
class Verification:
    entries: int
    head: str
    first_bad_id: int | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.first_bad_id is None


def verify_chain(rows: Iterable[Any]) -> Verification:
    """Recompute the chain over rows in id order; stop at the first entry that does not fit."""
    prev_hash = GENESIS_HASH
    expected_id = 1
    count = 0
    for row in rows:
        if row.id != expected_id:
            return Verification(count, prev_hash, row.id, "gap")
        if row.prev_hash != prev_hash:
            return Verification(count, prev_hash, row.id, "prev_hash")
        if chain_hash(prev_hash, canonical_payload(row)) != row.hash:
            return Verification(count, prev_hash, row.id, "hash")
        prev_hash = row.hash
        expected_id += 1
        count += 1
    return Verification(count, prev_hash)


# Verifying a long log fast, with the verdict verify_chain() gives over ORM rows, in three
# steps. First the database itself builds each entry's hashed text, as canonical_payload()
# writes it for an entry whose stored data is already its canonical JSON (what record() stores),
# hashes it and checks each entry's link to the one before; it returns only the entries that do
# not fit. Each of those is then formatted in Python, with its data made canonical: for the
# values an entry holds that is canonical_payload()'s text byte for byte (tests compare the two).
# An entry that still does not match, or that holds a value neither covers, is read again
# through the ORM's column types and checked with canonical_payload() itself.
#
# A hash that matches the database's text proves the entry: the text's fields are delimited by
# JSON keys, integers and quoted strings that its data cannot shift (tests tamper with each), so
# a match means the stored values are those hashed, and canonical JSON made canonical again is
# unchanged. Each entry's own hash depends only on its stored prev_hash, so a long log is split
# into ranges of ids checked by separate processes, and the links between ranges are checked
# when their results are joined.
VERIFY_BATCH = 5_000
PARALLEL_FROM = 100_000  # entries: a shorter log is checked in one process
_DATA_CACHE_SIZE = 10_000  # stored data texts remembered with their canonical JSON
_RAW_COLUMNS = ("e.id, {created_at}, e.actor_id, e.verb, e.subject_type, e.subject_id, {data}, "
                "e.corrects_id, e.prev_hash, e.hash")
# PostgreSQL writes the time in UTC as canonical_payload() does (for years from 1000 on).
_PG_CREATED_AT = """to_char(e.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')"""
# canonical_payload()'s text for an entry whose stored data is canonical JSON, prev_hash first.
# On SQLite, only for the types and the time's spelling that record() writes (else NULL).
_SQLITE_HASHED_TEXT = """CASE WHEN typeof(e.actor_id) || typeof(e.corrects_id) || typeof(e.subject_id)
 IN ('integerintegerinteger', 'nullnullinteger', 'integernullinteger', 'nullintegerinteger')
 AND typeof(e.created_at) = 'text' AND e.created_at GLOB
 '[1-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]'
THEN printf('%s{"actor_id":%s,"corrects_id":%s,"created_at":"%sT%sZ","data":%s,"id":%d,'
 || '"subject_id":%d,"subject_type":%s,"verb":%s}', e.prev_hash, ifnull(e.actor_id, 'null'),
 ifnull(e.corrects_id, 'null'), substr(e.created_at, 1, 10), substr(e.created_at, 12), e.data,
 e.id, e.subject_id, json_quote(e.subject_type), json_quote(e.verb))
END"""
_PG_HASHED_TEXT = """e.prev_hash || '{"actor_id":' || coalesce(e.actor_id::text, 'null')
 || ',"corrects_id":' || coalesce(e.corrects_id::text, 'null')
 || ',"created_at":"' || """ + _PG_CREATED_AT + """ || '"'
 || ',"data":' || e.data::text || ',"id":' || e.id || ',"subject_id":' || e.subject_id
 || ',"subject_type":' || to_json(e.subject_type)::text || ',"verb":' || to_json(e.verb)::text
 || '}'"""
# The entries that do not fit, joined as e to p (id - 1); {first} is the range's first id,
# filled in by _from_entries().
_UNFIT = {
    "sqlite": f"ruam_sha256_hex(CAST({_SQLITE_HASHED_TEXT} AS BLOB)) IS NOT e.hash"
              " OR (e.id > {first} AND (p.id IS NULL OR e.prev_hash IS NOT p.hash))",
    "postgresql": f"encode(sha256(convert_to({_PG_HASHED_TEXT}, 'UTF8')), 'hex')"
                  " IS DISTINCT FROM e.hash"
                  " OR (e.id > {first} AND (p.id IS NULL OR e.prev_hash IS DISTINCT FROM p.hash))",
}
_ORM_COLUMNS = [getattr(LogEntry, name) for name in (*HASHED_FIELDS, "prev_hash", "hash")]
_decode_json = json.JSONDecoder().raw_decode
# A number written with an exponent, or a digit before an "e" in a string (a hash, say), which
# is enough to take json's slower way.
_EXPONENT = re.compile(r"\de").search
_quote_json = json.encoder.encode_basestring


def _canonical_json_encoder() -> Callable[[Any], str]:
    """json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False), without
    building a new encoder at every call."""
    encoder = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    make_encoder = getattr(json.encoder, "c_make_encoder", None)
    if make_encoder is None:
        return encoder.encode
    iterencode = make_encoder(None, encoder.default, _quote_json, None, ":", ",", True, False,
                              True)
    return lambda value: "".join(iterencode(value, 0))


_encode_canonical_json = _canonical_json_encoder()


class _NotFormattable(Exception):
    """The entry holds a value that only canonical_payload() encodes exactly."""


def _sha256_hex(text: bytes | None) -> str | None:
    return None if text is None else hashlib.sha256(text).hexdigest()


def _id_range(after: int | None, upto: int | None) -> str:
    bounds = [f"e.id > {int(after)}" if after is not None else "",
              f"e.id <= {int(upto)}" if upto is not None else ""]
    return " AND ".join(bound for bound in bounds if bound) or "TRUE"


def _from_entries(dialect: str, after: int | None, upto: int | None,
                  unfit_after: int | None) -> str:
    """FROM and WHERE for the entries with after < id <= upto (open when None), each joined to
    the entry numbered one before; with `unfit_after` (the range's first id), only those whose
    hash does not match the database's own text, or that do not link to that entry (from the
    range's second on)."""
    where = _id_range(after, upto)
    if unfit_after is not None:
        where = f"{where} AND ({_UNFIT[dialect].replace('{first}', str(int(unfit_after)))})"
    return f"FROM log_entries AS e LEFT JOIN log_entries AS p ON p.id = e.id - 1 WHERE {where}"


@contextmanager
def _raw_rows(connection: sa.Connection, after: int | None = None, upto: int | None = None,
              *, unfit_after: int | None = None) -> Iterator[Any]:
    """A driver cursor over the rows of _from_entries() in id order: plain tuples of
    _RAW_COLUMNS, with data as its stored JSON text and the time as SQLite stores it, or already
    in canonical form from PostgreSQL, then the id and hash of the entry numbered one before
    (NULL when there is none)."""
    dialect = connection.dialect.name
    columns = _RAW_COLUMNS.format(
        created_at=_PG_CREATED_AT if dialect == "postgresql" else "e.created_at",
        data="e.data::text" if dialect == "postgresql" else "e.data")
    statement = (f"SELECT {columns}, p.id, p.hash "
                 f"{_from_entries(dialect, after, upto, unfit_after)} ORDER BY e.id")
    dbapi = connection.connection
    if dialect == "sqlite":
        dbapi.driver_connection.create_function("ruam_sha256_hex", 1, _sha256_hex,
                                                deterministic=True)
    # A server-side cursor on PostgreSQL, so that memory does not grow with the log.
    cursor = dbapi.cursor(name="ruam_verify_log") if dialect == "postgresql" else dbapi.cursor()
    try:
        cursor.execute(statement)
        yield cursor
    finally:
        cursor.close()


def _canonical_data(text: str, known: dict[str, str]) -> str:
    """The canonical JSON of an entry's stored data, as json.loads() then json.dumps() in
    canonical_payload() give it; remembered in `known` (the caller looks there first).

    orjson does it four times faster and writes the same text for what it reads, except for
    numbers it writes with an exponent, where json writes another (1e-7 for 1e-07, 1e16 for
    1e+16), integers past 64 bits among them (orjson reads them as floats): when its text has
    a digit followed by "e", json does it again. (What orjson refuses to read, such as NaN or
    a lone surrogate, is left to the exact check.)"""
    canonical = orjson.dumps(orjson.loads(text), option=orjson.OPT_SORT_KEYS).decode()
    if _EXPONENT(canonical) is not None:
        value, end = _decode_json(text)
        if end != len(text):  # json.loads() also allows white space around the value
            raise _NotFormattable
        canonical = _encode_canonical_json(value)
    if len(known) < _DATA_CACHE_SIZE:
        known[text] = canonical
    return canonical


def _hashed_text_from_sqlite(row: tuple[Any, ...], known: dict[str, str]) -> str:
    """What chain_hash() hashes for a raw SQLite row, its prev_hash then canonical_payload(),
    built by formatting."""
    (entry_id, created_at, actor_id, verb, subject_type, subject_id, data, corrects_id,
     prev_hash, _hash, *_before) = row
    # SQLite keeps any type in any column: formatting encodes integers and NULL as JSON does;
    # anything else here was written by hand and is left to canonical_payload().
    if not ((actor_id is None or actor_id.__class__ is int)
            and (corrects_id is None or corrects_id.__class__ is int)
            and subject_id.__class__ is int and entry_id.__class__ is int):
        raise _NotFormattable
    # Read as the ORM reads it. As stored (naive UTC, "YYYY-MM-DD HH:MM:SS.ffffff", which the
    # checks and the parser's digits confirm), it is the canonical time with "T" and "Z".
    moment = datetime.fromisoformat(created_at)
    if (moment.tzinfo is None and len(created_at) == 26 and created_at[7] == "-"
            and created_at[10] == " " and created_at[19] == "." and created_at[0] != "0"):
        created = f"{created_at[:10]}T{created_at[11:]}Z"
    else:  # another spelling, a time zone, or a year before 1000
        created = _canonical_time(moment)
    return (f'{prev_hash}{{"actor_id":{"null" if actor_id is None else actor_id},'
            f'"corrects_id":{"null" if corrects_id is None else corrects_id},'
            f'"created_at":"{created}","data":{known.get(data) or _canonical_data(data, known)},'
            f'"id":{entry_id},"subject_id":{subject_id},"subject_type":{_quote_json(subject_type)},'
            f'"verb":{_quote_json(verb)}}}')


def _hashed_text_from_postgresql(row: tuple[Any, ...], known: dict[str, str]) -> str:
    """What chain_hash() hashes for a raw PostgreSQL row, by formatting (its column types
    hold integers, NULL and text only)."""
    (entry_id, created_at, actor_id, verb, subject_type, subject_id, data, corrects_id,
     prev_hash, _hash, *_before) = row
    if created_at[0] == "0":  # a year before 1000, which strftime() does not pad
        raise _NotFormattable
    return (f'{prev_hash}{{"actor_id":{"null" if actor_id is None else actor_id},'
            f'"corrects_id":{"null" if corrects_id is None else corrects_id},'
            f'"created_at":"{created_at}","data":{known.get(data) or _canonical_data(data, known)},'
            f'"id":{entry_id},"subject_id":{subject_id},"subject_type":{_quote_json(subject_type)},'
            f'"verb":{_quote_json(verb)}}}')


def _canonical_time(moment: datetime) -> str:
    """The time as canonical_payload() writes it, for a time read as the ORM reads it."""
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _hash_matches_exactly(connection: sa.Connection, entry_id: int, prev_hash: str,
                          stored_hash: str) -> bool:
    """Read the entry through the ORM's column types and check it with canonical_payload()."""
    row = connection.execute(sa.select(*_ORM_COLUMNS).where(LogEntry.id == entry_id)).one()
    return chain_hash(prev_hash, canonical_payload(row)) == stored_hash


@dataclass
class _Span:
    """What checking one range of ids found. Its first entry's id and link to the entry
    before it are left to whoever joins the ranges."""

    first_id: int | None = None
    first_prev_hash: str | None = None
    entries: int = 0  # entries that verify, from the first, before the first bad one
    last_hash: str | None = None
    first_bad_id: int | None = None
    problem: str | None = None


def _verify_span(connection: sa.Connection, after: int | None = None,
                 upto: int | None = None) -> _Span:
    """Check the entries with after < id <= upto in id order (open when None): each one's hash
    over its stored prev_hash and, from the second on, its id and its link."""
    dialect = connection.dialect.name
    first_id, last_id = connection.execute(sa.text(
        f"SELECT min(e.id), max(e.id) FROM log_entries AS e WHERE {_id_range(after, upto)}"
    )).one()
    if first_id is None:
        return _Span()
    span = _Span(first_id=first_id, first_prev_hash=connection.scalar(
        sa.text("SELECT prev_hash FROM log_entries WHERE id = :id"), {"id": first_id}))
    unfit_from = first_id
    if dialect == "postgresql":
        # PostgreSQL runs an aggregate with its parallel workers, never a cursor's query: find
        # the first entry that does not fit that way (id + 0: not by walking the primary key),
        # then read the entries that do not fit from there.
        unfit_from = connection.scalar(sa.text(
            f"SELECT min(e.id + 0) {_from_entries(dialect, after, last_id, first_id)}"))
    hashed_text = _hashed_text_from_sqlite if dialect == "sqlite" else _hashed_text_from_postgresql
    sha256 = hashlib.sha256
    known: dict[str, str] = {}
    if unfit_from is not None:
        with _raw_rows(connection, unfit_from - 1, last_id, unfit_after=first_id) as cursor:
            while batch := cursor.fetchmany(VERIFY_BATCH):
                for row in batch:
                    entry_id, prev_hash, stored_hash, before_id, before_hash = (
                        row[0], row[8], row[9], row[10], row[11])
                    if entry_id != first_id and before_id is None:
                        return _stop(connection, span, after, entry_id, "gap")
                    if entry_id != first_id and prev_hash != before_hash:
                        return _stop(connection, span, after, entry_id, "prev_hash")
                    try:
                        digest = sha256(hashed_text(row, known).encode()).hexdigest()
                    except Exception:  # the exact check decides, or raises as verify_chain()
                        digest = None
                    if digest != stored_hash and not _hash_matches_exactly(
                        connection, entry_id, prev_hash, stored_hash
                    ):
                        return _stop(connection, span, after, entry_id, "hash")
    span.entries = last_id - first_id + 1  # no gap: each entry after the first has its previous
    span.last_hash = connection.scalar(
        sa.text("SELECT hash FROM log_entries WHERE id = :id"), {"id": last_id})
    return span


def _stop(connection: sa.Connection, span: _Span, after: int | None, entry_id: int,
          problem: str) -> _Span:
    """The span's verdict at its first bad entry: every entry before it verifies."""
    where = _id_range(after, entry_id - 1)
    before = connection.execute(sa.text(
        f"SELECT e.id, e.hash FROM log_entries AS e WHERE {where} ORDER BY e.id DESC LIMIT 1"
    )).first()
    if before is not None and span.first_id is not None:
        span.entries, span.last_hash = before.id - span.first_id + 1, before.hash
    span.first_bad_id, span.problem = entry_id, problem
    return span


def _join_spans(spans: Iterable[_Span]) -> Verification:
    """Join consecutive ranges' results, checking each range's first entry against the entry
    before it: the verdict verify_chain() gives over the whole log."""
    entries, head_hash = 0, GENESIS_HASH
    for span in spans:
        if span.first_id is None:
            continue
        if span.first_id != entries + 1:
            return Verification(entries, head_hash, span.first_id, "gap")
        if span.first_prev_hash != head_hash:
            return Verification(entries, head_hash, span.first_id, "prev_hash")
        if span.entries:
            entries, head_hash = entries + span.entries, span.last_hash or head_hash
        if span.first_bad_id is not None:
            return Verification(entries, head_hash, span.first_bad_id, span.problem)
    return Verification(entries, head_hash)


def _verify_span_in_new_connection(url: str, after: int | None, upto: int | None) -> _Span:
    """Check one range of ids in a worker process, on a connection of its own."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            return _verify_span(connection, after, upto)
    finally:
        engine.dispose()


def _verify_in_parallel(connection: sa.Connection, last_id: int, processes: int) -> Verification:
    """Split the ids into `processes` ranges: check the first here, the others in workers."""
    # Imported here: only this command needs them, and they slow every process's start.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    bounds = [last_id * part // processes for part in range(1, processes)]
    ranges = list(zip([None, *bounds], [*bounds, None], strict=True))
    url = connection.engine.url.render_as_string(hide_password=False)
    # Forking starts a worker at once; the worker uses no connection of this process.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with ProcessPoolExecutor(max_workers=processes - 1, mp_context=context) as pool:
        others = [pool.submit(_verify_span_in_new_connection, url, after, upto)
                  for after, upto in ranges[1:]]
        first = _verify_span(connection, *ranges[0])
        if first.first_bad_id is not None:
            for future in others:
                future.cancel()
            return _join_spans([first])
        return _join_spans([first, *(future.result() for future in others)])


def _usable_cores() -> int:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    # Beyond a few processes the database, not the hashing, sets the pace.
    return max(1, min(8, cores or 1))


def verify_log(*, processes: int | None = 1) -> Verification:
    """Verify the whole stored chain in id order and report the first entry that does not fit,
    as verify_chain() does. With processes > 1, a long log is split between that many
    processes; they read committed entries only, so use it outside a writing transaction.
    processes=None: the usable cores on SQLite, one on PostgreSQL, whose server checks with its
    own parallel workers."""
    connection = db.session.connection()
    if processes is None:
        processes = 1 if connection.dialect.name == "postgresql" else _usable_cores()
    # Another process cannot open an in-memory SQLite database.
    in_memory = connection.dialect.name == "sqlite" and connection.engine.url.database in (
        None, "", ":memory:")
    if processes > 1 and not in_memory:
        last_id = connection.scalar(sa.select(sa.func.max(LogEntry.id))) or 0
        if last_id >= PARALLEL_FROM:
            return _verify_in_parallel(connection, last_id, processes)
    return _join_spans([_verify_span(connection)])


def head() -> tuple[int, str]:
    """Return the number of entries and the head hash."""
    row = db.session.execute(
        sa.select(LogEntry.id, LogEntry.hash).order_by(LogEntry.id.desc()).limit(1)
    ).first()
    return (row.id, row.hash) if row else (0, GENESIS_HASH)


def publish_checkpoint(*, now: datetime) -> Checkpoint:
    """Sign the log's entry count and head hash as they are now, and store the checkpoint."""
    # The same lock record() takes: no entry is half-appended while the head is read.
    lock_for_append(LOG_LOCK_KEY)
    entries, head_hash = head()
    created_at = now.astimezone(UTC).replace(microsecond=0)
    statement = signing.statement_bytes(
        entries=entries, head=head_hash, time=signing.statement_time(created_at)
    )
    key = signing.signing_key()
    checkpoint = Checkpoint(
        entry_count=entries,
        head_hash=head_hash,
        created_at=created_at,
        public_key=signing.public_key_text(key.public_key()),
        signature=signing.sign(key, statement),
    )
    db.session.add(checkpoint)
    db.session.flush([checkpoint])
    return checkpoint


def saved_checkpoint(checkpoint: Checkpoint) -> signing.SavedCheckpoint:
    """A stored checkpoint as the file anyone can download and keep."""
    return signing.SavedCheckpoint(
        entries=checkpoint.entry_count,
        head=checkpoint.head_hash,
        time=signing.statement_time(checkpoint.created_at),
        public_key=checkpoint.public_key,
        signature=checkpoint.signature,
    )


@dataclass
class CheckpointCheck:
    """What checking the log against a saved checkpoint found; `problem` is None when the
    current log extends the checkpoint."""

    entries_then: int
    entries_now: int = 0
    problem: str | None = None
    chain: Verification | None = None
    # The hash the checkpoint's last entry has now, when it differs from the checkpoint's.
    found_head: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def known_public_keys() -> set[str]:
    """Every key this instance signed a checkpoint with, and its current key."""
    keys = set(db.session.scalars(sa.select(Checkpoint.public_key).distinct()))
    if (current := signing.current_public_key()) is not None:
        keys.add(current)
    return keys


def check_checkpoint(saved: signing.SavedCheckpoint, *,
                     processes: int | None = 1) -> CheckpointCheck:
    """Check that the stored log extends a saved checkpoint: a valid signature by a key of
    this instance, an intact chain (verified by `processes` processes, as verify_log() does),
    and the checkpoint's last entry still holding its head."""
    check = CheckpointCheck(entries_then=saved.entries)
    if not signing.signature_matches(public_key=saved.public_key, signature=saved.signature,
                                     statement=saved.statement):
        check.problem = "signature"
        return check
    if saved.public_key not in known_public_keys():
        check.problem = "unknown_key"
        return check
    chain = verify_log(processes=processes)
    check.chain = chain
    check.entries_now = chain.entries
    if not chain.ok:
        check.problem = "chain"
        return check
    if chain.entries < saved.entries:
        check.problem = "shorter"
        return check
    found = GENESIS_HASH if saved.entries == 0 else db.session.scalar(
        sa.select(LogEntry.hash).where(LogEntry.id == saved.entries)
    )
    if found != saved.head:
        check.found_head = found
        check.problem = "head"
    return check


@sa.event.listens_for(Session, "before_flush")
def _refuse_log_changes(session: Session, _context: Any, _instances: Any) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, LogEntry) and (obj in session.deleted or session.is_modified(obj)):
            raise LogIsAppendOnly(f"log entry {obj.id} cannot be changed or deleted")
