"""Each test here starts with no signing key, in a directory of its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask


@pytest.fixture(autouse=True)
def key_file(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where the instance's signing key goes; the directory does not exist yet."""
    path = tmp_path / "instance" / "signing-key.pem"
    monkeypatch.setitem(app.config, "SIGNING_KEY_FILE", str(path))
    return path
