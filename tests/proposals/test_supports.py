"""Supports: one per person per proposal, withdrawable, only while the proposal is live."""

from __future__ import annotations

import threading

import pytest

from participation.core.models import utcnow
from participation.extensions import db
from participation.proposals import services
from participation.proposals.models import Proposal, ProposalState, Support
from tests.proposals.fixtures import proposal_in
from tests.rows import count_rows

S = ProposalState


def supports_of(proposal: Proposal) -> int:
    return count_rows(Support, Support.proposal_id == proposal.id)


@pytest.mark.parametrize("state", [S.OPEN, S.UNDER_CONSIDERATION], ids=lambda s: s.value)
def test_support_twice_is_one_row_and_the_count_follows(state, make, cast):
    proposal = proposal_in(make, state, cast=cast)

    assert services.support(proposal=proposal, user=cast.member, now=utcnow()) is True
    assert services.support(proposal=proposal, user=cast.member, now=utcnow()) is False
    assert services.support(proposal=proposal, user=cast.outsider, now=utcnow()) is True

    assert supports_of(proposal) == 2
    assert proposal.support_count == 2


def test_withdrawing_support_removes_the_row_and_lowers_the_count(make, cast):
    proposal = proposal_in(make, S.OPEN, cast=cast)
    services.support(proposal=proposal, user=cast.member, now=utcnow())

    assert services.withdraw_support(proposal=proposal, user=cast.member) is True
    assert services.withdraw_support(proposal=proposal, user=cast.member) is False
    assert supports_of(proposal) == 0 and proposal.support_count == 0


@pytest.mark.parametrize(
    "state", [S.DRAFT, S.ADOPTED, S.REJECTED, S.WITHDRAWN, S.MERGED], ids=lambda s: s.value
)
def test_supports_are_refused_when_the_proposal_is_not_live(state, make, cast):
    proposal = proposal_in(make, state, cast=cast)
    db.session.add(Support(proposal_id=proposal.id, user_id=cast.outsider.id))
    db.session.flush()

    with pytest.raises(services.SupportNotAllowed):
        services.support(proposal=proposal, user=cast.member, now=utcnow())
    with pytest.raises(services.SupportNotAllowed):
        services.withdraw_support(proposal=proposal, user=cast.outsider)
    assert supports_of(proposal) == 1


def test_the_author_cannot_support_their_own_proposal(make, cast):
    proposal = proposal_in(make, S.OPEN, cast=cast)

    with pytest.raises(services.SupportNotAllowed, match="your own"):
        services.support(proposal=proposal, user=cast.author, now=utcnow())
    assert supports_of(proposal) == 0


def test_support_routes_need_a_login(make, cast, client, db):
    proposal = proposal_in(make, S.OPEN, cast=cast)
    db.session.commit()

    response = client.post(f"/proposals/{proposal.id}/support")

    assert response.status_code == 302 and "/login" in response.location
    assert supports_of(proposal) == 0


def test_supporting_through_the_page_counts_once_and_can_be_withdrawn(
    make, cast, login, db
):
    proposal = proposal_in(make, S.OPEN, cast=cast)
    db.session.commit()
    client = login(cast.member)

    page = client.post(f"/proposals/{proposal.id}/support", follow_redirects=True)
    assert "Thank you: your support is counted." in page.text
    assert "1 person supports this proposal." in page.text
    assert "Withdraw my support" in page.text

    again = client.post(f"/proposals/{proposal.id}/support", follow_redirects=True)
    assert "You already support this proposal." in again.text
    assert supports_of(proposal) == 1

    gone = client.post(f"/proposals/{proposal.id}/unsupport", follow_redirects=True)
    assert "Your support was withdrawn." in gone.text
    assert "0 people support this proposal." in gone.text
    assert supports_of(proposal) == 0


def test_supporting_a_closed_proposal_shows_why_and_changes_nothing(make, cast, login, db):
    proposal = proposal_in(make, S.ADOPTED, cast=cast)
    db.session.commit()

    page = login(cast.member).post(
        f"/proposals/{proposal.id}/support", follow_redirects=True
    )

    assert page.status_code == 200
    assert "Support is closed because this proposal was adopted." in page.text
    assert supports_of(proposal) == 0


def test_concurrent_double_clicks_and_supporters_leave_a_true_count(fresh_app):
    """Real transactions in parallel threads: the unique constraint, ON CONFLICT and the row
    lock keep one row per person and a count equal to the rows."""
    from tests.factories import Factories

    with fresh_app.app_context():
        make = Factories()
        proposal = make.proposal(state=S.OPEN)
        people = [make.user() for _ in range(4)]
        db.session.commit()
        proposal_id, user_ids = proposal.id, [p.id for p in people]

    # Each person clicks twice at the same moment.
    clicks = [user_id for user_id in user_ids for _ in range(2)]
    barrier = threading.Barrier(len(clicks))
    results: list[bool] = []
    errors: list[BaseException] = []

    def click(user_id: int) -> None:
        try:
            with fresh_app.app_context():
                from participation.accounts.models import User

                barrier.wait(timeout=10)
                added = services.support(
                    proposal=db.session.get(Proposal, proposal_id),
                    user=db.session.get(User, user_id), now=utcnow(),
                )
                db.session.commit()
                results.append(added)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=click, args=(user_id,)) for user_id in clicks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sorted(results) == [False] * 4 + [True] * 4
    with fresh_app.app_context():
        proposal = db.session.get(Proposal, proposal_id)
        assert proposal.support_count == 4
        assert supports_of(proposal) == 4
