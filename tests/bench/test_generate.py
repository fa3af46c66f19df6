"""The province-scale generator (bench/generate.py), loaded at a tiny scale into a database of
its own: the counts follow the scale, the log is one valid chain, every benchmarked page
answers, and what the services keep consistent is consistent."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from fractions import Fraction
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from flask import Flask, current_app

from bench.generate import (
    CONTENT,
    PAGES,
    DatabaseNotEmpty,
    Instance,
    Report,
    generate,
    pages,
    plan,
)
from participation import create_app
from participation.accountability.models import LogEntry
from participation.accountability.services import record, verify_log
from participation.accounts.models import User
from participation.comments.models import Comment
from participation.commitments.models import Commitment, Milestone, ProgressUpdate
from participation.commitments.tracking import COMPLETION_SHARE, as_percent
from participation.decisions.models import Decision
from participation.environment.models import Hotspot, Reading
from participation.extensions import db as _db
from participation.groups.models import Seat
from participation.proposals.models import Proposal, ProposalState, Support
from participation.search import index
from participation.votes.models import Ballot, BallotStatus, Vote
from tests.conftest import TEST_SECRET, FreshRequestClient, _database_url

SCALE = 0.005


@pytest.fixture(scope="module")
def instance(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """An app on a database of its own (a SQLite file, or a PostgreSQL schema) that the
    generator migrated and filled."""
    folder = tmp_path_factory.mktemp("bench")
    url, drop = _database_url(folder)
    seconds = generate(url, scale=SCALE, seed=7)
    assert seconds["total"] > 0
    app = create_app({
        "ENV": "testing", "SECRET_KEY": TEST_SECRET, "DATABASE_URL": url,
        "DEFAULT_LOCALE": "en", "RATELIMIT_ENABLED": False,
        "SIGNING_KEY_FILE": str(folder / "signing-key.pem"),
    })
    app.test_client_class = FreshRequestClient
    with app.app_context():
        try:
            yield app
        finally:
            _db.session.remove()
            _db.engine.dispose()
            drop()


@pytest.fixture
def db():
    """Read the generated instance as it was committed (no outer rolled-back transaction)."""
    yield _db
    _db.session.rollback()


def count(model) -> int:
    return _db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_the_counts_are_the_issues_at_scale_one_and_follow_the_scale(instance):
    full = plan(1.0)
    assert (full.participants, full.proposals, full.comments, full.supports, full.commitments,
            full.log_entries, full.readings, full.hotspots) == (
        5_000, 5_000, 200_000, 500_000, 1_000, 50_000, 87_600, 100_000)
    # Each commitment comes from an adopted decision of its own: more ballots than the 200.
    assert full.ballots > max(200, full.commitments)
    small = plan(SCALE)
    assert count(User) == small.participants
    assert count(Proposal) == small.proposals == 25
    assert count(Comment) == small.comments == 1_000
    assert count(Support) == small.supports == 2_500
    assert count(Ballot) == small.ballots
    assert count(Commitment) == small.commitments == 5
    assert count(LogEntry) == small.log_entries == 250
    assert count(Reading) == small.readings
    assert count(Hotspot) == small.hotspots == 500


def test_the_log_is_one_valid_hash_chain_that_the_site_can_extend(instance):
    verification = verify_log()
    assert verification.ok, verification.problem
    assert verification.entries == count(LogEntry)

    entry = record(actor=None, verb="proposal.answer_overdue", subject_type="proposal",
                   subject_id=1, data={"due_on": "2026-01-01", "organisation_id": None})
    assert entry.id == verification.entries + 1
    assert verify_log().ok


def test_the_ids_are_predictable(instance):
    the_plan = plan(SCALE)
    ballot, decision, commitment = (_db.session.get(model, 1)
                                    for model in (Ballot, Decision, Commitment))
    assert ballot.proposal_id == 1 and ballot.status == BallotStatus.CLOSED
    assert decision.ballot_id == 1 and commitment.decision_id == 1
    comments_of_first = _db.session.scalar(
        sa.select(sa.func.count()).where(Comment.proposal_id == 1))
    assert comments_of_first == the_plan.first_proposal_comments
    updates = Counter(_db.session.scalars(sa.select(ProgressUpdate.commitment_id)))
    assert updates[1] == max(updates.values())


def test_every_benchmarked_page_answers(instance):
    assert [name for name, _path in PAGES] == [name for name, _path in pages(SCALE)]
    assert dict(PAGES)["proposals deep page"] == "/proposals?page=244"
    client = instance.test_client()
    for name, path in pages(SCALE):
        response = client.get(path)
        assert response.status_code == 200, (name, path, response.status_code)
    deep = client.get(dict(pages(SCALE))["proposals deep page"])
    assert b"/proposals/" in deep.data


def test_counters_and_tallies_match_their_rows(instance):
    supports = Counter(_db.session.scalars(sa.select(Support.proposal_id)))
    shown = Counter(_db.session.scalars(sa.select(Comment.proposal_id).where(
        Comment.deleted_at.is_(None), Comment.hidden_at.is_(None))))
    for proposal in _db.session.scalars(sa.select(Proposal)):
        assert proposal.support_count == supports[proposal.id]
        assert proposal.comment_count == shown[proposal.id]

    for decision in _db.session.scalars(sa.select(Decision)):
        choices = Counter(vote.choice.value for vote in _db.session.scalars(
            sa.select(Vote).where(Vote.ballot_id == decision.ballot_id)))
        assert (decision.yes_count, decision.no_count, decision.abstain_count,
                decision.block_count) == (choices["yes"], choices["no"], choices["abstain"],
                                          choices["block"])
        assert decision.eligible_count == _db.session.scalar(sa.select(sa.func.count()).where(
            Seat.group_id == decision.group_id, Seat.voting.is_(True)))
        assert decision.ballot.result == decision.result
        assert decision.proposal.state.value == {"adopted": "adopted", "rejected": "rejected",
                                                 "no_quorum": "under_consideration"}[
            decision.result.value]

    for commitment in _db.session.scalars(sa.select(Commitment)):
        last = _db.session.scalars(
            sa.select(ProgressUpdate).where(ProgressUpdate.commitment_id == commitment.id)
            .order_by(ProgressUpdate.reported_on.desc(), ProgressUpdate.id.desc())
        ).first()
        assert (commitment.percent, commitment.completion, commitment.status) == (
            last.percent, last.completion, last.status)
        milestones = _db.session.scalars(
            sa.select(Milestone).where(Milestone.commitment_id == commitment.id)).all()
        if milestones:
            rolled = sum((Fraction(1, len(milestones)) * COMPLETION_SHARE[m.completion]
                          for m in milestones), Fraction(0))
            assert commitment.percent == as_percent(rolled)


def test_the_search_index_holds_what_its_rebuild_writes(instance):
    columns = "kind, object_id, parent_id, group_id, title, body, title_terms, body_terms"
    if _db.engine.dialect.name == "postgresql":
        columns += ", tsv::text"
    select = sa.text(f"SELECT {columns} FROM search_documents ORDER BY kind, object_id")
    generated = _db.session.execute(select).all()
    assert len(generated) > count(Comment) * 0.9

    index.rebuild(_db.session)
    assert _db.session.execute(select).all() == generated
    assert [row.kind for row in generated].count("proposal") == _db.session.scalar(
        sa.select(sa.func.count()).where(Proposal.state != ProposalState.DRAFT))


def test_new_rows_take_new_ids(instance):
    before = count(Comment)
    comment = Comment(proposal_id=1, author_id=1, body="ทดสอบ", stance=None)
    _db.session.add(comment)
    _db.session.flush()
    assert comment.id == before + 1


def test_the_generator_loads_only_into_an_empty_database(instance):
    with pytest.raises(DatabaseNotEmpty):
        generate(instance.config["DATABASE_URL"], scale=SCALE)


class Recorder:
    """Stands in for the database writer: keeps a digest of every row it is given."""

    def __init__(self) -> None:
        self.connection = SimpleNamespace(dialect=SimpleNamespace(name="sqlite"))
        self.report = Report()
        self.digest = hashlib.sha256()

    def insert(self, table, rows, *, bulk: bool = False) -> int:
        rows = list(rows)
        self.digest.update(table.name.encode())
        for row in rows:
            self.digest.update(repr(sorted(row.items())).encode())
        return len(rows)


def rows_digest(*, seed: int, now: datetime) -> str:
    """The digest of every row an instance's content would write."""
    recorder = Recorder()
    instance = Instance(recorder, plan(0.002), seed=seed, now=now,
                        zone=ZoneInfo(current_app.config["TIMEZONE"]))
    for _name, step in CONTENT:
        getattr(instance, step)()
    return recorder.digest.hexdigest()


def test_the_same_seed_and_moment_give_the_same_rows(instance):
    moment = datetime(2026, 3, 15, 5, 30, tzinfo=UTC)
    first = rows_digest(seed=3, now=moment)
    assert rows_digest(seed=3, now=moment) == first
    assert rows_digest(seed=4, now=moment) != first
