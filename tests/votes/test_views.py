"""Ballot pages: opening, voting, closing, the panel, the lazy close and the roll-call."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from participation.core.models import utcnow
from participation.decisions.models import Decision
from participation.extensions import db
from participation.proposals.models import ProposalState
from participation.votes import services
from participation.votes.models import Ballot, BallotResult, BallotStatus, Vote, VoteChoice
from tests.querycount import count_queries
from tests.rows import count_rows
from tests.votes.helpers import committee, in_days


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_open_form_reads_the_closing_time_in_bangkok(make, login):
    c = committee(make)
    client = login(c.secretary)
    form_page = page(client, f"/proposals/{c.proposal.id}/ballot/new")
    assert "Open a ballot" in form_page and "Asia/Bangkok" in form_page
    response = client.post(
        f"/proposals/{c.proposal.id}/ballot/new",
        data={"closes_at": "2099-03-22T17:00", "quorum": ""},
    )
    assert response.status_code == 302
    ballot = db.session.scalars(sa.select(Ballot).where(Ballot.proposal_id == c.proposal.id)).one()
    assert ballot.closes_at == datetime(2099, 3, 22, 10, 0, tzinfo=UTC)
    assert ballot.quorum == 3
    assert response.headers["Location"].endswith(f"/ballots/{ballot.id}")


def test_open_form_shows_errors_beside_the_fields_and_keeps_the_input(make, login):
    c = committee(make)
    client = login(c.secretary)
    url = f"/proposals/{c.proposal.id}/ballot/new"
    text = client.post(url, data={"closes_at": "2001-01-01T09:00", "quorum": "2"}).get_data(
        as_text=True
    )
    assert "The closing time must be in the future." in text
    assert 'value="2001-01-01T09:00"' in text
    text = client.post(url, data={"closes_at": "2099-01-01T09:00", "quorum": "9"}).get_data(
        as_text=True
    )
    assert "between 1 and 4" in text and 'value="9"' in text
    text = client.post(url, data={"closes_at": "not a date", "quorum": "x"}).get_data(
        as_text=True
    )
    assert "Please correct the errors below." in text
    assert db.session.scalars(
        sa.select(Ballot).where(Ballot.proposal_id == c.proposal.id)
    ).first() is None


def test_open_form_is_refused_to_members_and_to_visitors(make, login, client):
    c = committee(make)
    url = f"/proposals/{c.proposal.id}/ballot/new"
    assert client.get(url).status_code == 302  # to the login page
    assert login(c.members[0]).get(url).status_code == 403
    assert client.get("/proposals/999999/ballot/new").status_code == 404


def test_second_ballot_through_the_form_shows_the_message(make, login):
    c = committee(make)
    c.open_ballot()
    client = login(c.secretary)
    text = client.post(f"/proposals/{c.proposal.id}/ballot/new",
                       data={"closes_at": "2099-01-01T09:00"}).get_data(as_text=True)
    assert "A ballot is already open on this proposal." in text


def test_panel_of_a_hidden_ballot_lets_a_member_vote_and_shows_only_how_many_voted(
    make, login
):
    c = committee(make)
    ballot = c.open_ballot(hide_results=True)
    services.cast_vote(ballot=ballot, member=c.members[1], choice=VoteChoice.NO, now=utcnow())
    client = login(c.members[0])
    text = page(client, f"/proposals/{c.proposal.id}")
    assert "Decision by the working group" in text
    assert "1 of 4 voting members has voted." in text
    assert "Cast my vote" in text
    assert "Roll-call" not in text

    response = client.post(f"/ballots/{ballot.id}/vote",
                           data={"choice": "yes", "next": f"/proposals/{c.proposal.id}"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/proposals/{c.proposal.id}")
    text = page(client, f"/proposals/{c.proposal.id}")
    assert "Your vote is recorded: Yes." in text
    assert "2 of 4 voting members have voted." in text
    assert "Change my vote" in text

    client.post(f"/ballots/{ballot.id}/vote", data={"choice": "abstain"})
    vote = db.session.scalars(
        sa.select(Vote).where(Vote.ballot_id == ballot.id, Vote.voter_id == c.members[0].id)
        .execution_options(populate_existing=True)
    ).one()
    assert vote.choice == VoteChoice.ABSTAIN


def test_ballot_page_of_a_hidden_ballot_hides_how_others_voted_while_open(make, login):
    c = committee(make)
    ballot = c.open_ballot(hide_results=True)
    services.cast_vote(ballot=ballot, member=c.members[1], choice=VoteChoice.NO, now=utcnow())
    text = page(login(c.outsider), f"/ballots/{ballot.id}")
    assert "1 of 4 voting members has voted." in text
    assert "Roll-call" not in text and c.members[1].display_name not in text
    assert "Cast my vote" not in text


def test_vote_by_a_non_member_is_refused(make, login):
    c = committee(make)
    ballot = c.open_ballot()
    assert login(c.outsider).post(f"/ballots/{ballot.id}/vote",
                                  data={"choice": "yes"}).status_code == 403
    assert count_rows(Vote) == 0


def test_vote_without_a_choice_is_refused_with_a_message(make, login):
    c = committee(make)
    ballot = c.open_ballot()
    client = login(c.members[0])
    response = client.post(f"/ballots/{ballot.id}/vote", data={"choice": "maybe"},
                           follow_redirects=True)
    assert "Choose yes, no or abstain." in response.get_data(as_text=True)
    assert count_rows(Vote, Vote.ballot_id == ballot.id) == 0


def test_vote_after_close_shows_a_message_and_changes_nothing(make, login):
    c = committee(make)
    ballot = c.open_ballot(quorum=1)
    services.close_ballot(ballot=ballot, actor=c.secretary, now=utcnow())
    response = login(c.members[0]).post(f"/ballots/{ballot.id}/vote", data={"choice": "yes"},
                                        follow_redirects=True)
    assert "This ballot is closed." in response.get_data(as_text=True)
    assert count_rows(Vote, Vote.ballot_id == ballot.id) == 0


def test_secretary_closes_with_a_resolution_and_the_roll_call_becomes_public(make, login, app):
    c = committee(make)
    ballot = c.open_ballot()
    for member, choice in zip(c.voters, ["yes", "yes", "no"], strict=False):
        services.cast_vote(ballot=ballot, member=member, choice=choice, now=utcnow())
    secretary = login(c.secretary)
    assert "Close the ballot and record the decision" in page(secretary, f"/ballots/{ballot.id}")
    response = secretary.post(f"/ballots/{ballot.id}/close",
                              data={"resolution": "Publish readings *every hour*."})
    decision = db.session.scalars(sa.select(Decision).where(Decision.ballot_id == ballot.id)).one()
    assert response.headers["Location"].endswith(f"/decisions/{decision.id}")
    assert decision.result == BallotResult.ADOPTED
    assert decision.resolution == "Publish readings *every hour*."

    visitor = app.test_client()
    text = page(visitor, f"/ballots/{ballot.id}")
    assert "Roll-call" in text
    assert c.members[1].display_name in text and "Did not vote" in text
    assert "Adopted" in text
    panel = page(visitor, f"/proposals/{c.proposal.id}")
    assert "Read the decision and the roll-call" in panel


def test_member_may_not_close(make, login):
    c = committee(make)
    ballot = c.open_ballot()
    assert login(c.members[0]).post(f"/ballots/{ballot.id}/close").status_code == 403
    assert ballot.status == BallotStatus.OPEN


def test_a_due_ballot_is_closed_when_its_page_is_next_visited(make, client):
    c = committee(make)
    ballot = make.ballot(c.proposal, opened_by=c.secretary, closes_at=in_days(-0.01), quorum=1)
    make.vote(c.group.seats[1], ballot=ballot, choice=VoteChoice.NO)
    text = page(client, f"/ballots/{ballot.id}")
    assert "Roll-call" in text and "Rejected" in text
    db.session.refresh(ballot)
    assert ballot.status == BallotStatus.CLOSED and ballot.closed_by_id is None
    db.session.refresh(c.proposal)
    assert c.proposal.state == ProposalState.REJECTED


def test_a_due_ballot_is_closed_when_the_proposal_page_is_visited(make, client):
    c = committee(make)
    ballot = make.ballot(c.proposal, opened_by=c.secretary, closes_at=in_days(-0.01), quorum=3)
    text = page(client, f"/proposals/{c.proposal.id}")
    assert "No quorum" in text
    assert "Voting open" not in text
    assert "The quorum was not reached" in text
    db.session.refresh(ballot)
    assert ballot.result == BallotResult.NO_QUORUM
    assert count_rows(Decision, Decision.ballot_id == ballot.id) == 1


def test_the_proposal_page_shows_the_outcome_of_a_due_ballot_everywhere(make, client):
    c = committee(make)
    ballot = make.ballot(c.proposal, opened_by=c.secretary, closes_at=in_days(-0.01), quorum=1)
    make.vote(c.group.seats[0], ballot=ballot)
    db.session.commit()
    text = page(client, f"/proposals/{c.proposal.id}")
    assert 'class="badge badge-adopted"' in text
    assert 'class="badge badge-under_consideration"' not in text


def test_panel_offers_the_secretariat_to_open_a_ballot(make, login):
    c = committee(make)
    text = page(login(c.secretary), f"/proposals/{c.proposal.id}")
    assert "No ballot has been opened on this proposal yet." in text
    assert f"/proposals/{c.proposal.id}/ballot/new" in text


def test_unknown_ballot_is_404(client):
    assert client.get("/ballots/987654").status_code == 404
    assert client.post("/ballots/987654/vote").status_code in (302, 404)


def test_vote_form_needs_csrf_when_enabled(app, make, login):
    c = committee(make)
    ballot = c.open_ballot()
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = login(c.members[0]).post(f"/ballots/{ballot.id}/vote", data={"choice": "yes"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    assert count_rows(Vote, Vote.ballot_id == ballot.id) == 0


def test_ballot_page_dates_in_the_buddhist_era_in_thai(make, client):
    c = committee(make)
    ballot = c.open_ballot(closes_at=datetime(2099, 3, 22, 10, 0, tzinfo=UTC))
    response = client.get(f"/ballots/{ballot.id}?lang=th")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert '<html lang="th">' in text
    assert "22 มีนาคม 2642 17:00 น." in text


def test_ballot_and_proposal_pages_run_a_fixed_number_of_queries(make, login):
    counts = []
    for voters in (1, 4):
        c = committee(make)
        ballot = c.open_ballot(quorum=1)
        for member in c.voters[:voters]:
            services.cast_vote(ballot=ballot, member=member, choice="yes", now=utcnow())
        db.session.commit()
        client = login(c.members[0])
        client.get(f"/proposals/{c.proposal.id}")
        with count_queries() as open_panel:
            client.get(f"/proposals/{c.proposal.id}")
        services.close_ballot(ballot=ballot, actor=c.secretary, now=utcnow())
        db.session.commit()
        client.get(f"/ballots/{ballot.id}")
        with count_queries() as closed_page:
            client.get(f"/ballots/{ballot.id}")
        counts.append((len(open_panel), len(closed_page)))
    assert counts[0] == counts[1]
