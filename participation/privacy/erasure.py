"""Erasing one's account (the PDPA's right to erasure): the personal data goes, the public
contributions stay under the pseudonym "Former participant #<id>".

What goes: the e-mail address (replaced by an address that cannot receive mail), the name, the
organisation, the password, the two-factor secret and recovery codes, the roles, the settings,
the consent and log-in times, what the person follows, their notifications and their e-mails
(queued or sent); their name in other people's notifications becomes the pseudonym; their places
on volunteer tasks that have not started are given up. Every session ends.

What stays, under the pseudonym: proposals, comments, supports, reviews, assessments, past
volunteer sign-ups, reports filed (a moderation record), blocks received, votes (a member's
recorded votes are acts of a public body) and the accountability log, which is never rewritten.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from participation.accountability.services import record
from participation.accounts.models import EmailMode, RecoveryCode, User, pseudonym
from participation.accounts.services import WrongPassword
from participation.core.errors import NotAllowed
from participation.core.security import verify_password
from participation.extensions import db
from participation.groups.models import Seat
from participation.mail.models import MailStatus, OutboxMail
from participation.notifications.models import Follow, Notification
from participation.volunteering import services as volunteering
from participation.volunteering.models import Signup, SignupStatus, VolunteerTask

# Not an argon2 hash, so no password ever matches it.
UNUSABLE_PASSWORD = "!erased"


class AlreadyErased(NotAllowed):
    """The account was erased already."""


class HoldsSeat(NotAllowed):
    """The person holds or deputises a working-group seat: a public office."""


class LastAdministrator(NotAllowed):
    """The person is the site's only administrator."""


def erased_email(user_id: int) -> str:
    """An address unique to the account that no mail can reach, and nobody can register: the
    reserved top-level name "invalid" is refused by the address check."""
    return f"erased-{user_id}@invalid"


def stored_pseudonym(user_id: int) -> str:
    """The pseudonym as stored (English); pages show it in the reader's language."""
    with force_locale("en"):
        return pseudonym(user_id)


def refusal(user: User) -> NotAllowed | None:
    """Why the account cannot be erased now, whatever the password: a seat it holds or
    deputises, or being the only administrator; None when nothing stands in the way."""
    if user.erased_at is not None:
        return AlreadyErased(_("This account has already been deleted."))
    seat = db.session.scalar(
        sa.select(Seat.id)
        .where(sa.or_(Seat.holder_id == user.id, Seat.deputy_id == user.id))
        .limit(1)
    )
    if seat is not None:
        return HoldsSeat(
            _(
                "You hold or deputise a seat in a working group. A seat is a public office: "
                "ask the secretariat to give it to someone else, then delete your account."
            )
        )
    if user.is_admin:
        others = db.session.scalar(
            sa.select(sa.func.count(User.id)).where(
                User.is_admin.is_(True), User.erased_at.is_(None), User.id != user.id
            )
        )
        if not others:
            return LastAdministrator(
                _(
                    "You are the only administrator. Make someone else an administrator "
                    "first, so that the site is not left without one."
                )
            )
    return None


def _check(user: User, password: str) -> None:
    if user.erased_at is None and not verify_password(user.password_hash, password or ""):
        raise WrongPassword(_("The password is not right."), field="password")
    refused = refusal(user)
    if refused is not None:
        raise refused


def _give_up_places(user: User, now: datetime) -> None:
    """Withdraw from the tasks that have not started: the first people waiting move up."""
    tasks = db.session.scalars(
        sa.select(VolunteerTask)
        .join(Signup, Signup.task_id == VolunteerTask.id)
        .where(
            Signup.user_id == user.id,
            Signup.status != SignupStatus.WITHDRAWN,
            VolunteerTask.starts_at > now,
        )
        .order_by(VolunteerTask.id)
    ).all()
    for task in tasks:
        volunteering.withdraw(task=task, user=user, now=now)


def _rename_in_others_notifications(user: User, name: str, replacement: str) -> None:
    """Other people's notifications of the person's acts keep a few words of context, among
    them the person's name ("author"): put the pseudonym in its place."""
    told = db.session.scalars(
        sa.select(Notification).where(
            Notification.actor_id == user.id, Notification.user_id != user.id
        )
    )
    for notification in told:
        data = dict(notification.data or {})
        renamed = {key: replacement if value == name else value for key, value in data.items()}
        if renamed != data:
            notification.data = renamed


def _forget_personal_rows(user: User) -> None:
    """Delete what only concerns the person: follows, notifications, e-mails and recovery
    codes. A mail a sender is sending at this very moment is kept (the sender records how it
    went) but loses the address it was going to."""
    for statement in (
        sa.delete(Notification).where(Notification.user_id == user.id),
        sa.delete(Follow).where(Follow.user_id == user.id),
        sa.delete(OutboxMail).where(
            OutboxMail.user_id == user.id, OutboxMail.status != MailStatus.SENDING
        ),
        sa.update(OutboxMail)
        .where(OutboxMail.user_id == user.id, OutboxMail.status == MailStatus.SENDING)
        .values(to_address=None),
        sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id),
    ):
        db.session.execute(statement.execution_options(synchronize_session=False))


def erase_account(*, user: User, password: str, now: datetime) -> None:
    """Erase the person's account, in the caller's transaction, once their password confirms
    it. Refused (a translated DomainError) for a wrong password, for a person who holds or
    deputises a working-group seat, and for the last administrator."""
    _check(user, password)
    name = user._display_name
    replacement = stored_pseudonym(user.id)

    _give_up_places(user, now)
    _rename_in_others_notifications(user, name, replacement)
    _forget_personal_rows(user)

    user.display_name = replacement
    user.email = erased_email(user.id)
    user.password_hash = UNUSABLE_PASSWORD
    user.totp_secret = None
    user.totp_enabled_at = None
    user.is_agency_contact = False
    user.organisation = None
    user.is_admin = False
    user.is_moderator = False
    user.email_mode = EmailMode.OFF
    user.language = "th"
    user.last_login_at = None
    # The address is gone, so nothing is confirmed any more.
    user.email_verified_at = None
    user.privacy_version = None
    user.privacy_consented_at = None
    user.blocked_until = None
    user.erased_at = now
    # Every session, on every device, ends.
    user.session_version += 1
    db.session.flush()
    record(actor=user, verb="user.erased", subject_type="user", subject_id=user.id, now=now)
