"""Who may answer a proposal, and assign its agency, in every state."""

from __future__ import annotations

import pytest

from participation.answers.permissions import can_answer, may_answer, speaks_for
from participation.core.i18n import site_date
from participation.core.models import utcnow
from participation.proposals.models import ProposalState
from participation.proposals.permissions import can_assign_agency
from tests.answers.helpers import answer_after, opened
from tests.proposals.fixtures import proposal_in

S = ProposalState
ANSWERABLE = {S.OPEN, S.UNDER_CONSIDERATION, S.ADOPTED, S.REJECTED, S.MERGED}


def in_state(make, cast, state, agency=None):
    """A proposal in the state, with the deadline opening gave it unless it is a draft."""
    proposal = proposal_in(make, state, cast=cast)
    if state != S.DRAFT:
        proposal.answer_due_on = site_date(utcnow())
    proposal.agency = agency
    return proposal


@pytest.mark.parametrize("state", list(ProposalState), ids=lambda s: s.value)
@pytest.mark.parametrize(
    ("role", "allowed"),
    [("secretary", True), ("assistant", True), ("chair", True), ("agency_contact", True),
     ("vice_chair", False), ("member", False), ("author", False), ("outsider", False),
     ("admin", False), ("visitor", False)],
)
def test_can_answer_by_role_and_state(role, allowed, state, make, cast):
    agency = make.organisation()
    proposal = in_state(make, cast, state, agency)
    user = {"agency_contact": lambda: make.agency_contact(agency),
            "visitor": lambda: None}.get(role, lambda: cast[role])()

    assert may_answer(user, proposal) == allowed
    assert can_answer(user, proposal, None) == (allowed and state in ANSWERABLE)


def test_nobody_can_answer_twice_or_without_a_deadline(make, cast):
    proposal = opened(make, group=cast.group)
    proposal.answer_due_on = None
    assert not can_answer(cast.secretary, proposal, None)
    answered = opened(make, group=cast.group)
    made = answer_after(answered, cast.secretary, 1)
    assert not can_answer(cast.chair, answered, made)


def test_an_answer_speaks_for_the_agency_only_when_its_contact_gives_it(make, cast):
    agency = make.organisation()
    proposal = opened(make, group=cast.group, agency=agency)
    assert speaks_for(make.agency_contact(agency), proposal) == agency.id
    assert speaks_for(cast.secretary, proposal) is None


@pytest.mark.parametrize("state", list(ProposalState), ids=lambda s: s.value)
@pytest.mark.parametrize(
    ("role", "allowed"),
    [("secretary", True), ("assistant", True), ("chair", True), ("vice_chair", False),
     ("member", False), ("author", False), ("outsider", False), ("admin", False)],
)
def test_can_assign_agency_by_role_and_state(role, allowed, state, make, cast):
    proposal = in_state(make, cast, state)
    expected = allowed and state not in (S.DRAFT, S.WITHDRAWN)
    assert can_assign_agency(cast[role], proposal) == expected
    assert not can_assign_agency(cast[role], proposal, answered=True)
