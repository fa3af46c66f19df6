"""Following in the demo: people who follow a proposal, the group or the commitment find
notifications (some read), their e-mails wait in the outbox, and a new comment reaches each
follower by e-mail in their own language. Search finds Thai words inside compounds."""

from __future__ import annotations

import re
from collections import Counter

import flask_babel
import sqlalchemy as sa

from participation.accounts.models import EmailMode
from participation.comments import services as comments
from participation.comments.models import Stance
from participation.extensions import db as _db
from participation.mail.models import MailStatus, OutboxMail
from participation.notifications.models import Follow, FollowedType, Notification
from participation.search import text
from participation.search.models import DocumentKind
from participation.search.queries import SearchRequest, search
from tests.demo.conftest import NOW

COMMENT = "ขอให้เริ่มห้องเรียนปลอดฝุ่นที่ศูนย์พัฒนาเด็กเล็กในอำเภอแม่เมาะก่อนครับ"


def _events(user) -> Counter:
    return Counter(_db.session.scalars(
        sa.select(Notification.event).where(Notification.user_id == user.id)
    ))


def _unread(user) -> int:
    return _db.session.scalar(
        sa.select(sa.func.count()).where(Notification.user_id == user.id,
                                         Notification.read_at.is_(None))
    )


def test_people_follow_a_proposal_the_group_and_the_commitment_in_their_languages(demo, db):
    users = demo.users
    follows = {
        (row.user_id, row.subject_type, row.subject_id)
        for row in db.session.scalars(sa.select(Follow))
    }
    assert follows == {
        (users["citizen1"].id, FollowedType.PROPOSAL, demo.proposals["open_data"].id),
        (users["researcher"].id, FollowedType.GROUP, demo.group.id),
        (users["citizen2"].id, FollowedType.COMMITMENT, demo.commitment.id),
        (users["citizen2"].id, FollowedType.PROPOSAL, demo.proposals["clean_rooms"].id),
        (users["citizen3"].id, FollowedType.PROPOSAL, demo.proposals["clean_rooms"].id),
    }
    languages = {key: user.language for key, user in users.items()}
    assert {key for key, language in languages.items() if language == "en"} == {
        "researcher", "citizen2"}
    assert users["researcher"].email_mode == EmailMode.DAILY
    assert users["citizen1"].email_mode == EmailMode.IMMEDIATE


def test_followers_were_told_what_happened_after_they_followed_and_read_some_of_it(demo, db):
    users = demo.users
    citizen1 = _events(users["citizen1"])
    assert citizen1["comment.posted"] == 3  # others' comments on the open-data proposal
    assert citizen1["ballot.opened"] == 1 and citizen1["decision.recorded"] == 1
    assert citizen1["commitment.created"] == 1
    researcher = _events(users["researcher"])
    assert researcher["meeting.scheduled"] == 3 and researcher["minutes.published"] == 2
    assert researcher["decision.recorded"] == 2
    assert _events(users["citizen2"])["progress.posted"] == 3
    for key in ("citizen1", "researcher", "citizen2"):
        total = sum(_events(users[key]).values())
        assert 0 < _unread(users[key]) < total, key


def test_e_mails_wait_in_the_outbox_for_immediate_readers_only(demo, db):
    statuses = Counter(db.session.scalars(sa.select(OutboxMail.status)))
    assert set(statuses) == {MailStatus.PENDING}
    carried = db.session.execute(
        sa.select(Notification.user_id, Notification.outbox_id).where(
            Notification.user_id.in_([demo.users["citizen1"].id, demo.users["researcher"].id]))
    ).all()
    assert {outbox is not None for user, outbox in carried if user == demo.users["citizen1"].id} \
        == {True}
    assert {outbox for user, outbox in carried if user == demo.users["researcher"].id} == {None}


def test_a_comment_on_a_followed_demo_proposal_is_mailed_to_each_follower_in_their_language(
    demo, db, mailbox, runner
):
    proposal = demo.proposals["clean_rooms"]
    english, thai = demo.users["citizen2"], demo.users["citizen3"]
    assert (english.language, thai.language) == ("en", "th")
    queued = db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMail))
    comments.add_comment(proposal=proposal, author=demo.users["volunteer"], body=COMMENT,
                         stance=Stance.FOR, now=NOW)
    db.session.commit()

    result = runner.invoke(args=["send-notifications"])

    # The demo's queued mails go too: every one is deliverable.
    assert f"Sent: {queued + 2};" in result.output, result.output
    labels = {}
    for language in ("en", "th"):
        with flask_babel.force_locale(language):
            labels[language] = flask_babel.gettext("New comment")
    for reader, language in ((english, "en"), (thai, "th")):
        (mail,) = [mail for mail in mailbox.to(reader.email) if COMMENT in mail.text]
        assert mail.message["Content-Language"] == language
        assert mail.message["Subject"] == f"{labels[language]}: {proposal.title}"
        assert re.search(rf"https://ruam\.example/comments/\d+\?lang={language}", mail.text)
        assert f'<html lang="{language}">' in mail.html


def test_searching_the_demo_for_a_thai_word_inside_a_compound_finds_it(demo, db):
    open_data = demo.proposals["open_data"]
    # "ป่า" (forest) is written only inside "ไฟป่า" (forest fire) in this proposal.
    words = text.segment(f"{open_data.title} {open_data.body}")
    assert "ไฟป่า" in words and "ป่า" not in words
    found = search(SearchRequest(q="ป่า", kinds=frozenset({DocumentKind.PROPOSAL})), per_page=20)
    assert open_data.id in {hit.document.object_id for hit in found.page.items}

    # The published minutes are searchable too: the hotspot report of the first meeting.
    report = demo.meetings[0].items[2]
    found = search(SearchRequest(q="จุดความร้อน", kinds=frozenset({DocumentKind.MINUTES})),
                   per_page=20)
    assert report.id in {hit.document.object_id for hit in found.page.items}
