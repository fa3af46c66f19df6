"""What the ballot and proposal pages show: the choices of each kind, the count while voting
runs unless hidden, and a secret ballot that never shows how a seat voted."""

from __future__ import annotations

from participation.core.models import utcnow
from participation.extensions import db
from participation.votes import services
from participation.votes.models import BallotKind, ReasonRule, Vote
from tests.querycount import page_queries
from tests.rows import count_rows
from tests.votes.helpers import MIXED, committee


def vote(ballot, member, choice, reason=""):
    services.cast_vote(ballot=ballot, member=member, choice=choice, reason=reason, now=utcnow())


def roll_call_of(text: str) -> str:
    return text.split('id="roll-call"')[1]


def test_a_consent_ballot_offers_agree_abstain_disagree_and_block(make, login):
    c = committee(make)
    ballot = c.open_ballot(kind=BallotKind.CONSENT)
    text = login(c.members[0]).get(f"/ballots/{ballot.id}").text
    form = text.split('action="/ballots/')[1]
    for value, label in (("yes", "Agree"), ("abstain", "Abstain"), ("no", "Disagree"),
                         ("block", "Block")):
        assert f'type="radio" value="{value}"> {label}</label>' in form
    assert "Optional, except that a block needs a reason." in form


def test_a_standard_ballot_offers_no_block(make, login):
    c = committee(make)
    ballot = c.open_ballot()
    form = login(c.members[0]).get(f"/ballots/{ballot.id}").text.split('action="/ballots/')[1]
    assert 'value="yes"> Yes</label>' in form and 'value="block"' not in form


def test_a_block_without_a_reason_through_the_form_is_refused_with_a_message(make, login):
    c = committee(make)
    ballot = c.open_ballot(kind=BallotKind.CONSENT)
    db.session.commit()  # a refused vote rolls back to here
    client = login(c.members[0])
    response = client.post(f"/ballots/{ballot.id}/vote", data={"choice": "block", "reason": ""},
                           follow_redirects=True)
    assert "A block needs a written reason" in response.text
    assert count_rows(Vote, Vote.ballot_id == ballot.id) == 0
    response = client.post(f"/ballots/{ballot.id}/vote",
                           data={"choice": "block", "reason": "No budget line."},
                           follow_redirects=True)
    assert "Your vote is recorded: Block." in response.text


def test_a_consent_vote_is_confirmed_with_its_consent_label(make, login):
    c = committee(make)
    ballot = c.open_ballot(kind=BallotKind.CONSENT)
    response = login(c.members[0]).post(f"/ballots/{ballot.id}/vote", data={"choice": "yes"},
                                        follow_redirects=True)
    assert "Your vote is recorded: Agree." in response.text


def test_a_required_reason_missing_through_the_form_is_refused(make, login):
    c = committee(make)
    ballot = c.open_ballot(reasons=ReasonRule.REQUIRED)
    db.session.commit()  # a refused vote rolls back to here
    client = login(c.members[0])
    assert "Required for every vote on this ballot." in client.get(f"/ballots/{ballot.id}").text
    response = client.post(f"/ballots/{ballot.id}/vote", data={"choice": "yes"},
                           follow_redirects=True)
    assert "This ballot asks for a reason with every vote." in response.text
    assert count_rows(Vote, Vote.ballot_id == ballot.id) == 0


def test_a_block_on_a_standard_ballot_through_the_form_is_refused(make, login):
    c = committee(make)
    ballot = c.open_ballot()
    db.session.commit()  # a refused vote rolls back to here
    response = login(c.members[0]).post(f"/ballots/{ballot.id}/vote",
                                        data={"choice": "block", "reason": "No."},
                                        follow_redirects=True)
    assert "Choose yes, no or abstain." in response.text
    assert count_rows(Vote, Vote.ballot_id == ballot.id) == 0


def test_while_voting_runs_the_count_and_roll_call_are_public_by_default(make, client):
    c = committee(make, sectors=MIXED)
    ballot = c.open_ballot()
    vote(ballot, c.members[0], "no", "Ask the villages first.")
    vote(ballot, c.chair, "yes")
    db.session.commit()
    text = client.get(f"/ballots/{ballot.id}").text
    assert "2 of 4 voting members have voted." in text and "Count so far" in text
    assert 'id="ballot-sectors"' in text
    roll = roll_call_of(text)
    assert c.members[0].display_name in roll and "Ask the villages first." in roll
    assert 'class="badge badge-no">No</span>' in roll
    panel = client.get(f"/proposals/{c.proposal.id}").text
    assert 'id="ballot-panel-sectors"' in panel
    assert "<span>Yes: <strong>1</strong></span>" in panel


def test_a_hidden_ballot_shows_only_how_many_voted_and_each_member_their_own_vote(make, login):
    c = committee(make)
    ballot = c.open_ballot(hide_results=True)
    vote(ballot, c.members[0], "no", "Ask the villages first.")
    vote(ballot, c.members[1], "yes")
    db.session.commit()
    for person in (c.secretary, c.members[2], c.outsider):
        text = login(person).get(f"/ballots/{ballot.id}").text
        assert "2 of 4 voting members have voted." in text
        assert "The count and the roll-call are published when voting closes." in text
        assert "Roll-call" not in text and "Count so far" not in text
        assert c.members[0].display_name not in text and "Ask the villages" not in text
    text = login(c.members[0]).get(f"/proposals/{c.proposal.id}").text
    assert "Your seat's vote:" in text and 'class="badge badge-no">No</span>' in text
    assert "Ask the villages first." in text  # their own reason, in the form
    assert 'id="ballot-panel-sectors"' not in text


def test_a_closed_secret_ballot_shows_who_voted_not_how_and_blocks_without_names(make, client):
    c = committee(make, sectors=MIXED)
    ballot = c.open_ballot(kind=BallotKind.CONSENT, secret=True, quorum=1)
    vote(ballot, c.chair, "yes", "Good for health.")
    vote(ballot, c.members[0], "block", "Villages were not consulted.")
    decision = services.close_ballot(ballot=ballot, actor=c.secretary, now=utcnow())
    db.session.commit()
    for url in (f"/ballots/{ballot.id}", f"/decisions/{decision.id}"):
        text = client.get(url).text
        roll = roll_call_of(text)
        assert c.chair.display_name in roll and c.members[0].display_name in roll
        assert roll.count(">Voted<") == 2 and roll.count("Did not vote") == 2
        assert "badge-block" not in roll and "badge-yes" not in roll
        assert "Good for health." not in text  # a reason other than a block's: never shown
        blocks = text.split('class="blocks"')[1].split("</section>")[0]
        assert "Villages were not consulted." in blocks
        assert "Civil society" not in blocks and c.members[0].display_name not in blocks
        assert "Seats that voted, by sector" in text and "Votes by sector" not in text
    panel = client.get(f"/proposals/{c.proposal.id}").text
    assert "1 seat blocked this proposal." in panel and "Votes by sector" not in panel


def test_a_closed_public_ballot_shows_each_vote_with_its_reason(make, client):
    c = committee(make, sectors=MIXED)
    ballot = c.open_ballot(kind=BallotKind.CONSENT, quorum=1)
    vote(ballot, c.chair, "yes", "Good for health.")
    vote(ballot, c.members[1], "no", "Too costly.")
    services.close_ballot(ballot=ballot, actor=c.secretary, now=utcnow())
    db.session.commit()
    text = client.get(f"/ballots/{ballot.id}").text
    roll = roll_call_of(text)
    assert 'class="badge badge-yes">Agree</span>' in roll and "Good for health." in roll
    assert 'class="badge badge-no">Disagree</span>' in roll and "Too costly." in roll
    assert "Votes by sector" in text
    panel = client.get(f"/proposals/{c.proposal.id}").text
    assert "<span>Agree: <strong>1</strong></span>" in panel
    assert "<span>Disagree: <strong>1</strong></span>" in panel
    assert 'id="ballot-panel-sectors"' in panel


def test_an_open_ballot_page_with_its_count_runs_the_same_queries_for_1_and_4_votes(make,
                                                                                   client):
    counts = []
    for voters in (1, 4):
        c = committee(make, sectors=MIXED)
        ballot = c.open_ballot(kind=BallotKind.CONSENT)
        for member in c.voters[:voters]:
            vote(ballot, member, "block", "A reason.")
        db.session.commit()
        number, text = page_queries(client, f"/ballots/{ballot.id}")
        assert text.count("A reason.") == voters
        counts.append(number)
    assert counts[0] == counts[1]
