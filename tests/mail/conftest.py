"""A real SMTP server (aiosmtpd) on 127.0.0.1 for the mail tests, and helpers to make mail."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from participation.accounts.models import EmailMode, User
from participation.extensions import db
from participation.notifications.models import Follow, FollowedType
from participation.notifications.services import notify
from participation.proposals.models import Proposal


@dataclass
class Delivered:
    sender: str
    recipients: list[str]
    message: EmailMessage
    raw: bytes = b""

    def part(self, subtype: str) -> str:
        body = self.message.get_body(preferencelist=(subtype,))
        assert body is not None, f"no text/{subtype} part"
        return body.get_content()

    @property
    def text(self) -> str:
        return self.part("plain")

    @property
    def html(self) -> str:
        return self.part("html")


@dataclass
class Mailbox:
    """What the server received, and how it answers: queued replies replace the next '250'."""

    host: str = "127.0.0.1"
    port: int = 0
    messages: list[Delivered] = field(default_factory=list)
    rcpt_replies: list[str] = field(default_factory=list)
    data_replies: list[str] = field(default_factory=list)
    always_refuse: str = ""  # a reply given to every DATA
    delay: float = 0.0  # seconds to wait before answering DATA (after keeping the message)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_replies:
            return self.rcpt_replies.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.always_refuse:
            return self.always_refuse
        if self.data_replies:
            return self.data_replies.pop(0)
        content = envelope.original_content or envelope.content
        self.messages.append(Delivered(
            sender=envelope.mail_from,
            recipients=list(envelope.rcpt_tos),
            message=message_from_bytes(content, policy=policy.default),
            raw=content,
        ))
        if self.delay:
            # The message is kept, but the reply comes too late for the sender.
            await asyncio.sleep(self.delay)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Delivered]:
        return [m for m in self.messages if address in m.recipients]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mailbox(app, monkeypatch) -> Iterator[Mailbox]:
    """An SMTP server on a free port of 127.0.0.1, which the app is configured to use."""
    box = Mailbox(port=free_port())
    controller = Controller(box, hostname=box.host, port=box.port, enable_SMTPUTF8=True)
    controller.start()
    for key, value in {"MAIL_SERVER": box.host, "MAIL_PORT": box.port, "MAIL_TIMEOUT": 5,
                       "MAIL_USE_TLS": False, "MAIL_USE_SSL": False, "MAIL_USERNAME": "",
                       "MAIL_FROM": "Ruam <no-reply@ruam.example>",
                       "BASE_URL": "https://ruam.example"}.items():
        monkeypatch.setitem(app.config, key, value)
    try:
        yield box
    finally:
        controller.stop()


def follower(make, proposal: Proposal, *, language: str = "en",
             mode: EmailMode = EmailMode.IMMEDIATE, name: str | None = None) -> User:
    """A user who follows the proposal and reads e-mail in `language`."""
    user = make.user(display_name=name)
    user.language, user.email_mode = language, mode
    db.session.add(Follow(user_id=user.id, subject_type=FollowedType.PROPOSAL,
                          subject_id=proposal.id))
    db.session.flush()
    return user


def comment_posted(proposal: Proposal, *, actor: User, now: datetime,
                   excerpt: str = "Burning season starts in February.", author: str = ""):
    """Notify the proposal's followers of a comment, as the comments service does."""
    return notify(
        event="comment.posted", subject_type="proposal", subject_id=proposal.id,
        audiences=[(FollowedType.PROPOSAL, proposal.id)], actor=actor,
        data={"title": proposal.title, "excerpt": excerpt,
              "author": author or actor.display_name, "comment_id": 1},
        now=now,
    )
