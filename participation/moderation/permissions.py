"""Who may report a contribution, and which contributions a moderator may hide. Pure
predicates over the person, the contribution and its state."""

from __future__ import annotations

from participation.accounts.models import User
from participation.accounts.permissions import can_moderate, can_take_part, is_signed_in
from participation.comments.models import Comment
from participation.moderation.models import ContentKind, ModerationReason
from participation.proposals.models import Proposal, ProposalState

# Before the working group takes a proposal up; afterwards it belongs to the group's record.
HIDEABLE_STATES = frozenset({ProposalState.OPEN, ProposalState.WITHDRAWN, ProposalState.MERGED})
# A hidden contribution shows its reason to everyone, so "another reason" says nothing.
HIDE_REASONS = tuple(reason for reason in ModerationReason if reason != ModerationReason.OTHER)

Content = Proposal | Comment


def is_content_author(user: User | None, content: Content) -> bool:
    return is_signed_in(user) and user.id == content.author_id


def is_reportable(kind: ContentKind | str, content: Content) -> bool:
    """Public and shown: not a draft, not hidden, not a deleted comment."""
    if content.is_hidden:
        return False
    if ContentKind(kind) == ContentKind.PROPOSAL:
        return content.state != ProposalState.DRAFT
    return not content.is_deleted


def can_report(user: User | None, kind: ContentKind | str, content: Content) -> bool:
    """Anyone who may take part reports what others wrote, while it is shown (the report page
    also refuses a second report of the same thing by the same person)."""
    return (
        can_take_part(user)
        and not is_content_author(user, content)
        and is_reportable(kind, content)
    )


def is_hideable(kind: ContentKind | str, content: Content) -> bool:
    """Comments can always be hidden unless deleted; proposals until the group takes them up."""
    if content.is_hidden:
        return False
    if ContentKind(kind) == ContentKind.PROPOSAL:
        return content.state in HIDEABLE_STATES
    return not content.is_deleted


def can_hide(user: User | None, kind: ContentKind | str, content: Content) -> bool:
    return can_moderate(user) and is_hideable(kind, content)


def can_restore(user: User | None, content: Content) -> bool:
    return can_moderate(user) and content.is_hidden
