"""Two-factor authentication (TOTP, RFC 6238) with single-use recovery codes, and the roles an
administrator requires it of."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime
from typing import Any

import pyotp
import segno
import sqlalchemy as sa
from flask import current_app, g, has_request_context
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from limits.storage import Storage, storage_from_string
from markupsafe import Markup, escape

from participation.accountability.services import record
from participation.accounts.models import RecoveryCode, TwoFactorRequirement, TwoFactorRole, User
from participation.core.errors import DomainError, NotAllowed
from participation.core.security import verify_password
from participation.extensions import db
from participation.groups.queries import seats_of

STEP_SECONDS = 30
# A code of the step before or after the server's also counts (clocks of phones drift).
VALID_WINDOW = 1
CODE_DIGITS = 6
RECOVERY_CODE_COUNT = 10
# No 0/o, 1/l/i: a code copied from paper is read back without doubt (31 signs, 8 of them).
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
# How long the set-up page's secret may wait for its first code.
SETUP_SECONDS = 30 * 60
# After so many wrong codes or passwords, an account's second factor is refused for a while.
MAX_FAILURES = 5
FAILURE_SECONDS = 5 * 60
CODE_MAX_LENGTH = 20

_SETUP_SALT = "ruam.two-factor.setup"


class WrongCode(DomainError):
    """The code (or password) that should prove the second factor is not right."""


class TooManyFailures(NotAllowed):
    """Too many wrong codes for this account lately: it must wait."""


class SetupExpired(DomainError):
    """The set-up page's secret is too old or not this person's: start again."""


class AlreadyEnabled(NotAllowed):
    """Two-factor authentication is on already."""


class NotEnabled(NotAllowed):
    """Two-factor authentication is off: there is nothing to change."""


class RequiredForRole(NotAllowed):
    """An administrator requires two-factor authentication of one of the person's roles."""


# Counters that several app servers share: the rate limiter's storage (memory by default, Redis
# when configured). They hold the time steps already used, so that a code seen over someone's
# shoulder cannot be used a second time, and the recent failures of each account; no database
# column is needed for either, and both forget themselves within minutes.


def _storage() -> Storage:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    storage = app.extensions.get("two_factor_counters")
    if storage is None:
        uri = app.config.get("RATELIMIT_STORAGE_URI") or "memory://"
        storage = app.extensions["two_factor_counters"] = storage_from_string(uri)
    return storage


def _account_key(user: User, secret: str) -> str:
    # The secret is in the key: a new secret (or a reused id in a test database) starts afresh.
    digest = hashlib.sha256(secret.encode()).hexdigest()[:16]
    return f"ruam/two-factor/{user.id}/{digest}"


def _failures_key(user: User) -> str:
    # With the address: a reused id (a test database rolled back) starts afresh.
    digest = hashlib.sha256(user.email.encode()).hexdigest()[:16]
    return f"ruam/two-factor/failures/{user.id}/{digest}"


def _refuse_if_locked(user: User) -> None:
    if _storage().get(_failures_key(user)) >= MAX_FAILURES:
        raise TooManyFailures(
            _("Too many wrong codes. Wait a few minutes, then try again."), field="code"
        )


def _note_failure(user: User) -> None:
    _storage().incr(_failures_key(user), FAILURE_SECONDS)


def _forget_failures(user: User) -> None:
    _storage().clear(_failures_key(user))


# The secret and its codes.


def new_secret() -> str:
    """A random base32 secret of 160 bits (32 characters, the column's width)."""
    return pyotp.random_base32()


def _totp(secret: str) -> pyotp.TOTP:
    return pyotp.TOTP(secret, digits=CODE_DIGITS, interval=STEP_SECONDS)


def provisioning_uri(user: User, secret: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return _totp(secret).provisioning_uri(
        name=user.email, issuer_name=current_app.config["SITE_NAME"]
    )


def qr_svg(uri: str, *, label: str) -> Markup:
    """The address as an inline SVG QR code, black on white, with `label` as its name."""
    qr = segno.make(uri, error="m")
    svg = qr.svg_inline(scale=5, border=4, dark="#000", light="#fff", svgclass="qr-code")
    # An image with a name for screen readers; the label is our own translated text.
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1))


def grouped(secret: str) -> str:
    """The secret in groups of four, as people type it into an app by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SETUP_SALT)


def setup_token(user_id: int | None, secret: str) -> str:
    """Sign the secret the set-up page shows, for this person, so the form can carry it back
    (no half-set-up secret is stored before the first right code)."""
    return _serializer().dumps({"user": user_id, "secret": secret})


def secret_of_setup(user: User, token: str) -> str:
    """The secret of a set-up form; raise SetupExpired if it is too old or someone else's."""
    expired = SetupExpired(
        _("This set-up has expired. Scan the new QR code and enter its code."), field="code"
    )
    try:
        data: Any = _serializer().loads(token or "", max_age=SETUP_SECONDS)
    except (SignatureExpired, BadSignature):
        raise expired from None
    if not isinstance(data, dict) or data.get("user") != user.id:
        raise expired
    secret = data.get("secret")
    if not isinstance(secret, str) or len(secret) != 32:
        raise expired
    return secret


def _normalised(code: str | None) -> str:
    return "".join((code or "").split()).replace("-", "").lower()


def _code_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step whose code this is, within the window around `now`; else None."""
    if len(code) != CODE_DIGITS or not code.isascii() or not code.isdigit():
        return None
    totp = _totp(secret)
    current = totp.timecode(now)
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _use_step(user: User, secret: str, step: int) -> bool:
    """Mark the step used; False if it, or a later step in the window, was used already."""
    storage = _storage()
    key = _account_key(user, secret)
    for later in range(step + 1, step + 2 * VALID_WINDOW + 1):
        if storage.get(f"{key}/{later}"):
            return False
    # The counter is atomic (also in Redis): of two requests with one code, one wins.
    expiry = (2 * VALID_WINDOW + 2) * STEP_SECONDS
    return storage.incr(f"{key}/{step}", expiry) == 1


def _code_is_right(user: User, secret: str, code: str, now: datetime) -> bool:
    step = _code_step(secret, _normalised(code), now)
    return step is not None and _use_step(user, secret, step)


def is_enabled(user: User) -> bool:
    return user.totp_secret is not None and user.totp_enabled_at is not None


# Recovery codes.


def _recovery_hash(user: User, code: str) -> str:
    return hashlib.sha256(f"{user.id}:{_normalised(code)}".encode()).hexdigest()


def _new_recovery_code() -> str:
    letters = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(8))
    return f"{letters[:4]}-{letters[4:]}"


def _replace_recovery_codes(user: User, now: datetime) -> list[str]:
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes: set[str] = set()
    while len(codes) < RECOVERY_CODE_COUNT:
        codes.add(_new_recovery_code())
    ordered = sorted(codes)
    db.session.add_all(
        RecoveryCode(user_id=user.id, code_hash=_recovery_hash(user, code), created_at=now)
        for code in ordered
    )
    db.session.flush()
    return ordered


def _use_recovery_code(user: User, code: str, now: datetime) -> bool:
    normalised = _normalised(code)
    if len(normalised) != 8 or not normalised.isascii() or not normalised.isalnum():
        return False
    # One statement: of two requests with the same code, only one marks it used.
    result = db.session.execute(
        sa.update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _recovery_hash(user, normalised),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def unused_recovery_codes(user: User) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    ) or 0


# What a person does.


def enable(*, user: User, secret: str, code: str, now: datetime) -> list[str]:
    """Turn two-factor authentication on with the secret the person's app now holds, proved
    by a first code; return the new recovery codes (shown once, stored as digests)."""
    if is_enabled(user):
        raise AlreadyEnabled(_("Two-factor authentication is already on."))
    _refuse_if_locked(user)
    if not _code_is_right(user, secret, code, now):
        _note_failure(user)
        raise WrongCode(
            _("This code is not right. Enter the code your app shows now."), field="code"
        )
    _forget_failures(user)
    user.totp_secret = secret
    user.totp_enabled_at = now
    return _replace_recovery_codes(user, now)


def second_factor(*, user: User, code: str, now: datetime) -> str:
    """Check the code of the person's app, or one of their unused recovery codes (then used
    up); return "code" or "recovery_code", or raise WrongCode or TooManyFailures."""
    if not is_enabled(user):
        raise NotEnabled(_("Two-factor authentication is off for this account."))
    _refuse_if_locked(user)
    assert user.totp_secret is not None
    if _code_is_right(user, user.totp_secret, code, now):
        _forget_failures(user)
        return "code"
    if _use_recovery_code(user, code, now):
        _forget_failures(user)
        return "recovery_code"
    _note_failure(user)
    raise WrongCode(
        _("This code is not right, or it has been used already."), field="code"
    )


def confirm_identity(*, user: User, code: str | None, password: str | None, now: datetime) -> None:
    """Before a change to the second factor: a right code (or recovery code), or the person's
    password. Raise WrongCode or TooManyFailures."""
    _refuse_if_locked(user)
    if password:
        if verify_password(user.password_hash, password):
            _forget_failures(user)
            return
        _note_failure(user)
        raise WrongCode(_("The password is not right."), field="password")
    second_factor(user=user, code=code or "", now=now)


def regenerate_recovery_codes(*, user: User, now: datetime) -> list[str]:
    """Replace every recovery code (used or not) with ten new ones; return them."""
    if not is_enabled(user):
        raise NotEnabled(_("Two-factor authentication is off for this account."))
    return _replace_recovery_codes(user, now)


def disable(*, user: User, now: datetime) -> None:
    """Turn two-factor authentication off and forget the secret and the recovery codes;
    refused while an administrator requires it of one of the person's roles."""
    if not is_enabled(user):
        raise NotEnabled(_("Two-factor authentication is off for this account."))
    if is_required_for(user):
        raise RequiredForRole(
            _("An administrator requires two-factor authentication for your role: it stays on.")
        )
    user.totp_secret = None
    user.totp_enabled_at = None
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.flush()


# The roles it is required of.


def required_roles() -> frozenset[TwoFactorRole]:
    """The roles that must use two-factor authentication; read once per request."""
    if has_request_context() and "two_factor_roles" in g:
        return g.two_factor_roles
    roles = frozenset(db.session.scalars(sa.select(TwoFactorRequirement.role)))
    if has_request_context():
        g.two_factor_roles = roles
    return roles


def roles_of(user: User, among: frozenset[TwoFactorRole]) -> set[TwoFactorRole]:
    """Which of the roles `among` the person holds; their seats are read only if asked."""
    held: set[TwoFactorRole] = set()
    if TwoFactorRole.ADMINISTRATOR in among and user.is_admin:
        held.add(TwoFactorRole.ADMINISTRATOR)
    if among & {TwoFactorRole.SECRETARIAT, TwoFactorRole.MEMBER}:
        # The request's cached seats: the pages read them anyway.
        seats = seats_of(user)
        if any(seat.role.is_secretariat for seat in seats.values()):
            held.add(TwoFactorRole.SECRETARIAT)
        if seats:
            held.add(TwoFactorRole.MEMBER)
    return held & among


def is_required_for(user: User) -> bool:
    """Whether an administrator requires two-factor authentication of one of the person's
    roles."""
    required = required_roles()
    return bool(required) and bool(roles_of(user, required))


def set_required_roles(
    *, roles: set[TwoFactorRole], actor: User, now: datetime
) -> list[tuple[TwoFactorRole, bool]]:
    """Require two-factor authentication of exactly these roles; log each change; return the
    changes as (role, now required)."""
    current = set(db.session.scalars(sa.select(TwoFactorRequirement.role)))
    changes: list[tuple[TwoFactorRole, bool]] = []
    for role in TwoFactorRole:
        wanted = role in roles
        if wanted == (role in current):
            continue
        if wanted:
            db.session.add(TwoFactorRequirement(role=role, required_by_id=actor.id,
                                                required_at=now))
        else:
            db.session.execute(
                sa.delete(TwoFactorRequirement).where(TwoFactorRequirement.role == role)
            )
        db.session.flush()
        record(
            actor=actor,
            verb="two_factor.required" if wanted else "two_factor.not_required",
            subject_type="site",
            subject_id=1,
            data={"two_factor_role": role.value},
            now=now,
        )
        changes.append((role, wanted))
    if has_request_context():
        g.pop("two_factor_roles", None)
    return changes
