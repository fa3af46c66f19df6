"""Moderation in the demo (moderation lane A1): the moderator's queue has open reports, an
advert is hidden as spam in its thread, and the log says so."""

from __future__ import annotations

import sqlalchemy as sa

from participation.accountability.models import LogEntry
from participation.accounts.models import User
from participation.moderation import queries
from participation.moderation.models import ModerationReason, Report, ReportOutcome
from participation.notifications.models import Notification


def test_the_moderator_logs_in_and_finds_open_reports_in_the_queue(demo, db, login):
    moderator = demo.users["moderator"]
    assert moderator.is_moderator and not moderator.is_admin
    assert moderator.email == "moderator@demo.ruam.example"
    assert any(each.email == moderator.email for each in demo.logins)

    page = queries.queue_page(page=1, per_page=20)
    assert page.total == 2
    assert sum(case.total for case in page.items) == 3
    assert all(case.contribution.content.author_id != demo.users["advertiser"].id
               for case in page.items)

    queue = login(moderator).get("/moderation/queue?lang=th")
    assert queue.status_code == 200
    assert "ตัวเลขนักท่องเที่ยวลดลงเพราะหลายสาเหตุ" in queue.text


def test_the_advert_is_hidden_as_spam_with_its_reports_and_its_author_told(demo, db, client):
    advert = demo.hidden_comment
    assert advert.hidden_reason == ModerationReason.SPAM
    outcomes = db.session.scalars(
        sa.select(Report.outcome).where(Report.content_id == advert.id)).all()
    assert outcomes == [ReportOutcome.HIDDEN, ReportOutcome.HIDDEN]
    entry = db.session.scalars(sa.select(LogEntry).where(LogEntry.verb == "moderation.hidden")
                               ).one()
    assert entry.data == {"reason": "spam", "reports": 2}
    advertiser = db.session.get(User, advert.author_id)
    assert db.session.scalars(sa.select(Notification.event).where(
        Notification.user_id == advertiser.id)).all() == ["moderation.hidden"]

    page = client.get(f"/proposals/{advert.proposal_id}?lang=en").text
    assert "Hidden by a moderator: Spam or advertising" in page
    assert "ราคาส่ง" not in page
    assert client.get("/moderation/queue").status_code == 302
