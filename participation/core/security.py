"""Password hashing (argon2id) and safe redirect targets."""

from __future__ import annotations

from urllib.parse import urlsplit

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def safe_next(target: str | None) -> str | None:
    """Return target only when it is a path on this site (no scheme, host or '//' trick)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    # Browsers drop tabs and newlines anywhere in an address ("/\t/evil" is "//evil"): no
    # control character is part of a path this site links to.
    if any(ord(character) < 0x20 or ord(character) == 0x7F for character in target):
        return None
    return target
