"""E-mail: preferences, daily digests, and sending the outbox over SMTP, retried, never twice."""

from __future__ import annotations

import re
import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime as rfc2822_date
from email.utils import parseaddr
from enum import Enum
from typing import Any

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from participation.accounts.models import EmailMode, User
from participation.accounts.tokens import reset_token, verification_token
from participation.core.errors import DomainError
from participation.core.i18n import format_datetime
from participation.extensions import db
from participation.mail.models import MailKind, MailStatus, OutboxMail
from participation.mail.tokens import unsubscribe_token
from participation.moderation.models import ModerationReason
from participation.notifications.events import PERSONAL_EVENTS, event_label
from participation.notifications.models import Notification
from participation.notifications.queries import (
    NOTICE,
    event_detail,
    hidden_subjects,
    shown_data,
    subject_title,
    subject_url,
)

# How long to wait after the first, second ... failed attempt; the last step repeats.
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=12),
)
# A claim older than this belongs to a sender that died: its mail may or may not have gone.
STUCK_AFTER = timedelta(minutes=15)
# At most one digest per person in this time, however often `--digest` runs.
DIGEST_INTERVAL = timedelta(hours=20)
# A digest gathers the notifications of this period only: someone who turns e-mail back on
# after months gets news, not an archive (the notifications page keeps everything).
DIGEST_LOOKBACK = timedelta(days=7)
# The most notifications one digest lists; it links to the notifications page for the rest.
DIGEST_SHOWN = 50
TITLE_IN_SUBJECT = 120  # characters
DEFAULT_BATCH = 500
# Mails about the account itself: sent before any news, whatever the person's e-mail settings
# (someone who turned e-mail off must still be able to reset a password).
ACCOUNT_KINDS = (
    MailKind.VERIFY_EMAIL,
    MailKind.PASSWORD_RESET,
    MailKind.EMAIL_CHANGED,
    MailKind.ACCOUNT_EXISTS,
)


class PreferencesInvalid(DomainError):
    """An e-mail setting that does not exist."""


# Preferences.


def set_preferences(*, user: User, email_mode: EmailMode, language: str, now: datetime) -> bool:
    """Set how often a person gets e-mail and in which language; return whether it changed.

    A person's own settings are private, so they are not written to the public log.
    """
    email_mode = EmailMode(email_mode)
    if language not in current_app.config["LANGUAGES"]:
        raise PreferencesInvalid(_("Choose one of the languages offered."), field="language")
    changed = (user.email_mode, user.language) != (email_mode, language)
    user.email_mode = email_mode
    user.language = language
    db.session.flush()
    return changed


def unsubscribe(*, user: User, now: datetime) -> bool:
    """Stop every e-mail to the person (mails already queued are skipped); return whether it
    changed anything."""
    if user.email_mode == EmailMode.OFF:
        return False
    user.email_mode = EmailMode.OFF
    db.session.flush()
    return True


# Digests.


def queue_digests(*, now: datetime) -> int:
    """Gather the waiting notifications of each daily-digest reader into one outbox mail; return
    how many digests were queued. Nobody gets a second digest within DIGEST_INTERVAL."""
    since = now - DIGEST_LOOKBACK
    waiting = sa.and_(
        Notification.outbox_id.is_(None),
        Notification.created_at <= now,
        Notification.created_at > since,
    )
    recently_mailed = sa.select(OutboxMail.user_id).where(
        OutboxMail.kind == MailKind.DIGEST, OutboxMail.created_at > now - DIGEST_INTERVAL
    )
    readers = db.session.scalars(
        sa.select(User.id)
        .where(
            User.email_mode == EmailMode.DAILY,
            User.id.in_(sa.select(Notification.user_id).where(waiting)),
            User.id.not_in(recently_mailed),
        )
        .order_by(User.id)
    ).all()
    queued = 0
    for user_id in readers:
        mail = OutboxMail(user_id=user_id, kind=MailKind.DIGEST, created_at=now,
                          next_attempt_at=now)
        db.session.add(mail)
        db.session.flush()
        # Taking only notifications no mail carries yet: when two digest runs overlap, the
        # second finds none left and drops its mail, so nothing is mailed twice.
        taken = db.session.execute(
            sa.update(Notification)
            .where(Notification.user_id == user_id, waiting)
            .values(outbox_id=mail.id)
            .execution_options(synchronize_session=False)
        ).rowcount
        if taken:
            queued += 1
        else:
            db.session.delete(mail)
            db.session.flush()
    return queued


# Claiming.


def mark_stuck_uncertain(*, now: datetime) -> int:
    """Mark mails claimed more than STUCK_AFTER ago and never finished as uncertain: the sender
    died, perhaps after the server took the message, so they are never sent again."""
    return db.session.execute(
        sa.update(OutboxMail)
        .where(OutboxMail.status == MailStatus.SENDING,
               OutboxMail.claimed_at < now - STUCK_AFTER)
        .values(status=MailStatus.UNCERTAIN,
                last_error="The sender stopped while sending; it may or may not have gone.")
        .execution_options(synchronize_session=False)
    ).rowcount


def claim_next(*, now: datetime) -> int | None:
    """Claim the next due mail for this sender (status sending) and return its id; None when
    none is due. The caller commits the claim before sending."""
    due = (
        sa.select(OutboxMail.id)
        .where(OutboxMail.status == MailStatus.PENDING, OutboxMail.next_attempt_at <= now)
        .order_by(
            sa.case((OutboxMail.kind.in_(ACCOUNT_KINDS), 0), else_=1),
            OutboxMail.next_attempt_at,
            OutboxMail.id,
        )
        .limit(1)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        # Concurrent senders pass over each other's rows instead of waiting for them.
        due = due.with_for_update(skip_locked=True)
    while True:
        mail_id = db.session.scalar(due)
        if mail_id is None:
            return None
        # Only one sender can move the row out of 'pending'; a sender that loses the race
        # (another took the row since it looked) simply looks again.
        claimed = db.session.execute(
            sa.update(OutboxMail)
            .where(OutboxMail.id == mail_id, OutboxMail.status == MailStatus.PENDING)
            .values(status=MailStatus.SENDING, claimed_at=now,
                    attempts=OutboxMail.attempts + 1)
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed == 1:
            return mail_id


# What a mail says.


@dataclass
class Item:
    """One notification as a mail shows it, in the recipient's language."""

    event: str
    title: str
    url: str
    when: str
    details: list[str]
    excerpt: str


def _one_line(text: Any, limit: int | None = None) -> str:
    text = " ".join(str(text or "").split())
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def _details(notification: Notification, data: dict[str, Any]) -> list[str]:
    """The event's particulars, each a translated line, worded as on the notifications page;
    a comment's author gets a line of their own, as its text is quoted in full below (a
    hidden comment: the moderator's notice instead)."""
    if isinstance(notice := data.get(NOTICE), str):
        return [notice]
    if notification.event == "comment.posted":
        author = data.get("author") or (
            notification.actor.display_name if notification.actor else "")
        return [_("By %(name)s", name=_one_line(author))] if author else []
    if notification.event == "moderation.hidden":
        # The hidden comment is quoted below, so its line gives the reason alone.
        data = {key: value for key, value in data.items() if key != "excerpt"}
    detail = event_detail(notification.event, data)
    return [detail] if detail else []


def _item(notification: Notification, language: str,
          hidden: dict[tuple[str, int], ModerationReason]) -> Item:
    # What a moderator hid since the event is not mailed: decided when the mail is written.
    data = shown_data(notification, hidden)
    return Item(
        event=event_label(notification.event),
        title=_one_line(subject_title(data)) or _("(untitled)"),
        url=subject_url(notification.subject_type, notification.subject_id, data,
                        _external=True, lang=language),
        when=format_datetime(notification.created_at),
        details=_details(notification, data),
        excerpt=str(data.get("excerpt") or "").strip(),
    )


def _mail_domain() -> str:
    domain = parseaddr(current_app.config["MAIL_FROM"])[1].rpartition("@")[2]
    return domain or "localhost"


def message_id_for(mail: OutboxMail) -> str:
    """The Message-ID of an outbox row: the same on every attempt, so a copy is recognisable."""
    return f"<outbox-{mail.id}.{mail.created_at:%Y%m%d%H%M%S}@{_mail_domain()}>"


@contextmanager
def _recipient_context(language: str) -> Iterator[None]:
    """Render as for a request to the public site in the recipient's language: links are
    absolute (to BASE_URL) even though no request is running."""
    app = current_app._get_current_object()
    with app.test_request_context("/", base_url=app.config["BASE_URL"]), force_locale(language):
        yield


def _render(name: str, **context: Any) -> str:
    # The app's Jinja environment without its context processors: a mail needs no page state.
    return current_app.jinja_env.get_template(name).render(**context)


def recipient_of(mail: OutboxMail) -> str:
    """Where a mail goes: its own address (the former one, after a change) or the person's."""
    return mail.to_address or mail.user.email


def _envelope(mail: OutboxMail, user: User, subject: str, now: datetime) -> EmailMessage:
    recipient = recipient_of(mail)
    message = EmailMessage(policy=policy.SMTP.clone(utf8=not recipient.isascii()))
    message["Subject"] = subject
    message["From"] = current_app.config["MAIL_FROM"]
    # From its parts: parsing an address refuses the non-ASCII local parts SMTPUTF8 carries.
    local_part, _at, domain = recipient.rpartition("@")
    # One line: a header holds no line break, so a name with one cannot stop the mail.
    message["To"] = Address(display_name=_one_line(user.display_name), username=local_part,
                            domain=domain)
    message["Date"] = rfc2822_date(now.astimezone(UTC))
    message["Message-ID"] = message_id_for(mail)
    message["Auto-Submitted"] = "auto-generated"
    return message


def compose_account(mail: OutboxMail, user: User, now: datetime) -> EmailMessage:
    """An account mail in the person's language, its link signed now: confirm the address,
    reset the password, the address was changed, or someone registered with it again."""
    language = user.language if user.language in current_app.config["LANGUAGES"] else "th"
    site = current_app.config["SITE_NAME"]
    with _recipient_context(language):
        link = ""
        if mail.kind == MailKind.VERIFY_EMAIL:
            subject = _("Confirm your e-mail address for %(site)s", site=site)
            link = url_for("accounts.verify_email", token=verification_token(user, now=now),
                           _external=True, lang=language)
        elif mail.kind == MailKind.PASSWORD_RESET:
            subject = _("Choose a new password for %(site)s", site=site)
            link = url_for("accounts.reset_password", token=reset_token(user, now=now),
                           _external=True, lang=language)
        elif mail.kind == MailKind.EMAIL_CHANGED:
            subject = _("The e-mail address of your %(site)s account was changed", site=site)
        else:
            subject = _("You already have an account on %(site)s", site=site)
        context = {
            "language": language,
            "site": site,
            "user": user,
            "subject": subject,
            "kind": mail.kind.value,
            "link": link,
            "login_url": url_for("accounts.login", _external=True, lang=language),
            "forgot_url": url_for("accounts.forgot_password", _external=True, lang=language),
        }
        text = _render("mail/account.txt", **context)
        html = _render("mail/account.html", **context)
    message = _envelope(mail, user, subject, now)
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    message["Content-Language"] = language
    return message


def compose(mail: OutboxMail, user: User, notifications: list[Notification],
            now: datetime) -> EmailMessage:
    """The e-mail for an outbox row, in the recipient's language: plain text with an HTML
    alternative, and the one-click unsubscribe headers of RFC 8058."""
    if mail.kind in ACCOUNT_KINDS:
        return compose_account(mail, user, now)
    language = user.language if user.language in current_app.config["LANGUAGES"] else "th"
    site = current_app.config["SITE_NAME"]
    with _recipient_context(language):
        shown = notifications[:DIGEST_SHOWN]
        hidden = hidden_subjects(shown)
        items = [_item(notification, language, hidden) for notification in shown]
        unsubscribe_url = url_for("mail.unsubscribe_page", token=unsubscribe_token(user.id),
                                  _external=True, lang=language)
        context = {
            "language": language,
            "site": site,
            "user": user,
            "items": items,
            "more": max(0, len(notifications) - DIGEST_SHOWN),
            "unsubscribe_url": unsubscribe_url,
            "preferences_url": url_for("mail.preferences", _external=True, lang=language),
            "notifications_url": url_for("notifications.index", _external=True, lang=language),
        }
        if mail.kind == MailKind.DIGEST:
            subject = ngettext(
                "%(site)s daily digest: %(num)d update",
                "%(site)s daily digest: %(num)d updates",
                len(notifications), site=site,
            )
        else:
            # i18n: an e-mail's subject: the event, then the title of what it is about.
            subject = _("%(event)s: %(title)s", event=items[0].event,
                        title=_one_line(items[0].title, TITLE_IN_SUBJECT))
        context.update(
            subject=subject, digest=mail.kind == MailKind.DIGEST,
            # About the reader's own contribution, not about something they follow.
            personal=all(n.event in PERSONAL_EVENTS for n in notifications),
        )
        text = _render("mail/notification.txt", **context)
        html = _render("mail/notification.html", **context)

    utf8 = not user.email.isascii()
    message = EmailMessage(policy=policy.SMTP.clone(utf8=utf8))
    message["Subject"] = subject
    message["From"] = current_app.config["MAIL_FROM"]
    # From its parts: parsing an address refuses the non-ASCII local parts SMTPUTF8 carries.
    local_part, _at, domain = user.email.rpartition("@")
    # One line: a header holds no line break, so a name with one cannot stop the mail.
    message["To"] = Address(display_name=_one_line(user.display_name), username=local_part,
                            domain=domain)
    message["Date"] = rfc2822_date(now.astimezone(UTC))
    message["Message-ID"] = message_id_for(mail)
    message["Auto-Submitted"] = "auto-generated"
    message["List-Unsubscribe"] = f"<{unsubscribe_url}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    # After the content: setting the content drops every Content-* header set before it.
    message["Content-Language"] = language
    return message


# Handing a message to the SMTP server.


class NotSent(Exception):
    """The server did not take the message: safe to try again unless `permanent`."""

    def __init__(self, reason: str, *, permanent: bool = False, server_down: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        # The server could not be reached at all: the rest of the run would fail the same way.
        self.server_down = server_down


class MaybeSent(Exception):
    """The connection broke while the server had the message: it may have been delivered."""


def _refusal(step: str, code: int, reply: bytes | str) -> NotSent:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    return NotSent(f"{step}: {code} {_one_line(text, 300)}", permanent=500 <= code < 600)


def _smtp_data(message: bytes) -> bytes:
    """The message as the DATA command carries it: CRLF line ends, leading dots doubled."""
    message = re.sub(rb"(?:\r\n|\n|\r(?!\n))", b"\r\n", message)
    message = re.sub(rb"(?m)^\.", b"..", message)
    if not message.endswith(b"\r\n"):
        message += b"\r\n"
    return message + b".\r\n"


class SmtpTransport:
    """One connection to the configured SMTP server for a whole run, opened when first needed.

    The conversation is taken step by step, so that a failure before the message is handed
    over (safe to retry) is told apart from one while the server holds it (never retried).
    """

    def __init__(self, settings: dict[str, Any]) -> None:
        self.settings = settings
        self.connection: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        host, port, timeout = s["MAIL_SERVER"], int(s["MAIL_PORT"]), float(s["MAIL_TIMEOUT"])
        context = ssl.create_default_context()
        if s["MAIL_USE_SSL"]:
            connection: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=timeout,
                                                        context=context)
        else:
            connection = smtplib.SMTP(host, port, timeout=timeout)
        try:
            connection.ehlo_or_helo_if_needed()
            if s["MAIL_USE_TLS"] and not s["MAIL_USE_SSL"]:
                connection.starttls(context=context)
                connection.ehlo()
            if s["MAIL_USERNAME"]:
                connection.login(s["MAIL_USERNAME"], s["MAIL_PASSWORD"])
        except BaseException:
            connection.close()
            raise
        return connection

    def _drop(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def close(self) -> None:
        """Say goodbye to the server, if a connection is open."""
        if self.connection is not None:
            try:
                self.connection.quit()
            except (smtplib.SMTPException, OSError):
                pass
        self._drop()

    def send(self, message: EmailMessage, *, sender: str, recipient: str) -> None:
        """Hand one message over; raise NotSent or MaybeSent when it did not surely go."""
        if self.connection is None:
            try:
                self.connection = self._connect()
            except (smtplib.SMTPException, OSError) as error:
                raise NotSent(f"connect: {type(error).__name__}: {error}",
                              server_down=True) from None
        connection = self.connection
        utf8 = not (recipient.isascii() and sender.isascii())
        options = []
        if utf8:
            if not connection.has_extn("smtputf8"):
                raise NotSent("the server cannot deliver to an address with non-ASCII letters "
                              "(no SMTPUTF8)", permanent=True)
            options = ["SMTPUTF8", "BODY=8BITMIME"]
        data = _smtp_data(message.as_bytes())
        try:
            code, reply = connection.mail(sender, options)
            if code != 250:
                raise _refusal("MAIL FROM", code, reply)
            code, reply = connection.rcpt(recipient)
            if code not in (250, 251):
                raise _refusal("RCPT TO", code, reply)
            code, reply = connection.docmd("DATA")
            if code != 354:
                raise _refusal("DATA", code, reply)
        except NotSent:
            self._reset()
            raise
        except (smtplib.SMTPException, OSError) as error:
            self._drop()
            raise NotSent(f"connection lost: {type(error).__name__}: {error}") from None
        # From here the server holds the message: only its reply says whether it took it.
        try:
            connection.send(data)
            code, reply = connection.getreply()
        except (smtplib.SMTPException, OSError) as error:
            self._drop()
            raise MaybeSent(
                f"connection lost after the message was handed over: "
                f"{type(error).__name__}: {error}"
            ) from None
        if code != 250:
            self._reset()
            raise _refusal("end of data", code, reply)

    def _reset(self) -> None:
        try:
            if self.connection is not None:
                self.connection.rset()
        except (smtplib.SMTPException, OSError):
            self._drop()


# The sender.


class Outcome(Enum):
    SENT = "sent"
    RETRYING = "retrying"
    FAILED = "failed"
    SKIPPED = "skipped"
    UNCERTAIN = "uncertain"


@dataclass
class SendReport:
    """What one run of the sender did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    skipped: int = 0
    uncertain: int = 0  # mails found stuck or broken off mid-handover
    digests: int = 0
    server_down: str = ""  # why the run stopped early, if it did
    errors: list[str] = field(default_factory=list)

    def count(self, outcome: Outcome) -> None:
        name = outcome.value
        setattr(self, name, getattr(self, name) + 1)


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt."""
    return BACKOFF[min(max(attempts, 1), len(BACKOFF)) - 1]


def _carried(mail_id: int) -> list[Notification]:
    return list(db.session.scalars(
        sa.select(Notification)
        .where(Notification.outbox_id == mail_id)
        .options(selectinload(Notification.actor))
        .order_by(Notification.created_at, Notification.id)
    ))


def _skip_reason(mail: OutboxMail, user: User, notifications: list[Notification]) -> str:
    if mail.kind in ACCOUNT_KINDS:
        return ""
    if user.email_mode == EmailMode.OFF:
        return "The person turned e-mail off."
    if mail.kind == MailKind.IMMEDIATE and user.email_mode != EmailMode.IMMEDIATE:
        return "The person now wants a daily digest."
    if not notifications:
        return "Nothing left to tell."
    return ""


def _deliver(mail_id: int, transport: SmtpTransport, now: datetime,
             report: SendReport) -> Outcome:
    """Send one claimed mail and record how it went (the caller commits the outcome).

    The transaction that reads the mail ends before the server is contacted, so no database
    lock is held while the SMTP conversation lasts.
    """
    mail = db.session.get(OutboxMail, mail_id, populate_existing=True)
    assert mail is not None and mail.status == MailStatus.SENDING
    user = mail.user
    notifications = _carried(mail.id)
    reason = _skip_reason(mail, user, notifications)
    if reason:
        mail.status, mail.last_error = MailStatus.SKIPPED, reason
        if mail.kind == MailKind.IMMEDIATE and user.email_mode == EmailMode.DAILY:
            # Someone who switched to the digest still hears of these, in the next digest.
            for notification in notifications:
                notification.outbox_id = None
        return Outcome.SKIPPED
    try:
        message = compose(mail, user, notifications, now)
    except Exception as error:  # noqa: BLE001 - one broken mail must not stop the others
        current_app.logger.exception("could not compose outbox mail %s", mail.id)
        mail.status, mail.last_error = MailStatus.FAILED, f"compose: {error!r}"[:2000]
        report.errors.append(f"mail {mail.id}: {mail.last_error}")
        return Outcome.FAILED
    attempts, recipient, message_id = mail.attempts, recipient_of(mail), message_id_for(mail)
    db.session.commit()

    sender = parseaddr(current_app.config["MAIL_FROM"])[1]
    outcome, status, error_text = Outcome.SENT, MailStatus.SENT, ""
    try:
        transport.send(message, sender=sender, recipient=recipient)
    except NotSent as error:
        error_text = error.reason
        if error.server_down:
            report.server_down = error.reason
        if error.permanent or attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
            outcome, status = Outcome.FAILED, MailStatus.FAILED
        else:
            outcome, status = Outcome.RETRYING, MailStatus.PENDING
    except MaybeSent as error:
        outcome, status, error_text = Outcome.UNCERTAIN, MailStatus.UNCERTAIN, str(error)

    mail = db.session.get(OutboxMail, mail_id)
    assert mail is not None
    mail.status, mail.last_error, mail.message_id = status, error_text[:2000], message_id
    if status == MailStatus.SENT:
        mail.sent_at = now
    elif status == MailStatus.PENDING:
        mail.next_attempt_at = now + retry_delay(attempts)
    return outcome


def send_due(*, now: datetime, limit: int = DEFAULT_BATCH, digest: bool = False,
             transport: SmtpTransport | None = None) -> SendReport:
    """Send the mails that are due, one claimed and committed at a time; with `digest`, first
    queue the daily digests. Commits as it goes: a claim is committed before its mail is sent
    and its outcome right after, so no mail is ever sent twice."""
    report = SendReport()
    report.uncertain += mark_stuck_uncertain(now=now)
    db.session.commit()
    if digest:
        report.digests = queue_digests(now=now)
        db.session.commit()
    transport = transport or SmtpTransport(dict(current_app.config))
    try:
        handled = 0
        while handled < limit:
            mail_id = claim_next(now=now)
            if mail_id is None:
                db.session.commit()
                break
            db.session.commit()
            report.count(_deliver(mail_id, transport, now, report))
            db.session.commit()
            handled += 1
            if report.server_down:
                break
    finally:
        transport.close()
    return report
