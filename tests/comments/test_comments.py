"""Comments: stances, one level of replies, edit history, deletion placeholder, closed threads."""

from __future__ import annotations

import pytest

from participation.comments import queries, services
from participation.comments.models import Comment, CommentRevision, Stance
from participation.core.models import utcnow
from participation.extensions import db
from participation.proposals.models import Proposal, ProposalState
from tests.proposals.fixtures import proposal_in
from tests.rows import count_rows

S = ProposalState


def post(proposal, author, body="A comment", stance=None, parent=None) -> Comment:
    return services.add_comment(proposal=proposal, author=author, body=body, stance=stance,
                                parent=parent, now=utcnow())


def test_a_reply_to_a_reply_attaches_to_the_top_level_comment(make, cast):
    proposal = proposal_in(make, S.OPEN, cast=cast)
    top = post(proposal, cast.member, "Top")
    reply = post(proposal, cast.outsider, "Reply", parent=top)
    deeper = post(proposal, cast.author, "Reply to the reply", parent=reply)

    assert reply.parent_id == top.id and deeper.parent_id == top.id
    thread = queries.thread(proposal.id).items
    assert [entry.comment.body for entry in thread] == ["Top"]
    assert [r.body for r in thread[0].replies] == ["Reply", "Reply to the reply"]


def test_comment_count_and_stances_follow_posts_and_deletions(make, cast):
    proposal = proposal_in(make, S.UNDER_CONSIDERATION, cast=cast)
    first = post(proposal, cast.member, stance=Stance.FOR)
    post(proposal, cast.outsider, stance=Stance.FOR)
    post(proposal, cast.chair, stance=Stance.AGAINST, parent=first)
    post(proposal, cast.author)

    assert proposal.comment_count == 4
    assert queries.stance_counts(proposal.id) == {
        Stance.FOR: 2, Stance.AGAINST: 1, Stance.NEUTRAL: 0}

    services.delete_comment(comment=first, actor=cast.member, now=utcnow())
    assert proposal.comment_count == 3
    assert queries.stance_counts(proposal.id)[Stance.FOR] == 1


@pytest.mark.parametrize(
    "state", [S.DRAFT, S.ADOPTED, S.REJECTED, S.WITHDRAWN, S.MERGED], ids=lambda s: s.value
)
def test_comments_are_refused_when_the_thread_is_closed(state, make, cast):
    proposal = proposal_in(make, state, cast=cast)

    with pytest.raises(services.CommentsClosed) as refused:
        post(proposal, cast.member)
    assert refused.value.message.startswith("Comments")
    assert count_rows(Comment, Comment.proposal_id == proposal.id) == 0


@pytest.mark.parametrize("body", ["", "   ", "x" * 50_001], ids=["empty", "blank", "too-long"])
def test_bad_comment_text_is_refused(body, make, cast):
    proposal = proposal_in(make, S.OPEN, cast=cast)
    with pytest.raises(services.InvalidComment):
        post(proposal, cast.member, body)
    assert proposal.comment_count == 0


def test_a_reply_must_belong_to_the_same_proposal(make, cast):
    proposal = proposal_in(make, S.OPEN, cast=cast)
    other = proposal_in(make, S.OPEN, cast=cast)
    foreign = post(other, cast.member)
    with pytest.raises(services.InvalidComment):
        post(proposal, cast.member, parent=foreign)


def test_editing_keeps_the_previous_text(make, cast):
    proposal = proposal_in(make, S.OPEN, cast=cast)
    comment = post(proposal, cast.member, "First words", Stance.NEUTRAL)
    first_written = comment.updated_at

    assert services.edit_comment(comment=comment, editor=cast.member, body="Second words",
                                 stance=Stance.FOR, now=utcnow()) is True
    assert services.edit_comment(comment=comment, editor=cast.member, body="Second words",
                                 stance=Stance.FOR, now=utcnow()) is False

    assert (comment.body, comment.stance, comment.revision_count) == (
        "Second words", Stance.FOR, 2)
    [revision] = queries.history(comment.id)
    assert (revision.body, revision.stance, revision.created_at) == (
        "First words", Stance.NEUTRAL, first_written)


def test_only_the_author_edits_or_deletes(make, cast):
    proposal = proposal_in(make, S.OPEN, cast=cast)
    comment = post(proposal, cast.member, "Mine")

    with pytest.raises(services.NotCommentAuthor):
        services.edit_comment(comment=comment, editor=cast.secretary, body="Theirs",
                              stance=None, now=utcnow())
    with pytest.raises(services.NotCommentAuthor):
        services.delete_comment(comment=comment, actor=cast.admin, now=utcnow())
    assert comment.body == "Mine" and not comment.is_deleted


def test_editing_is_refused_once_the_thread_closes(make, cast):
    proposal = proposal_in(make, S.OPEN, cast=cast)
    comment = post(proposal, cast.member, "Mine")
    proposal.state = S.ADOPTED
    db.session.flush()

    with pytest.raises(services.CommentsClosed, match="adopted"):
        services.edit_comment(comment=comment, editor=cast.member, body="Changed",
                              stance=None, now=utcnow())
    assert comment.body == "Mine"


def test_deleting_erases_the_text_and_its_history_but_keeps_the_replies(make, cast):
    proposal = proposal_in(make, S.OPEN, cast=cast)
    top = post(proposal, cast.member, "Regret this", Stance.AGAINST)
    services.edit_comment(comment=top, editor=cast.member, body="Still regret",
                          stance=Stance.AGAINST, now=utcnow())
    reply = post(proposal, cast.outsider, "I answer", parent=top)

    services.delete_comment(comment=top, actor=cast.member, now=utcnow())

    assert top.is_deleted and top.body == "" and top.stance is None
    assert count_rows(CommentRevision, CommentRevision.comment_id == top.id) == 0
    [entry] = queries.thread(proposal.id).items
    assert entry.comment.id == top.id and [r.id for r in entry.replies] == [reply.id]
    with pytest.raises(services.InvalidComment):
        services.delete_comment(comment=top, actor=cast.member, now=utcnow())
    with pytest.raises(services.InvalidComment, match="deleted"):
        post(proposal, cast.author, "Reply to nothing", parent=top)


def test_the_author_may_delete_after_the_thread_closes(make, cast):
    proposal = proposal_in(make, S.OPEN, cast=cast)
    comment = post(proposal, cast.member)
    proposal.state = S.REJECTED
    db.session.flush()

    services.delete_comment(comment=comment, actor=cast.member, now=utcnow())
    assert comment.is_deleted
    db.session.expire_all()
    assert db.session.get(Proposal, proposal.id).comment_count == 0
