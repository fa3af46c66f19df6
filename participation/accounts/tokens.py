"""The signed, expiring tokens in account e-mails: confirming an address, resetting a password."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadData, TimestampSigner, URLSafeTimedSerializer

from participation.accounts.models import User
from participation.core.errors import valid_id

# Each kind has its own salt, so no other signed value of the site (a session, a CSRF token,
# an unsubscribe link, the other kind) is ever accepted as one of these, nor the reverse.
VERIFY_SALT = "verify-email"
RESET_SALT = "password-reset"
VERIFY_VALID_FOR = timedelta(days=3)
RESET_VALID_FOR = timedelta(hours=1)


def _serializer(salt: str, now: datetime) -> URLSafeTimedSerializer:
    class Clock(TimestampSigner):
        # Signing and checking on the caller's clock keeps expiry testable and explicit.
        def get_timestamp(self) -> int:
            return int(now.timestamp())

    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt, signer=Clock)


def _loads(salt: str, token: str, *, max_age: timedelta, now: datetime) -> object:
    try:
        return _serializer(salt, now).loads(token, max_age=int(max_age.total_seconds()))
    except (BadData, UnicodeError, ValueError, TypeError):
        return None


def verification_token(user: User, *, now: datetime) -> str:
    """Sign the person's id with the address being confirmed: a link for an older address
    confirms nothing."""
    return _serializer(VERIFY_SALT, now).dumps({"u": user.id, "e": user.email})


def verification_claim(token: str, *, now: datetime) -> tuple[int, str] | None:
    """The (user id, address) a verification token was signed for, unless it is forged,
    malformed or older than VERIFY_VALID_FOR."""
    value = _loads(VERIFY_SALT, token, max_age=VERIFY_VALID_FOR, now=now)
    if not isinstance(value, dict):
        return None
    user_id, email = value.get("u"), value.get("e")
    if isinstance(user_id, bool) or not isinstance(user_id, int) or not isinstance(email, str):
        return None
    if valid_id(user_id) is None:
        return None
    return user_id, email


def password_fingerprint(user: User) -> str:
    """A short digest of the current password hash: once the password changes, every reset
    link signed before stops working, which makes a link single-use."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:24]


def reset_token(user: User, *, now: datetime) -> str:
    """Sign the person's id with the fingerprint of their current password."""
    return _serializer(RESET_SALT, now).dumps({"u": user.id, "f": password_fingerprint(user)})


def reset_claim(token: str, *, now: datetime) -> tuple[int, str] | None:
    """The (user id, password fingerprint) a reset token was signed for, unless it is forged,
    malformed or older than RESET_VALID_FOR."""
    value = _loads(RESET_SALT, token, max_age=RESET_VALID_FOR, now=now)
    if not isinstance(value, dict):
        return None
    user_id, fingerprint = value.get("u"), value.get("f")
    if isinstance(user_id, bool) or not isinstance(user_id, int):
        return None
    if not isinstance(fingerprint, str) or valid_id(user_id) is None:
        return None
    return user_id, fingerprint
