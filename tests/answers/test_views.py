"""Answering through the proposal page, and the public responsiveness pages."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from participation.accounts.models import Organisation, User
from participation.answers.models import Answer, AnswerState
from participation.extensions import db
from participation.groups.models import WorkingGroup
from participation.proposals.models import Proposal, ProposalState
from tests.answers.helpers import answer_after, entries, opened
from tests.querycount import page_queries
from tests.rows import count_rows


def post_answer(client, proposal_id: int, **fields):
    data = {"answer-state": "accepted", "answer-body": "We accept it for the **2027** plan.",
            "answer-referred_to": "0", "answer-merged_into": "0"}
    data.update({f"answer-{name}": value for name, value in fields.items()})
    return client.post(f"/proposals/{proposal_id}/answer", data=data)


def test_the_agency_contact_answers_from_the_proposal_page(make, cast, login, db):
    agency = make.organisation(name_en="Provincial Disaster Office")
    contact = make.agency_contact(agency)
    proposal = opened(make, group=cast.group, days_ago=3, agency=agency)
    db.session.commit()
    client = login(contact)

    page = client.get(f"/proposals/{proposal.id}")
    assert "Give the official answer" in page.text
    response = post_answer(client, proposal.id)

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/proposals/{proposal.id}#answer")
    text = client.get(f"/proposals/{proposal.id}").text
    assert "The official answer is published." in text
    assert "We accept it for the <strong>2027</strong> plan." in text
    assert 'class="badge badge-accepted">Accepted for consideration<' in text
    assert f"Answered by {contact.display_name} for Provincial Disaster Office on" in text
    assert ">On time<" in text
    assert "Give the official answer" not in text
    stored = db.session.scalars(sa.select(Answer)).one()
    assert stored.organisation_id == agency.id and stored.state == AnswerState.ACCEPTED


def test_a_second_answer_is_refused_with_a_message(make, cast, login, db):
    proposal = opened(make, group=cast.group)
    answer_after(proposal, cast.secretary, 0)
    db.session.commit()
    client = login(cast.chair)

    response = post_answer(client, proposal.id, state="rejected")

    assert response.status_code == 302
    page = client.get(response.headers["Location"]).text
    assert "already been answered. An official answer is given only once." in page
    assert count_rows(Answer) == 1
    assert len(entries("proposal.answered")) == 1


def test_a_referral_without_an_agency_is_shown_beside_the_field(make, cast, login, db):
    proposal = opened(make, group=cast.group)
    db.session.commit()

    response = post_answer(login(cast.secretary), proposal.id, state="referred")

    assert response.status_code == 200
    assert 'id="answer-referred_to-error"' in response.text
    assert "Choose the agency the proposal is referred to." in response.text
    assert count_rows(Answer) == 0


def test_a_missing_state_and_text_are_refused(make, cast, login, db):
    proposal = opened(make, group=cast.group)
    db.session.commit()

    response = login(cast.secretary).post(f"/proposals/{proposal.id}/answer", data={})

    assert response.status_code == 200
    assert "Choose what the answer is." in response.text
    assert "Write the answer." in response.text
    assert count_rows(Answer) == 0


@pytest.mark.parametrize("role", [None, "member", "outsider", "author", "admin"])
def test_others_may_not_answer(role, make, cast, client, login, db):
    proposal = opened(make, group=cast.group, agency=make.organisation())
    db.session.commit()

    response = post_answer(login(cast[role]) if role else client, proposal.id)

    assert response.status_code == (403 if role else 302)
    assert count_rows(Answer) == 0


# Responsiveness


def responsive_group(make, cast):
    """Proposals of the cast's group: two answered (one late), one overdue, one waiting, one
    withdrawn and one draft; an agency answers two of them."""
    agency = make.organisation(name_en="Regional Environment Office")
    contact = make.agency_contact(agency)
    on_time = opened(make, group=cast.group, days_ago=50, agency=agency, title="Burn register")
    answer_after(on_time, contact, 10)
    late = opened(make, group=cast.group, days_ago=60, title="Spray near schools")
    answer_after(late, cast.secretary, 40)
    overdue = opened(make, group=cast.group, days_ago=37, agency=agency, title="Fire app")
    opened(make, group=cast.group, days_ago=4, title="Dust forecasts")
    opened(make, group=cast.group, days_ago=90, state=ProposalState.WITHDRAWN)
    make.proposal(group=cast.group, state=ProposalState.DRAFT)
    db.session.commit()
    return agency, overdue


def figure(text: str, label: str) -> str:
    match = re.search(rf"<dt>{re.escape(label)}</dt><dd>(.*?)</dd>", text)
    assert match, label
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def test_the_group_page_shows_its_figures_overdue_answers_and_agencies(make, cast, client, db):
    agency, overdue = responsive_group(make, cast)

    page = client.get(f"/groups/{cast.group.id}/responsiveness")

    assert page.status_code == 200
    text = page.text
    assert figure(text, "Proposals with an answer deadline") == "4"
    assert figure(text, "Answered") == "2"
    assert figure(text, "Answered on time") == "1 (50% of the answers)"
    assert figure(text, "Median days to answer") == "25"
    assert figure(text, "Overdue now") == "1"
    assert figure(text, "Waiting, not yet due") == "1"
    assert f"#{overdue.id} Fire app" in text and "Overdue by 7 days" in text
    assert f'href="/organisations/{agency.id}/responsiveness"' in text
    assert "The secretariat" in text
    # The chart: one bar per answer, the deadline as a reference line, a data table.
    assert '<figure class="chart chart-bars" id="days-to-answer">' in text
    assert text.count('class="bar bar-ontime"') == 1 and text.count('class="bar bar-late"') == 1
    assert "Deadline" in text and "Data table" in text


def test_the_agency_page_counts_the_proposals_it_must_answer(make, cast, client, db):
    agency, overdue = responsive_group(make, cast)

    text = client.get(f"/organisations/{agency.id}/responsiveness").text

    assert "Regional Environment Office" in text
    assert figure(text, "Proposals with an answer deadline") == "2"
    assert figure(text, "Answered") == "1"
    assert figure(text, "Answered on time") == "1 (100% of the answers)"
    assert figure(text, "Median days to answer") == "10"
    assert figure(text, "Overdue now") == "1"
    assert f"#{overdue.id} Fire app" in text and cast.group.name_en in text


def test_pages_without_answers_say_so(make, cast, client, db):
    agency = make.organisation()
    db.session.commit()
    group_page = client.get(f"/groups/{cast.group.id}/responsiveness").text
    agency_page = client.get(f"/organisations/{agency.id}/responsiveness").text
    for text in (group_page, agency_page):
        assert "No answer is overdue." in text
        assert "No proposal has been answered yet." in text
    assert "No proposal of this working group has an answer deadline yet." in group_page


@pytest.mark.parametrize("url", ["/groups/999999/responsiveness",
                                 "/organisations/999999/responsiveness"])
def test_unknown_group_or_agency_is_404(url, client):
    assert client.get(url).status_code == 404


def test_the_group_page_links_to_its_responsiveness(cast, client, db):
    db.session.commit()
    text = client.get(f"/groups/{cast.group.id}").text
    assert f'href="/groups/{cast.group.id}/responsiveness"' in text


def test_responsiveness_pages_run_the_same_queries_with_more_data(make, cast, client, db):
    agency, _overdue = responsive_group(make, cast)
    group_id, agency_id, secretary_id = cast.group.id, agency.id, cast.secretary.id
    urls = [f"/groups/{group_id}/responsiveness", f"/organisations/{agency_id}/responsiveness"]
    few = [page_queries(client, url)[0] for url in urls]

    group, secretary = db.session.get(WorkingGroup, group_id), db.session.get(User, secretary_id)
    agencies = [make.organisation() for _ in range(3)] + [db.session.get(Organisation, agency_id)]
    for n in range(12):
        proposal = opened(make, group=group, days_ago=10 + 3 * n, agency=agencies[n % 4])
        if n % 2:
            answer_after(proposal, secretary, n)
    db.session.commit()
    many = [page_queries(client, url)[0] for url in urls]

    assert few == many
    assert max(many) <= 4
    assert count_rows(Proposal) >= 17


def test_the_pages_render_in_thai_with_buddhist_era_dates(make, cast, client, db):
    agency, overdue = responsive_group(make, cast)
    year = overdue.answer_due_on.year + 543

    for url in (f"/groups/{cast.group.id}/responsiveness?lang=th",
                f"/organisations/{agency.id}/responsiveness?lang=th",
                f"/proposals/{overdue.id}?lang=th"):
        page = client.get(url)
        assert page.status_code == 200, url
        assert '<html lang="th">' in page.text and str(year) in page.text, url
