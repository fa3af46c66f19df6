"""Deputies (ผู้แทน) vote in the seat's name when the holder does not; the holder's vote wins."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from participation.core.models import utcnow
from participation.extensions import db
from participation.groups.models import SeatRole
from participation.votes import services
from participation.votes.models import BallotStatus, Vote, VoteChoice
from participation.votes.permissions import can_vote
from tests.votes.helpers import committee, name_deputy


def votes_of(ballot) -> list[Vote]:
    return list(db.session.scalars(
        sa.select(Vote).where(Vote.ballot_id == ballot.id)
        .execution_options(populate_existing=True)
    ))


def test_a_deputy_votes_in_the_seats_name_and_the_vote_records_who_voted(make):
    c = committee(make)
    deputy, seat = name_deputy(make, c)
    ballot = c.open_ballot()
    vote = services.cast_vote(ballot=ballot, member=deputy, choice="no", reason="Not yet.",
                              now=utcnow())
    assert (vote.seat_id, vote.voter_id, vote.choice) == (seat.id, deputy.id, VoteChoice.NO)
    again = services.cast_vote(ballot=ballot, member=deputy, choice="abstain", now=utcnow())
    assert again.choice == VoteChoice.ABSTAIN and len(votes_of(ballot)) == 1


def test_the_holder_voting_replaces_the_deputys_vote(make):
    c = committee(make)
    deputy, seat = name_deputy(make, c)
    holder = c.members[0]
    ballot = c.open_ballot()
    services.cast_vote(ballot=ballot, member=deputy, choice="no", now=utcnow())
    services.cast_vote(ballot=ballot, member=holder, choice="yes", now=utcnow())
    [vote] = votes_of(ballot)
    assert (vote.seat_id, vote.voter_id, vote.choice) == (seat.id, holder.id, VoteChoice.YES)


def test_a_deputy_is_refused_once_the_holder_has_voted_and_nothing_changes(make):
    c = committee(make)
    deputy, _seat = name_deputy(make, c)
    ballot = c.open_ballot()
    services.cast_vote(ballot=ballot, member=c.members[0], choice="yes", now=utcnow())
    with pytest.raises(services.HolderHasVoted, match="holder's vote counts"):
        services.cast_vote(ballot=ballot, member=deputy, choice="no", now=utcnow())
    [vote] = votes_of(ballot)
    assert (vote.voter_id, vote.choice) == (c.members[0].id, VoteChoice.YES)


def test_the_deputy_of_a_vacant_seat_votes_for_it(make):
    c = committee(make)
    deputy, seat = name_deputy(make, c)
    seat.holder = None
    db.session.commit()
    ballot = c.open_ballot()
    assert services.cast_vote(ballot=ballot, member=deputy, choice="yes",
                              now=utcnow()).seat_id == seat.id


def test_the_deputy_of_a_non_voting_seat_cannot_vote(make):
    c = committee(make)
    deputy, _seat = name_deputy(make, c, seat_index=4)  # the secretary's seat
    ballot = c.open_ballot()
    with pytest.raises(services.NotAVotingMember):
        services.cast_vote(ballot=ballot, member=deputy, choice="yes", now=utcnow())
    assert votes_of(ballot) == []


@pytest.mark.parametrize("status", list(BallotStatus))
def test_can_vote_accepts_the_deputy_of_a_voting_seat_only(make, status):
    c = committee(make)
    deputy, _seat = name_deputy(make, c)
    secretary_deputy, _ = name_deputy(make, c, seat_index=4)
    ballot = make.ballot(c.proposal, opened_by=c.secretary)
    ballot.status = status
    assert can_vote(deputy, ballot) is (status == BallotStatus.OPEN)
    assert can_vote(secretary_deputy, ballot) is False


def test_the_deputy_votes_through_the_panel_and_sees_the_seats_vote(make, login):
    c = committee(make)
    deputy, seat = name_deputy(make, c)
    ballot = c.open_ballot()
    organisation = seat.organisation.name_en
    client = login(deputy)
    text = client.get(f"/proposals/{c.proposal.id}").text
    assert f"You vote as the deputy of this seat: Member, {organisation}." in text
    assert "Cast my vote" in text
    response = client.post(f"/ballots/{ballot.id}/vote",
                           data={"choice": "no", "reason": "Ask the villages first."},
                           follow_redirects=True)
    assert "Your vote is recorded: No." in response.text
    [vote] = votes_of(ballot)
    assert vote.voter_id == deputy.id and vote.reason == "Ask the villages first."


def test_after_the_holder_votes_the_deputy_is_told_and_offered_no_form(make, login):
    c = committee(make)
    deputy, _seat = name_deputy(make, c)
    ballot = c.open_ballot(hide_results=True)
    services.cast_vote(ballot=ballot, member=c.members[0], choice="yes", now=utcnow())
    db.session.commit()
    client = login(deputy)
    text = client.get(f"/ballots/{ballot.id}").text
    assert "The holder of the seat has voted, so you cannot vote as the deputy" in text
    assert "Cast my vote" not in text and "Change my vote" not in text
    response = client.post(f"/ballots/{ballot.id}/vote", data={"choice": "no"},
                           follow_redirects=True)
    assert "The holder of the seat has already voted" in response.text
    [vote] = votes_of(ballot)
    assert (vote.voter_id, vote.choice) == (c.members[0].id, VoteChoice.YES)


def test_the_roll_call_shows_who_actually_voted(make, client):
    c = committee(make)
    deputy, _seat = name_deputy(make, c)
    ballot = c.open_ballot(quorum=1)
    services.cast_vote(ballot=ballot, member=deputy, choice="no", now=utcnow())
    services.cast_vote(ballot=ballot, member=c.chair, choice="yes", now=utcnow())
    decision = services.close_ballot(ballot=ballot, actor=c.secretary, now=utcnow())
    db.session.commit()
    for url in (f"/ballots/{ballot.id}", f"/decisions/{decision.id}"):
        text = client.get(url).text
        roll = text.split('id="roll-call"')[1]
        assert f"voted by {deputy.display_name}, deputy" in roll
        assert c.members[0].display_name not in roll  # the holder did not vote
        assert c.chair.display_name in roll


def test_a_deputy_and_a_non_voting_holder_are_told_apart(make):
    c = committee(make)
    secretary_seat = c.group.seats[4]
    assert secretary_seat.role == SeatRole.SECRETARY and secretary_seat.voting is False
    ballot = c.open_ballot()
    with pytest.raises(services.NotAVotingMember, match="or their deputies"):
        services.cast_vote(ballot=ballot, member=c.secretary, choice="yes", now=utcnow())
