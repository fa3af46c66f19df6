"""The instance's Ed25519 signing key: where it lives, how it is created, never replaced."""

from __future__ import annotations

import stat

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from participation import config
from participation.accountability import signing
from participation.accountability.services import publish_checkpoint
from participation.core.models import utcnow


def test_the_key_file_defaults_to_the_instance_folder_and_follows_the_environment(monkeypatch):
    monkeypatch.delenv("PARTICIPATION_SIGNING_KEY_FILE", raising=False)
    assert config.load({"ENV": "testing"})["SIGNING_KEY_FILE"] == str(
        config.ROOT / "instance" / "signing-key.pem"
    )
    monkeypatch.setenv("PARTICIPATION_SIGNING_KEY_FILE", "/srv/ruam/keys/checkpoints.pem")
    assert config.load({"ENV": "testing"})["SIGNING_KEY_FILE"] == "/srv/ruam/keys/checkpoints.pem"


def test_first_checkpoint_creates_a_private_ed25519_key_readable_by_its_owner_only(key_file):
    assert not key_file.parent.exists()

    checkpoint = publish_checkpoint(now=utcnow())

    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    pem = key_file.read_bytes()
    assert pem.startswith(b"-----BEGIN PRIVATE KEY-----")  # PKCS#8, not encrypted
    key = serialization.load_pem_private_key(pem, password=None)
    assert isinstance(key, Ed25519PrivateKey)
    assert checkpoint.public_key == signing.public_key_text(key.public_key())


def test_later_checkpoints_reuse_the_same_key(key_file):
    first = publish_checkpoint(now=utcnow())
    pem = key_file.read_bytes()
    second = publish_checkpoint(now=utcnow())
    assert second.public_key == first.public_key
    assert key_file.read_bytes() == pem


def test_generate_signing_key_creates_the_key_and_shows_only_the_public_half(runner, key_file):
    result = runner.invoke(args=["generate-signing-key"])

    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    public_key = signing.current_public_key()
    assert f"Public key: {public_key}" in result.output
    assert signing.fingerprint(public_key) in result.output
    assert "PRIVATE" not in result.output
    body = key_file.read_text().splitlines()[1]
    assert body not in result.output


def test_generate_signing_key_refuses_to_replace_an_existing_key(runner, key_file):
    assert runner.invoke(args=["generate-signing-key"]).exit_code == 0
    pem = key_file.read_bytes()

    result = runner.invoke(args=["generate-signing-key"])

    assert result.exit_code == 1
    assert "already exists" in result.output and "not replaced" in result.output
    assert key_file.read_bytes() == pem


def test_an_unreadable_key_file_is_a_clear_error_and_publishes_nothing(runner, key_file, db):
    key_file.parent.mkdir(parents=True)
    key_file.write_text("not a key\n")

    result = runner.invoke(args=["publish-checkpoint"])

    assert result.exit_code == 1
    assert "cannot be read" in result.output and str(key_file) in result.output
    with pytest.raises(signing.SigningKeyError):
        signing.signing_key()
    assert key_file.read_text() == "not a key\n"


def test_a_key_of_another_kind_is_refused(key_file):
    from cryptography.hazmat.primitives.asymmetric import ec

    key_file.parent.mkdir(parents=True)
    key_file.write_bytes(ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ))
    with pytest.raises(signing.SigningKeyError, match="Ed25519"):
        signing.signing_key()


def test_the_fingerprint_is_the_sha256_of_the_raw_public_key():
    import base64
    import hashlib

    key = Ed25519PrivateKey.generate().public_key()
    text = signing.public_key_text(key)
    raw = base64.b64decode(text)
    assert len(raw) == 32
    assert signing.fingerprint(text).replace(":", "") == hashlib.sha256(raw).hexdigest()
