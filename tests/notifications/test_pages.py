"""The notifications page, opening and marking notifications read, the unread count in the
header, and the queries these cost."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from participation.accounts.models import User
from participation.comments import services as comments
from participation.core.models import utcnow
from participation.extensions import db
from participation.notifications import services
from participation.notifications.models import FollowedType, Notification
from participation.proposals import services as proposals
from participation.proposals.models import Proposal, ProposalState
from tests.notifications.scene import follower, told
from tests.proposals.fixtures import proposal_in
from tests.querycount import count_queries, forget_loaded_rows, page_queries

P = FollowedType.PROPOSAL


def discussed(make, cast, comment_count: int = 2):
    """An open proposal, a follower, and `comment_count` comments by someone else."""
    proposal = proposal_in(make, ProposalState.OPEN, cast=cast, title="Spray water near schools")
    reader = follower(make, (P, proposal))
    writer = make.user(display_name="Malee Writer")
    for n in range(comment_count):
        comments.add_comment(proposal=proposal, author=writer, body=f"Comment number {n}.",
                             stance=None, now=utcnow() + timedelta(seconds=n))
    db.session.commit()
    return proposal, reader


def test_the_page_lists_notifications_newest_first_with_unread_ones_marked(
    make, cast, login, client
):
    proposal, reader = discussed(make, cast)
    proposals.start_consideration(proposal=proposal, actor=cast.secretary,
                                  now=utcnow() + timedelta(minutes=5))
    db.session.commit()
    login(reader)

    page = client.get("/notifications").text
    moved, second, first = (page.index(text) for text in (
        "Now: Under consideration", "Malee Writer: “Comment number 1.”",
        "Malee Writer: “Comment number 0.”"))
    assert moved < second < first
    assert page.count("Unread</span>") == 3
    assert page.count("New comment") == 2 and "Proposal moved to a new stage" in page
    assert page.count('<button type="submit" class="link">Spray water near schools</button>') == 3
    assert "3 unread notifications." in page and "Mark all as read" in page


def test_opening_a_notification_marks_it_read_and_goes_to_the_comment(
    make, cast, login, client
):
    proposal, reader = discussed(make, cast, comment_count=1)
    [notification] = told(reader)
    login(reader)

    response = client.post(f"/notifications/{notification.id}/read")
    comment_id = notification.data["comment_id"]
    assert response.status_code == 302
    assert response.headers["Location"] == f"/comments/{comment_id}"
    db.session.expire_all()
    assert db.session.get(Notification, notification.id).read_at is not None

    page = client.get("/notifications").text
    assert "Unread</span>" not in page and "Mark all as read" not in page
    assert f'<a href="/comments/{comment_id}">' in page


def test_someone_elses_notification_cannot_be_opened(make, cast, login, client):
    _proposal, reader = discussed(make, cast, comment_count=1)
    [notification] = told(reader)
    login(make.user())
    db.session.commit()
    assert client.post(f"/notifications/{notification.id}/read").status_code == 403
    assert client.post("/notifications/999999/read").status_code == 404
    db.session.expire_all()
    assert db.session.get(Notification, notification.id).read_at is None


def test_mark_all_as_read_clears_the_count_in_the_header(make, cast, login, client):
    _proposal, reader = discussed(make, cast, comment_count=3)
    other_proposal, other_reader = discussed(make, cast, comment_count=1)
    login(reader)
    header = client.get("/").text
    assert '<span aria-hidden="true">(3)</span>' in header
    assert '<span class="visually-hidden">, 3 unread</span>' in header

    response = client.post("/notifications/read-all")
    assert response.headers["Location"] == "/notifications"
    page = client.get("/notifications").text
    assert "All notifications are marked as read." in page
    assert "(3)" not in page and "unread</span>" not in page
    db.session.expire_all()
    assert all(n.read_at is not None for n in told(reader))
    assert [n.read_at for n in told(other_reader)] == [None]  # only one's own

    client.post("/notifications/read-all")
    assert "You have no unread notifications." in client.get("/notifications").text


def test_the_page_needs_a_login_and_says_when_there_is_nothing(make, login, client):
    assert client.get("/notifications").headers["Location"].startswith("/login")
    user = make.user()
    db.session.commit()
    login(user)
    assert "No notifications yet." in client.get("/notifications").text


def test_a_kpi_title_is_shown_in_the_readers_language(make, login, client):
    user = make.user()
    services.notify(event="kpi.off_track", subject_type="kpi", subject_id=1,
                    audiences=[], actor=None, data={}, now=utcnow())  # nobody follows: none
    db.session.add(Notification(user_id=user.id, event="kpi.off_track", subject_type="kpi",
                                subject_id=1, data={"title": "วันฝุ่นเกิน", "title_en": "Dusty days"},
                                created_at=utcnow()))
    db.session.commit()
    login(user)
    assert "Dusty days" in client.get("/notifications?lang=en").text
    assert "วันฝุ่นเกิน" in client.get("/notifications?lang=th").text


def statements_on(table: str, statements: list[str]) -> int:
    return sum(1 for s in statements if f"FROM {table}" in s.replace('"', ""))


def test_the_unread_count_costs_one_query_when_signed_in_and_none_for_visitors(
    make, cast, login, client
):
    _proposal, reader = discussed(make, cast, comment_count=2)
    reader_id = reader.id
    forget_loaded_rows()
    with count_queries() as visitor:
        assert client.get("/groups").status_code == 200
    assert statements_on("notifications", visitor.statements) == 0

    login(db.session.get(User, reader_id))
    forget_loaded_rows()
    with count_queries() as signed_in:
        assert "(2)" in client.get("/groups").text
    assert statements_on("notifications", signed_in.statements) == 1


def test_the_follow_button_costs_one_query(make, cast, login, client):
    _proposal, reader = discussed(make, cast, comment_count=0)
    for _ in range(5):
        follower(make, (FollowedType.GROUP, cast.group))
    url, reader_id = f"/groups/{cast.group.id}", reader.id
    db.session.commit()
    forget_loaded_rows()
    with count_queries() as visitor:
        assert "5 followers" in client.get(url).text
    login(db.session.get(User, reader_id))
    forget_loaded_rows()
    with count_queries() as signed_in:
        assert "5 followers" in client.get(url).text
    assert statements_on("follows", visitor.statements) == 1
    assert statements_on("follows", signed_in.statements) == 1


def test_the_pages_run_the_same_queries_with_more_notifications_and_follows(
    make, cast, login, client
):
    proposal, reader = discussed(make, cast, comment_count=3)
    proposal_id, reader_id = proposal.id, reader.id
    login(reader)
    few = page_queries(client, "/notifications")[0]
    few_followed = page_queries(client, "/notifications/following")[0]

    proposal = db.session.get(Proposal, proposal_id)
    for n in range(25):
        comments.add_comment(proposal=proposal, author=make.user(), body=f"More {n}.",
                             stance=None, now=utcnow())
    reader = db.session.get(User, reader_id)
    for _ in range(3):
        services.follow(user=reader, kind=P, subject=make.proposal(), now=utcnow())
        services.follow(user=reader, kind=FollowedType.GROUP, subject=make.group(),
                        now=utcnow())
    db.session.commit()
    assert db.session.scalar(
        sa.select(sa.func.count(Notification.id)).where(Notification.user_id == reader_id)
    ) == 28
    many, text = page_queries(client, "/notifications")
    assert text.count('<li class="notification') == 20  # one page
    many_followed, text = page_queries(client, "/notifications/following")
    assert text.count('role="row"') == 1 + 7
    # The person, the ballot reminders, the unread count, the total and the page with the
    # actors; the two-factor requirements (two-factor lane); which of the proposals and
    # comments spoken of a moderator hid (moderation lane A3).
    assert few == many <= 7
    # The person, the ballot reminders, the unread count, the follows and one query per kind
    # followed (a proposal; then proposals and groups); the two-factor requirements.
    assert (few_followed, many_followed) == (6, 7)
