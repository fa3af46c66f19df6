"""Answering a proposal: who may, when, what an answer must say, and what is logged."""

from __future__ import annotations

from datetime import date

import pytest

from participation.accounts.models import Sector
from participation.answers import services
from participation.answers.models import Answer, AnswerState
from participation.extensions import db
from participation.moderation.models import ModerationReason
from participation.proposals.models import ProposalState
from tests.answers.helpers import NOON, entries, opened
from tests.proposals.fixtures import proposal_in
from tests.rows import count_rows


def answer(proposal, actor, *, state=AnswerState.ACCEPTED, body="Accepted: see the plan.",
           referred_to=None, merged_into=None, now=NOON):
    return services.answer_proposal(
        proposal=proposal, actor=actor, state=state, body=body, referred_to=referred_to,
        merged_into=merged_into, now=now,
    )


def test_the_secretariat_answers_for_itself_on_time_and_it_is_logged(make, cast):
    proposal = opened(make, group=cast.group, days_ago=5, now=NOON)

    made = answer(proposal, cast.secretary, body="  Accepted for the **2027** plan.  ")

    assert made.organisation_id is None
    assert made.answered_by_id == cast.secretary.id
    assert made.body == "Accepted for the **2027** plan."
    assert made.answered_on == date(2026, 3, 2)
    assert made.due_on == proposal.answer_due_on == date(2026, 3, 27)
    assert made.on_time
    # The answer speaks; the working group still decides on the proposal by its own steps.
    assert proposal.state == ProposalState.OPEN
    [entry] = entries("proposal.answered", proposal.id)
    assert entry.actor_id == cast.secretary.id and entry.subject_type == "proposal"
    assert entry.data == {"state": "accepted", "organisation_id": None, "due_on": "2026-03-27",
                          "answered_on": "2026-03-02", "on_time": True}


def test_the_agency_contact_answers_for_the_agency_and_a_late_answer_says_so(make, cast):
    agency = make.organisation()
    contact = make.agency_contact(agency)
    proposal = opened(make, group=cast.group, days_ago=40, agency=agency, now=NOON)

    made = answer(proposal, contact, state=AnswerState.REJECTED, body="Not within our remit.")

    assert made.organisation_id == agency.id
    assert not made.on_time
    assert (made.answered_on - made.due_on).days == 10
    [entry] = entries("proposal.answered", proposal.id)
    assert entry.data["organisation_id"] == agency.id
    assert entry.data["on_time"] is False and entry.data["state"] == "rejected"


def test_an_answer_on_the_due_day_is_on_time(make, cast):
    proposal = opened(make, group=cast.group, days_ago=30, now=NOON)
    assert answer(proposal, cast.chair).on_time


def test_a_second_answer_is_refused_with_a_message_and_changes_nothing(make, cast):
    proposal = opened(make, group=cast.group, days_ago=1, now=NOON)
    answer(proposal, cast.secretary)

    with pytest.raises(services.AnswerNotPossible) as refused:
        answer(proposal, cast.chair, state=AnswerState.REJECTED)

    assert "already been answered" in refused.value.message
    assert count_rows(Answer, Answer.proposal_id == proposal.id) == 1
    assert len(entries("proposal.answered", proposal.id)) == 1


@pytest.mark.parametrize("state", [ProposalState.DRAFT, ProposalState.OPEN])
def test_a_proposal_without_a_deadline_cannot_be_answered(state, make, cast):
    """A draft, or a proposal that opened before deadlines existed."""
    proposal = proposal_in(make, state, cast=cast)
    assert proposal.answer_due_on is None

    with pytest.raises(services.AnswerNotPossible, match="once it has been opened"):
        answer(proposal, cast.secretary)
    assert count_rows(Answer) == 0


def test_a_withdrawn_proposal_needs_no_answer(make, cast):
    proposal = opened(make, group=cast.group, state=ProposalState.WITHDRAWN)
    with pytest.raises(services.AnswerNotPossible, match="withdrawn"):
        answer(proposal, cast.secretary)


def test_a_proposal_a_moderator_hid_needs_no_answer(make, cast):
    proposal = opened(make, group=cast.group)
    proposal.hidden_at, proposal.hidden_reason = NOON, ModerationReason.ABUSE
    with pytest.raises(services.AnswerNotPossible, match="hid"):
        answer(proposal, cast.secretary)
    assert count_rows(Answer) == 0


@pytest.mark.parametrize("role", ["secretary", "assistant", "chair", "agency_contact"])
def test_the_secretariat_the_chair_and_the_agency_contact_may_answer(role, make, cast):
    agency = make.organisation()
    proposal = opened(make, group=cast.group, agency=agency)
    actor = make.agency_contact(agency) if role == "agency_contact" else cast[role]

    assert answer(proposal, actor).id is not None


@pytest.mark.parametrize(
    "who",
    ["vice_chair", "member", "outsider", "admin", "author", "other_agency_contact",
     "agency_staff_not_contact", "contact_without_agency_assigned"],
)
def test_anyone_else_may_not_answer(who, make, cast):
    agency = make.organisation()
    proposal = opened(make, group=cast.group, agency=agency)
    actor = {
        "other_agency_contact": lambda: make.agency_contact(make.organisation()),
        "agency_staff_not_contact": lambda: make.user(sector=Sector.GOVERNMENT,
                                                      organisation=agency),
        "contact_without_agency_assigned": lambda: make.agency_contact(agency),
    }.get(who, lambda: cast[who])()
    if who == "contact_without_agency_assigned":
        proposal.agency = None
        db.session.flush()

    with pytest.raises(services.NotAllowedToAnswer):
        answer(proposal, actor)
    assert count_rows(Answer) == 0


def test_a_referral_names_another_agency_and_is_logged(make, cast):
    agency, elsewhere = make.organisation(), make.organisation()
    contact = make.agency_contact(agency)
    proposal = opened(make, group=cast.group, agency=agency)

    made = answer(proposal, contact, state=AnswerState.REFERRED, referred_to=elsewhere,
                  body="The provincial office handles burn permits.")

    assert made.referred_to_id == elsewhere.id
    [entry] = entries("proposal.answered", proposal.id)
    assert entry.data["referred_to_id"] == elsewhere.id
    assert "merged_into_id" not in entry.data


def test_a_referral_needs_an_agency_other_than_the_answering_one(make, cast):
    agency = make.organisation()
    contact = make.agency_contact(agency)
    proposal = opened(make, group=cast.group, agency=agency)

    with pytest.raises(services.InvalidAnswer) as missing:
        answer(proposal, contact, state=AnswerState.REFERRED)
    with pytest.raises(services.InvalidAnswer) as itself:
        answer(proposal, contact, state=AnswerState.REFERRED, referred_to=agency)

    assert missing.value.field == itself.value.field == "referred_to"
    assert "another agency than the one answering" in itself.value.message
    assert count_rows(Answer) == 0


@pytest.mark.parametrize("state", [AnswerState.ACCEPTED, AnswerState.REJECTED,
                                   AnswerState.MERGED])
def test_an_agency_is_named_only_for_a_referral(state, make, cast):
    proposal = opened(make, group=cast.group)
    with pytest.raises(services.InvalidAnswer) as refused:
        answer(proposal, cast.secretary, state=state, referred_to=make.organisation())
    assert refused.value.field == "referred_to"


def test_a_merged_answer_may_name_the_proposal_it_was_merged_with(make, cast):
    proposal = opened(make, group=cast.group)
    target = opened(make, group=cast.group)

    made = answer(proposal, cast.secretary, state=AnswerState.MERGED, merged_into=target)

    assert made.merged_into_id == target.id
    [entry] = entries("proposal.answered", proposal.id)
    assert entry.data["merged_into_id"] == target.id and "referred_to_id" not in entry.data


def test_a_merged_answer_without_a_proposal_is_fine(make, cast):
    proposal = opened(make, group=cast.group)
    assert answer(proposal, cast.secretary, state=AnswerState.MERGED).merged_into_id is None


@pytest.mark.parametrize("case", ["not merged", "itself", "a draft"])
def test_a_wrong_merge_target_is_refused(case, make, cast):
    proposal = opened(make, group=cast.group)
    target = {
        "not merged": lambda: opened(make, group=cast.group),
        "itself": lambda: proposal,
        "a draft": lambda: proposal_in(make, ProposalState.DRAFT, cast=cast),
    }[case]()
    state = AnswerState.ACCEPTED if case == "not merged" else AnswerState.MERGED

    with pytest.raises(services.InvalidAnswer) as refused:
        answer(proposal, cast.secretary, state=state, merged_into=target)
    assert refused.value.field == "merged_into"


@pytest.mark.parametrize("body", ["", "   \n  "])
def test_an_answer_needs_a_text(body, make, cast):
    proposal = opened(make, group=cast.group)
    with pytest.raises(services.InvalidAnswer) as refused:
        answer(proposal, cast.secretary, body=body)
    assert refused.value.field == "body"


def test_an_answer_longer_than_the_limit_is_refused(make, cast, app):
    proposal = opened(make, group=cast.group)
    with pytest.raises(services.InvalidAnswer, match="at most"):
        answer(proposal, cast.secretary, body="x" * (app.config["MAX_BODY_LENGTH"] + 1))

