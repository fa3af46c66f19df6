"""What readers see of hidden contributions, in Thai and English: the moderator's notice with
the reason instead of the text; replies keep their place; a hidden proposal's page answers
with the notice alone and takes no comment, support or change of state. The log shows what
moderators did, and the author's notification and e-mail say it in the author's language."""

from __future__ import annotations

import flask_babel
import pytest
import sqlalchemy as sa
from flask import current_app

from participation.accountability.models import LogEntry
from participation.accounts.models import EmailMode
from participation.comments import services as comments
from participation.comments.services import CommentsClosed, InvalidComment
from participation.core.models import utcnow
from participation.mail import services as mail
from participation.mail.models import OutboxMail
from participation.moderation import services
from participation.proposals import services as proposals
from participation.proposals.models import ProposalState
from participation.proposals.services import (
    InvalidMergeTarget,
    SupportNotAllowed,
    TransitionNotAllowed,
)
from tests.moderation.scene import ABUSE, COMMENT, PROPOSAL, SPAM, report, thread
from tests.notifications.scene import told
from tests.proposals.fixtures import proposal_in


def notice(language: str, reason: str) -> str:
    with flask_babel.force_locale(language):
        label = {"spam": SPAM, "abuse": ABUSE}[reason].label
        return flask_babel.gettext("Hidden by a moderator: %(reason)s", reason=label)


def hide(scene, kind, content, reason=SPAM):
    services.hide(moderator=scene.moderator, kind=kind, content=content, reason=reason,
                  now=utcnow())


@pytest.mark.parametrize("language", ["en", "th"])
def test_a_hidden_comment_shows_the_reason_and_its_reply_keeps_its_place(
    make, cast, client, login, db, language
):
    scene = thread(make, cast)
    hide(scene, COMMENT, scene.comment)
    db.session.commit()

    for reader in (client, login(cast.member)):  # a visitor, and the author
        text = reader.get(f"/proposals/{scene.proposal.id}?lang={language}").text
        assert notice(language, "spam") in text
        assert "Buy cheap purifiers" not in text and "example.com" not in text
        top = text.index(f'id="comment-{scene.comment.id}"')
        assert top < text.index(notice(language, "spam")) < text.index(
            f'id="comment-{scene.reply.id}"') < text.index("This looks like an advert.")
    assert notice("en", "spam") == "Hidden by a moderator: Spam or advertising"


def test_a_hidden_comment_offers_no_edit_reply_report_or_stance(make, cast, login, db):
    scene = thread(make, cast)
    hide(scene, COMMENT, scene.comment)
    db.session.commit()

    author = login(cast.member).get(f"/proposals/{scene.proposal.id}").text
    assert f"/comments/{scene.comment.id}/edit" not in author
    assert f'value="{scene.comment.id}"' not in author  # no reply form to it
    assert f"/comments/{scene.comment.id}/delete" in author  # the author may still delete
    other = login(cast.outsider).get(f"/proposals/{scene.proposal.id}").text
    assert f"/report/comment/{scene.comment.id}" not in other
    assert "For: <strong>0</strong>" in other  # its stance no longer counts
    assert "1 comment<" in other


def test_a_hidden_comment_cannot_be_edited_or_replied_to_and_its_history_is_hidden(
    make, cast, login, db
):
    scene = thread(make, cast)
    comments.edit_comment(comment=scene.comment, editor=cast.member, body="Still an advert",
                          stance=None, now=utcnow())
    hide(scene, COMMENT, scene.comment)
    with pytest.raises(InvalidComment, match="moderator hid"):
        comments.edit_comment(comment=scene.comment, editor=cast.member, body="Fixed",
                              stance=None, now=utcnow())
    with pytest.raises(InvalidComment, match="moderator hid"):
        comments.add_comment(proposal=scene.proposal, author=cast.outsider, body="Reply",
                             stance=None, parent=scene.comment, now=utcnow())
    db.session.commit()

    history = login(cast.outsider).get(f"/comments/{scene.comment.id}/history").text
    assert notice("en", "spam") in history
    assert "Buy cheap purifiers" not in history and "Still an advert" not in history
    edit = login(cast.member).get(f"/comments/{scene.comment.id}/edit", follow_redirects=True)
    assert "A comment a moderator hid cannot be edited." in edit.text


@pytest.mark.parametrize("language", ["en", "th"])
def test_a_hidden_proposal_answers_with_the_notice_alone(make, cast, client, login, db,
                                                         language):
    scene = thread(make, cast)
    hide(scene, PROPOSAL, scene.proposal, ABUSE)
    db.session.commit()
    url = f"/proposals/{scene.proposal.id}"

    for reader in (client, login(cast.author)):
        page = reader.get(f"{url}?lang={language}")
        assert page.status_code == 200
        assert notice(language, "abuse") in page.text
        for hidden in ("Spray water near schools", "A measure to reduce PM2.5 smoke.",
                       "This looks like an advert.", "/support", "/comments"):
            assert hidden not in page.text, hidden
        assert f"#{scene.proposal.id}" in page.text
        assert f"{url}/restore" not in page.text
    for path in (f"{url}/history", f"{url}/history/1"):
        page = client.get(path)
        assert page.status_code == 200 and "Spray water near schools" not in page.text


def test_a_moderator_sees_a_restore_button_on_the_hidden_proposal(make, cast, login, db):
    scene = thread(make, cast)
    hide(scene, PROPOSAL, scene.proposal)
    db.session.commit()
    client = login(scene.moderator)

    page = client.get(f"/proposals/{scene.proposal.id}").text
    action = f"/moderation/proposal/{scene.proposal.id}/restore?back=content"
    assert f'action="{action}"' in page
    restored = client.post(action, follow_redirects=True)
    assert "Restored: everyone can read it again" in restored.text
    assert "Spray water near schools" in restored.text


def test_a_hidden_proposal_takes_no_comment_support_or_change_of_state(make, cast, login, db):
    scene = thread(make, cast)
    merge_target = proposal_in(make, ProposalState.OPEN, cast=cast)
    hide(scene, PROPOSAL, scene.proposal)
    now = utcnow()

    with pytest.raises(CommentsClosed, match="a moderator hid this proposal"):
        comments.add_comment(proposal=scene.proposal, author=cast.outsider, body="More",
                             stance=None, now=now)
    with pytest.raises(SupportNotAllowed, match="a moderator hid this proposal"):
        proposals.support(proposal=scene.proposal, user=cast.outsider, now=now)
    with pytest.raises(TransitionNotAllowed, match="A moderator hid this proposal"):
        proposals.start_consideration(proposal=scene.proposal, actor=cast.secretary, now=now)
    with pytest.raises(TransitionNotAllowed, match="A moderator hid this proposal"):
        proposals.withdraw(proposal=scene.proposal, actor=cast.author, now=now)
    with pytest.raises(TransitionNotAllowed, match="A moderator hid this proposal"):
        proposals.edit_proposal(proposal=scene.proposal, editor=cast.author, title="New",
                                body="New", category=cast.category, now=now)
    with pytest.raises(TransitionNotAllowed, match="A moderator hid this proposal"):
        proposals.merge(proposal=scene.proposal, into=merge_target, actor=cast.secretary,
                        now=now)
    with pytest.raises(InvalidMergeTarget, match="hidden by a moderator"):
        proposals.merge(proposal=merge_target, into=scene.proposal, actor=cast.secretary,
                        now=now)
    assert scene.proposal.state == ProposalState.OPEN and scene.proposal.support_count == 0


def test_the_pages_refuse_on_a_hidden_proposal_with_a_translated_message(make, cast, login, db):
    scene = thread(make, cast)
    hide(scene, PROPOSAL, scene.proposal)
    db.session.commit()
    url = f"/proposals/{scene.proposal.id}"

    comment = login(cast.outsider).post(f"{url}/comments?lang=th", data={"body": "Hello"},
                                        follow_redirects=True)
    support = login(cast.outsider).post(f"{url}/support?lang=en", follow_redirects=True)
    consider = login(cast.secretary).post(f"{url}/consider?lang=en", follow_redirects=True)

    with flask_babel.force_locale("th"):
        closed = flask_babel.gettext("Comments are closed because a moderator hid this proposal.")
    assert closed in comment.text
    assert "Support is closed because a moderator hid this proposal." in support.text
    assert "A moderator hid this proposal: it cannot change until it is restored." in (
        consider.text)
    db.session.expire_all()
    assert scene.proposal.comment_count == 2 and scene.proposal.state == ProposalState.OPEN


def test_the_log_shows_what_moderators_did_linked_to_the_thread(make, cast, client, db):
    scene = thread(make, cast)
    report(cast.outsider, COMMENT, scene.comment)
    report(cast.chair, COMMENT, scene.comment)
    hide(scene, COMMENT, scene.comment)
    services.restore(moderator=scene.moderator, kind=COMMENT, content=scene.comment,
                     now=utcnow())
    report(cast.outsider, PROPOSAL, scene.proposal)
    services.dismiss(moderator=scene.moderator, kind=PROPOSAL, content=scene.proposal,
                     now=utcnow())
    db.session.commit()

    log = client.get("/log").text
    assert "Contribution hidden by a moderator" in log
    assert "Contribution restored by a moderator" in log
    assert "Reports dismissed by a moderator" in log
    assert "Spam or advertising" in log and "2 reports" in log and "1 report" in log
    assert f'href="/comments/{scene.comment.id}"' in log
    assert cast.outsider.display_name not in log and cast.chair.display_name not in log

    hiding = db.session.scalar(
        sa.select(LogEntry.id).where(LogEntry.verb == "moderation.hidden")
    )
    entry = client.get(f"/log/{hiding}")
    assert entry.status_code == 200
    assert f'href="/comments/{scene.comment.id}"' in entry.text
    filtered = client.get("/log?subject_type=comment&verb=moderation.hidden")
    assert filtered.status_code == 200 and "Contribution hidden by a moderator" in filtered.text
    thai = client.get("/log?lang=th")
    assert thai.status_code == 200


def test_the_log_names_a_hidden_proposal_by_its_number_only(make, cast, client, db):
    scene = thread(make, cast)
    hide(scene, PROPOSAL, scene.proposal)
    db.session.commit()
    log = client.get(f"/log?subject_type=proposal&subject_id={scene.proposal.id}").text
    assert "Contribution hidden by a moderator" in log
    assert "Spray water near schools" not in log


@pytest.mark.parametrize("language", ["en", "th"])
def test_the_author_reads_why_in_their_notifications_and_e_mail(make, cast, login, db,
                                                                  language):
    scene = thread(make, cast)
    cast.member.email_mode = EmailMode.IMMEDIATE
    cast.member.language = language
    hide(scene, COMMENT, scene.comment)
    db.session.commit()

    page = login(cast.member).get(f"/notifications?lang={language}").text
    with flask_babel.force_locale(language):
        event = flask_babel.gettext("A moderator hid your contribution")
        reason = SPAM.label
    assert event in page and reason in page
    assert "Spray water near schools" in page

    [notification] = told(cast.member, "moderation.hidden")
    outbox = db.session.get(OutboxMail, notification.outbox_id)
    message = mail.compose(outbox, cast.member, [notification], utcnow())
    text = message.get_body(("plain",)).get_content()
    assert message["Subject"] == f"{event}: Spray water near schools"
    assert reason in text
    assert f"/comments/{scene.comment.id}?lang={language}" in text
    assert "> Buy cheap purifiers at **example.com**" in text  # which comment it was
    with flask_babel.force_locale(language):
        own = flask_babel.gettext(
            "You receive this e-mail because it is about your own contribution on %(site)s.",
            site=current_app.config["SITE_NAME"])
    assert own in text
    assert "because you follow" not in text


def test_the_restored_notification_says_it_is_readable_again(make, cast, login, db):
    scene = thread(make, cast)
    hide(scene, PROPOSAL, scene.proposal)
    services.restore(moderator=scene.moderator, kind=PROPOSAL, content=scene.proposal,
                     now=utcnow())
    db.session.commit()
    page = login(cast.author).get("/notifications").text
    assert "A moderator restored your contribution" in page
    assert "Everyone can read it again." in page
