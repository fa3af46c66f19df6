"""Opening a ballot with its options: kind, reasons, hidden count, secrecy, sector minimums."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from participation.accountability.models import LogEntry
from participation.core.errors import DomainError
from participation.core.models import utcnow
from participation.extensions import db
from participation.votes import queries, services
from participation.votes.models import Ballot, BallotKind, ReasonRule
from tests.votes.helpers import MIXED, committee


def opened_entry(ballot) -> LogEntry:
    return db.session.scalars(
        sa.select(LogEntry).where(LogEntry.verb == "ballot.opened",
                                  LogEntry.subject_id == ballot.id)
    ).one()


def test_a_ballot_opens_as_yes_no_abstain_with_optional_reasons_and_public_count(make):
    c = committee(make)
    ballot = c.open_ballot()
    assert ballot.kind == BallotKind.STANDARD and ballot.reasons == ReasonRule.OPTIONAL
    assert ballot.hide_results is False and ballot.secret is False
    assert ballot.sector_quorum == {}
    data = opened_entry(ballot).data
    assert (data["kind"], data["reasons"], data["hide_results"], data["secret"],
            data["sector_quorum"]) == ("standard", "optional", False, False, {})


def test_the_options_chosen_are_stored_and_logged(make):
    c = committee(make, sectors=MIXED)
    ballot = c.open_ballot(kind=BallotKind.CONSENT, reasons=ReasonRule.REQUIRED,
                           hide_results=True,
                           sector_quorum={"civil_society": 1, "private_sector": 0,
                                          "government": None})
    assert ballot.kind == BallotKind.CONSENT and ballot.reasons == ReasonRule.REQUIRED
    assert ballot.hide_results is True and ballot.secret is False
    # Only minimums of one or more are kept.
    assert ballot.sector_quorum == {"civil_society": 1}
    data = opened_entry(ballot).data
    assert (data["kind"], data["reasons"], data["hide_results"], data["secret"],
            data["sector_quorum"]) == ("consent", "required", True, False, {"civil_society": 1})


def test_a_secret_ballot_also_hides_the_count_while_open(make):
    c = committee(make)
    ballot = c.open_ballot(secret=True)
    assert ballot.secret is True and ballot.hide_results is True
    assert opened_entry(ballot).data["hide_results"] is True


@pytest.mark.parametrize(("sector", "minimum", "seats"), [
    ("civil_society", 2, 1),   # one civil-society seat
    ("citizen", 1, 0),         # no citizens' seat
    ("government", 3, 2),      # the chair and one member
    ("academia", -1, 0),
])
def test_a_sector_minimum_outside_zero_to_its_voting_seats_is_refused(make, sector, minimum,
                                                                      seats):
    c = committee(make, sectors=MIXED)
    with pytest.raises(DomainError) as caught:
        c.open_ballot(sector_quorum={sector: minimum})
    assert caught.value.field == f"quorum_{sector}"
    assert f"between 0 and {seats}, the number of voting seats of this sector" in (
        caught.value.message
    )
    assert queries.latest_ballot(c.proposal.id) is None


def test_the_non_voting_secretary_does_not_count_as_a_seat_of_the_sector(make):
    c = committee(make)  # chair and three members in government; the secretary too, not voting
    with pytest.raises(DomainError, match="between 0 and 4"):
        c.open_ballot(sector_quorum={"government": 5})
    assert c.open_ballot(sector_quorum={"government": 4}).sector_quorum == {"government": 4}


def test_the_open_form_offers_every_option_and_explains_secrecy(make, login):
    c = committee(make, sectors=MIXED)
    text = login(c.secretary).get(f"/proposals/{c.proposal.id}/ballot/new").text
    assert "Consent: agree / abstain / disagree / block" in text
    assert '<input checked id="kind-0" name="kind" type="radio" value="standard">' in text
    assert "Every vote needs a reason" in text
    assert "Hide the count and the roll-call until the ballot closes" in text
    assert "Secret ballot: never show how each seat voted" in text
    assert "how each seat voted is normally published after closing" in text
    assert "Minimum votes per sector (optional)" in text
    for sector, label in (("government", "Government"), ("civil_society", "Civil society"),
                          ("private_sector", "Private sector"), ("academia", "Academia"),
                          ("citizen", "Citizens")):
        assert f'<label for="quorum_{sector}">{label}</label>' in text
    assert "1 voting seat in this sector." in text and "2 voting seats in this sector." in text
    assert 'type="checkbox"' in text and 'name="secret"' in text


def test_opening_through_the_form_stores_the_options(make, login):
    c = committee(make, sectors=MIXED)
    response = login(c.secretary).post(f"/proposals/{c.proposal.id}/ballot/new", data={
        "closes_at": "2099-03-22T17:00", "quorum": "", "kind": "consent",
        "reasons": "required", "secret": "y", "quorum_civil_society": "1",
        "quorum_private_sector": "0", "quorum_government": "",
    })
    assert response.status_code == 302
    ballot = db.session.scalars(sa.select(Ballot).where(Ballot.proposal_id == c.proposal.id)).one()
    assert (ballot.kind, ballot.reasons, ballot.secret, ballot.hide_results) == (
        BallotKind.CONSENT, ReasonRule.REQUIRED, True, True)
    assert ballot.sector_quorum == {"civil_society": 1}


@pytest.mark.parametrize(("data", "message"), [
    ({"quorum_civil_society": "2"}, "between 0 and 1, the number of voting seats"),
    ({"quorum_citizen": "-1"}, "Enter a number of votes, 0 or more."),
    ({"quorum_academia": "one"}, "Not a valid integer value."),
    ({"kind": "majority"}, "Not a valid choice"),
    ({"reasons": "sometimes"}, "Not a valid choice"),
])
def test_bad_options_are_refused_beside_the_field_and_nothing_opens(make, login, data, message):
    c = committee(make, sectors=MIXED)
    response = login(c.secretary).post(f"/proposals/{c.proposal.id}/ballot/new",
                                       data={"closes_at": "2099-03-22T17:00", **data})
    assert response.status_code == 200
    assert message in response.text and 'class="error"' in response.text
    assert queries.latest_ballot(c.proposal.id) is None


def test_the_options_and_the_rule_are_shown_in_words_on_the_ballot_page(make, client):
    c = committee(make, sectors=MIXED)
    standard = c.open_ballot(sector_quorum={"civil_society": 1})
    text = client.get(f"/ballots/{standard.id}").text
    assert "How the result is decided" in text
    assert "Quorum: at least 3 voting seats must vote (abstentions count)." in text
    assert "At least 1 seat of the sector Civil society must vote." in text
    assert "more yes votes than no votes" in text
    assert "The count and the roll-call are public while voting runs." in text

    other = committee(make)
    consent = other.open_ballot(kind=BallotKind.CONSENT, reasons=ReasonRule.REQUIRED,
                                secret=True)
    text = client.get(f"/ballots/{consent.id}").text
    assert "no seat blocks it and more seats agree than disagree" in text
    assert "Every vote needs a reason" in text
    assert "Secret ballot: the roll-call shows only whether each seat voted" in text


def test_a_closed_ballot_says_its_count_was_hidden_while_voting_ran(make, client):
    c = committee(make)
    ballot = c.open_ballot(hide_results=True)
    assert "published when voting closes" in client.get(f"/ballots/{ballot.id}").text
    services.close_ballot(ballot=ballot, actor=c.secretary, now=utcnow())
    db.session.commit()
    text = client.get(f"/ballots/{ballot.id}").text
    assert "The count and the roll-call were hidden until voting closed." in text
    assert "published when voting closes" not in text
