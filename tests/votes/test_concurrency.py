"""Two requests at the same moment: one vote per seat, one open ballot per proposal.

These run on an app whose transactions really commit (fresh_app), on SQLite and PostgreSQL."""

from __future__ import annotations

import threading

import sqlalchemy as sa
from sqlalchemy.exc import OperationalError

from participation.accounts.models import User
from participation.core.models import utcnow
from participation.extensions import db
from participation.proposals.models import Proposal, ProposalState
from participation.votes import services
from participation.votes.models import Ballot, BallotStatus, Vote, VoteChoice
from tests.votes.helpers import committee, in_days, name_deputy

TIMEOUT = 30


def run_together(app, work, arguments):
    """Run work(*args) in one thread per argument tuple, each in its own app context, all
    released at once by a barrier; return (results, errors) by thread index."""
    barrier = threading.Barrier(len(arguments), timeout=TIMEOUT)
    results: dict[int, object] = {}
    errors: dict[int, BaseException] = {}

    def target(index, args):
        with app.app_context():
            try:
                results[index] = work(barrier, *args)
            except BaseException as error:  # noqa: BLE001 - reported to the test below
                db.session.rollback()
                errors[index] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=target, args=(i, a)) for i, a in enumerate(arguments)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not any(thread.is_alive() for thread in threads)
    return results, errors


def load_detached(model, ident):
    """Load a row and leave the transaction, so that no thread holds a lock at the barrier."""
    obj = db.session.get(model, ident)
    db.session.expunge(obj)
    db.session.rollback()
    return obj


def test_two_simultaneous_votes_of_one_member_leave_exactly_one_vote(fresh_app, make):
    with fresh_app.app_context():
        c = committee(make)
        ballot = c.open_ballot(closes_at=in_days(1))
        db.session.commit()
        ballot_id, member_id = ballot.id, c.members[0].id

    def vote(barrier, choice):
        ballot = load_detached(Ballot, ballot_id)
        member = load_detached(User, member_id)
        barrier.wait()
        services.cast_vote(ballot=ballot, member=member, choice=choice, now=utcnow())
        db.session.commit()
        return choice

    results, errors = run_together(fresh_app, vote, [(VoteChoice.YES,), (VoteChoice.NO,)])
    assert errors == {}, errors
    assert len(results) == 2

    with fresh_app.app_context():
        votes = list(db.session.scalars(sa.select(Vote).where(Vote.ballot_id == ballot_id)))
        assert len(votes) == 1
        assert votes[0].voter_id == member_id
        assert votes[0].choice in (VoteChoice.YES, VoteChoice.NO)


def test_many_members_voting_at_once_each_leave_one_vote(fresh_app, make):
    with fresh_app.app_context():
        c = committee(make)
        ballot = c.open_ballot(closes_at=in_days(1))
        db.session.commit()
        ballot_id = ballot.id
        voters = [user.id for user in c.voters]

    def vote(barrier, member_id, choice):
        ballot = load_detached(Ballot, ballot_id)
        member = load_detached(User, member_id)
        barrier.wait()
        services.cast_vote(ballot=ballot, member=member, choice=choice, now=utcnow())
        db.session.commit()

    arguments = [(voter, choice) for voter in voters for choice in ("yes", "no")]
    _results, errors = run_together(fresh_app, vote, arguments)
    assert errors == {}, errors
    with fresh_app.app_context():
        seats = db.session.scalars(
            sa.select(Vote.voter_id).where(Vote.ballot_id == ballot_id)
        ).all()
        assert sorted(seats) == sorted(voters)


def test_two_simultaneous_openings_leave_exactly_one_open_ballot(fresh_app, make):
    with fresh_app.app_context():
        c = committee(make)
        proposal_id = c.proposal.id
        openers = [c.secretary.id, c.chair.id]

    def open_one(barrier, actor_id):
        proposal = load_detached(Proposal, proposal_id)
        actor = load_detached(User, actor_id)
        barrier.wait()
        ballot = services.open_ballot(proposal=proposal, actor=actor, closes_at=in_days(1),
                                      now=utcnow())
        db.session.commit()
        return ballot.id

    results, errors = run_together(fresh_app, open_one, [(actor,) for actor in openers])
    assert len(results) == 1, (results, errors)
    [error] = errors.values()
    # The loser gets the friendly refusal, from the service check or from the unique index.
    assert isinstance(error, services.BallotAlreadyOpen), repr(error)
    assert not isinstance(error, OperationalError)

    with fresh_app.app_context():
        ballots = db.session.scalars(
            sa.select(Ballot).where(Ballot.proposal_id == proposal_id)
        ).all()
        assert len(ballots) == 1 and ballots[0].status == BallotStatus.OPEN
        assert db.session.get(Proposal, proposal_id).state == ProposalState.UNDER_CONSIDERATION


def test_a_holder_and_the_deputy_voting_at_once_leave_the_holders_vote(fresh_app, make):
    with fresh_app.app_context():
        c = committee(make)
        deputy, _seat = name_deputy(make, c)
        ballot = c.open_ballot(closes_at=in_days(1))
        db.session.commit()
        ballot_id, holder_id, deputy_id = ballot.id, c.members[0].id, deputy.id

    def vote(barrier, member_id, choice):
        ballot = load_detached(Ballot, ballot_id)
        member = load_detached(User, member_id)
        barrier.wait()
        services.cast_vote(ballot=ballot, member=member, choice=choice, now=utcnow())
        db.session.commit()

    _results, errors = run_together(fresh_app, vote, [(holder_id, "yes"), (deputy_id, "no")])
    # The deputy may have voted first and been replaced, or come second and been refused.
    assert all(isinstance(error, services.HolderHasVoted) for error in errors.values()), errors
    with fresh_app.app_context():
        [vote_row] = db.session.scalars(sa.select(Vote).where(Vote.ballot_id == ballot_id))
        assert (vote_row.voter_id, vote_row.choice) == (holder_id, VoteChoice.YES)
