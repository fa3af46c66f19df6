"""Decision records: the list, one decision with its roll-call, and the resolution text."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from participation.accountability.models import LogEntry
from participation.core.errors import DomainError, NotAllowed
from participation.core.models import utcnow
from participation.decisions import services
from participation.decisions.queries import latest_for_proposal
from participation.extensions import db
from participation.votes import services as votes
from tests.querycount import count_queries
from tests.votes.helpers import committee, in_days


def decided(make, choices=("yes", "yes", "no"), resolution=""):
    """A committee whose proposal went to a vote and was closed by the secretary."""
    c = committee(make)
    ballot = c.open_ballot(closes_at=in_days(2))
    for member, choice in zip(c.voters, choices, strict=False):
        votes.cast_vote(ballot=ballot, member=member, choice=choice, now=utcnow())
    decision = votes.close_ballot(ballot=ballot, actor=c.secretary, now=utcnow(),
                                  resolution=resolution)
    db.session.commit()
    return c, decision


def resolution_entries(decision) -> list[LogEntry]:
    return list(db.session.scalars(
        sa.select(LogEntry)
        .where(LogEntry.subject_type == "decision", LogEntry.subject_id == decision.id,
               LogEntry.verb.in_(("decision.resolution_recorded", "entry.corrected")))
        .order_by(LogEntry.id)
    ))


def test_latest_for_proposal_finds_the_newest_decision(make):
    c, first = decided(make, choices=("yes",))  # 1 vote < quorum 3: no quorum
    ballot = c.open_ballot(closes_at=in_days(1))
    second = votes.close_ballot(ballot=ballot, actor=c.secretary, now=utcnow())
    assert latest_for_proposal(c.proposal.id).id == second.id != first.id
    assert latest_for_proposal(987654) is None


def test_first_resolution_is_recorded_and_a_change_is_a_correction_of_it(make):
    c, decision = decided(make)
    services.record_resolution(decision=decision, actor=c.secretary,
                               text="The group adopts the measure.", now=utcnow())
    [first] = resolution_entries(decision)
    assert first.verb == "decision.resolution_recorded"
    assert first.corrects_id is None and "text" not in first.data

    services.record_resolution(decision=decision, actor=c.chair,
                               text="The group adopts the measure, from 1 April.", now=utcnow())
    services.record_resolution(decision=decision, actor=c.secretary,
                               text="The group adopts the measure, from 1 May.", now=utcnow())
    first, second, third = resolution_entries(decision)
    assert second.verb == third.verb == "entry.corrected"
    assert second.corrects_id == first.id
    assert third.corrects_id == second.id
    assert second.data["previous_sha256"] == first.data["sha256"]
    assert decision.resolution == "The group adopts the measure, from 1 May."


def test_saving_the_same_resolution_again_logs_nothing(make):
    c, decision = decided(make, resolution="Adopted as proposed.")
    services.record_resolution(decision=decision, actor=c.secretary,
                               text="Adopted as proposed.", now=utcnow())
    assert [e.verb for e in resolution_entries(decision)] == ["decision.resolution_recorded"]


def test_a_member_may_not_record_the_resolution(make):
    c, decision = decided(make)
    with pytest.raises(NotAllowed):
        services.record_resolution(decision=decision, actor=c.members[0], text="Mine",
                                   now=utcnow())
    assert decision.resolution == "" and resolution_entries(decision) == []


def test_an_empty_resolution_is_refused(make):
    c, decision = decided(make)
    with pytest.raises(DomainError) as caught:
        services.record_resolution(decision=decision, actor=c.secretary, text="  ",
                                   now=utcnow())
    assert caught.value.field == "text"


def test_decision_page_shows_the_record_and_the_roll_call(make, client):
    c, decision = decided(
        make, resolution="The meeting **adopts** it. <script>alert(1)</script>"
    )
    text = client.get(f"/decisions/{decision.id}").get_data(as_text=True)
    assert "Decision on Publish PM2.5 readings daily" in text
    assert "<strong>adopts</strong>" in text and "<script>" not in text
    assert "Adopted" in text
    assert "3 of 4 voting seats (75%)" in text
    assert "Roll-call" in text
    for member in c.voters[:3]:
        assert member.display_name in text
    roll_call_table = text.split('id="roll-call"')[1]
    assert roll_call_table.count("Did not vote") == 1
    assert '<svg' in text and "Result of the ballot" in text  # the tally as a chart
    assert c.group.name_en in text
    assert f'href="/proposals/{c.proposal.id}"' in text
    assert "No commitment has been made on this decision yet." in text
    assert "Create the commitment" not in text


def test_secretary_sees_links_to_record_the_resolution_and_create_the_commitment(make, login):
    c, decision = decided(make)
    text = login(c.secretary).get(f"/decisions/{decision.id}").get_data(as_text=True)
    assert "The resolution text has not been recorded yet." in text
    assert f"/decisions/{decision.id}/resolution" in text
    assert f"/decisions/{decision.id}/commitment/new" in text


def test_rejected_decision_offers_no_commitment(make, login):
    c, decision = decided(make, choices=("no", "no", "yes"))
    text = login(c.secretary).get(f"/decisions/{decision.id}").get_data(as_text=True)
    assert "Rejected" in text and "Only adopted proposals lead to commitments." in text


def test_resolution_form_saves_and_logs(make, login):
    c, decision = decided(make)
    client = login(c.secretary)
    assert client.get(f"/decisions/{decision.id}/resolution").status_code == 200
    response = client.post(f"/decisions/{decision.id}/resolution",
                           data={"text": "Adopted unanimously."})
    assert response.status_code == 302
    page = client.get(f"/decisions/{decision.id}").get_data(as_text=True)
    assert "The resolution is saved." in page and "Adopted unanimously." in page
    assert [e.verb for e in resolution_entries(decision)] == ["decision.resolution_recorded"]


def test_resolution_form_refuses_empty_and_too_long_text(make, login, app):
    c, decision = decided(make)
    client = login(c.secretary)
    text = client.post(f"/decisions/{decision.id}/resolution", data={"text": ""}).get_data(
        as_text=True
    )
    assert "Write the text of the resolution." in text
    too_long = "ก" * (app.config["MAX_BODY_LENGTH"] + 1)
    response = client.post(f"/decisions/{decision.id}/resolution", data={"text": too_long})
    assert response.status_code == 200
    assert "The text may be at most 50000 characters long" in response.get_data(as_text=True)
    assert resolution_entries(decision) == []


def test_resolution_form_is_for_the_secretariat_only(make, login, client):
    c, decision = decided(make)
    url = f"/decisions/{decision.id}/resolution"
    assert client.get(url).status_code == 302
    assert login(c.members[0]).get(url).status_code == 403
    assert login(c.members[0]).post(url, data={"text": "x"}).status_code == 403


def test_unknown_decision_is_404(client):
    assert client.get("/decisions/987654").status_code == 404


def test_decision_list_shows_newest_first_with_badges(make, client):
    older = make.decision(result="rejected")
    newer = make.decision(result="adopted")
    db.session.commit()
    text = client.get("/decisions").get_data(as_text=True)
    assert text.index(newer.proposal.title) < text.index(older.proposal.title)
    assert 'class="badge badge-adopted"' in text and 'class="badge badge-rejected"' in text
    assert newer.group.name_en in text


def test_decision_list_is_paginated(make, client, app):
    group = make.group(voting_members=1)
    for _ in range(app.config["PER_PAGE"] + 2):
        make.decision(group=group)
    db.session.commit()
    first = client.get("/decisions").get_data(as_text=True)
    assert "Page 1 of 2" in first
    second = client.get("/decisions?page=2").get_data(as_text=True)
    assert "Page 2 of 2" in second


def test_decision_pages_run_a_fixed_number_of_queries(make, client):
    group = make.group(voting_members=1)
    make.decision(group=group)
    db.session.commit()
    client.get("/decisions")
    with count_queries() as few:
        client.get("/decisions")
    for _ in range(6):
        make.decision()
    db.session.commit()
    with count_queries() as many:
        client.get("/decisions")
    assert len(many) == len(few)

    _c, small = decided(make, choices=("yes",))
    client.get(f"/decisions/{small.id}")
    with count_queries() as one:
        client.get(f"/decisions/{small.id}")
    _c, large = decided(make, choices=("yes", "no", "abstain", "yes"))
    client.get(f"/decisions/{large.id}")
    with count_queries() as four:
        client.get(f"/decisions/{large.id}")
    assert len(one) == len(four)
