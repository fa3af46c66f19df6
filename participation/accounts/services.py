"""Writes about people and organisations: registration, log-in, profiles and roles."""

from __future__ import annotations

from datetime import datetime
from functools import cache

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from participation.accountability.services import record
from participation.accounts import passwords, tokens
from participation.accounts.models import Organisation, Sector, User
from participation.accounts.permissions import is_blocked
from participation.accounts.queries import (
    find_organisation,
    normalise_email,
    normalise_name,
    organisations_named,
    user_by_email,
)
from participation.core.errors import DomainError, NotAllowed
from participation.core.models import apply_changes
from participation.core.security import hash_password, verify_password
from participation.extensions import db
from participation.mail.models import MailKind, MailStatus, OutboxMail
from participation.privacy.services import check_current, record_consent

PASSWORD_MIN_LENGTH = passwords.MIN_LENGTH
PASSWORD_MAX_LENGTH = passwords.MAX_LENGTH
DISPLAY_NAME_MAX_LENGTH = 80
EMAIL_MAX_LENGTH = 254
ORGANISATION_NAME_MAX_LENGTH = 200


class InvalidAccountData(DomainError):
    """An e-mail, password or name that the rules refuse."""


class EmailTaken(DomainError):
    """Another account already uses this e-mail address."""


class OrganisationNameTaken(DomainError):
    """Another organisation already has this name."""


class OrganisationLocked(NotAllowed):
    """An agency contact's organisation changes only through an administrator."""


@cache
def _decoy_hash() -> str:
    # Verifying against a decoy when the e-mail is unknown makes both failures take as long.
    return hash_password("decoy password that never matches anything")


def _check_email(email: str) -> str:
    email = normalise_email(email)
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        raise InvalidAccountData(_("Enter a valid e-mail address."), field="email") from None
    if len(email) > EMAIL_MAX_LENGTH:
        raise InvalidAccountData(_("Enter a valid e-mail address."), field="email")
    return email


def check_password(password: str, *, email: str = "", display_name: str = "") -> None:
    """Refuse a password the policy refuses: too short or long, common, or built from the
    person's name or address (participation.accounts.passwords)."""
    problem = passwords.check_password(password, email=email, display_name=display_name)
    if problem is not None:
        raise InvalidAccountData(problem, field="password")


def _check_display_name(display_name: str) -> str:
    display_name = normalise_name(display_name)
    if not display_name:
        raise InvalidAccountData(_("Enter the name others will see."), field="display_name")
    if len(display_name) > DISPLAY_NAME_MAX_LENGTH:
        raise InvalidAccountData(
            _("Use at most %(count)d characters.", count=DISPLAY_NAME_MAX_LENGTH),
            field="display_name",
        )
    return display_name


def _organisation_for(
    name: str | None, *, sector: Sector
) -> tuple[Organisation | None, bool]:
    """The organisation called `name`, created with `sector` if there is none; and whether it
    is new."""
    name = normalise_name(name)
    if not name:
        return None, False
    if len(name) > ORGANISATION_NAME_MAX_LENGTH:
        raise InvalidAccountData(
            _("Use at most %(count)d characters.", count=ORGANISATION_NAME_MAX_LENGTH),
            field="organisation",
        )
    existing = find_organisation(name)
    if existing is not None:
        return existing, False
    organisation = Organisation(name_th=name, name_en="", sector=sector)
    db.session.add(organisation)
    db.session.flush()
    return organisation, True


def register_user(
    *,
    email: str,
    password: str,
    display_name: str,
    sector: Sector,
    organisation_name: str | None,
    now: datetime,
    language: str = "th",
    verified: bool = False,
    privacy_version: str | None = None,
    password_hash: str | None = None,
) -> User:
    """Create an account; match the organisation by name or create it with the person's
    sector; `language` is that of their e-mails. The address is unconfirmed unless `verified`
    (an administrator or the demo vouches for it). With `privacy_version`, the person agreed
    to that version of the privacy notice (the current one) now. `password_hash`: the
    password's hash made already (the demo's people share one password, hashed once). Raise
    EmailTaken, InvalidAccountData or NoticeChanged."""
    if privacy_version is not None:
        check_current(privacy_version)
    email = _check_email(email)
    check_password(password, email=email, display_name=display_name)
    display_name = _check_display_name(display_name)
    sector = Sector(sector)
    if user_by_email(email) is not None:
        raise EmailTaken(_("An account with this e-mail address already exists."), field="email")
    organisation, created = _organisation_for(organisation_name, sector=sector)
    user = User(
        email=email,
        password_hash=password_hash or hash_password(password),
        display_name=display_name,
        sector=sector,
        organisation=organisation,
        created_at=now,
        language=language if language in ("th", "en") else "th",
        email_verified_at=now if verified else None,
    )
    try:
        with db.session.begin_nested():
            db.session.add(user)
            db.session.flush()
    except IntegrityError:
        # Someone registered the same address between our check and our insert.
        raise EmailTaken(
            _("An account with this e-mail address already exists."), field="email"
        ) from None
    if created:
        record(
            actor=user,
            verb="organisation.created",
            subject_type="organisation",
            subject_id=organisation.id,
            data={"sector": organisation.sector.value},
            now=now,
        )
    if privacy_version is not None:
        record_consent(user=user, version=privacy_version, now=now)
    return user


def authenticate(*, email: str, password: str, now: datetime) -> User | None:
    """Return the account whose e-mail and password match, noting the log-in time."""
    user = user_by_email(email)
    if user is None:
        verify_password(_decoy_hash(), password or "")
        return None
    if not verify_password(user.password_hash, password or ""):
        return None
    user.last_login_at = now
    return user


def update_profile(
    *,
    user: User,
    display_name: str,
    sector: Sector,
    organisation_name: str | None,
    now: datetime,
) -> User:
    """Change the name, sector and organisation a person shows. An agency contact keeps their
    organisation: an administrator changes it."""
    display_name = _check_display_name(display_name)
    sector = Sector(sector)
    if user.is_agency_contact:
        existing = find_organisation(organisation_name)
        if existing is None or existing.id != user.organisation_id:
            raise OrganisationLocked(
                _(
                    "As an agency contact you speak for your organisation; "
                    "ask an administrator to change it."
                ),
                field="organisation",
            )
    organisation, created = _organisation_for(organisation_name, sector=sector)
    user.display_name = display_name
    user.sector = sector
    user.organisation = organisation
    db.session.flush()
    if created:
        record(
            actor=user,
            verb="organisation.created",
            subject_type="organisation",
            subject_id=organisation.id,
            data={"sector": organisation.sector.value},
            now=now,
        )
    return user


def set_admin(*, user: User, is_admin: bool, actor: User | None, now: datetime) -> bool:
    """Grant or remove the administrator role; return whether anything changed. Nobody changes
    their own role (so the last administrator cannot lock everyone out by mistake)."""
    if actor is not None and actor.id == user.id:
        raise NotAllowed(_("You cannot change your own administrator role."))
    if is_admin and user.erased_at is not None:
        raise NotAllowed(_("This account has been deleted."))
    if user.is_admin == is_admin:
        return False
    user.is_admin = is_admin
    db.session.flush()
    record(
        actor=actor,
        verb="user.admin_granted" if is_admin else "user.admin_removed",
        subject_type="user",
        subject_id=user.id,
        now=now,
    )
    return True


def set_moderator(*, user: User, is_moderator: bool, actor: User | None, now: datetime) -> bool:
    """Grant or remove the moderator role; return whether anything changed. A deleted account
    gets no role, and a blocked person none until the block is lifted (a moderator could
    otherwise lift their own block)."""
    if user.is_moderator == is_moderator:
        return False
    if is_moderator and user.erased_at is not None:
        raise NotAllowed(_("This account has been deleted."))
    if is_moderator and is_blocked(user, now):
        raise NotAllowed(_("%(name)s is blocked. Lift the block before making them a "
                           "moderator.", name=user.display_name))
    user.is_moderator = is_moderator
    db.session.flush()
    record(
        actor=actor,
        verb="user.moderator_granted" if is_moderator else "user.moderator_removed",
        subject_type="user",
        subject_id=user.id,
        now=now,
    )
    return True


def set_agency_contact(
    *, user: User, organisation: Organisation | None, actor: User | None, now: datetime
) -> bool:
    """Make the person the agency contact of `organisation` (None: no longer a contact);
    return whether anything changed."""
    if organisation is None:
        if not user.is_agency_contact:
            return False
        user.is_agency_contact = False
        db.session.flush()
        record(
            actor=actor,
            verb="user.agency_contact_removed",
            subject_type="user",
            subject_id=user.id,
            data={"organisation_id": user.organisation_id},
            now=now,
        )
        return True
    if user.is_agency_contact and user.organisation_id == organisation.id:
        return False
    user.organisation = organisation
    user.is_agency_contact = True
    db.session.flush()
    record(
        actor=actor,
        verb="user.agency_contact_set",
        subject_type="user",
        subject_id=user.id,
        data={"organisation_id": organisation.id},
        now=now,
    )
    return True


def _check_organisation_names(
    name_th: str, name_en: str, *, excluding: int | None = None
) -> tuple[str, str]:
    name_th, name_en = normalise_name(name_th), normalise_name(name_en)
    if not name_th:
        raise InvalidAccountData(_("Enter the Thai name."), field="name_th")
    for field, name in (("name_th", name_th), ("name_en", name_en)):
        if len(name) > ORGANISATION_NAME_MAX_LENGTH:
            raise InvalidAccountData(
                _("Use at most %(count)d characters.", count=ORGANISATION_NAME_MAX_LENGTH),
                field=field,
            )
        if name and organisations_named(name, excluding=excluding):
            raise OrganisationNameTaken(
                _("Another organisation already has this name."), field=field
            )
    return name_th, name_en


def create_organisation(
    *, name_th: str, name_en: str, sector: Sector, actor: User | None, now: datetime
) -> Organisation:
    """Add an organisation; its names must not be another organisation's, in either language."""
    name_th, name_en = _check_organisation_names(name_th, name_en)
    organisation = Organisation(
        name_th=name_th, name_en=name_en, sector=Sector(sector), created_at=now
    )
    db.session.add(organisation)
    db.session.flush()
    record(
        actor=actor,
        verb="organisation.created",
        subject_type="organisation",
        subject_id=organisation.id,
        data={"sector": organisation.sector.value},
        now=now,
    )
    return organisation


def update_organisation(
    *,
    organisation: Organisation,
    name_th: str,
    name_en: str,
    sector: Sector,
    actor: User | None,
    now: datetime,
) -> Organisation:
    """Rename an organisation or change its sector."""
    name_th, name_en = _check_organisation_names(name_th, name_en, excluding=organisation.id)
    sector = Sector(sector)
    changed = apply_changes(
        organisation, {"name_th": name_th, "name_en": name_en, "sector": sector}
    )
    if not changed:
        return organisation
    db.session.flush()
    record(
        actor=actor,
        verb="organisation.edited",
        subject_type="organisation",
        subject_id=organisation.id,
        data={"changed": changed, "sector": sector.value},
        now=now,
    )
    return organisation


# Confirmed addresses, password resets, address changes and sessions. A person's own account
# events are private: like their e-mail settings, they are not written to the public log.


class InvalidLink(DomainError):
    """A confirmation or reset link that is forged, expired, used, or for an older address."""


class WrongPassword(DomainError):
    """The current password, asked for before a sensitive change, is not right."""


def queue_account_mail(
    *, user: User, kind: MailKind, now: datetime, to_address: str | None = None
) -> bool:
    """Put an account mail in the outbox (its link is signed when it is sent); return False
    when the same mail already waits there, so repeated requests send one mail."""
    waiting = db.session.scalar(
        sa.select(OutboxMail.id)
        .where(
            OutboxMail.user_id == user.id,
            OutboxMail.kind == kind,
            OutboxMail.status == MailStatus.PENDING,
            OutboxMail.to_address.is_(None)
            if to_address is None
            else OutboxMail.to_address == to_address,
        )
        .limit(1)
    )
    if waiting is not None:
        return False
    db.session.add(
        OutboxMail(user_id=user.id, kind=kind, to_address=to_address, created_at=now,
                   next_attempt_at=now)
    )
    db.session.flush()
    return True


def register(
    *,
    email: str,
    password: str,
    display_name: str,
    sector: Sector,
    organisation_name: str | None,
    now: datetime,
    privacy_version: str,
    language: str = "th",
) -> User:
    """A visitor who agreed to `privacy_version` of the privacy notice registers. A new
    address gets an unconfirmed account, with that consent, and a confirmation mail; an
    address already registered gets a note to its owner instead and nothing else changes.
    The visitor cannot tell the two apart. Return the account the mail goes to."""
    # Before anything else: a notice changed meanwhile is refused alike for every address.
    check_current(privacy_version)
    try:
        user = register_user(
            email=email, password=password, display_name=display_name, sector=sector,
            organisation_name=organisation_name, now=now, language=language,
            privacy_version=privacy_version,
        )
    except EmailTaken:
        owner = user_by_email(email)
        if owner is None:  # pragma: no cover - the address was taken a moment ago
            raise
        # The same costly hashing as a new account, so the answer takes as long.
        hash_password(password)
        queue_account_mail(user=owner, kind=MailKind.ACCOUNT_EXISTS, now=now)
        return owner
    queue_account_mail(user=user, kind=MailKind.VERIFY_EMAIL, now=now)
    return user


def resend_verification(*, user: User, now: datetime) -> bool:
    """Send the confirmation link again, unless the address is confirmed or one waits."""
    if user.email_verified_at is not None:
        return False
    return queue_account_mail(user=user, kind=MailKind.VERIFY_EMAIL, now=now)


def verify_email(*, token: str, now: datetime) -> tuple[User, bool]:
    """Confirm the address a link was signed for; return the account and whether it was
    unconfirmed until now (opening the link again changes nothing). Raise InvalidLink."""
    claim = tokens.verification_claim(token, now=now)
    user = db.session.get(User, claim[0]) if claim else None
    if claim is None or user is None or user.email != claim[1]:
        raise InvalidLink(
            _("This confirmation link is not valid any more. Log in and ask for a new one.")
        )
    if user.email_verified_at is not None:
        return user, False
    user.email_verified_at = now
    db.session.flush()
    return user, True


def request_password_reset(*, email: str, now: datetime) -> None:
    """Send a reset link if an account has this address; say nothing either way."""
    user = user_by_email(email)
    if user is not None:
        queue_account_mail(user=user, kind=MailKind.PASSWORD_RESET, now=now)


def user_for_reset(*, token: str, now: datetime) -> User:
    """The account a reset link is for, while it is fresh and unused. Raise InvalidLink."""
    claim = tokens.reset_claim(token, now=now)
    user = db.session.get(User, claim[0]) if claim else None
    if claim is None or user is None or tokens.password_fingerprint(user) != claim[1]:
        raise InvalidLink(
            _("This link to reset your password has expired or was already used. "
              "Ask for a new one.")
        )
    return user


def reset_password(*, token: str, password: str, now: datetime) -> User:
    """Set a new password through a reset link: the link stops working and every session of
    the account ends. Opening the mailed link also proves the address, so it is confirmed."""
    user = user_for_reset(token=token, now=now)
    check_password(password, email=user.email, display_name=user.display_name)
    user.password_hash = hash_password(password)
    user.session_version += 1
    if user.email_verified_at is None:
        user.email_verified_at = now
    # The links of reset mails still waiting would not work any more: do not send them.
    db.session.execute(
        sa.update(OutboxMail)
        .where(OutboxMail.user_id == user.id, OutboxMail.kind == MailKind.PASSWORD_RESET,
               OutboxMail.status == MailStatus.PENDING)
        .values(status=MailStatus.SKIPPED, last_error="The password was reset.")
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    return user


def change_email(*, user: User, password: str, new_email: str, now: datetime) -> bool:
    """Move the account to a new address once the current password is given: the new address
    is unconfirmed until its link is opened, and the old one is told. Return whether it
    changed. Raise WrongPassword, InvalidAccountData or EmailTaken."""
    if not verify_password(user.password_hash, password or ""):
        raise WrongPassword(_("The password is not right."), field="password")
    new_email = _check_email(new_email)
    if new_email == user.email:
        return False
    if user_by_email(new_email) is not None:
        raise EmailTaken(
            _("An account with this e-mail address already exists."), field="email"
        )
    old_email = user.email
    user.email = new_email
    user.email_verified_at = None
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise EmailTaken(
            _("An account with this e-mail address already exists."), field="email"
        ) from None
    queue_account_mail(user=user, kind=MailKind.VERIFY_EMAIL, now=now)
    queue_account_mail(user=user, kind=MailKind.EMAIL_CHANGED, now=now, to_address=old_email)
    return True


def end_sessions(*, user: User) -> None:
    """End every session of the person, on every device (the caller may start a new one)."""
    user.session_version += 1
    db.session.flush()
