"""A proposal page runs the same few queries whatever the number of comments."""

from __future__ import annotations

from participation.comments import services
from participation.comments.models import Stance
from participation.core.models import utcnow
from participation.proposals.models import Proposal, ProposalState
from tests.proposals.fixtures import proposal_in
from tests.querycount import page_queries


def add_discussion(make, proposal, count: int) -> None:
    """count comments by different people: a third are replies, some deleted, some edited."""
    stances = [Stance.FOR, Stance.AGAINST, Stance.NEUTRAL, None]
    top = None
    doomed = []
    for n in range(count):
        organisation = make.organisation() if n % 2 else None
        author = make.user(organisation=organisation)
        parent = top if n % 3 == 2 else None
        comment = services.add_comment(
            proposal=proposal, author=author, body=f"Comment **{n}**",
            stance=stances[n % 4], parent=parent, now=utcnow(),
        )
        if parent is None:
            top = comment
        if n % 7 == 0:
            services.edit_comment(comment=comment, editor=author, body=f"Edited {n}",
                                  stance=None, now=utcnow())
        if n % 11 == 5:
            doomed.append((comment, author))
    for comment, author in doomed:
        services.delete_comment(comment=comment, actor=author, now=utcnow())


def test_proposal_page_with_50_then_100_comments_runs_the_same_queries(
    make, cast, login, db
):
    proposal = proposal_in(make, ProposalState.OPEN, cast=cast)
    add_discussion(make, proposal, 50)
    db.session.commit()
    client = login(cast.member)

    proposal_id = proposal.id
    fifty, text = page_queries(client, f"/proposals/{proposal_id}")
    assert "Comment <strong>49</strong>" in text or "Comment <strong>48</strong>" in text

    proposal = db.session.get(Proposal, proposal_id)
    add_discussion(make, proposal, 50)
    db.session.commit()
    hundred, _ = page_queries(client, f"/proposals/{proposal_id}")

    assert fifty == hundred
    # The person and their seats, the proposal with its relations, support, stances, the
    # thread's page (its top-level comments, their count, then those with their replies and
    # authors), the ballot and the decision (and the panel's own reads), the
    # follow button's count and the header's unread notifications; the two-factor
    # requirements (one query for a signed-in person without two-factor authentication on).
    assert fifty <= 17


def test_anonymous_proposal_page_is_also_fixed(make, cast, client, db):
    proposal = proposal_in(make, ProposalState.UNDER_CONSIDERATION, cast=cast)
    add_discussion(make, proposal, 50)
    db.session.commit()
    proposal_id = proposal.id
    fifty, _ = page_queries(client, f"/proposals/{proposal_id}")
    add_discussion(make, db.session.get(Proposal, proposal_id), 50)
    db.session.commit()
    hundred, _ = page_queries(client, f"/proposals/{proposal_id}")
    assert fifty == hundred <= 11
