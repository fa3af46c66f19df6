"""Missed answer deadlines: logged once each by record_overdue_answers and check-deadlines."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from participation.answers import cli, services
from participation.extensions import db
from participation.moderation.models import ModerationReason
from participation.proposals.models import Proposal, ProposalState
from tests.answers.helpers import NOON, answer_after, entries, opened
from tests.proposals.fixtures import proposal_in


def test_each_overdue_proposal_is_logged_once_without_an_actor(make, cast):
    agency = make.organisation()
    late = opened(make, group=cast.group, days_ago=31, agency=agency, now=NOON)
    later = opened(make, group=cast.group, days_ago=45, now=NOON)

    assert services.record_overdue_answers(NOON) == 2

    first, second = entries("proposal.answer_overdue")
    assert (first.subject_id, second.subject_id) == (late.id, later.id)
    assert first.actor_id is None and first.subject_type == "proposal"
    assert first.data == {"due_on": "2026-03-01", "organisation_id": agency.id}
    assert second.data == {"due_on": "2026-02-15", "organisation_id": None}
    assert late.answer_overdue_at == later.answer_overdue_at == NOON

    assert services.record_overdue_answers(NOON + timedelta(days=3)) == 0
    assert len(entries("proposal.answer_overdue")) == 2


@pytest.mark.parametrize("case", ["due today", "answered", "withdrawn", "merged", "draft",
                                  "no deadline", "hidden"])
def test_proposals_not_overdue_or_needing_no_answer_are_skipped(case, make, cast):
    if case == "due today":
        opened(make, group=cast.group, days_ago=30, now=NOON)
    elif case == "answered":
        answer_after(opened(make, group=cast.group, days_ago=40, now=NOON), cast.secretary, 35)
    elif case in ("withdrawn", "merged"):
        proposal = opened(make, group=cast.group, days_ago=40, now=NOON)
        if case == "merged":
            proposal.merged_into_id = opened(make, group=cast.group, now=NOON).id
        proposal.state = ProposalState(case)
    elif case == "hidden":
        proposal = opened(make, group=cast.group, days_ago=40, now=NOON)
        proposal.hidden_at, proposal.hidden_reason = NOON, ModerationReason.SPAM
    elif case == "draft":
        proposal = proposal_in(make, ProposalState.DRAFT, cast=cast)
        proposal.answer_due_on = NOON.date() - timedelta(days=5)
    else:
        proposal_in(make, ProposalState.OPEN, cast=cast)
    db.session.flush()

    assert services.record_overdue_answers(NOON) == 0
    assert entries("proposal.answer_overdue") == []


def test_a_proposal_answered_after_being_logged_overdue_is_not_logged_again(make, cast):
    proposal = opened(make, group=cast.group, days_ago=35, now=NOON)
    services.record_overdue_answers(NOON)
    answer_after(proposal, cast.secretary, 36)
    assert services.record_overdue_answers(NOON + timedelta(days=2)) == 0


def test_check_deadlines_logs_the_overdue_answers_and_says_how_many(make, cast, runner):
    overdue = opened(make, group=cast.group, days_ago=60)
    opened(make, group=cast.group, days_ago=2)
    db.session.flush()

    result = runner.invoke(args=["check-deadlines"])

    assert result.exit_code == 0, result.output
    assert "1 proposal's official answer is newly overdue." in result.output
    stored = db.session.scalars(
        sa.select(Proposal).where(Proposal.id == overdue.id)
        .execution_options(populate_existing=True)
    ).one()
    assert stored.answer_overdue_at is not None
    assert [entry.subject_id for entry in entries("proposal.answer_overdue")] == [overdue.id]

    again = runner.invoke(args=["check-deadlines"])
    assert "0 proposals' official answers are newly overdue." in again.output


def test_check_deadlines_reports_answers_and_disputes_on_a_line_each(make, cast):
    opened(make, group=cast.group, days_ago=60, now=NOON)

    lines = cli.check_deadlines(NOON)

    assert lines == [
        "1 proposal's official answer is newly overdue.",
        "0 disputes of progress updates are newly overdue.",
    ]
