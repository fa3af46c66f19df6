"""A proposal or comment a moderator hid leaves every list, count, feed, search, dataset and the
API, its title gives way to the moderator's notice in the log and in notifications, and it all
comes back when it is restored. The content is hidden here by setting its columns directly, as
the moderation services do."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
import sqlalchemy as sa

from participation.accountability.services import record
from participation.accounts.models import User
from participation.answers import queries as answer_queries
from participation.comments import services as comments
from participation.comments.models import Comment, Stance
from participation.core.models import utcnow
from participation.extensions import db
from participation.mail import services as mail
from participation.mail.models import OutboxMail
from participation.meetings.models import MinutesStatus
from participation.meetings.queries import placeable_proposals
from participation.moderation.models import ModerationReason
from participation.notifications import services as notifications
from participation.notifications.models import FollowedType, Notification
from participation.opendata.datasets import DATASETS
from participation.proposals import queries as proposal_queries
from participation.proposals import services as proposals
from participation.proposals.models import Proposal, ProposalState
from participation.search import index
from tests.notifications.scene import follower
from tests.proposals.fixtures import Cast, proposal_in
from tests.search.helpers import meeting

SPAM = ModerationReason.SPAM
# Words found nowhere else, so a page or a file either shows the hidden text or does not.
HIDDEN_TITLE = "Zebracrossing purifier bargains"
HIDDEN_BODY = "Order from quokkashop today."
HIDDEN_COMMENT = "Wombatdeal discount code inside."
ON_HIDDEN = "Narwhalremark about the bargains."
SHOWN_TITLE = "Water trucks near schools"
NOTICE = "Hidden by a moderator: Spam or advertising"


@dataclass
class World:
    cast: Cast
    shown: Proposal
    hidden: Proposal
    spam: Comment  # on the shown proposal, hidden in its turn
    remark: Comment  # on the hidden proposal, not hidden itself
    reader: User  # follows both proposals
    agency_id: int
    entry_id: int  # a log entry about the hidden proposal

    def set_hidden(self, hidden: bool) -> None:
        """Hide (or restore) the proposal and the comment, as the moderation services do."""
        moment = utcnow() if hidden else None
        reason = SPAM if hidden else None
        for content in (db.session.get(Proposal, self.hidden.id),
                        db.session.get(Comment, self.spam.id)):
            content.hidden_at, content.hidden_reason = moment, reason
        db.session.commit()


@pytest.fixture
def world(make, cast) -> World:
    now = utcnow()
    agency = make.organisation()
    shown = proposal_in(make, ProposalState.OPEN, cast=cast, title=SHOWN_TITLE)
    hidden = proposal_in(make, ProposalState.OPEN, cast=cast, title=HIDDEN_TITLE,
                         body=HIDDEN_BODY)
    # Unanswered past its deadline, so the responsiveness pages list it as overdue.
    hidden.agency_id = agency.id
    hidden.answer_due_on = (now - timedelta(days=5)).date()
    reader = follower(make, (FollowedType.PROPOSAL, shown), (FollowedType.PROPOSAL, hidden))
    proposals.support(proposal=hidden, user=make.user(), now=now)
    spam = comments.add_comment(proposal=shown, author=make.user(), body=HIDDEN_COMMENT,
                                stance=Stance.FOR, now=now)
    comments.add_comment(proposal=shown, author=make.user(), body="Trucks help, thank you.",
                         stance=None, now=now + timedelta(seconds=1))
    remark = comments.add_comment(proposal=hidden, author=make.user(), body=ON_HIDDEN,
                                  stance=Stance.AGAINST, now=now + timedelta(seconds=2))
    notifications.proposal_state_changed(proposal=hidden, previous="draft", actor=None,
                                         now=now + timedelta(seconds=3))
    entry = record(actor=cast.author, verb="proposal.created", subject_type="proposal",
                   subject_id=hidden.id, data={"group_id": cast.group.id}, now=now)
    db.session.commit()
    return World(cast, shown, hidden, spam, remark, reader, agency.id, entry.id)


def result_links(html: str) -> list[str]:
    return re.findall(r'<h2 class="search-title"><a href="([^"]+)"', html)


# Lists, counts and feeds --------------------------------------------------------------------


def listing_pages(world: World) -> list[str]:
    group_id = world.cast.group.id
    return [
        "/proposals",
        "/proposals?state=open",
        f"/proposals?category={world.cast.category.id}",
        "/proposals?sort=supported",
        "/",
        f"/groups/{group_id}/responsiveness",
        f"/organisations/{world.agency_id}/responsiveness",
        "/feeds/proposals.atom",
    ]


def test_a_hidden_proposal_leaves_every_list_and_feed_and_comes_back_when_restored(
    client, world
):
    pages = listing_pages(world)
    assert all(HIDDEN_TITLE in client.get(page).text for page in pages)

    world.set_hidden(True)
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200
        assert HIDDEN_TITLE not in response.text, page
        assert HIDDEN_BODY not in response.text, page
    assert SHOWN_TITLE in client.get("/proposals").text

    world.set_hidden(False)
    assert all(HIDDEN_TITLE in client.get(page).text for page in pages)


def test_the_counts_leave_out_a_hidden_proposal(client, world):
    assert "2 proposals" in client.get("/proposals?lang=en").text
    assert "2 proposals open for comment" in client.get("/?lang=en").text

    world.set_hidden(True)

    assert "1 proposal</p>" in client.get("/proposals?lang=en").text
    assert "1 proposal open for comment" in client.get("/?lang=en").text
    responsiveness = client.get(f"/groups/{world.cast.group.id}/responsiveness?lang=en").text
    assert "Overdue by" not in responsiveness


def test_a_hidden_proposal_is_offered_nowhere_to_merge_into_or_to_put_on_an_agenda(world):
    shown = db.session.get(Proposal, world.shown.id)
    choices = (
        lambda: proposal_queries.merge_candidates(shown),
        lambda: answer_queries.merge_targets(shown),
        lambda: placeable_proposals(world.cast.group.id),
    )
    assert all(world.hidden.id in {p.id for p in offered()} for offered in choices)

    world.set_hidden(True)

    assert not any(world.hidden.id in {p.id for p in offered()} for offered in choices)


def test_a_proposal_merged_into_a_hidden_one_names_it_by_the_notice(client, make, world):
    merged = proposal_in(make, ProposalState.OPEN, cast=world.cast, title="Merged water plan")
    merged.state, merged.merged_into_id = ProposalState.MERGED, world.hidden.id
    db.session.commit()
    assert f"#{world.hidden.id} {HIDDEN_TITLE}" in client.get(f"/proposals/{merged.id}").text

    world.set_hidden(True)
    page = client.get(f"/proposals/{merged.id}?lang=en").text

    assert HIDDEN_TITLE not in page
    assert f"#{world.hidden.id} {NOTICE}" in page


def test_a_meeting_and_its_minutes_name_a_hidden_proposal_on_the_agenda_by_the_notice(
    client, make, world
):
    held = meeting(make, group=world.cast.group, items=[(3, "Trucks and bargains", "Noted.", "")],
                   minutes_status=MinutesStatus.PUBLISHED)
    held.items[0].proposal_id = world.hidden.id
    db.session.commit()
    pages = [f"/meetings/{held.id}?lang=en", f"/meetings/{held.id}/minutes?lang=en"]
    assert all(HIDDEN_TITLE in client.get(page).text for page in pages)

    world.set_hidden(True)

    for page in pages:
        text = client.get(page).text
        assert HIDDEN_TITLE not in text and NOTICE in text, page


# Search ------------------------------------------------------------------------------------


def test_search_finds_neither_hidden_content_nor_the_comments_of_a_hidden_proposal(
    client, world
):
    searches = {
        "zebracrossing": f"/proposals/{world.hidden.id}",
        "wombatdeal": f"/comments/{world.spam.id}",
        "narwhalremark": f"/comments/{world.remark.id}",
    }
    for word, link in searches.items():
        assert result_links(client.get(f"/search?q={word}").text) == [link]

    world.set_hidden(True)
    for word in searches:
        html = client.get(f"/search?q={word}").text
        assert result_links(html) == [], word
        assert HIDDEN_COMMENT not in html and ON_HIDDEN not in html
    # The proposal that stays is still found, with its other comment.
    assert f"/proposals/{world.shown.id}" in result_links(client.get("/search?q=trucks").text)

    world.set_hidden(False)
    for word, link in searches.items():
        assert result_links(client.get(f"/search?q={word}").text) == [link]


def test_rebuilding_the_search_index_leaves_hidden_content_out(client, world):
    world.set_hidden(True)
    index.rebuild(db.session)
    db.session.commit()
    for word in ("zebracrossing", "wombatdeal", "narwhalremark"):
        assert result_links(client.get(f"/search?q={word}").text) == [], word
    assert result_links(client.get("/search?q=trucks").text)


# Open data and the API ------------------------------------------------------------------------


def downloads(client) -> dict[str, str]:
    texts = {}
    for name in DATASETS:
        for fmt in ("csv", "json"):
            response = client.get(f"/open-data/{name}.{fmt}")
            assert response.status_code == 200, (name, fmt)
            texts[f"{name}.{fmt}"] = response.get_data(as_text=True)
    return texts


def tally_of(texts: dict[str, str], proposal_id: int) -> dict:
    rows = json.loads(texts["proposals.json"])
    return next(row["tally_by_sector"] for row in rows if row["id"] == proposal_id)


def test_no_dataset_carries_hidden_text_in_csv_or_json(client, world):
    before = downloads(client)
    assert HIDDEN_TITLE in before["proposals.csv"] and HIDDEN_TITLE in before["proposals.json"]
    assert HIDDEN_COMMENT in before["comments.csv"] and ON_HIDDEN in before["comments.json"]

    world.set_hidden(True)
    after = downloads(client)

    for name, text in after.items():
        for secret in (HIDDEN_TITLE, HIDDEN_BODY, HIDDEN_COMMENT, ON_HIDDEN):
            assert secret not in text, (name, secret)
    ids = {row["id"] for row in json.loads(after["proposals.json"])}
    assert world.hidden.id not in ids and world.shown.id in ids
    assert world.hidden.id not in {
        row["proposal_id"] for row in json.loads(after["supports.json"])}
    assert world.hidden.id not in {
        row["subject_id"] for row in json.loads(after["sector-tallies.json"])
        if row["subject_type"] == "proposal"}
    # The hidden comment keeps its place, as a deleted one does, with the reason and no text;
    # the comments of the hidden proposal leave with it.
    rows = {row["id"]: row for row in json.loads(after["comments.json"])}
    assert world.remark.id not in rows
    spam = rows[world.spam.id]
    assert (spam["body"], spam["author_name"], spam["stance"]) == ("", None, None)
    assert spam["hidden_reason"] == "spam" and spam["deleted"] is False
    csv_rows = {row["id"]: row for row in csv.DictReader(io.StringIO(
        after["comments.csv"].lstrip("\ufeff")))}
    assert csv_rows[str(world.spam.id)]["hidden_reason"] == "spam"
    # Its stance no longer counts in the shown proposal's tally.
    assert '"for"' in json.dumps(tally_of(before, world.shown.id))
    assert '"for"' not in json.dumps(tally_of(after, world.shown.id))

    world.set_hidden(False)
    restored = downloads(client)
    assert HIDDEN_TITLE in restored["proposals.json"] and ON_HIDDEN in restored["comments.json"]
    assert HIDDEN_COMMENT in restored["comments.csv"]


def test_the_api_lists_no_hidden_proposal_and_answers_404_for_one(client, world):
    world.set_hidden(True)

    listed = client.get("/api/v1/proposals?limit=500").get_json()["data"]
    assert world.hidden.id not in {row["id"] for row in listed}
    response = client.get(f"/api/v1/proposals/{world.hidden.id}")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
    assert client.get(f"/api/v1/comments/{world.remark.id}").status_code == 404
    spam = client.get(f"/api/v1/comments/{world.spam.id}").get_json()["data"]
    assert (spam["body"], spam["hidden_reason"]) == ("", "spam")
    comments_listed = client.get("/api/v1/comments?limit=500").get_data(as_text=True)
    assert HIDDEN_COMMENT not in comments_listed and ON_HIDDEN not in comments_listed
    description = client.get("/api/v1/").get_json()["data"]
    assert "hid" in next(d for d in description if d["name"] == "proposals")["description"]

    world.set_hidden(False)
    assert client.get(f"/api/v1/proposals/{world.hidden.id}").get_json()["data"]["title"] \
        == HIDDEN_TITLE
    assert client.get(f"/api/v1/comments/{world.spam.id}").get_json()["data"]["body"] \
        == HIDDEN_COMMENT


# The log ------------------------------------------------------------------------------------


def test_the_log_keeps_its_entries_and_shows_the_notice_for_a_hidden_proposals_title(
    client, world
):
    pages = ["/log?lang=en", f"/log/{world.entry_id}?lang=en",
             f"/log?subject_type=proposal&subject_id={world.hidden.id}&lang=en",
             "/feeds/log.atom?lang=en"]
    assert all(HIDDEN_TITLE in client.get(page).text for page in pages)

    world.set_hidden(True)
    for page in pages:
        text = client.get(page).text
        assert HIDDEN_TITLE not in text, page
        assert NOTICE in text, page
    assert f"/log/{world.entry_id}" in client.get("/log?lang=en").text

    world.set_hidden(False)
    assert all(HIDDEN_TITLE in client.get(page).text for page in pages)


# Notifications -------------------------------------------------------------------------------


def test_notifications_show_the_notice_instead_of_hidden_titles_and_comments(
    client, login, world
):
    login(world.reader)
    assert HIDDEN_TITLE in client.get("/notifications?lang=en").text
    assert HIDDEN_COMMENT in client.get("/notifications?lang=en").text

    world.set_hidden(True)
    page = client.get("/notifications?lang=en").text
    following = client.get("/notifications/following?lang=en").text

    for text in (page, following):
        assert HIDDEN_TITLE not in text and HIDDEN_COMMENT not in text and ON_HIDDEN not in text
        assert NOTICE in text
    # The shown proposal's notifications keep its title; the stored data is untouched.
    assert SHOWN_TITLE in page
    stored = db.session.scalars(
        sa.select(Notification).where(Notification.user_id == world.reader.id)
    ).all()
    assert any(n.data.get("excerpt") == HIDDEN_COMMENT for n in stored)
    assert any(n.data.get("title") == HIDDEN_TITLE for n in stored)

    world.set_hidden(False)
    page = client.get("/notifications?lang=en").text
    assert HIDDEN_TITLE in page and HIDDEN_COMMENT in page and NOTICE not in page


def test_an_email_written_after_the_hiding_carries_the_notice_not_the_text(world):
    world.set_hidden(True)
    reader = db.session.get(User, world.reader.id)
    told = list(db.session.scalars(
        sa.select(Notification).where(Notification.user_id == reader.id)
        .order_by(Notification.id)
    ))
    outbox = db.session.get(OutboxMail, told[0].outbox_id)

    message = mail.compose(outbox, reader, told, utcnow())

    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    for body in (text, html, str(message["Subject"])):
        assert HIDDEN_TITLE not in body and HIDDEN_COMMENT not in body
        assert ON_HIDDEN not in body
    # The reader's e-mails are in Thai, their language.
    assert "ซ่อนโดยผู้ดูแลเนื้อหา: สแปมหรือโฆษณา" in text
