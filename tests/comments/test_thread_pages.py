"""A long thread is read a page of top-level comments at a time, each with all its replies; a
comment's lasting address (/comments/<id>) leads to the page that shows it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from participation.comments import services
from participation.comments.queries import THREADS_PER_PAGE
from participation.core.models import utcnow
from participation.proposals.models import ProposalState
from tests.proposals.fixtures import proposal_in


@pytest.fixture
def long_thread(make, cast, db):
    """120 top-level comments, oldest first, and a reply to the 60th (on page 2)."""
    assert THREADS_PER_PAGE == 50
    proposal = proposal_in(make, ProposalState.OPEN, cast=cast)
    start = utcnow() - timedelta(days=1)
    tops = [services.add_comment(proposal=proposal, author=cast.member, body=f"Voice {n}",
                                 stance=None, now=start + timedelta(minutes=n))
            for n in range(1, 121)]
    reply = services.add_comment(proposal=proposal, author=cast.chair, body="Answer to 60",
                                 stance=None, parent=tops[59],
                                 now=start + timedelta(minutes=500))
    db.session.commit()
    return proposal, tops, reply


def voices(page: str) -> list[int]:
    return [n for n in range(1, 121) if f"<p>Voice {n}</p>" in page]


def test_each_page_shows_fifty_top_level_comments_with_their_replies(client, long_thread):
    proposal, _tops, _reply = long_thread
    first = client.get(f"/proposals/{proposal.id}").text
    assert voices(first) == list(range(1, 51))
    assert "121 comments" in first and "Page 1 of 3" in first
    assert f'href="/proposals/{proposal.id}?page=2#comments"' in first
    second = client.get(f"/proposals/{proposal.id}?page=2").text
    assert voices(second) == list(range(51, 101))
    assert second.index("Voice 60") < second.index("Answer to 60") < second.index("Voice 61")
    assert f'href="/proposals/{proposal.id}#comments"' in second.replace("?page=1", "")
    third = client.get(f"/proposals/{proposal.id}?page=3").text
    assert voices(third) == list(range(101, 121)) and "Answer to 60" not in third


@pytest.mark.parametrize("page", ["9", "-3", "many"])
def test_a_page_past_the_end_or_not_a_number_is_no_error(client, long_thread, page):
    proposal, _tops, _reply = long_thread
    response = client.get(f"/proposals/{proposal.id}?page={page}")
    assert response.status_code == 200
    if page == "9":
        assert "There are no comments on this page." in response.text
    else:
        assert voices(response.text) == list(range(1, 51))


def test_a_comments_address_leads_to_the_page_that_shows_it(client, long_thread):
    proposal, tops, reply = long_thread
    cases = {tops[0]: f"/proposals/{proposal.id}#comment-{tops[0].id}",
             tops[59]: f"/proposals/{proposal.id}?page=2#comment-{tops[59].id}",
             reply: f"/proposals/{proposal.id}?page=2#comment-{reply.id}",
             tops[119]: f"/proposals/{proposal.id}?page=3#comment-{tops[119].id}"}
    for comment, place in cases.items():
        response = client.get(f"/comments/{comment.id}")
        assert response.status_code == 302 and response.headers["Location"] == place
    assert client.get("/comments/999999").status_code == 404


def test_a_reply_on_a_later_page_returns_there(login, cast, long_thread):
    proposal, tops, _reply = long_thread
    member = login(cast.outsider)
    posted = member.post(f"/proposals/{proposal.id}/comments?page=3",
                         data={"body": "Me too", "parent_id": str(tops[110].id)})
    assert posted.headers["Location"].startswith(f"/proposals/{proposal.id}?page=3#comment-")
    page = member.get(f"/proposals/{proposal.id}?page=3").text
    # The reply form carries the page, so that a reply with an error comes back here.
    assert f'action="/proposals/{proposal.id}/comments?page=3"' in page
    failed = member.post(f"/proposals/{proposal.id}/comments?page=3",
                         data={"body": "", "parent_id": str(tops[110].id)})
    assert failed.status_code == 200
    assert voices(failed.text) == list(range(101, 121))
    assert f'id="reply-{tops[110].id}-error"' in failed.text
