"""Who may administer accounts and organisations, and edit an account. Pure predicates."""

from __future__ import annotations

from datetime import datetime

from participation.accounts.models import User
from participation.core.models import utcnow
from participation.privacy.notices import current_notice_version


def is_signed_in(user: User | None) -> bool:
    """A person is logged in (not the anonymous visitor)."""
    return bool(user is not None and getattr(user, "is_authenticated", False))


def is_admin(user: User | None) -> bool:
    return is_signed_in(user) and bool(user.is_admin)


def can_manage_users(user: User | None) -> bool:
    """Administrators list users, grant or remove the administrator and agency-contact roles."""
    return is_admin(user)


def can_manage_organisations(user: User | None) -> bool:
    return is_admin(user)


def can_edit_profile(user: User | None, account: User) -> bool:
    """A person edits their own display name, sector and organisation."""
    return is_signed_in(user) and user.id == account.id


def can_change_admin_role(user: User | None, account: User) -> bool:
    """An administrator may change others' administrator role, never their own (no lock-out)."""
    return is_admin(user) and user.id != account.id


def is_agency_contact_for(user: User | None, organisation_id: int | None) -> bool:
    """The person speaks for this organisation as its agency contact."""
    return (
        is_signed_in(user)
        and organisation_id is not None
        and bool(user.is_agency_contact)
        and user.organisation_id == organisation_id
    )


def is_verified(user: User | None) -> bool:
    """A signed-in person who confirmed their e-mail address: only they take part (propose,
    comment, support, sign up for tasks, review); anyone signed in reads and follows."""
    return is_signed_in(user) and user.email_verified_at is not None


def can_moderate(user: User | None) -> bool:
    """Moderators, and administrators, handle reports, hide and restore, and block."""
    return is_signed_in(user) and bool(user.is_moderator or user.is_admin)


def can_change_moderator_role(user: User | None, account: User) -> bool:
    """Administrators grant and remove the moderator role."""
    return is_admin(user) and account.erased_at is None


def is_blocked(user: User | None, now: datetime | None = None) -> bool:
    """A moderator's block is in force: the person reads but does not take part."""
    return (
        is_signed_in(user)
        and user.blocked_until is not None
        and user.blocked_until > (now or utcnow())
    )


def has_current_consent(user: User | None) -> bool:
    """The person consented to the current version of the privacy notice."""
    return is_signed_in(user) and user.privacy_version == current_notice_version()


def can_take_part(user: User | None) -> bool:
    """Propose, comment, support, report, sign up for tasks, review: a signed-in person with a
    confirmed address, consent to the current privacy notice, and no block in force."""
    return is_verified(user) and has_current_consent(user) and not is_blocked(user)
