"""The password policy: long enough, not a common password, not built from the person's own
name or e-mail address. Hashing is argon2id (participation.core.security)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from flask_babel import gettext as _

MIN_LENGTH = 10
MAX_LENGTH = 256
# Fewer different characters than this ("aaaaaaaaaa", "ababababab") is too easy to guess.
MIN_DISTINCT_CHARACTERS = 4
# A name or address part shorter than this is too short to be worth taking out of a password.
MIN_PERSONAL_PART = 3

COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")
# What people add at the end of a common word to pass a length rule: digits (Thai ones
# too), spaces and punctuation. "password2569!" is as weak as "password".
_TRAILING_DECORATION = re.compile(r"[\d\s!-/:-@\[-`{-~]+$")


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords, lower-cased (its header comment is skipped)."""
    entries: set[str] = set()
    in_header = True
    with COMMON_PASSWORDS_FILE.open(encoding="utf-8") as lines:
        for line in lines:
            # Only the opening lines are comments: "#$%^&*" further down is a password.
            if in_header and line.startswith("#"):
                continue
            in_header = False
            entry = line.rstrip("\n")
            if entry:
                entries.add(entry)
    return frozenset(entries)


def is_common(password: str) -> bool:
    """Whether the password, or its word before trailing digits and signs, is on the list."""
    folded = password.strip().casefold()
    common = common_passwords()
    if folded in common:
        return True
    base = _TRAILING_DECORATION.sub("", folded)
    return bool(base) and base != folded and base in common


def _personal_parts(email: str, display_name: str) -> list[str]:
    email = (email or "").strip().casefold()
    name = " ".join((display_name or "").split()).casefold()
    parts = {email, email.partition("@")[0], name, name.replace(" ", "")}
    parts.update(re.split(r"[.\-_+]", email.partition("@")[0]))
    parts.update(name.split())
    # Longest first, so "somchai.k" goes before "somchai".
    return sorted(
        (part for part in parts if len(part) >= MIN_PERSONAL_PART), key=len, reverse=True
    )


def is_personal(password: str, *, email: str, display_name: str) -> bool:
    """Whether the password is mostly the person's name or e-mail address: what is left once
    those are taken out is shorter than the minimum length."""
    rest = password.casefold()
    found = False
    for part in _personal_parts(email, display_name):
        if part in rest:
            found = True
            rest = rest.replace(part, "")
    return found and len(_TRAILING_DECORATION.sub("", rest)) < MIN_LENGTH


def check_password(password: str, *, email: str = "", display_name: str = "") -> str | None:
    """Return why the password is refused (translated), or None when it is acceptable."""
    password = password or ""
    if len(password) < MIN_LENGTH:
        return _("Use at least %(count)d characters.", count=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _("Use at most %(count)d characters.", count=MAX_LENGTH)
    if len(set(password.casefold())) < MIN_DISTINCT_CHARACTERS:
        return _(
            "Use at least %(count)d different characters.", count=MIN_DISTINCT_CHARACTERS
        )
    if is_common(password):
        return _(
            "This password is one of the most common ones, which are guessed first. "
            "Choose another: a few unrelated words are easy to remember and hard to guess."
        )
    if is_personal(password, email=email, display_name=display_name):
        return _("Do not build the password from your name or your e-mail address.")
    return None
