"""Comments through the proposal page: posting, replying, editing, deleting, closed threads."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from participation.comments import services
from participation.comments.models import Comment, Stance
from participation.core.models import utcnow
from participation.extensions import db
from participation.proposals.models import ProposalState
from tests.proposals.fixtures import proposal_in
from tests.querycount import forget_loaded_rows

S = ProposalState


def comments_of(proposal) -> list[Comment]:
    db.session.expire_all()
    return list(db.session.scalars(
        sa.select(Comment).where(Comment.proposal_id == proposal.id).order_by(Comment.id)))


def test_posting_a_comment_with_a_stance(make, cast, login, db):
    proposal = proposal_in(make, S.OPEN, cast=cast)
    db.session.commit()

    page = login(cast.member).post(f"/proposals/{proposal.id}/comments", data={
        "body": "We need **this** now", "stance": "for"}, follow_redirects=True)

    assert "Your comment is posted." in page.text
    assert "We need <strong>this</strong> now" in page.text
    assert "For: <strong>1</strong>" in page.text and "1 comment<" in page.text
    [comment] = comments_of(proposal)
    assert comment.author_id == cast.member.id and comment.stance == Stance.FOR


def test_replying_nests_under_the_top_level_comment(make, cast, login, db):
    proposal = proposal_in(make, S.OPEN, cast=cast)
    top = services.add_comment(proposal=proposal, author=cast.member, body="Top words",
                               stance=None, now=utcnow())
    reply = services.add_comment(proposal=proposal, author=cast.chair, body="Reply words",
                                 stance=None, parent=top, now=utcnow())
    db.session.commit()

    page = login(cast.outsider).post(f"/proposals/{proposal.id}/comments", data={
        "body": "Deeper words", "parent_id": str(reply.id)}, follow_redirects=True)

    assert "Your reply is posted." in page.text
    assert comments_of(proposal)[-1].parent_id == top.id
    text = page.text
    replies = text.index('<div class="replies">')
    assert text.index("Top words") < replies < text.index("Reply words") < text.index(
        "Deeper words")


def test_a_bad_reply_reopens_its_form_with_the_error_and_the_text(make, cast, login, db):
    proposal = proposal_in(make, S.OPEN, cast=cast)
    top = services.add_comment(proposal=proposal, author=cast.member, body="Top",
                               stance=None, now=utcnow())
    db.session.commit()

    page = login(cast.outsider).post(f"/proposals/{proposal.id}/comments", data={
        "body": "x" * 50_001, "parent_id": str(top.id), "stance": "against"})

    assert page.status_code == 200
    assert f'id="reply-{top.id}-error"' in page.text
    assert "The text may be at most 50000 characters long" in page.text
    assert '<details class="reply" open>' in page.text
    assert "x" * 50_001 in page.text
    assert len(comments_of(proposal)) == 1


def test_an_empty_comment_is_refused_beside_the_field(make, cast, login, db):
    proposal = proposal_in(make, S.OPEN, cast=cast)
    db.session.commit()

    page = login(cast.member).post(f"/proposals/{proposal.id}/comments",
                                   data={"body": "", "stance": "neutral"})

    assert page.status_code == 200
    assert 'id="body-error"' in page.text and "This field is required." in page.text
    assert comments_of(proposal) == []


@pytest.mark.parametrize("parent", ["abc", "999999"])
def test_a_reply_to_an_unknown_comment_is_404(parent, make, cast, login, db):
    proposal = proposal_in(make, S.OPEN, cast=cast)
    db.session.commit()
    response = login(cast.member).post(f"/proposals/{proposal.id}/comments",
                                       data={"body": "Hi", "parent_id": parent})
    assert response.status_code == 404


def test_junk_stance_is_refused_beside_the_field(make, cast, login, db):
    proposal = proposal_in(make, S.OPEN, cast=cast)
    db.session.commit()
    page = login(cast.member).post(f"/proposals/{proposal.id}/comments",
                                   data={"body": "Hi", "stance": "maybe"})
    assert page.status_code == 200 and "Not a valid choice" in page.text
    assert comments_of(proposal) == []


def test_commenting_needs_a_login(make, cast, client, db):
    proposal = proposal_in(make, S.OPEN, cast=cast)
    db.session.commit()

    response = client.post(f"/proposals/{proposal.id}/comments", data={"body": "Hi"})

    assert response.status_code == 302 and "/login" in response.location
    assert "Log in to comment." in client.get(f"/proposals/{proposal.id}").text


@pytest.mark.parametrize(
    ("state", "message"),
    [(S.ADOPTED, "Comments are closed because this proposal was adopted."),
     (S.REJECTED, "Comments are closed because this proposal was rejected."),
     (S.WITHDRAWN, "Comments are closed because this proposal was withdrawn by its author."),
     (S.MERGED, "Comments are closed because this proposal was merged into another one."),
     (S.DRAFT, "Comments open when the author submits this draft for comment.")],
)
def test_closed_thread_replaces_the_form_with_the_reason(state, message, make, cast,
                                                         login, db):
    proposal = proposal_in(make, state, cast=cast)
    db.session.commit()
    client = login(cast.author)

    page = client.get(f"/proposals/{proposal.id}").text
    assert message in page
    assert 'class="comment-form"' not in page and "Post comment" not in page

    refused = client.post(f"/proposals/{proposal.id}/comments", data={"body": "Late"},
                          follow_redirects=True)
    assert message in refused.text and "flash-error" in refused.text
    assert comments_of(proposal) == []


def test_editing_a_comment_through_its_page_keeps_history(app, make, cast, login, db):
    proposal = proposal_in(make, S.OPEN, cast=cast)
    comment = services.add_comment(proposal=proposal, author=cast.member, body="Old words",
                                   stance=Stance.AGAINST, now=utcnow())
    db.session.commit()
    client = login(cast.member)

    form = client.get(f"/comments/{comment.id}/edit").text
    assert "Old words" in form
    assert re.search(r'<input checked[^>]*value="against"', form)

    page = client.post(f"/comments/{comment.id}/edit",
                       data={"body": "New words", "stance": "for"}, follow_redirects=True)
    assert "Your comment is updated" in page.text
    assert "New words" in page.text and "Old words" not in page.text
    assert f'href="/comments/{comment.id}/history">edited</a>' in page.text

    history = app.test_client().get(f"/comments/{comment.id}/history").text
    assert history.index("New words") < history.index("Old words")
    assert "Earlier text" in history


def test_others_cannot_edit_or_delete_a_comment(make, cast, login, db):
    proposal = proposal_in(make, S.OPEN, cast=cast)
    comment = services.add_comment(proposal=proposal, author=cast.member, body="Mine",
                                   stance=None, now=utcnow())
    db.session.commit()
    client = login(cast.secretary)

    assert client.get(f"/comments/{comment.id}/edit").status_code == 403
    assert client.post(f"/comments/{comment.id}/edit", data={"body": "x"}).status_code == 403
    assert client.post(f"/comments/{comment.id}/delete").status_code == 403
    page = client.get(f"/proposals/{proposal.id}").text
    assert f"/comments/{comment.id}/edit" not in page
    assert f"/comments/{comment.id}/delete" not in page
    assert comments_of(proposal)[0].body == "Mine"


def test_deleting_leaves_a_placeholder_and_the_replies(make, cast, login, db):
    proposal = proposal_in(make, S.OPEN, cast=cast)
    top = services.add_comment(proposal=proposal, author=cast.member, body="Words to remove",
                               stance=None, now=utcnow())
    services.add_comment(proposal=proposal, author=cast.chair, body="A reply that stays",
                         stance=None, parent=top, now=utcnow())
    db.session.commit()

    page = login(cast.member).post(f"/comments/{top.id}/delete", follow_redirects=True)

    assert "Your comment was deleted." in page.text
    text = page.text
    assert "Words to remove" not in text
    assert text.index("This comment was deleted by its author.") < text.index(
        "A reply that stays")
    assert "1 comment<" in text
    assert f'id="comment-{top.id}"' in text
    again = login(cast.member).post(f"/comments/{top.id}/delete", follow_redirects=True)
    assert "already deleted" in again.text


def test_editing_after_the_thread_closed_is_explained(make, cast, login, db):
    proposal = proposal_in(make, S.OPEN, cast=cast)
    comment = services.add_comment(proposal=proposal, author=cast.member, body="Mine",
                                   stance=None, now=utcnow())
    proposal.state = S.ADOPTED
    db.session.commit()

    page = login(cast.member).get(f"/comments/{comment.id}/edit", follow_redirects=True)

    assert "Comments are closed because this proposal was adopted." in page.text


def test_unknown_comment_is_404(cast, login, db):
    db.session.commit()
    client = login(cast.member)
    assert client.get("/comments/999999/edit").status_code == 404
    assert client.post("/comments/999999/delete").status_code == 404
    assert client.get("/comments/999999/history").status_code == 404


def test_comments_on_a_draft_are_hidden_with_the_draft(make, cast, client, db):
    proposal = proposal_in(make, S.OPEN, cast=cast)
    comment = services.add_comment(proposal=proposal, author=cast.member, body="Hi",
                                   stance=None, now=utcnow())
    proposal.state = S.DRAFT
    db.session.commit()
    assert client.get(f"/comments/{comment.id}/history").status_code == 404


def test_every_write_works_from_a_fresh_request(make, cast, login, db):
    """As in production, each request starts with an empty session: the page loads the
    proposal with its relations joined, and the services' row lock must still work."""
    proposal = proposal_in(make, S.OPEN, cast=cast)
    proposal_id, member = proposal.id, cast.member
    db.session.commit()
    client = login(member)

    forget_loaded_rows()
    client.post(f"/proposals/{proposal_id}/comments", data={"body": "Fresh", "stance": "for"})
    forget_loaded_rows()
    comment_id = db.session.scalar(sa.select(Comment.id).where(Comment.body == "Fresh"))
    forget_loaded_rows()
    client.post(f"/comments/{comment_id}/edit", data={"body": "Fresher", "stance": ""})
    forget_loaded_rows()
    client.post(f"/proposals/{proposal_id}/support")
    forget_loaded_rows()
    page = client.get(f"/proposals/{proposal_id}").text
    assert "Fresher" in page and "1 person supports this proposal." in page
    forget_loaded_rows()
    client.post(f"/comments/{comment_id}/delete")
    forget_loaded_rows()
    client.post(f"/proposals/{proposal_id}/unsupport")
    forget_loaded_rows()
    page = client.get(f"/proposals/{proposal_id}").text
    assert "This comment was deleted by its author." in page
    assert "0 people support this proposal." in page
