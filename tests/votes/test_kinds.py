"""Voting on standard and consent ballots: choices, reasons, blocks, sector minimums, and
what closing records."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from participation.accountability.models import LogEntry
from participation.core.models import utcnow
from participation.extensions import db
from participation.proposals.models import ProposalState
from participation.votes import services
from participation.votes.models import BallotKind, BallotResult, ReasonRule, Vote, VoteChoice
from tests.rows import count_rows
from tests.votes.helpers import MIXED, committee


def vote(ballot, member, choice, reason=""):
    return services.cast_vote(ballot=ballot, member=member, choice=choice, reason=reason,
                              now=utcnow())


def closed(ballot, c):
    return services.close_ballot(ballot=ballot, actor=c.secretary, now=utcnow())


def entry(verb, subject_id) -> LogEntry:
    return db.session.scalars(
        sa.select(LogEntry).where(LogEntry.verb == verb, LogEntry.subject_id == subject_id)
    ).one()


def test_a_vote_stores_its_reason(make):
    c = committee(make)
    ballot = c.open_ballot()
    stored = vote(ballot, c.members[0], "no", "  The budget is not known.  ")
    assert stored.reason == "The budget is not known."
    changed = vote(ballot, c.members[0], "yes")
    assert changed.choice == VoteChoice.YES and changed.reason == ""


def test_a_block_on_a_standard_ballot_is_refused_and_changes_nothing(make):
    c = committee(make)
    ballot = c.open_ballot()
    with pytest.raises(services.InvalidVote, match="Choose one of: Yes, No, Abstain.") as caught:
        vote(ballot, c.members[0], "block", "I object.")
    assert caught.value.field == "choice"
    assert count_rows(Vote, Vote.ballot_id == ballot.id) == 0


def test_an_unknown_choice_is_refused(make):
    c = committee(make)
    ballot = c.open_ballot(kind=BallotKind.CONSENT)
    with pytest.raises(services.InvalidVote, match="Agree, Abstain, Disagree, Block"):
        vote(ballot, c.members[0], "maybe")


def test_a_block_without_a_reason_is_refused(make):
    c = committee(make)
    ballot = c.open_ballot(kind=BallotKind.CONSENT)
    with pytest.raises(services.InvalidVote, match="A block needs a written reason") as caught:
        vote(ballot, c.members[0], "block", "   ")
    assert caught.value.field == "reason"
    assert count_rows(Vote, Vote.ballot_id == ballot.id) == 0


@pytest.mark.parametrize("choice", ["yes", "no", "abstain"])
def test_a_ballot_that_requires_reasons_refuses_a_vote_without_one(make, choice):
    c = committee(make)
    ballot = c.open_ballot(reasons=ReasonRule.REQUIRED)
    with pytest.raises(services.InvalidVote, match="asks for a reason with every vote"):
        vote(ballot, c.members[0], choice)
    assert vote(ballot, c.members[0], choice, "Because.").reason == "Because."


def test_a_reason_longer_than_the_limit_is_refused(make, app):
    c = committee(make)
    ballot = c.open_ballot()
    with pytest.raises(services.InvalidVote, match="at most"):
        vote(ballot, c.members[0], "yes", "x" * (app.config["MAX_BODY_LENGTH"] + 1))


@pytest.mark.parametrize(("choices", "result"), [
    # chair, civil society, private sector, government member
    (["yes", "yes", "no", None], BallotResult.ADOPTED),
    (["yes", "yes", "abstain", "block"], BallotResult.REJECTED),  # one block rejects
    (["yes", "no", "abstain", None], BallotResult.REJECTED),  # agree does not outnumber
    (["yes", "yes", None, None], BallotResult.NO_QUORUM),  # 2 of the quorum of 3
    (["abstain", "abstain", "abstain", None], BallotResult.REJECTED),
])
def test_consent_adopts_with_the_quorum_no_block_and_more_agree_than_disagree(
    make, choices, result
):
    c = committee(make, sectors=MIXED)
    ballot = c.open_ballot(kind=BallotKind.CONSENT)
    for member, choice in zip(c.voters, choices, strict=True):
        if choice is not None:
            vote(ballot, member, choice, "A reason." if choice == "block" else "")
    assert closed(ballot, c).result == result


def test_an_unmet_sector_minimum_means_no_quorum_on_either_kind(make):
    for kind in BallotKind:
        c = committee(make, sectors=MIXED)
        ballot = c.open_ballot(kind=kind, quorum=2, sector_quorum={"civil_society": 1})
        vote(ballot, c.chair, "yes")
        vote(ballot, c.members[1], "yes")  # the private sector, not civil society
        vote(ballot, c.members[2], "yes")
        decision = closed(ballot, c)
        assert decision.result == BallotResult.NO_QUORUM
        assert c.proposal.state == ProposalState.UNDER_CONSIDERATION


def test_a_met_sector_minimum_lets_the_count_decide(make):
    c = committee(make, sectors=MIXED)
    ballot = c.open_ballot(quorum=2, sector_quorum={"civil_society": 1, "private_sector": 1})
    vote(ballot, c.members[0], "abstain")
    vote(ballot, c.members[1], "yes")
    assert closed(ballot, c).result == BallotResult.ADOPTED


def test_closing_records_blocks_and_the_count_by_sector(make):
    c = committee(make, sectors=MIXED)
    ballot = c.open_ballot(kind=BallotKind.CONSENT)
    vote(ballot, c.chair, "yes")
    vote(ballot, c.members[0], "block", "Villages were not consulted.")
    vote(ballot, c.members[1], "no", "Too costly for small firms.")
    vote(ballot, c.members[2], "yes")
    decision = closed(ballot, c)
    assert decision.result == BallotResult.REJECTED
    assert (decision.yes_count, decision.no_count, decision.abstain_count,
            decision.block_count) == (2, 1, 0, 1)
    assert decision.votes_cast == 4
    assert decision.tally_by_sector["government"] == {"yes": 2, "no": 0, "abstain": 0,
                                                      "block": 0}
    assert decision.tally_by_sector["civil_society"]["block"] == 1
    assert decision.tally_by_sector["private_sector"]["no"] == 1
    assert decision.tally_by_sector["citizen"] == {"yes": 0, "no": 0, "abstain": 0, "block": 0}
    for verb, subject in (("ballot.closed", ballot.id), ("decision.recorded", decision.id)):
        data = entry(verb, subject).data
        assert data["tally"] == {"yes": 2, "no": 1, "abstain": 0, "block": 1}
        assert data["by_sector"] == decision.tally_by_sector
        blocker = next(row for row in data["roll_call"] if row["voter_id"] == c.members[0].id)
        assert blocker == {
            "seat_id": c.group.seats[1].id, "organisation_id": c.group.seats[1].organisation_id,
            "sector": "civil_society", "voter_id": c.members[0].id, "choice": "block",
            "reason": "Villages were not consulted.",
        }


def test_a_secret_ballot_logs_who_voted_but_never_how_or_why(make):
    c = committee(make, sectors=MIXED)
    ballot = c.open_ballot(kind=BallotKind.CONSENT, secret=True)
    vote(ballot, c.chair, "yes")
    vote(ballot, c.members[0], "block", "Villages were not consulted.")
    decision = closed(ballot, c)
    assert decision.block_count == 1 and decision.yes_count == 1
    # A sector of one seat would tell how that seat voted.
    assert decision.tally_by_sector == {}
    data = entry("ballot.closed", ballot.id).data
    assert data["tally"]["block"] == 1 and data["by_sector"] == {}
    for row in data["roll_call"]:
        assert set(row) == {"seat_id", "organisation_id", "sector", "voter_id"}
    assert "Villages" not in str(data)
