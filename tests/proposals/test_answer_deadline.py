"""The proposal's answer deadline, its responsible agency, and what its page shows about the
official answer and about the voices of each sector."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from participation.accountability.models import LogEntry
from participation.accounts.models import Sector
from participation.answers.models import AnswerState
from participation.comments.models import Stance
from participation.comments.services import add_comment, delete_comment
from participation.core.models import utcnow
from participation.moderation.models import ModerationReason
from participation.proposals import services
from participation.proposals.models import Proposal, ProposalState
from tests.answers.helpers import answer_after, entries, opened
from tests.proposals.fixtures import MANAGERS, proposal_in
from tests.querycount import page_queries
from tests.rows import count_rows

S = ProposalState


@pytest.mark.parametrize(
    ("moment", "answer_days", "due_on"),
    [
        (datetime(2026, 3, 1, 3, 0, tzinfo=UTC), 30, date(2026, 3, 31)),
        # 23:30 UTC is already the next day in Bangkok: the deadline counts from that day.
        (datetime(2026, 3, 1, 23, 30, tzinfo=UTC), 10, date(2026, 3, 12)),
    ],
)
def test_opening_for_comment_sets_the_deadline_from_the_site_day(
    moment, answer_days, due_on, make, cast
):
    cast.group.answer_days = answer_days
    draft = proposal_in(make, S.DRAFT, cast=cast)

    services.open_for_comment(proposal=draft, actor=cast.author, now=moment)

    assert draft.answer_due_on == due_on
    assert draft.answer_overdue_at is None


def test_a_proposal_created_and_submitted_gets_its_deadline(make, cast):
    proposal = services.create_proposal(
        author=cast.author, group=cast.group, title="Fire app", body="An app.",
        category=cast.category, submit=True, now=datetime(2026, 1, 5, 2, 0, tzinfo=UTC),
    )
    assert proposal.answer_due_on == date(2026, 2, 4)


def test_a_saved_draft_has_no_deadline(make, cast):
    proposal = services.create_proposal(
        author=cast.author, group=cast.group, title="Fire app", body="An app.",
        category=cast.category, submit=False, now=utcnow(),
    )
    assert proposal.answer_due_on is None


# The responsible agency


def test_the_secretariat_assigns_and_clears_the_agency_and_both_are_logged(make, cast):
    proposal = opened(make, group=cast.group)
    agency = make.organisation()

    assert services.assign_agency(proposal=proposal, agency=agency, actor=cast.secretary,
                                  now=utcnow())
    assert proposal.agency_id == agency.id
    assert services.assign_agency(proposal=proposal, agency=None, actor=cast.chair,
                                  now=utcnow())
    assert proposal.agency_id is None

    assigned, cleared = entries("proposal.agency_assigned", proposal.id)
    assert assigned.data == {"organisation_id": agency.id}
    assert assigned.actor_id == cast.secretary.id
    assert cleared.data == {"organisation_id": None}


def test_assigning_the_same_agency_again_changes_and_logs_nothing(make, cast):
    agency = make.organisation()
    proposal = opened(make, group=cast.group, agency=agency)
    before = count_rows(LogEntry)

    assert not services.assign_agency(proposal=proposal, agency=agency, actor=cast.secretary,
                                      now=utcnow())
    assert count_rows(LogEntry) == before


@pytest.mark.parametrize("role", ["vice_chair", "member", "outsider", "author", "admin"])
def test_only_the_secretariat_or_chair_assigns_the_agency(role, make, cast):
    proposal = opened(make, group=cast.group)
    with pytest.raises(services.NotGroupManager):
        services.assign_agency(proposal=proposal, agency=make.organisation(), actor=cast[role],
                               now=utcnow())
    assert proposal.agency_id is None


@pytest.mark.parametrize("state", [S.DRAFT, S.WITHDRAWN])
def test_no_agency_for_a_draft_or_a_withdrawn_proposal(state, make, cast):
    proposal = proposal_in(make, state, cast=cast)
    with pytest.raises(services.AgencyNotAssignable):
        services.assign_agency(proposal=proposal, agency=make.organisation(),
                               actor=cast.secretary, now=utcnow())


def test_no_agency_for_a_proposal_a_moderator_hid(make, cast):
    proposal = opened(make, group=cast.group)
    proposal.hidden_at, proposal.hidden_reason = utcnow(), ModerationReason.SPAM
    with pytest.raises(services.AgencyNotAssignable, match="hid"):
        services.assign_agency(proposal=proposal, agency=make.organisation(),
                               actor=cast.secretary, now=utcnow())
    assert proposal.agency_id is None


def test_the_agency_of_an_answered_proposal_cannot_change(make, cast):
    proposal = opened(make, group=cast.group)
    answer_after(proposal, cast.secretary, 1)
    with pytest.raises(services.AgencyNotAssignable, match="has been answered"):
        services.assign_agency(proposal=proposal, agency=make.organisation(),
                               actor=cast.secretary, now=utcnow())


def test_the_agency_form_assigns_from_the_page(make, cast, login, db):
    proposal = opened(make, group=cast.group)
    agency = make.organisation(name_en="Provincial Industry Office")
    db.session.commit()
    client = login(cast.chair)
    page = client.get(f"/proposals/{proposal.id}").text
    assert f'action="/proposals/{proposal.id}/agency"' in page

    response = client.post(f"/proposals/{proposal.id}/agency", data={"agency": str(agency.id)})

    assert response.status_code == 302
    text = client.get(response.headers["Location"]).text
    assert "Provincial Industry Office is now responsible for answering this proposal." in text
    assert db.session.get(Proposal, proposal.id).agency_id == agency.id


def test_an_unknown_agency_is_refused_beside_the_field(make, cast, login, db):
    proposal = opened(make, group=cast.group)
    db.session.commit()

    response = login(cast.secretary).post(f"/proposals/{proposal.id}/agency",
                                          data={"agency": "999999"})

    assert response.status_code == 200
    assert 'id="agency-error"' in response.text
    assert db.session.get(Proposal, proposal.id).agency_id is None


@pytest.mark.parametrize("role", ["member", "author", "admin", "outsider"])
def test_others_cannot_post_the_agency_form(role, make, cast, login, db):
    proposal = opened(make, group=cast.group)
    agency = make.organisation()
    db.session.commit()
    response = login(cast[role]).post(f"/proposals/{proposal.id}/agency",
                                      data={"agency": str(agency.id)})
    assert response.status_code == 403


# The official answer on the proposal page


def answer_section(text: str) -> str:
    start = text.index('id="answer"')
    return text[start:text.index("</section>", start)]


def test_a_proposal_waiting_for_its_answer_shows_the_days_and_the_due_date(make, cast, client,
                                                                           db):
    proposal = opened(make, group=cast.group, days_ago=4)
    db.session.commit()

    section = answer_section(client.get(f"/proposals/{proposal.id}").text)

    assert "Waiting for an answer: 4 days" in section
    assert "Answer due by" in section
    assert "The secretariat of the working group" in section
    assert "Overdue" not in section


def test_an_overdue_proposal_says_by_how_many_days_prominently(make, cast, client, db):
    agency = make.organisation(name_en="Provincial Agriculture Office")
    proposal = opened(make, group=cast.group, days_ago=31, agency=agency)
    db.session.commit()

    section = answer_section(client.get(f"/proposals/{proposal.id}").text)

    assert '<p class="overdue" role="status"><strong>Overdue by 1 day</strong></p>' in section
    assert "Provincial Agriculture Office" in section
    assert "Waiting for an answer" not in section


def test_an_answered_proposal_shows_the_answer_who_gave_it_and_that_it_was_late(
    make, cast, client, db
):
    proposal = opened(make, group=cast.group, days_ago=50)
    elsewhere = make.organisation(name_en="Pollution Control Department")
    answer_after(proposal, cast.secretary, 33, state=AnswerState.REFERRED,
                 referred_to=elsewhere, body="Station data is **national**.")
    db.session.commit()

    section = answer_section(client.get(f"/proposals/{proposal.id}").text)

    assert "Referred to another agency" in section
    assert "Station data is <strong>national</strong>." in section
    assert "Late by 3 days" in section
    assert "Referred to:" in section and "Pollution Control Department" in section
    assert (f"Answered by {cast.secretary.display_name} for the secretariat of the working "
            "group on") in section
    assert "Waiting for an answer" not in section and "Overdue" not in section


def test_a_proposal_opened_before_deadlines_existed_shows_none(make, cast, client, db):
    proposal = proposal_in(make, S.OPEN, cast=cast)
    db.session.commit()

    section = answer_section(client.get(f"/proposals/{proposal.id}").text)

    assert "Answer due by" not in section
    assert "Waiting for an answer" not in section and "Overdue" not in section


def test_a_withdrawn_proposal_expects_no_answer(make, cast, client, db):
    proposal = opened(make, group=cast.group, days_ago=45, state=S.WITHDRAWN)
    db.session.commit()
    section = answer_section(client.get(f"/proposals/{proposal.id}").text)
    assert "No official answer is expected any more" in section
    assert "Overdue" not in section


@pytest.mark.parametrize("role", [None, "author", "member", "outsider", "admin", *MANAGERS])
def test_the_answer_and_agency_forms_are_shown_to_those_allowed(role, make, cast, client,
                                                               login, db):
    proposal = opened(make, group=cast.group)
    db.session.commit()

    text = (login(cast[role]) if role else client).get(f"/proposals/{proposal.id}").text

    allowed = role in MANAGERS
    assert ("Give the official answer" in text) == allowed
    assert ("Save the responsible agency" in text) == allowed


def test_the_agency_contact_sees_the_answer_form_but_not_the_agency_form(make, cast, login, db):
    agency = make.organisation()
    contact = make.agency_contact(agency)
    proposal = opened(make, group=cast.group, agency=agency)
    db.session.commit()

    text = login(contact).get(f"/proposals/{proposal.id}").text

    assert "Give the official answer" in text
    assert "Save the responsible agency" not in text


def test_no_forms_once_answered(make, cast, login, db):
    proposal = opened(make, group=cast.group)
    answer_after(proposal, cast.secretary, 1)
    db.session.commit()
    text = login(cast.secretary).get(f"/proposals/{proposal.id}").text
    assert "Give the official answer" not in text
    assert "Save the responsible agency" not in text


# Voices by sector


def table_rows(text: str, table_id: str) -> dict[str, list[str]]:
    import re

    start = text.index(f'id="{table_id}"')
    table = text[start:text.index("</table>", start)]
    rows = {}
    for row in re.findall(r"<tr role=\"row\">(.*?)</tr>", table, re.S):
        cells = [re.sub(r"<[^>]+>", "", cell).strip()
                 for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        rows[cells[0]] = cells[1:]
    return rows


def test_supports_and_comment_stances_are_broken_down_by_sector(make, cast, client, db):
    proposal = opened(make, group=cast.group)
    now = utcnow()
    for sector in (Sector.CIVIL_SOCIETY, Sector.CIVIL_SOCIETY, Sector.PRIVATE):
        services.support(proposal=proposal, user=make.user(sector=sector), now=now)
    academic = make.user(sector=Sector.ACADEMIA)
    add_comment(proposal=proposal, author=academic, body="Yes", stance=Stance.FOR, now=now)
    add_comment(proposal=proposal, author=academic, body="But", stance=Stance.AGAINST, now=now)
    add_comment(proposal=proposal, author=cast.member, body="Fine", stance=Stance.FOR, now=now)
    add_comment(proposal=proposal, author=cast.outsider, body="Hmm", stance=None, now=now)
    gone = add_comment(proposal=proposal, author=cast.outsider, body="No",
                       stance=Stance.AGAINST, now=now)
    delete_comment(comment=gone, actor=cast.outsider, now=now)
    db.session.commit()

    text = client.get(f"/proposals/{proposal.id}").text

    supports = table_rows(text, "supports-by-sector")
    assert supports["Civil society"] == ["2"] and supports["Private sector"] == ["1"]
    assert supports["Citizens"] == ["0"] and supports["All sectors"] == ["3"]
    stances = table_rows(text, "stances-by-sector")
    assert stances["Sector"] == ["For", "Against", "Neutral"]
    assert stances["Academia"] == ["1", "1", "0"]
    assert stances["Government"] == ["1", "0", "0"]  # the group member's sector
    assert stances["Citizens"] == ["0", "0", "0"]  # no stance, and a deleted comment
    assert stances["All sectors"] == ["2", "1", "0"]


@pytest.mark.parametrize("viewer", [None, "secretary"])
def test_the_proposal_page_runs_the_same_queries_with_more_voices(viewer, make, cast, login,
                                                                 client, db):
    proposal = opened(make, group=cast.group, days_ago=3, agency=make.organisation())
    proposal_id = proposal.id
    if viewer:
        login(cast.secretary)

    def add_voices(count: int) -> None:
        target = db.session.get(Proposal, proposal_id)
        for n in range(count):
            person = make.user(sector=list(Sector)[n % 5],
                               organisation=make.organisation() if n % 2 else None)
            services.support(proposal=target, user=person, now=utcnow())
            add_comment(proposal=target, author=person, body=f"Voice {n}",
                        stance=list(Stance)[n % 3], now=utcnow())
        db.session.commit()

    add_voices(3)
    few, _text = page_queries(client, f"/proposals/{proposal_id}")
    add_voices(30)
    many, text = page_queries(client, f"/proposals/{proposal_id}")
    assert few == many
    assert "Voice 29" in text
    assert ("Give the official answer" in text) == bool(viewer)
    assert many <= (19 if viewer else 13)

    # Answered, with the one who answered and for whom: no more queries.
    answer_after(db.session.get(Proposal, proposal_id), make.agency_contact(
        db.session.get(Proposal, proposal_id).agency), 1)
    db.session.commit()
    answered, text = page_queries(client, f"/proposals/{proposal_id}")
    assert "On time" in text
    assert answered <= many
