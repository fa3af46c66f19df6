"""The verify-log benchmark's builder, at a tiny scale: it writes exactly the chain record()
would write, with the variety of a real log."""

from __future__ import annotations

import json

import sqlalchemy as sa

from bench.verify_log import build_log
from participation.accountability.models import LogEntry
from participation.accountability.services import Verification, record, verify_log


def test_the_benchmark_log_is_a_varied_valid_chain_that_record_extends(db):
    build_log(1000, batch=300)

    entry = record(actor=None, verb="proposal.opened", subject_type="proposal", subject_id=1,
                   data={"from": "draft", "to": "open"})

    assert entry.id == 1001
    assert verify_log() == Verification(1001, entry.hash)
    rows = db.session.execute(
        sa.select(LogEntry.verb, LogEntry.actor_id, LogEntry.corrects_id, LogEntry.data)
    ).all()
    assert len({row.verb for row in rows}) >= 15
    assert any(row.actor_id is None for row in rows) and any(row.actor_id for row in rows)
    assert any(row.corrects_id for row in rows)
    texts = [json.dumps(row.data, ensure_ascii=False) for row in rows]
    assert any("ลำปาง" in text for text in texts)
    assert any(isinstance(value, dict) for row in rows for value in row.data.values())
