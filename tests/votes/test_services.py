"""Ballot rules: who opens, who votes, what closing decides."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from participation.accountability.models import LogEntry
from participation.core.errors import DomainError, NotAllowed
from participation.core.models import utcnow
from participation.decisions.models import Decision
from participation.extensions import db
from participation.proposals.models import ProposalState
from participation.votes import queries, services
from participation.votes.models import Ballot, BallotResult, BallotStatus, Vote, VoteChoice
from tests.rows import count_rows
from tests.votes.helpers import committee, in_days


def votes_of(ballot) -> list[Vote]:
    return list(db.session.scalars(sa.select(Vote).where(Vote.ballot_id == ballot.id)))


def log(verb: str) -> list[LogEntry]:
    return list(db.session.scalars(sa.select(LogEntry).where(LogEntry.verb == verb)))


def test_secretary_opens_a_ballot_with_the_default_quorum_and_it_is_logged(make):
    c = committee(make)
    ballot = c.open_ballot()
    assert ballot.status == BallotStatus.OPEN
    assert ballot.quorum == 3  # more than half of 4 voting seats
    [entry] = [e for e in log("ballot.opened") if e.subject_id == ballot.id]
    assert entry.actor_id == c.secretary.id
    assert entry.data["quorum"] == 3 and entry.data["proposal_id"] == c.proposal.id


def test_chair_may_open_a_ballot(make):
    c = committee(make)
    ballot = services.open_ballot(
        proposal=c.proposal, actor=c.chair, closes_at=in_days(1), now=utcnow()
    )
    assert ballot.opened_by_id == c.chair.id


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_others_may_not_open_a_ballot(make, who):
    c = committee(make)
    actor = c.members[0] if who == "member" else c.outsider
    with pytest.raises(NotAllowed):
        services.open_ballot(proposal=c.proposal, actor=actor, closes_at=in_days(1), now=utcnow())
    assert queries.latest_ballot(c.proposal.id) is None


@pytest.mark.parametrize("state", [ProposalState.OPEN, ProposalState.ADOPTED,
                                   ProposalState.DRAFT])
def test_ballot_only_on_a_proposal_under_consideration(make, state):
    c = committee(make, state=state)
    with pytest.raises(DomainError, match="under consideration"):
        c.open_ballot()


@pytest.mark.parametrize("quorum", [0, 5, -1])
def test_quorum_outside_one_to_the_voting_seats_is_refused(make, quorum):
    c = committee(make)
    with pytest.raises(DomainError) as caught:
        c.open_ballot(quorum=quorum)
    assert caught.value.field == "quorum"
    assert "between 1 and 4" in caught.value.message
    assert queries.latest_ballot(c.proposal.id) is None


@pytest.mark.parametrize("quorum", [1, 4])
def test_quorum_at_the_bounds_is_accepted(make, quorum):
    c = committee(make)
    assert c.open_ballot(quorum=quorum).quorum == quorum


def test_closing_time_in_the_past_is_refused(make):
    c = committee(make)
    with pytest.raises(DomainError, match="future") as caught:
        c.open_ballot(closes_at=in_days(-0.01))
    assert caught.value.field == "closes_at"


def test_second_open_ballot_on_the_same_proposal_is_refused(make):
    c = committee(make)
    c.open_ballot()
    with pytest.raises(services.BallotAlreadyOpen, match="already open"):
        services.open_ballot(proposal=c.proposal, actor=c.chair, closes_at=in_days(2),
                             now=utcnow())
    count = count_rows(Ballot, Ballot.proposal_id == c.proposal.id)
    assert count == 1


def test_the_unique_index_refusal_becomes_the_same_message(make, monkeypatch):
    """If the service check misses a concurrent ballot, the index still refuses it."""
    c = committee(make)
    c.open_ballot()
    real_scalar = db.session.scalar

    def blind_scalar(statement, *args, **kwargs):
        if "ballots" in str(statement) and "status" in str(statement):
            return None
        return real_scalar(statement, *args, **kwargs)

    monkeypatch.setattr(db.session, "scalar", blind_scalar)
    with pytest.raises(services.BallotAlreadyOpen, match="already open"):
        c.open_ballot()
    monkeypatch.undo()
    # The session is still usable: the savepoint took the failed insert back.
    assert queries.latest_ballot(c.proposal.id).status == BallotStatus.OPEN


def test_member_votes_and_changes_the_vote_leaving_one_row(make):
    c = committee(make)
    ballot = c.open_ballot()
    member = c.members[0]
    first = services.cast_vote(ballot=ballot, member=member, choice=VoteChoice.YES, now=utcnow())
    assert first.choice == VoteChoice.YES
    second = services.cast_vote(ballot=ballot, member=member, choice=VoteChoice.NO, now=utcnow())
    assert second.choice == VoteChoice.NO
    [vote] = votes_of(ballot)
    assert vote.choice == VoteChoice.NO and vote.voter_id == member.id
    assert vote.updated_at >= vote.cast_at


def test_chair_votes_from_the_chair_seat(make):
    c = committee(make)
    ballot = c.open_ballot()
    vote = services.cast_vote(ballot=ballot, member=c.chair, choice="abstain", now=utcnow())
    assert vote.choice == VoteChoice.ABSTAIN


@pytest.mark.parametrize("who", ["outsider", "secretary"])
def test_vote_by_someone_without_a_voting_seat_is_refused_and_changes_nothing(make, who):
    c = committee(make)
    ballot = c.open_ballot()
    person = c.outsider if who == "outsider" else c.secretary
    with pytest.raises(services.NotAVotingMember, match="voting members"):
        services.cast_vote(ballot=ballot, member=person, choice=VoteChoice.YES, now=utcnow())
    assert votes_of(ballot) == []


def test_vote_after_close_is_refused_and_changes_nothing(make):
    c = committee(make)
    ballot = c.open_ballot(quorum=1)
    services.cast_vote(ballot=ballot, member=c.members[0], choice=VoteChoice.YES, now=utcnow())
    services.close_ballot(ballot=ballot, actor=c.secretary, now=utcnow())
    with pytest.raises(services.BallotClosed, match="closed"):
        services.cast_vote(ballot=ballot, member=c.members[0], choice=VoteChoice.NO,
                           now=utcnow())
    with pytest.raises(services.BallotClosed):
        services.cast_vote(ballot=ballot, member=c.members[1], choice=VoteChoice.NO,
                           now=utcnow())
    [vote] = votes_of(ballot)
    assert vote.choice == VoteChoice.YES


def test_vote_on_a_due_ballot_is_refused_and_changes_nothing(make):
    c = committee(make)
    ballot = make.ballot(c.proposal, opened_by=c.secretary, closes_at=in_days(-0.001))
    with pytest.raises(services.BallotClosed, match="ended"):
        services.cast_vote(ballot=ballot, member=c.members[0], choice=VoteChoice.YES,
                           now=utcnow())
    assert votes_of(ballot) == []
    assert ballot.status == BallotStatus.OPEN


def vote_all(ballot, c, choices):
    for member, choice in zip(c.voters, choices, strict=False):
        if choice is not None:
            services.cast_vote(ballot=ballot, member=member, choice=choice, now=utcnow())


def test_more_yes_than_no_adopts_the_proposal_and_records_the_decision(make):
    c = committee(make)
    ballot = c.open_ballot()
    vote_all(ballot, c, ["yes", "yes", "no", None])
    decision = services.close_ballot(ballot=ballot, actor=c.secretary, now=utcnow())
    assert ballot.status == BallotStatus.CLOSED and ballot.result == BallotResult.ADOPTED
    assert ballot.closed_by_id == c.secretary.id
    assert c.proposal.state == ProposalState.ADOPTED
    assert (decision.yes_count, decision.no_count, decision.abstain_count) == (2, 1, 0)
    assert decision.quorum == 3 and decision.eligible_count == 4
    assert decision.result == BallotResult.ADOPTED
    [closed] = log("ballot.closed")
    [recorded] = log("decision.recorded")
    assert recorded.subject_id == decision.id and closed.subject_id == ballot.id
    for entry in (closed, recorded):
        assert entry.data["result"] == "adopted"
        assert entry.data["tally"] == {"yes": 2, "no": 1, "abstain": 0, "block": 0}
        assert entry.data["quorum"] == 3
        assert entry.data["by_sector"]["government"] == {"yes": 2, "no": 1, "abstain": 0,
                                                         "block": 0}
    roll = recorded.data["roll_call"]
    assert len(roll) == 4
    chair_row = next(row for row in roll if row["voter_id"] == c.chair.id)
    assert chair_row["choice"] == "yes" and set(chair_row) == {
        "seat_id", "organisation_id", "sector", "voter_id", "choice", "reason"
    }
    assert chair_row["sector"] == "government" and chair_row["reason"] == ""
    assert sum(1 for row in roll if row["choice"] is None) == 1
    assert [e.verb for e in log("proposal.adopted")] == ["proposal.adopted"]


def test_a_tie_rejects_the_proposal(make):
    c = committee(make)
    ballot = c.open_ballot()
    vote_all(ballot, c, ["yes", "no", "abstain", None])
    decision = services.close_ballot(ballot=ballot, actor=c.chair, now=utcnow())
    assert decision.result == BallotResult.REJECTED
    assert c.proposal.state == ProposalState.REJECTED


def test_abstentions_count_towards_the_quorum(make):
    c = committee(make)
    ballot = c.open_ballot()
    vote_all(ballot, c, ["yes", "abstain", "abstain", None])
    decision = services.close_ballot(ballot=ballot, actor=c.chair, now=utcnow())
    assert decision.result == BallotResult.ADOPTED
    assert decision.votes_cast == 3


def test_below_quorum_keeps_the_proposal_under_consideration_and_allows_a_new_ballot(make):
    c = committee(make)
    ballot = c.open_ballot()
    vote_all(ballot, c, ["yes", "yes", None, None])
    decision = services.close_ballot(ballot=ballot, actor=c.secretary, now=utcnow())
    assert decision.result == BallotResult.NO_QUORUM
    assert ballot.result == BallotResult.NO_QUORUM
    assert c.proposal.state == ProposalState.UNDER_CONSIDERATION
    again = c.open_ballot()
    assert queries.latest_ballot(c.proposal.id).id == again.id


def test_closing_with_a_resolution_records_it(make):
    c = committee(make)
    ballot = c.open_ballot(quorum=1)
    vote_all(ballot, c, ["yes"])
    decision = services.close_ballot(ballot=ballot, actor=c.secretary, now=utcnow(),
                                     resolution="The meeting **adopts** the measure.")
    assert decision.resolution == "The meeting **adopts** the measure."
    [entry] = log("decision.resolution_recorded")
    assert entry.subject_id == decision.id


def test_only_the_secretariat_or_chair_close_a_ballot(make):
    c = committee(make)
    ballot = c.open_ballot()
    with pytest.raises(NotAllowed):
        services.close_ballot(ballot=ballot, actor=c.members[0], now=utcnow())
    assert ballot.status == BallotStatus.OPEN


def test_closing_twice_is_refused(make):
    c = committee(make)
    ballot = c.open_ballot()
    services.close_ballot(ballot=ballot, actor=c.secretary, now=utcnow())
    with pytest.raises(services.BallotClosed, match="already closed"):
        services.close_ballot(ballot=ballot, actor=c.secretary, now=utcnow())
    assert count_rows(Decision, Decision.ballot_id == ballot.id) == 1


def test_close_due_ballots_closes_only_the_due_ones_without_an_actor(make):
    c = committee(make)
    due = make.ballot(c.proposal, opened_by=c.secretary, closes_at=in_days(-1), quorum=1)
    make.vote(c.group.seats[0], ballot=due)
    other = committee(make)
    running = make.ballot(other.proposal, opened_by=other.secretary, closes_at=in_days(1))
    db.session.flush()
    decisions = services.close_due_ballots(now=utcnow())
    assert [d.ballot_id for d in decisions] == [due.id]
    assert due.status == BallotStatus.CLOSED and due.closed_by_id is None
    assert running.status == BallotStatus.OPEN
    assert c.proposal.state == ProposalState.ADOPTED
    [entry] = [e for e in log("ballot.closed") if e.subject_id == due.id]
    assert entry.actor_id is None


def test_close_if_due_does_nothing_before_the_closing_time(make):
    c = committee(make)
    ballot = c.open_ballot()
    assert services.close_if_due(ballot=ballot, now=utcnow()) is None
    assert ballot.status == BallotStatus.OPEN


def test_roll_call_lists_every_voting_seat_with_its_vote(make):
    c = committee(make)
    ballot = c.open_ballot()
    vote_all(ballot, c, [None, "no"])
    rows = queries.roll_call(ballot)
    assert len(rows) == 4
    assert [vote.choice if vote else None for _seat, vote in rows] == [
        None, VoteChoice.NO, None, None
    ]
