"""Blocks: a moderator stops a person from taking part for 1 to 365 days with a reason, or lifts
the block early; a block whose end has passed no longer applies. Administrators, moderators,
oneself and deleted accounts cannot be blocked. A blocked person reads, manages their account
and downloads their data, but every take-part action answers 403 with the reason and end."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from participation.accountability.models import LogEntry
from participation.accounts.models import User
from participation.accounts.permissions import can_take_part, is_blocked
from participation.comments.models import Comment
from participation.core.errors import DomainError, NotAllowed
from participation.core.i18n import format_datetime
from participation.core.models import utcnow
from participation.extensions import db
from participation.moderation import blocks
from participation.moderation.models import Block, ModerationReason
from participation.proposals.models import Proposal, Support
from tests.querycount import page_queries
from tests.rows import count_rows

ABUSE = ModerationReason.ABUSE


def log_entries(verb: str) -> list[LogEntry]:
    return list(db.session.scalars(
        sa.select(LogEntry).where(LogEntry.verb == verb).order_by(LogEntry.id)
    ))


# The services.


def test_a_moderator_blocks_a_person_for_a_number_of_days_with_a_reason(make):
    moderator, person = make.user(is_moderator=True), make.user()
    now = utcnow()

    placed = blocks.block(moderator=moderator, user=person, reason=ABUSE, days=7, now=now)

    assert placed.ends_at == placed.starts_at + timedelta(days=7)
    assert abs(placed.starts_at - now) < timedelta(seconds=1)
    assert person.blocked_until == placed.ends_at
    assert placed.blocked_by_id == moderator.id and placed.lifted_at is None
    assert is_blocked(person, now) and not can_take_part(person)
    (entry,) = log_entries("user.blocked")
    assert (entry.actor_id, entry.subject_type, entry.subject_id) == (
        moderator.id, "user", person.id)
    assert entry.data == {"reason": "abuse", "until": placed.ends_at.isoformat()}
    assert entry.data["until"].endswith("+00:00")


def test_an_administrator_also_blocks(make):
    admin, person = make.user(is_admin=True), make.user()
    blocks.block(moderator=admin, user=person, reason=ABUSE, days=1, now=utcnow())
    assert is_blocked(person)


@pytest.mark.parametrize("who, message", [
    ("administrator", "Administrators cannot be blocked"),
    ("moderator", "Moderators cannot be blocked"),
    ("oneself", "You cannot block yourself"),
    ("deleted", "This account has been deleted"),
])
def test_administrators_moderators_oneself_and_deleted_accounts_cannot_be_blocked(
    make, who, message
):
    moderator = make.user(is_moderator=True)
    person = {
        "administrator": lambda: make.user(is_admin=True),
        "moderator": lambda: make.user(is_moderator=True),
        "oneself": lambda: moderator,
        "deleted": lambda: make.user(),
    }[who]()
    if who == "deleted":
        person.erased_at = utcnow()

    with pytest.raises(blocks.CannotBlock, match=message):
        blocks.block(moderator=moderator, user=person, reason=ABUSE, days=3, now=utcnow())

    assert person.blocked_until is None
    assert count_rows(Block) == 0 and log_entries("user.blocked") == []


def test_a_person_already_blocked_is_refused_until_the_block_is_lifted(make):
    moderator, person = make.user(is_moderator=True), make.user()
    now = utcnow()
    first = blocks.block(moderator=moderator, user=person, reason=ABUSE, days=3, now=now)

    with pytest.raises(blocks.CannotBlock, match="already blocked until"):
        blocks.block(moderator=moderator, user=person, reason=ModerationReason.SPAM, days=30,
                     now=now)
    assert person.blocked_until == first.ends_at and count_rows(Block) == 1

    blocks.unblock(moderator=moderator, user=person, now=now)
    second = blocks.block(moderator=moderator, user=person, reason=ModerationReason.SPAM,
                          days=30, now=now)
    assert person.blocked_until == second.ends_at and count_rows(Block) == 2


@pytest.mark.parametrize("days", [0, -1, 366, 10_000])
def test_a_block_lasts_from_one_to_365_days(make, days):
    moderator, person = make.user(is_moderator=True), make.user()
    with pytest.raises(DomainError, match="from 1 to 365 days"):
        blocks.block(moderator=moderator, user=person, reason=ABUSE, days=days, now=utcnow())
    assert person.blocked_until is None and count_rows(Block) == 0


def test_a_block_names_a_reason_other_than_another_reason(make):
    moderator, person = make.user(is_moderator=True), make.user()
    with pytest.raises(DomainError, match="Choose the reason"):
        blocks.block(moderator=moderator, user=person, reason=ModerationReason.OTHER, days=3,
                     now=utcnow())
    assert count_rows(Block) == 0


def test_only_moderators_block_and_lift_blocks(make):
    participant, person = make.user(), make.user()
    with pytest.raises(NotAllowed):
        blocks.block(moderator=participant, user=person, reason=ABUSE, days=3, now=utcnow())
    blocks.block(moderator=make.user(is_moderator=True), user=person, reason=ABUSE, days=3,
                 now=utcnow())
    with pytest.raises(NotAllowed):
        blocks.unblock(moderator=participant, user=person, now=utcnow())
    assert is_blocked(person)


def test_lifting_a_block_clears_it_and_writes_the_log(make):
    moderator, other_moderator, person = (
        make.user(is_moderator=True), make.user(is_moderator=True), make.user())
    now = utcnow()
    placed = blocks.block(moderator=moderator, user=person, reason=ABUSE, days=10, now=now)

    lifted = blocks.unblock(moderator=other_moderator, user=person, now=now + timedelta(hours=1))

    assert lifted.id == placed.id
    assert lifted.lifted_at == now + timedelta(hours=1)
    assert lifted.lifted_by_id == other_moderator.id
    assert person.blocked_until is None and can_take_part(person)
    (entry,) = log_entries("user.unblocked")
    assert (entry.actor_id, entry.subject_type, entry.subject_id, entry.data) == (
        other_moderator.id, "user", person.id, {})


def test_lifting_a_block_that_is_not_there_is_refused(make):
    moderator, person = make.user(is_moderator=True), make.user()
    with pytest.raises(DomainError, match="is not blocked"):
        blocks.unblock(moderator=moderator, user=person, now=utcnow())
    assert log_entries("user.unblocked") == []


def test_a_block_whose_end_has_passed_no_longer_applies(make):
    moderator, person = make.user(is_moderator=True), make.user()
    long_ago = utcnow() - timedelta(days=10)
    blocks.block(moderator=moderator, user=person, reason=ABUSE, days=3, now=long_ago)

    assert not is_blocked(person) and can_take_part(person)
    assert blocks.block_in_force(person, now=utcnow()) is None
    with pytest.raises(DomainError, match="is not blocked"):
        blocks.unblock(moderator=moderator, user=person, now=utcnow())
    # A new block may be placed; the old one stays in the history.
    blocks.block(moderator=moderator, user=person, reason=ABUSE, days=3, now=utcnow())
    assert is_blocked(person) and count_rows(Block) == 2


# The pages.


@pytest.fixture
def moderator(make, login, db):
    user = make.user(is_moderator=True, display_name="Somchai Moderator")
    db.session.commit()
    login(user)
    return user


def test_the_block_page_shows_the_person_and_what_they_wrote(make, moderator, client):
    person = make.user(display_name="Loud Neighbour")
    proposal = make.proposal(author=person)
    db.session.add(Comment(proposal_id=proposal.id, author_id=person.id, body="Spam spam"))
    db.session.commit()

    page = client.get(f"/moderation/users/{person.id}/block").text

    assert "Loud Neighbour" in page
    assert "1 in all, 1 in the last 30 days" in page
    assert '<select id="reason" name="reason"' in page
    assert 'value="other"' not in page  # a block names a real reason
    assert 'name="days"' in page


def test_a_moderator_blocks_through_the_form(make, moderator, client):
    person = make.user(display_name="Loud Neighbour")
    db.session.commit()

    response = client.post(f"/moderation/users/{person.id}/block",
                           data={"reason": "spam", "days": "14"})

    assert response.status_code == 302
    assert response.headers["Location"] == f"/moderation/users/{person.id}/block"
    person = db.session.get(User, person.id)
    assert is_blocked(person)
    assert person.blocked_until - utcnow() > timedelta(days=13, hours=23)
    page = client.get(response.headers["Location"]).text
    assert "Loud Neighbour is blocked until" in page
    assert "Block in force" in page and "Spam or advertising" in page
    assert f'action="/moderation/users/{person.id}/unblock"' in page


@pytest.mark.parametrize("data, error", [
    ({"reason": "spam", "days": "0"}, "A block lasts from 1 to 365 days."),
    ({"reason": "spam", "days": "366"}, "A block lasts from 1 to 365 days."),
    ({"reason": "spam", "days": "a week"}, "Not a valid integer value."),
    ({"reason": "spam", "days": ""}, "Enter the number of days the block lasts."),
    ({"reason": "", "days": "3"}, "Choose the reason for the block."),
    ({"reason": "other", "days": "3"}, "Not a valid choice."),
    ({"reason": "SPAM", "days": "3"}, "Not a valid choice."),
])
def test_wrong_input_is_explained_and_blocks_nobody(make, moderator, client, data, error):
    person = make.user()
    db.session.commit()

    response = client.post(f"/moderation/users/{person.id}/block", data=data)

    assert response.status_code == 200
    assert error in response.text
    assert count_rows(Block) == 0


def test_the_block_page_of_an_administrator_says_why_there_is_no_form(make, moderator, client):
    admin = make.user(is_admin=True)
    db.session.commit()

    page = client.get(f"/moderation/users/{admin.id}/block").text
    assert "Administrators cannot be blocked." in page
    assert 'name="days"' not in page

    response = client.post(f"/moderation/users/{admin.id}/block",
                           data={"reason": "abuse", "days": "3"})
    assert response.status_code == 200
    assert "Administrators cannot be blocked." in response.text
    assert count_rows(Block) == 0


def test_a_moderator_lifts_a_block(make, moderator, client):
    person = make.user(display_name="Loud Neighbour")
    blocks.block(moderator=moderator, user=person, reason=ABUSE, days=3, now=utcnow())
    db.session.commit()

    response = client.post(f"/moderation/users/{person.id}/unblock", follow_redirects=True)

    assert "The block on Loud Neighbour is lifted." in response.text
    assert db.session.get(User, person.id).blocked_until is None
    # Again: nothing to lift, said so, nothing written.
    response = client.post(f"/moderation/users/{person.id}/unblock", follow_redirects=True)
    assert "Loud Neighbour is not blocked." in response.text
    assert len(log_entries("user.unblocked")) == 1


@pytest.mark.parametrize("path", ["/moderation/users/{id}/block", "/moderation/blocks"])
def test_only_moderators_open_the_block_pages(make, login, client, path):
    participant, person = make.user(), make.user()
    db.session.commit()
    url = path.format(id=person.id)

    assert client.get(url).status_code == 302  # a visitor logs in first
    login(participant)
    assert client.get(url).status_code == 403
    login(make.user(is_admin=True))
    assert client.get(url).status_code == 200


def test_participants_cannot_block_or_lift(make, login, client):
    participant, person = make.user(), make.user()
    blocks.block(moderator=make.user(is_moderator=True), user=person, reason=ABUSE, days=3,
                 now=utcnow())
    victim = make.user()
    db.session.commit()
    login(participant)

    assert client.post(f"/moderation/users/{victim.id}/block",
                       data={"reason": "spam", "days": "3"}).status_code == 403
    assert client.post(f"/moderation/users/{person.id}/unblock").status_code == 403
    assert count_rows(Block) == 1
    assert db.session.get(User, person.id).blocked_until is not None


def test_the_list_shows_blocks_in_force_first_then_past_ones(make, moderator, client):
    now = utcnow()
    in_force = make.user(display_name="Still Blocked")
    ended = make.user(display_name="Served Their Time")
    lifted = make.user(display_name="Forgiven Early")
    blocks.block(moderator=moderator, user=ended, reason=ABUSE, days=2,
                 now=now - timedelta(days=5))
    blocks.block(moderator=moderator, user=lifted, reason=ModerationReason.SPAM, days=9,
                 now=now - timedelta(days=1))
    blocks.unblock(moderator=moderator, user=lifted, now=now)
    blocks.block(moderator=moderator, user=in_force, reason=ModerationReason.OFF_TOPIC, days=20,
                 now=now - timedelta(days=2))
    db.session.commit()

    page = client.get("/moderation/blocks").text

    assert page.index("Still Blocked") < page.index("Forgiven Early") < page.index(
        "Served Their Time")
    assert page.count("In force") == 1 and "Lifted" in page and "Ended" in page
    assert page.count('/unblock"') == 1  # only the block in force can be lifted
    assert "3 blocks" in page


def test_the_list_runs_the_same_queries_with_more_blocks(make, moderator, client, db):
    def add_blocks(n: int) -> None:
        for _ in range(n):
            person = make.user()
            blocks.block(moderator=make.user(is_moderator=True), user=person, reason=ABUSE,
                         days=3, now=utcnow())
            blocks.unblock(moderator=make.user(is_moderator=True), user=person, now=utcnow())
        db.session.commit()

    add_blocks(1)
    few, _text = page_queries(client, "/moderation/blocks")
    add_blocks(8)
    many, text = page_queries(client, "/moderation/blocks")

    assert few == many
    assert text.count("Lifted") == 9


# The guard: a blocked person reads but does not take part.


@pytest.fixture
def blocked(make, login, db):
    """A confirmed participant a moderator blocked for a week for abuse, logged in."""
    person = make.user(display_name="Blocked Person")
    blocks.block(moderator=make.user(is_moderator=True), user=person, reason=ABUSE, days=7,
                 now=utcnow())
    db.session.commit()
    login(person)
    return person


def test_a_blocked_person_cannot_take_part_and_is_told_why_and_until_when(
    make, blocked, client
):
    proposal = make.proposal()
    db.session.commit()
    proposals_before = count_rows(Proposal)

    attempts = {
        "propose": client.get("/proposals/new"),
        "propose (post)": client.post("/proposals/new", data={
            "title": "Smoke", "body": "Less smoke.", "category": proposal.category_id,
            "group": proposal.group_id}),
        "comment": client.post(f"/proposals/{proposal.id}/comments",
                               data={"body": "Yes", "stance": "for"}),
        "support": client.post(f"/proposals/{proposal.id}/support"),
        "volunteer": client.post("/tasks/1/signup"),
        "review": client.get("/progress/1/review"),
        "report": client.post(f"/report/proposal/{proposal.id}",
                              data={"reason": "spam", "note": ""}),
    }

    for action, response in attempts.items():
        assert response.status_code == 403, action
        assert "Your account is blocked" in response.text, action
        assert "Insults, harassment or hate" in response.text, action
    with force_locale("en"):
        assert f"<dd>{format_datetime(blocked.blocked_until)}</dd>" in attempts["support"].text
    assert count_rows(Proposal) == proposals_before
    assert count_rows(Support) == 0 and count_rows(Comment) == 0
    # What the page offers instead.
    page = attempts["support"].text
    assert 'href="/account"' in page and 'href="/account/data"' in page


def test_a_blocked_person_still_reads_and_manages_their_account(make, blocked, client):
    proposal = make.proposal()
    db.session.commit()
    for url in (f"/proposals/{proposal.id}", "/proposals", "/account", "/moderation", "/log"):
        assert client.get(url).status_code == 200, url


def test_an_open_proposal_tells_a_blocked_reader_why_there_is_no_comment_form(
    make, blocked, client
):
    proposal = make.proposal()
    db.session.commit()
    page = client.get(f"/proposals/{proposal.id}").text

    assert "A moderator has blocked your account for a while." in page
    assert 'name="body"' not in page and "Log in to comment" not in page
    assert "You are the author" not in page


def test_the_blocked_page_gives_the_date_in_the_readers_language(blocked, client):
    page = client.post("/proposals/1/support?lang=th").text
    with force_locale("th"):
        until = format_datetime(blocked.blocked_until)
    assert str(blocked.blocked_until.year + 543) in until
    assert until in page
    assert '<html lang="th">' in page


def test_after_the_end_date_the_person_takes_part_again(make, login, client):
    person = make.user()
    blocks.block(moderator=make.user(is_moderator=True), user=person, reason=ABUSE, days=2,
                 now=utcnow() - timedelta(days=3))
    proposal = make.proposal()
    db.session.commit()
    login(person)

    assert client.get("/proposals/new").status_code == 200
    assert client.post(f"/proposals/{proposal.id}/support").status_code == 302
    assert count_rows(Support, Support.user_id == person.id) == 1


def test_the_log_shows_a_blocks_reason_and_end_in_the_readers_language(make, client):
    moderator, person = make.user(is_moderator=True), make.user()
    blocks.block(moderator=moderator, user=person, reason=ABUSE, days=7, now=utcnow())
    db.session.commit()
    (entry,) = log_entries("user.blocked")

    page = client.get(f"/log/{entry.id}").text
    assert "Account blocked by a moderator" in page
    assert "Insults, harassment or hate" in page
    assert f"until {format_datetime(person.blocked_until)}" in page
    with force_locale("th"):
        in_thai = format_datetime(person.blocked_until)
    assert str(person.blocked_until.year + 543) in in_thai
    assert in_thai in client.get(f"/log/{entry.id}?lang=th").text
