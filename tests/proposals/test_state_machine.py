"""Every transition of the proposal state machine, attempted by every role from every state."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from participation.accountability.models import LogEntry
from participation.core.errors import DomainError, NotAllowed
from participation.core.models import utcnow
from participation.extensions import db
from participation.proposals import services
from participation.proposals.models import Category, Proposal, ProposalRevision, ProposalState
from participation.votes.models import BallotResult, BallotStatus
from tests.proposals.fixtures import MANAGERS, ROLES, proposal_in
from tests.rows import count_rows

S = ProposalState
ALL_STATES = list(ProposalState)

# transition -> (roles allowed, states it starts from, state it leads to, verb)
RULES = {
    "open_for_comment": (("author",), {S.DRAFT}, S.OPEN, "proposal.opened"),
    "start_consideration": (
        MANAGERS, {S.OPEN}, S.UNDER_CONSIDERATION, "proposal.under_consideration"
    ),
    "withdraw": (
        ("author",), {S.DRAFT, S.OPEN, S.UNDER_CONSIDERATION}, S.WITHDRAWN, "proposal.withdrawn"
    ),
    "merge": (MANAGERS, {S.OPEN, S.UNDER_CONSIDERATION}, S.MERGED, "proposal.merged"),
}


def log_entries(proposal_id: int) -> list[LogEntry]:
    return list(db.session.scalars(
        sa.select(LogEntry)
        .where(LogEntry.subject_type == "proposal", LogEntry.subject_id == proposal_id)
        .order_by(LogEntry.id)
    ))


def attempt(name: str, proposal: Proposal, actor, *, into: Proposal | None = None) -> None:
    service = getattr(services, name)
    if name == "merge":
        service(proposal=proposal, into=into, actor=actor, now=utcnow())
    else:
        service(proposal=proposal, actor=actor, now=utcnow())


@pytest.mark.parametrize("state", ALL_STATES, ids=lambda s: s.value)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("transition", list(RULES))
def test_transition_is_allowed_only_for_its_role_and_states(
    transition, role, state, make, cast
):
    roles, sources, target, verb = RULES[transition]
    proposal = proposal_in(make, state, cast=cast)
    into = make.proposal(group=cast.group, category=cast.category, state=S.OPEN)
    before = log_entries(proposal.id)

    if role in roles and state in sources:
        attempt(transition, proposal, cast[role], into=into)
        db.session.expire_all()
        assert db.session.get(Proposal, proposal.id).state == target
        entries = log_entries(proposal.id)
        assert len(entries) == len(before) + 1
        assert entries[-1].verb == verb
        assert entries[-1].actor_id == cast[role].id
        assert entries[-1].data["from"] == state.value
        assert entries[-1].data["to"] == target.value
    else:
        expected = NotAllowed if role not in roles else DomainError
        with pytest.raises(expected) as refused:
            attempt(transition, proposal, cast[role], into=into)
        assert refused.value.message
        db.session.expire_all()
        assert db.session.get(Proposal, proposal.id).state == state
        assert len(log_entries(proposal.id)) == len(before)


@pytest.mark.parametrize("state", ALL_STATES, ids=lambda s: s.value)
@pytest.mark.parametrize("actor_role", [None, "secretary"])
@pytest.mark.parametrize("decision", ["adopt", "reject"])
def test_adopt_and_reject_only_from_under_consideration(decision, actor_role, state, make, cast):
    proposal = proposal_in(make, state, cast=cast)
    actor = cast[actor_role] if actor_role else None
    service = getattr(services, decision)
    target = S.ADOPTED if decision == "adopt" else S.REJECTED

    if state == S.UNDER_CONSIDERATION:
        service(proposal=proposal, actor=actor, now=utcnow())
        assert proposal.state == target
        entry = log_entries(proposal.id)[-1]
        assert entry.verb == f"proposal.{target.value}"
        assert entry.actor_id == (actor.id if actor else None)
    else:
        with pytest.raises(services.TransitionNotAllowed):
            service(proposal=proposal, actor=actor, now=utcnow())
        db.session.expire_all()
        assert db.session.get(Proposal, proposal.id).state == state
        assert log_entries(proposal.id) == []


@pytest.mark.parametrize("status", list(BallotStatus), ids=lambda s: s.value)
def test_withdraw_is_refused_once_a_ballot_was_ever_opened(status, make, cast):
    proposal = proposal_in(make, S.UNDER_CONSIDERATION, cast=cast)
    result = BallotResult.NO_QUORUM if status == BallotStatus.CLOSED else None
    make.ballot(proposal, opened_by=cast.secretary, result=result)

    with pytest.raises(services.BallotWasOpened, match="ballot"):
        services.withdraw(proposal=proposal, actor=cast.author, now=utcnow())
    assert proposal.state == S.UNDER_CONSIDERATION


def test_merge_is_refused_while_a_ballot_is_open(make, cast):
    proposal = proposal_in(make, S.UNDER_CONSIDERATION, cast=cast)
    into = make.proposal(group=cast.group, category=cast.category)
    make.ballot(proposal, opened_by=cast.secretary)

    with pytest.raises(services.TransitionNotAllowed):
        services.merge(proposal=proposal, into=into, actor=cast.secretary, now=utcnow())
    assert proposal.state == S.UNDER_CONSIDERATION and proposal.merged_into_id is None


def test_merge_sets_the_target_and_logs_it(make, cast):
    proposal = proposal_in(make, S.OPEN, cast=cast)
    into = make.proposal(group=cast.group, category=cast.category, state=S.UNDER_CONSIDERATION)

    services.merge(proposal=proposal, into=into, actor=cast.chair, now=utcnow())

    assert proposal.state == S.MERGED and proposal.merged_into_id == into.id
    assert log_entries(proposal.id)[-1].data == {"from": "open", "to": "merged", "into": into.id}


@pytest.mark.parametrize("target_state", ALL_STATES, ids=lambda s: s.value)
def test_merge_target_must_be_a_live_proposal(target_state, make, cast):
    proposal = proposal_in(make, S.OPEN, cast=cast)
    into = proposal_in(make, target_state, cast=cast)
    fit = target_state in {S.OPEN, S.UNDER_CONSIDERATION, S.ADOPTED}

    if fit:
        services.merge(proposal=proposal, into=into, actor=cast.secretary, now=utcnow())
        assert proposal.merged_into_id == into.id
    else:
        with pytest.raises(services.InvalidMergeTarget) as refused:
            services.merge(proposal=proposal, into=into, actor=cast.secretary, now=utcnow())
        assert refused.value.field == "into"
        assert proposal.state == S.OPEN and proposal.merged_into_id is None


def test_merge_into_itself_or_another_group_is_refused(make, cast):
    proposal = proposal_in(make, S.OPEN, cast=cast)
    elsewhere = make.proposal(category=cast.category)

    with pytest.raises(services.InvalidMergeTarget, match="itself"):
        services.merge(proposal=proposal, into=proposal, actor=cast.secretary, now=utcnow())
    with pytest.raises(services.InvalidMergeTarget, match="same working group"):
        services.merge(proposal=proposal, into=elsewhere, actor=cast.secretary, now=utcnow())
    assert proposal.state == S.OPEN


def test_create_keeps_a_draft_with_revision_one_and_the_authors_sector(cast):
    proposal = services.create_proposal(
        author=cast.author, group=cast.group, title="  Publish hourly PM2.5  ",
        body="Open the station data.", category=cast.category, submit=False, now=utcnow(),
    )

    assert proposal.state == S.DRAFT and proposal.opened_at is None
    assert proposal.title == "Publish hourly PM2.5"
    assert proposal.sector == cast.author.sector
    assert proposal.organisation_id == cast.author.organisation_id
    revisions = db.session.scalars(
        sa.select(ProposalRevision).where(ProposalRevision.proposal_id == proposal.id)
    ).all()
    assert [(r.number, r.title, r.editor_id) for r in revisions] == [
        (1, "Publish hourly PM2.5", cast.author.id)
    ]
    assert [e.verb for e in log_entries(proposal.id)] == ["proposal.created"]


def test_create_with_submit_opens_the_proposal_at_once(cast):
    now = utcnow()
    proposal = services.create_proposal(
        author=cast.author, group=cast.group, title="Burn-free village awards",
        body="Reward villages.", category=cast.category, submit=True, now=now,
    )

    assert proposal.state == S.OPEN and proposal.opened_at == now
    assert [e.verb for e in log_entries(proposal.id)] == ["proposal.created", "proposal.opened"]


def test_the_sector_stays_as_it_was_when_the_author_changes_profile(cast, make):
    proposal = services.create_proposal(
        author=cast.author, group=cast.group, title="T", body="B", category=cast.category,
        submit=True, now=utcnow(),
    )
    cast.author.sector = cast.author.sector.__class__.PRIVATE
    db.session.flush()
    db.session.expire_all()
    assert db.session.get(Proposal, proposal.id).sector.value == "civil_society"


@pytest.mark.parametrize(
    ("title", "body", "field"),
    [("", "Text", "title"), ("   ", "Text", "title"), ("x" * 201, "Text", "title"),
     ("Title", "", "body"), ("Title", "x" * 50_001, "body")],
    ids=["empty-title", "blank-title", "long-title", "empty-body", "long-body"],
)
def test_create_refuses_bad_text_and_saves_nothing(title, body, field, cast):
    count = count_rows(Proposal)
    with pytest.raises(services.InvalidProposal) as refused:
        services.create_proposal(
            author=cast.author, group=cast.group, title=title, body=body,
            category=cast.category, submit=True, now=utcnow(),
        )
    assert refused.value.field == field
    assert count_rows(Proposal) == count


def test_category_services_refuse_a_duplicate_thai_name(cast):
    created = services.create_category(actor=cast.admin, name_th="การสื่อสาร", name_en="",
                                       position=3, now=utcnow())
    assert db.session.get(Category, created.id).position == 3
    with pytest.raises(services.InvalidCategory) as refused:
        services.create_category(actor=cast.admin, name_th=" การสื่อสาร ", name_en="x",
                                 position=1, now=utcnow())
    assert refused.value.field == "name_th"
