"""Append to the accountability log, verify its hash chain, and publish and check signed
checkpoints of it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

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
        # Round-trip through JSON so the stored data is exactly what is hashed.
        data=json.loads(json.dumps(data or {}, ensure_ascii=False)),
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


def verify_log() -> Verification:
    """Verify the whole stored chain, streaming rows in id order."""
    columns = [getattr(LogEntry, name) for name in (*HASHED_FIELDS, "prev_hash", "hash")]
    result = db.session.execute(
        sa.select(*columns).order_by(LogEntry.id).execution_options(yield_per=5000)
    )
    try:
        return verify_chain(result)
    finally:
        # Stopping at a broken entry leaves rows unread: close the server-side cursor.
        result.close()


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


def check_checkpoint(saved: signing.SavedCheckpoint) -> CheckpointCheck:
    """Check that the stored log extends a saved checkpoint: a valid signature by a key of
    this instance, an intact chain, and the checkpoint's last entry still holding its head."""
    check = CheckpointCheck(entries_then=saved.entries)
    if not signing.signature_matches(public_key=saved.public_key, signature=saved.signature,
                                     statement=saved.statement):
        check.problem = "signature"
        return check
    if saved.public_key not in known_public_keys():
        check.problem = "unknown_key"
        return check
    chain = verify_log()
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
