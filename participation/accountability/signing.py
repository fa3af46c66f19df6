"""The instance's Ed25519 signing key and the signed checkpoint statement it signs."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from flask import current_app

CHECKPOINT_FORMAT = "ruam-checkpoint-1"
STATEMENT_FIELDS = ("format", "entries", "head", "time")
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
_HASH = re.compile(r"[0-9a-f]{64}")


class SigningKeyError(Exception):
    """The signing key file is missing when it must exist, exists when it must not, or is
    not an Ed25519 private key. The message names the file, never the key."""


class CheckpointFileInvalid(Exception):
    """A saved checkpoint file cannot be read as a checkpoint; the message says why."""


def key_path() -> Path:
    return Path(current_app.config["SIGNING_KEY_FILE"])


def create_key_file(path: Path) -> Ed25519PrivateKey:
    """Write a new private key to path, readable by its owner only; never replace a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    try:
        # O_EXCL: if another process created the file meanwhile, fail rather than replace it.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as error:
        raise SigningKeyError(f"A signing key already exists at {path}; it was not replaced.") \
            from error
    with os.fdopen(descriptor, "wb") as file:
        file.write(pem)
    return key


def read_key_file(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except FileNotFoundError:
        raise
    except (OSError, ValueError, TypeError) as error:
        raise SigningKeyError(
            f"The signing key file {path} cannot be read as an unencrypted PEM private key."
        ) from error
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(f"The signing key file {path} does not hold an Ed25519 key.")
    return key


def signing_key() -> Ed25519PrivateKey:
    """The instance's private key, created on first use."""
    path = key_path()
    try:
        return read_key_file(path)
    except FileNotFoundError:
        return create_key_file(path)


def current_public_key() -> str | None:
    """The instance's public key (base64 of its 32 raw bytes), or None before it has one."""
    try:
        key = read_key_file(key_path())
    except FileNotFoundError:
        return None
    return public_key_text(key.public_key())


def public_key_text(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def _raw(text: str, length: int) -> bytes | None:
    """The bytes of standard base64 text, when it decodes to exactly `length` bytes."""
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        return None
    return raw if len(raw) == length else None


def fingerprint(public_key: str) -> str:
    """The SHA-256 of the raw public key, in hexadecimal pairs, to compare keys by eye."""
    raw = _raw(public_key, 32) or public_key.encode()
    digest = hashlib.sha256(raw).hexdigest()
    return ":".join(digest[i:i + 2] for i in range(0, len(digest), 2))


def public_key_pem(public_key: str) -> str:
    raw = _raw(public_key, 32)
    if raw is None:
        raise ValueError("not a base64 Ed25519 public key")
    return Ed25519PublicKey.from_public_bytes(raw).public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def statement_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(TIME_FORMAT)


def statement_bytes(*, entries: int, head: str, time: str) -> bytes:
    """The canonical statement a checkpoint signs: sorted keys, no spaces, UTF-8."""
    statement = {"format": CHECKPOINT_FORMAT, "entries": entries, "head": head, "time": time}
    return json.dumps(statement, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def sign(key: Ed25519PrivateKey, statement: bytes) -> str:
    return base64.b64encode(key.sign(statement)).decode("ascii")


def signature_matches(*, public_key: str, signature: str, statement: bytes) -> bool:
    raw_key, raw_signature = _raw(public_key, 32), _raw(signature, 64)
    if raw_key is None or raw_signature is None:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(raw_key).verify(raw_signature, statement)
    except InvalidSignature:
        return False
    return True


@dataclass(frozen=True)
class SavedCheckpoint:
    """A checkpoint as someone saved it: the statement, its public key and its signature."""

    entries: int
    head: str
    time: str
    public_key: str
    signature: str

    @property
    def statement(self) -> bytes:
        return statement_bytes(entries=self.entries, head=self.head, time=self.time)

    def document(self) -> dict[str, Any]:
        """The checkpoint file's content."""
        return {
            "format": CHECKPOINT_FORMAT,
            "entries": self.entries,
            "head": self.head,
            "time": self.time,
            "public_key": self.public_key,
            "signature": self.signature,
        }


def parse_checkpoint_file(text: str) -> SavedCheckpoint:
    """Read a checkpoint file; raise CheckpointFileInvalid saying what is wrong with it."""
    try:
        document = json.loads(text)
    except ValueError as error:
        raise CheckpointFileInvalid(f"it is not JSON ({error})") from error
    if not isinstance(document, dict):
        raise CheckpointFileInvalid("it is not a JSON object")
    missing = [name for name in (*STATEMENT_FIELDS, "public_key", "signature")
               if name not in document]
    if missing:
        raise CheckpointFileInvalid(f"fields missing: {', '.join(missing)}")
    if document["format"] != CHECKPOINT_FORMAT:
        raise CheckpointFileInvalid(
            f"its format is {document['format']!r}, not {CHECKPOINT_FORMAT!r}"
        )
    entries = document["entries"]
    if not isinstance(entries, int) or isinstance(entries, bool) or entries < 0:
        raise CheckpointFileInvalid("'entries' is not a whole number of 0 or more")
    if not isinstance(document["head"], str) or not _HASH.fullmatch(document["head"]):
        raise CheckpointFileInvalid("'head' is not a SHA-256 hash in lowercase hexadecimal")
    time = document["time"]
    try:
        datetime.strptime(time, TIME_FORMAT)
    except (TypeError, ValueError) as error:
        raise CheckpointFileInvalid("'time' is not a UTC time like 2026-01-31T17:00:00Z") \
            from error
    for name, length in (("public_key", 32), ("signature", 64)):
        value = document[name]
        if not isinstance(value, str) or _raw(value, length) is None:
            raise CheckpointFileInvalid(f"'{name}' is not base64 of {length} bytes")
    return SavedCheckpoint(entries=entries, head=document["head"], time=time,
                           public_key=document["public_key"], signature=document["signature"])
