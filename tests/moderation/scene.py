"""Helpers the moderation tests share: a discussed proposal, reports, a moderator."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from participation.accounts.models import User
from participation.comments import services as comments
from participation.comments.models import Comment, Stance
from participation.core.models import utcnow
from participation.extensions import db
from participation.moderation import services
from participation.moderation.models import ContentKind, ModerationReason, Report
from participation.proposals.models import Proposal, ProposalState
from tests.proposals.fixtures import Cast, proposal_in

SPAM, ABUSE, OTHER = ModerationReason.SPAM, ModerationReason.ABUSE, ModerationReason.OTHER
PROPOSAL, COMMENT = ContentKind.PROPOSAL, ContentKind.COMMENT


@dataclass
class Thread:
    """An open proposal by the cast's author with a comment by the member and a reply to it."""

    proposal: Proposal
    comment: Comment
    reply: Comment
    moderator: User


def thread(make, cast: Cast, state: ProposalState = ProposalState.OPEN) -> Thread:
    proposal = proposal_in(make, ProposalState.OPEN, cast=cast, title="Spray water near schools")
    comment = comments.add_comment(proposal=proposal, author=cast.member,
                                   body="Buy cheap purifiers at **example.com**",
                                   stance=Stance.FOR, now=utcnow())
    reply = comments.add_comment(proposal=proposal, author=cast.outsider,
                                 body="This looks like an advert.", stance=None, parent=comment,
                                 now=utcnow())
    if state == ProposalState.MERGED:
        proposal.merged_into_id = proposal_in(make, ProposalState.OPEN, cast=cast).id
    proposal.state = state
    db.session.flush()
    moderator = make.user(display_name="Kanya Moderator", is_moderator=True)
    return Thread(proposal, comment, reply, moderator)


def report(reporter: User, kind: ContentKind, content, reason=SPAM, note: str = "",
           now=None) -> Report:
    return services.report(reporter=reporter, kind=kind, content=content, reason=reason,
                           note=note, now=now or utcnow())


def reports_of(kind: ContentKind, content_id: int) -> list[Report]:
    db.session.expire_all()
    return list(db.session.scalars(
        sa.select(Report).where(Report.content_kind == kind, Report.content_id == content_id)
        .order_by(Report.id)
    ))
