"""The public moderation page: anyone sees how many reports came in and what moderators did,
overall and over the last 30 days, by reason and by kind, and the latest actions with their
public reasons; never who reported, never the hidden text, never a blocked person's name."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from participation.accounts.models import User
from participation.comments import services as comments
from participation.core.models import utcnow
from participation.moderation import blocks
from participation.moderation import services as moderation
from participation.moderation.models import ContentKind, ModerationReason
from tests.querycount import page_queries

SPAM, ABUSE = ModerationReason.SPAM, ModerationReason.ABUSE
PROPOSAL, COMMENT = ContentKind.PROPOSAL, ContentKind.COMMENT


def row(page: str, row_id: str) -> list[int]:
    """The numbers in the cells of a table row."""
    match = re.search(rf'<tr role="row" id="{row_id}">(.*?)</tr>', page, re.S)
    assert match, row_id
    return [int(n) for n in re.findall(r'<td role="cell"[^>]*>(\d+)</td>', match.group(1))]


@pytest.fixture
def history(make, db):
    """Forty days of moderation: a proposal reported for spam, hidden then restored 40 days ago
    and reported again for abuse today (dismissed); a comment reported and hidden for abuse
    today; one block 40 days ago (ended) and one today."""
    now, long_ago = utcnow(), utcnow() - timedelta(days=40)
    moderator = make.user(is_moderator=True, display_name="Ploy Moderator")
    first = make.user(display_name="Secret Reporter One")
    second = make.user(display_name="Secret Reporter Two")
    proposal = make.proposal(title="Secret spam title", body="Buy cheap masks here.")
    comment = comments.add_comment(
        proposal=make.proposal(), author=make.user(), body="Nasty hidden words.", stance=None,
        now=now,
    )
    troll = make.user(display_name="Troll Unnamed")
    old_troll = make.user(display_name="Old Troll Unnamed")

    blocks.block(moderator=moderator, user=old_troll, reason=SPAM, days=3, now=long_ago)
    moderation.report(reporter=first, kind=PROPOSAL, content=proposal, reason=SPAM,
                      note="A private note about the spam.", now=long_ago)
    moderation.hide(moderator=moderator, kind=PROPOSAL, content=proposal, reason=SPAM,
                    now=long_ago)
    moderation.restore(moderator=moderator, kind=PROPOSAL, content=proposal,
                       now=long_ago + timedelta(days=1))
    moderation.report(reporter=second, kind=PROPOSAL, content=proposal, reason=ABUSE, note="",
                      now=now)
    moderation.dismiss(moderator=moderator, kind=PROPOSAL, content=proposal, now=now)
    moderation.report(reporter=first, kind=COMMENT, content=comment, reason=ABUSE, note="",
                      now=now)
    moderation.hide(moderator=moderator, kind=COMMENT, content=comment, reason=ABUSE, now=now)
    blocks.block(moderator=moderator, user=troll, reason=ABUSE, days=7, now=now)
    db.session.commit()
    return {"proposal": proposal.id, "comment": comment.id,
            "comment_proposal": comment.proposal_id}


def test_the_figures_for_the_last_30_days_and_since_the_start(history, client):
    page = client.get("/moderation").text

    # [last 30 days, since the start]
    assert row(page, "figures-reports") == [2, 3]
    assert row(page, "figures-hidden") == [1, 2]
    assert row(page, "figures-restored") == [0, 1]
    assert row(page, "figures-dismissed") == [1, 1]
    assert row(page, "figures-blocks") == [1, 2]


def test_the_breakdown_by_reason_and_by_kind_since_the_start(history, client):
    page = client.get("/moderation").text

    # [reports, hidden, reports dismissed, blocks]
    assert row(page, "reason-spam") == [1, 1, 0, 1]
    assert row(page, "reason-abuse") == [2, 1, 1, 1]
    assert row(page, "reason-off_topic") == [0, 0, 0, 0]
    # [reports, hidden, restored, reports dismissed]
    assert row(page, "kind-proposal") == [2, 1, 1, 1]
    assert row(page, "kind-comment") == [1, 1, 0, 0]


def test_the_breakdown_over_the_last_30_days(history, client):
    page = client.get("/moderation?period=recent").text

    assert row(page, "reason-spam") == [0, 0, 0, 0]
    assert row(page, "reason-abuse") == [2, 1, 1, 1]
    assert row(page, "kind-proposal") == [1, 0, 0, 1]
    assert row(page, "kind-comment") == [1, 1, 0, 0]
    assert '<strong aria-current="true">Last 30 days</strong>' in page


@pytest.mark.parametrize("period", ["", "unknown", "%00", "x" * 500])
def test_an_unknown_period_shows_everything(history, client, period):
    response = client.get(f"/moderation?period={period}")
    assert response.status_code == 200
    assert row(response.text, "reason-spam") == [1, 1, 0, 1]


def test_the_latest_actions_link_to_the_contribution_and_the_log(history, client):
    page = client.get("/moderation").text
    actions = page[page.index('id="latest"'):page.index('id="how"')]

    body = actions[actions.index("<tbody"):]
    assert body.count('<tr role="row">') == 6
    assert f'href="/proposals/{history["proposal"]}">Proposal #{history["proposal"]}' in actions
    assert (f'href="/comments/{history["comment"]}"'
            in actions)
    assert "Contribution hidden by a moderator" in actions
    assert "Account blocked by a moderator" in actions
    assert "Insults, harassment or hate" in actions and "Spam or advertising" in actions
    assert re.search(r'href="/log/\d+"', actions)
    # The newest first: today's block before the comment hidden today.
    assert actions.index("Account blocked") < actions.index("A comment on proposal")


def test_the_page_never_shows_reporters_hidden_text_or_blocked_people(history, client):
    page = client.get("/moderation").text
    for secret in ("Secret Reporter", "A private note", "Secret spam title", "cheap masks",
                   "Nasty hidden words", "Troll Unnamed"):
        assert secret not in page
    # Who moderates is public.
    assert "Ploy Moderator" in page


def test_the_page_explains_moderation_in_both_languages(client):
    english = client.get("/moderation").text
    assert "How moderation works" in english
    assert "How to report" in english and "The author is told" in english
    assert english.count("<dt>") >= len(ModerationReason)
    thai = client.get("/moderation?lang=th")
    assert thai.status_code == 200 and '<html lang="th">' in thai.text


def test_every_page_links_to_it_from_the_footer(client):
    assert 'href="/moderation"' in client.get("/").text


def test_the_page_runs_the_same_queries_with_more_moderation(make, client, db):
    moderator_id = make.user(is_moderator=True).id

    def moderate(rounds: int) -> None:
        moderator = db.session.get(User, moderator_id)
        for n in range(rounds):
            proposal = make.proposal()
            comment = comments.add_comment(proposal=proposal, author=make.user(),
                                           body=f"Rude {n}", stance=None, now=utcnow())
            for kind, content in ((COMMENT, comment), (PROPOSAL, proposal)):
                moderation.report(reporter=make.user(), kind=kind, content=content,
                                  reason=ABUSE, note="", now=utcnow())
                moderation.hide(moderator=moderator, kind=kind, content=content, reason=ABUSE,
                                now=utcnow())
            moderation.restore(moderator=moderator, kind=PROPOSAL, content=proposal,
                               now=utcnow())
            blocks.block(moderator=moderator, user=make.user(), reason=SPAM, days=2,
                         now=utcnow())
            make.user(is_moderator=True)
        db.session.commit()

    moderate(1)
    few, _text = page_queries(client, "/moderation")
    moderate(11)
    many, text = page_queries(client, "/moderation")

    assert few == many
    assert row(text, "figures-hidden") == [24, 24]
