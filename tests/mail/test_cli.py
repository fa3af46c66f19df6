"""The `send-notifications` command that cron runs: every minute, and with --digest daily."""

from __future__ import annotations

from datetime import timedelta

from participation.accounts.models import EmailMode
from participation.core.models import utcnow
from tests.mail.conftest import comment_posted, follower, free_port


def test_the_command_sends_what_is_due_and_says_what_it_did(make, mailbox, runner):
    proposal = make.proposal(title="Ban open burning")
    reader = follower(make, proposal)
    comment_posted(proposal, actor=make.user(), now=utcnow() - timedelta(seconds=5))

    result = runner.invoke(args=["send-notifications"])

    assert result.exit_code == 0, result.output
    assert "Sent: 1;" in result.output
    assert len(mailbox.to(reader.email)) == 1
    again = runner.invoke(args=["send-notifications"])
    assert "Sent: 0;" in again.output and len(mailbox.messages) == 1


def test_the_digest_option_sends_the_daily_digests(make, mailbox, runner):
    proposal = make.proposal(title="Ban open burning")
    reader = follower(make, proposal, mode=EmailMode.DAILY)
    comment_posted(proposal, actor=make.user(), now=utcnow() - timedelta(minutes=5))

    assert "Sent: 0;" in runner.invoke(args=["send-notifications"]).output
    result = runner.invoke(args=["send-notifications", "--digest"])

    assert result.exit_code == 0, result.output
    assert "Digests queued: 1." in result.output and "Sent: 1;" in result.output
    assert "daily digest" in mailbox.to(reader.email)[0].message["Subject"]


def test_the_limit_option_caps_one_run(make, mailbox, runner):
    proposal = make.proposal()
    for _ in range(3):
        follower(make, proposal)
    comment_posted(proposal, actor=make.user(), now=utcnow() - timedelta(seconds=5))

    assert "Sent: 2;" in runner.invoke(args=["send-notifications", "--limit", "2"]).output
    assert "Sent: 1;" in runner.invoke(args=["send-notifications"]).output


def test_an_unreachable_server_fails_the_command_for_cron_to_report(make, mailbox, runner, app,
                                                                    monkeypatch):
    proposal = make.proposal()
    follower(make, proposal)
    comment_posted(proposal, actor=make.user(), now=utcnow() - timedelta(seconds=5))
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())

    result = runner.invoke(args=["send-notifications"])

    assert result.exit_code == 1
    assert "could not be reached" in result.output
