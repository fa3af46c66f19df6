"""Reporting a proposal or comment: once per person, never one's own, never what is hidden,
deleted or a draft; the Report link is shown only to those who may report; reports are not
logged."""

from __future__ import annotations

from datetime import timedelta

import pytest

from participation.accountability.models import LogEntry
from participation.comments import services as comments
from participation.core.errors import NotAllowed
from participation.core.models import utcnow
from participation.moderation import services
from participation.moderation.services import ReportRefused
from participation.proposals.models import ProposalState
from tests.moderation.scene import ABUSE, COMMENT, PROPOSAL, SPAM, report, reports_of, thread
from tests.proposals.fixtures import proposal_in
from tests.rows import count_rows


def test_a_report_is_kept_with_its_reason_and_note_and_not_logged(make, cast):
    scene = thread(make, cast)
    entries = count_rows(LogEntry)

    made = report(cast.outsider, COMMENT, scene.comment, ABUSE, note="  It insults farmers.  ")

    [kept] = reports_of(COMMENT, scene.comment.id)
    assert kept.id == made.id
    assert (kept.reporter_id, kept.reason, kept.note) == (cast.outsider.id, ABUSE,
                                                          "It insults farmers.")
    assert kept.resolved_at is None and kept.outcome is None
    assert count_rows(LogEntry) == entries


def test_one_report_per_person_per_contribution(make, cast):
    scene = thread(make, cast)
    report(cast.outsider, PROPOSAL, scene.proposal)

    with pytest.raises(ReportRefused, match="already reported"):
        report(cast.outsider, PROPOSAL, scene.proposal, ABUSE)

    report(cast.member, PROPOSAL, scene.proposal)  # someone else still may
    assert len(reports_of(PROPOSAL, scene.proposal.id)) == 2


def test_nobody_reports_their_own_contribution(make, cast):
    scene = thread(make, cast)
    with pytest.raises(ReportRefused, match="your own"):
        report(cast.author, PROPOSAL, scene.proposal)
    with pytest.raises(ReportRefused, match="your own"):
        report(cast.member, COMMENT, scene.comment)
    assert reports_of(PROPOSAL, scene.proposal.id) == []


def test_a_draft_cannot_be_reported(make, cast):
    draft = proposal_in(make, ProposalState.DRAFT, cast=cast)
    with pytest.raises(ReportRefused, match="draft"):
        report(cast.secretary, PROPOSAL, draft)


def test_hidden_contributions_and_comments_of_a_hidden_proposal_cannot_be_reported(make, cast):
    scene = thread(make, cast)
    services.hide(moderator=scene.moderator, kind=COMMENT, content=scene.comment, reason=SPAM,
                  now=utcnow())
    with pytest.raises(ReportRefused, match="already hidden"):
        report(cast.outsider, COMMENT, scene.comment)

    services.hide(moderator=scene.moderator, kind=PROPOSAL, content=scene.proposal,
                  reason=SPAM, now=utcnow())
    with pytest.raises(ReportRefused, match="already hidden"):
        report(cast.outsider, PROPOSAL, scene.proposal)
    with pytest.raises(ReportRefused, match="already hidden"):
        report(cast.member, COMMENT, scene.reply)


def test_a_deleted_comment_cannot_be_reported(make, cast):
    scene = thread(make, cast)
    comments.delete_comment(comment=scene.reply, actor=cast.outsider, now=utcnow())
    with pytest.raises(ReportRefused, match="deleted"):
        report(cast.member, COMMENT, scene.reply)


def test_a_blocked_person_cannot_report(make, cast):
    scene = thread(make, cast)
    cast.outsider.blocked_until = utcnow() + timedelta(days=3)
    with pytest.raises(NotAllowed, match="blocked"):
        report(cast.outsider, PROPOSAL, scene.proposal)


def test_a_note_longer_than_1000_characters_is_refused(make, cast):
    scene = thread(make, cast)
    with pytest.raises(ReportRefused) as refused:
        report(cast.outsider, PROPOSAL, scene.proposal, note="x" * 1001)
    assert refused.value.field == "note"
    report(cast.outsider, PROPOSAL, scene.proposal, note="x" * 1000)


# Through the pages.


def test_reporting_a_comment_thanks_and_returns_to_it(make, cast, login, db):
    scene = thread(make, cast)
    db.session.commit()
    client = login(cast.outsider)

    form = client.get(f"/report/comment/{scene.comment.id}")
    assert form.status_code == 200
    assert "Report a comment" in form.text
    assert 'name="reason"' in form.text and 'value="other"' in form.text
    assert "Buy cheap purifiers" in form.text

    sent = client.post(f"/report/comment/{scene.comment.id}",
                       data={"reason": "spam", "note": "An advert."})

    assert sent.status_code == 302
    assert sent.headers["Location"].endswith(
        f"/comments/{scene.comment.id}")
    page = client.get(sent.headers["Location"], follow_redirects=True)
    assert "Thank you: a moderator will look at it." in page.text
    [kept] = reports_of(COMMENT, scene.comment.id)
    assert (kept.reason, kept.note) == (SPAM, "An advert.")


def test_reporting_a_proposal_in_thai(make, cast, login, db):
    scene = thread(make, cast)
    db.session.commit()
    client = login(cast.outsider)

    sent = client.post(f"/report/proposal/{scene.proposal.id}?lang=th",
                       data={"reason": "misleading"}, follow_redirects=True)

    assert '<html lang="th">' in sent.text
    assert len(reports_of(PROPOSAL, scene.proposal.id)) == 1


def test_the_report_form_refuses_a_missing_reason_and_a_long_note(make, cast, login, db):
    scene = thread(make, cast)
    db.session.commit()
    client = login(cast.outsider)

    empty = client.post(f"/report/proposal/{scene.proposal.id}", data={"note": "Hmm"})
    long = client.post(f"/report/proposal/{scene.proposal.id}",
                       data={"reason": "spam", "note": "x" * 1001})

    assert empty.status_code == 200 and "Choose a reason." in empty.text
    assert long.status_code == 200
    assert "The note may be at most 1000 characters long." in long.text
    assert reports_of(PROPOSAL, scene.proposal.id) == []


def test_a_second_report_is_refused_with_a_message_and_the_form_is_not_offered(
    make, cast, login, db
):
    scene = thread(make, cast)
    report(cast.outsider, COMMENT, scene.comment)
    db.session.commit()
    client = login(cast.outsider)

    page = client.get(f"/report/comment/{scene.comment.id}")
    again = client.post(f"/report/comment/{scene.comment.id}", data={"reason": "abuse"})

    assert "You have already reported this." in page.text
    assert 'name="reason"' not in page.text
    assert again.status_code == 302
    with client.session_transaction() as session:
        assert ("error", "You have already reported this. A moderator will look at it.") in (
            session["_flashes"])
    assert len(reports_of(COMMENT, scene.comment.id)) == 1


def test_authors_cannot_open_the_report_page_of_their_own_words(make, cast, login, db):
    scene = thread(make, cast)
    db.session.commit()
    assert login(cast.member).get(f"/report/comment/{scene.comment.id}").status_code == 403
    assert login(cast.author).post(f"/report/proposal/{scene.proposal.id}",
                                   data={"reason": "spam"}).status_code == 403
    assert reports_of(PROPOSAL, scene.proposal.id) == []


def test_visitors_are_sent_to_log_in_and_others_drafts_are_not_found(make, cast, client, login,
                                                                       db):
    scene = thread(make, cast)
    draft = proposal_in(make, ProposalState.DRAFT, cast=cast)
    db.session.commit()

    visitor = client.get(f"/report/comment/{scene.comment.id}")
    assert visitor.status_code == 302 and "/login" in visitor.headers["Location"]
    assert login(cast.outsider).get(f"/report/proposal/{draft.id}").status_code == 404
    assert login(cast.outsider).get("/report/comment/999999").status_code == 404
    assert login(cast.outsider).get(f"/report/ballot/{scene.comment.id}").status_code == 404


def test_an_unverified_person_is_asked_to_confirm_their_address_first(make, cast, login, db):
    scene = thread(make, cast)
    unverified = make.user(verified=False)
    db.session.commit()
    page = login(unverified).post(f"/report/proposal/{scene.proposal.id}",
                                  data={"reason": "spam"})
    assert page.status_code == 403
    assert reports_of(PROPOSAL, scene.proposal.id) == []


def test_the_report_link_is_shown_to_those_who_may_report_only(make, cast, client, login, db):
    scene = thread(make, cast)
    db.session.commit()
    url = f"/proposals/{scene.proposal.id}"
    comment_link = f'href="/report/comment/{scene.comment.id}"'
    reply_link = f'href="/report/comment/{scene.reply.id}"'
    proposal_link = f'href="/report/proposal/{scene.proposal.id}"'

    visitor = client.get(url).text
    assert "/report/" not in visitor

    outsider = login(cast.outsider).get(url).text
    assert comment_link in outsider and proposal_link in outsider
    assert reply_link not in outsider  # their own reply

    author = login(cast.author).get(url).text
    assert proposal_link not in author and comment_link in author

    member = login(cast.member).get(url).text
    assert comment_link not in member and reply_link in member


def test_the_report_link_is_not_shown_on_a_deleted_comment(make, cast, login, db):
    scene = thread(make, cast)
    comments.delete_comment(comment=scene.reply, actor=cast.outsider, now=utcnow())
    db.session.commit()
    page = login(cast.member).get(f"/proposals/{scene.proposal.id}").text
    assert f'href="/report/comment/{scene.reply.id}"' not in page


def test_a_second_click_racing_the_first_is_told_it_already_reported(make, cast,
                                                                      monkeypatch):
    scene = thread(make, cast)
    report(cast.outsider, PROPOSAL, scene.proposal)
    # As if the check ran before the first click's row existed: the unique row answers.
    monkeypatch.setattr(services, "_has_reported", lambda *args: False)

    with pytest.raises(ReportRefused, match="already reported"):
        report(cast.outsider, PROPOSAL, scene.proposal, ABUSE)
    assert [r.reason for r in reports_of(PROPOSAL, scene.proposal.id)] == [SPAM]
