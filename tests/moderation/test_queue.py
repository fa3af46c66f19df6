"""The moderators' queue: who may see it, one row per reported contribution with its counts per
reason, notes and oldest date, the longest waiting first; the hidden contributions; a fixed
number of queries however many reports there are."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from participation.accounts.models import User
from participation.comments import services as comments
from participation.core.models import utcnow
from participation.extensions import db
from participation.moderation import queries, services
from participation.moderation.models import ModerationReason
from participation.moderation.permissions import is_hideable
from participation.proposals.models import ProposalState
from tests.moderation.scene import ABUSE, COMMENT, PROPOSAL, SPAM, report, thread
from tests.proposals.fixtures import proposal_in
from tests.querycount import page_queries


def test_visitors_are_sent_to_log_in_and_others_refused(make, cast, client, login, db):
    db.session.commit()
    visitor = client.get("/moderation/queue")
    assert visitor.status_code == 302 and visitor.headers["Location"].startswith("/login")
    for who in ("outsider", "author", "secretary", "chair"):
        assert login(cast[who]).get("/moderation/queue").status_code == 403, who


def test_moderators_and_administrators_see_the_queue_and_a_link_to_it(make, cast, login, db):
    moderator = make.user(is_moderator=True)
    db.session.commit()
    for who in (moderator, cast.admin):
        page = login(who).get("/moderation/queue")
        assert page.status_code == 200
        assert 'href="/moderation/queue"' in page.text
    home = login(cast.outsider).get("/").text
    assert 'href="/moderation/queue"' not in home


def test_one_row_per_contribution_with_counts_notes_and_the_oldest_first(make, cast, login, db):
    scene = thread(make, cast)
    now = utcnow()
    report(cast.outsider, PROPOSAL, scene.proposal, SPAM, now=now - timedelta(hours=1))
    report(cast.chair, COMMENT, scene.comment, SPAM, note="An advert for a shop",
           now=now - timedelta(hours=5))
    report(cast.vice_chair, COMMENT, scene.comment, ABUSE, now=now - timedelta(hours=2))
    report(cast.secretary, COMMENT, scene.comment, SPAM, note="Spam again",
           now=now - timedelta(hours=3))
    report(cast.member, COMMENT, scene.reply, ABUSE, now=now - timedelta(hours=4))
    services.dismiss(moderator=scene.moderator, kind=COMMENT, content=scene.reply, now=now)
    db.session.commit()

    page = queries.queue_page(page=1, per_page=20)

    assert page.total == 2
    first, second = page.items
    assert (first.contribution.kind, first.contribution.id) == (COMMENT, scene.comment.id)
    assert first.total == 3
    assert first.by_reason == [(ModerationReason.SPAM, 2), (ModerationReason.ABUSE, 1)]
    assert [note.text for note in first.notes] == ["An advert for a shop", "Spam again"]
    assert first.oldest == now - timedelta(hours=5)
    assert first.suggested_reason == ModerationReason.SPAM
    assert first.contribution.proposal.id == scene.proposal.id
    assert (second.contribution.kind, second.total) == (PROPOSAL, 1)

    text = login(scene.moderator).get("/moderation/queue").text
    assert "2 contributions wait for a moderator." in text
    assert text.index(f'id="case-comment-{scene.comment.id}-title"') < text.index(
        f'id="case-proposal-{scene.proposal.id}-title"')
    assert "Spam or advertising (2), Insults, harassment or hate (1)" in text
    assert "An advert for a shop" in text and "Buy cheap purifiers" in text
    # The moderator decides on what was written; who reported it is not on the page.
    for reporter in (cast.chair, cast.vice_chair, cast.secretary):
        assert reporter.display_name not in text
    assert f'action="/moderation/comment/{scene.comment.id}/hide"' in text
    assert f'action="/moderation/comment/{scene.comment.id}/dismiss"' in text
    assert f'href="/moderation/users/{cast.member.id}/block"' in text
    assert '<option value="other"' not in text
    assert '<option value="spam" selected>' in text


def test_a_proposal_the_group_took_up_offers_only_dismissal(make, cast, login, db):
    scene = thread(make, cast, ProposalState.UNDER_CONSIDERATION)
    report(cast.outsider, PROPOSAL, scene.proposal)
    db.session.commit()
    text = login(scene.moderator).get("/moderation/queue").text
    assert f"/moderation/proposal/{scene.proposal.id}/hide" not in text
    assert f"/moderation/proposal/{scene.proposal.id}/dismiss" in text
    assert "cannot be hidden" in text


def test_a_comment_deleted_after_its_report_shows_so_and_can_be_dismissed(make, cast, login, db):
    scene = thread(make, cast)
    report(cast.member, COMMENT, scene.reply)
    comments.delete_comment(comment=scene.reply, actor=cast.outsider, now=utcnow())
    db.session.commit()
    text = login(scene.moderator).get("/moderation/queue").text
    assert "This comment was deleted by its author." in text
    assert f"/moderation/comment/{scene.reply.id}/hide" not in text
    assert f"/moderation/comment/{scene.reply.id}/dismiss" in text


def test_the_hidden_tab_lists_hidden_contributions_with_a_restore_button(make, cast, login, db):
    scene = thread(make, cast)
    services.hide(moderator=scene.moderator, kind=COMMENT, content=scene.comment, reason=SPAM,
                  now=utcnow() - timedelta(hours=1))
    services.hide(moderator=scene.moderator, kind=PROPOSAL, content=scene.proposal,
                  reason=ABUSE, now=utcnow())
    db.session.commit()

    page = queries.hidden_page(page=1, per_page=20)
    assert [(c.kind, c.id) for c in page.items] == [(PROPOSAL, scene.proposal.id),
                                                    (COMMENT, scene.comment.id)]

    text = login(scene.moderator).get("/moderation/queue?show=hidden").text
    assert "2 hidden contributions." in text
    assert "Hidden by a moderator: Spam or advertising" in text
    assert "Hidden by a moderator: Insults, harassment or hate" in text
    assert f'action="/moderation/proposal/{scene.proposal.id}/restore"' in text
    assert f'action="/moderation/comment/{scene.comment.id}/restore"' in text
    assert "Spray water near schools" in text  # moderators read what they hid
    empty = login(scene.moderator).get("/moderation/queue").text
    assert "No reports are waiting." in empty


def test_the_queue_in_thai(make, cast, login, db):
    scene = thread(make, cast)
    report(cast.outsider, COMMENT, scene.comment)
    db.session.commit()
    page = login(scene.moderator).get("/moderation/queue?lang=th")
    assert page.status_code == 200 and '<html lang="th">' in page.text


def test_the_queue_is_paginated(make, cast, login, db, app, monkeypatch):
    monkeypatch.setitem(app.config, "PER_PAGE", 2)
    moderator = make.user(is_moderator=True)
    for _ in range(3):
        report(cast.outsider, PROPOSAL, proposal_in(make, ProposalState.OPEN, cast=cast))
    db.session.commit()
    client = login(moderator)
    first = client.get("/moderation/queue").text
    second = client.get("/moderation/queue?page=2").text
    assert len(re.findall(r'class="card moderation-case"', first)) == 2
    assert len(re.findall(r'class="card moderation-case"', second)) == 1
    assert 'rel="next"' in first


def add_reports(make, count: int) -> None:
    """`count` reported contributions: proposals and comments by different people, each
    reported twice with notes, some comments deleted since."""
    for n in range(count):
        proposal = make.proposal()
        writer = make.user()
        comment = comments.add_comment(proposal=proposal, author=writer, body=f"Words {n}",
                                       stance=None, now=utcnow())
        for reporter in (make.user(), make.user()):
            report(reporter, PROPOSAL, proposal, SPAM, note=f"Note {n}")
            report(reporter, COMMENT, comment, ABUSE)
        if n % 3 == 0:
            comments.delete_comment(comment=comment, actor=writer, now=utcnow())


def hide_some(moderator_id: int, count: int) -> None:
    """Hide `count` of the reported contributions that can be hidden."""
    moderator = db.session.get(User, moderator_id)
    cases = [case.contribution for case in queries.queue_page(page=1, per_page=100).items
             if is_hideable(case.contribution.kind, case.contribution.content)]
    for contribution in cases[:count]:
        services.hide(moderator=moderator, kind=contribution.kind,
                      content=contribution.content, reason=SPAM, now=utcnow())


@pytest.mark.parametrize("tab", ["", "?show=hidden"])
def test_the_queue_runs_the_same_queries_with_10_or_30_reported_contributions(
    make, cast, login, db, app, monkeypatch, tab
):
    monkeypatch.setitem(app.config, "PER_PAGE", 100)
    moderator = make.user(is_moderator=True)
    moderator_id = moderator.id
    add_reports(make, 5)
    hide_some(moderator_id, 4)
    db.session.commit()
    client = login(moderator)

    few, text = page_queries(client, f"/moderation/queue{tab}")
    assert "moderation-case" in text
    add_reports(make, 10)
    hide_some(moderator_id, 8)
    db.session.commit()
    many, _ = page_queries(client, f"/moderation/queue{tab}")

    assert few == many
    # The person (and two-factor requirements), the unread count, and the page's own reads:
    # count, page, reports, comments, proposals (the hidden tab needs no reports).
    assert few <= 9
