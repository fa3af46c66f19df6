"""Who may comment, and edit or delete a comment. Pure predicates."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from participation.accounts.models import User
from participation.accounts.permissions import can_take_part, is_signed_in
from participation.comments.models import Comment
from participation.proposals.models import Proposal, ProposalState
from participation.proposals.permissions import PARTICIPATION_STATES

# i18n: shown in place of the comment form, by the proposal's state.
CLOSED_REASONS = {
    ProposalState.DRAFT: _l(
        "Comments open when the author submits this draft for comment."
    ),
    ProposalState.ADOPTED: _l("Comments are closed because this proposal was adopted."),
    ProposalState.REJECTED: _l("Comments are closed because this proposal was rejected."),
    ProposalState.WITHDRAWN: _l(
        "Comments are closed because this proposal was withdrawn by its author."
    ),
    ProposalState.MERGED: _l(
        "Comments are closed because this proposal was merged into another one."
    ),
}
HIDDEN_REASON = _l("Comments are closed because a moderator hid this proposal.")


def comments_open(proposal: Proposal) -> bool:
    return proposal.state in PARTICIPATION_STATES and not proposal.is_hidden


def closed_reason(proposal: Proposal) -> str | None:
    """Why the thread is closed, as a sentence for the reader; None while it is open."""
    if proposal.is_hidden:
        return str(HIDDEN_REASON)
    reason = CLOSED_REASONS.get(proposal.state)
    return str(reason) if reason is not None else None


def can_comment(user: User | None, proposal: Proposal) -> bool:
    """Anyone whose e-mail address is confirmed, while the thread is open."""
    return can_take_part(user) and comments_open(proposal)


def is_comment_author(user: User | None, comment: Comment) -> bool:
    return is_signed_in(user) and user.id == comment.author_id


def can_edit_comment(user: User | None, comment: Comment, proposal: Proposal) -> bool:
    """The author, while the comment exists and the thread is open."""
    return (
        is_comment_author(user, comment) and not comment.is_deleted and not comment.is_hidden
        and comments_open(proposal)
    )


def can_delete_comment(user: User | None, comment: Comment) -> bool:
    """The author may take their words down at any time; a placeholder keeps the thread."""
    return is_comment_author(user, comment) and not comment.is_deleted
