"""The home page answers: what is being decided now, what was decided, is it being done."""

from __future__ import annotations

from datetime import UTC, date, datetime

from participation.accountability.services import record
from participation.commitments.models import Commitment, CommitmentStatus, Completion
from participation.extensions import db as _db
from participation.proposals.models import ProposalState
from tests.querycount import count_queries

NOW = datetime(2026, 3, 1, 3, 0, tzinfo=UTC)


def _commitment(make, *, title="Monthly burn-count dataset", percent=40, organisation=None):
    decision = make.decision(title=f"Decision for {title}", now=NOW)
    organisation = organisation or make.organisation()
    commitment = Commitment(
        decision_id=decision.id, group_id=decision.group_id, title=title,
        lead_organisation_id=organisation.id, start_date=date(2026, 1, 1),
        due_date=date(2026, 9, 30), completion=Completion.LIMITED, percent=percent,
        status=CommitmentStatus.DELAYED, status_reason="Waiting for data",
    )
    _db.session.add(commitment)
    _db.session.flush()
    return commitment


def test_empty_site_explains_itself_and_says_nothing_is_happening(client):
    page = client.get("/")
    assert page.status_code == 200
    text = page.text
    assert "Ruam is where a public working group" in text
    assert "No proposal is open for comment or under consideration right now." in text
    assert "No ballot is open right now." in text
    assert "No decision has been taken yet." in text
    assert "No commitment has been made yet." in text
    assert "0 entries" in text and "000000000000…" in text
    assert text.count("<h1") == 1


def test_open_and_considered_proposals_are_listed_with_counts(client, make):
    open_one = make.proposal(title="Open data on PM2.5 per district")
    open_one.support_count, open_one.comment_count = 12, 3
    considered = make.proposal(title="Rewards for villages with no burning",
                               state=ProposalState.UNDER_CONSIDERATION)
    make.proposal(title="A private draft", state=ProposalState.DRAFT)
    make.proposal(title="A withdrawn idea", state=ProposalState.WITHDRAWN)
    _db.session.flush()
    text = client.get("/").text
    assert "Open data on PM2.5 per district" in text
    assert f'href="/proposals/{open_one.id}"' in text
    assert "12 supporters" in text and "3 comments" in text
    assert "Rewards for villages with no burning" in text
    assert f'href="/proposals/{considered.id}"' in text
    assert "Open for comment" in text and "Under consideration" in text
    assert "1 proposal open for comment" in text
    assert "1 under consideration" in text
    assert "A private draft" not in text
    assert "A withdrawn idea" not in text


def test_open_ballots_show_their_closing_time(client, make):
    proposal = make.proposal(title="Dust catchers for stone cutters",
                             state=ProposalState.UNDER_CONSIDERATION)
    ballot = make.ballot(proposal, closes_at=datetime(2026, 3, 4, 10, 0, tzinfo=UTC), now=NOW)
    text = client.get("/").text
    assert "Ballot on Dust catchers for stone cutters" in text
    assert f'href="/ballots/{ballot.id}"' in text
    assert "Voting closes March 4, 2026, 17:00" in text

    thai = client.get("/?lang=th").text
    assert "4 มีนาคม 2569 17:00 น." in thai


def test_latest_decisions_show_result_and_tally(client, make):
    decision = make.decision(title="Publish burn counts every month", yes=5, no=1, abstain=2,
                             now=NOW)
    text = client.get("/").text
    assert "Publish burn counts every month" in text
    assert f'href="/decisions/{decision.id}"' in text
    assert 'class="badge badge-adopted">Adopted<' in text
    assert "yes 5, no 1, abstain 2" in text


def test_commitments_show_progress_status_and_lead_agency(client, make):
    organisation = make.organisation(name_th="สำนักงานจังหวัดลำปาง",
                                     name_en="Lampang Provincial Office")
    commitment = _commitment(make, percent=40, organisation=organisation)
    text = client.get("/").text
    assert "Monthly burn-count dataset" in text
    assert f'href="/commitments/{commitment.id}"' in text
    assert '<progress max="100" value="40">' in text
    assert "40% complete" in text
    assert "Delayed" in text and "Limited" in text
    assert "Lead agency: Lampang Provincial Office" in text


def test_log_head_is_shown_with_count_and_short_hash(client):
    entry = record(actor=None, verb="ballot.opened", subject_type="ballot", subject_id=1, data={})
    text = client.get("/").text
    assert "1 entry, chained by SHA-256." in text
    assert f'title="{entry.hash}">{entry.hash[:12]}…' in text


def test_home_links_to_each_list(client):
    text = client.get("/").text
    for path in ("/proposals", "/decisions", "/commitments", "/log", "/groups"):
        assert f'href="{path}"' in text


def test_home_runs_a_fixed_number_of_queries(client, make):
    def fill(n):
        for number in range(n):
            make.proposal(title=f"Open {number}")
            considered = make.proposal(title=f"Considered {number}",
                                       state=ProposalState.UNDER_CONSIDERATION)
            make.ballot(considered, now=NOW)
            _commitment(make, title=f"Commitment {number}")
            record(actor=None, verb="ballot.opened", subject_type="ballot", subject_id=1, data={})

    fill(1)
    with count_queries() as few:
        assert client.get("/").status_code == 200
    fill(6)
    with count_queries() as many:
        assert client.get("/").status_code == 200
    assert len(many) == len(few) and len(few) >= 5
