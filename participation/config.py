"""Configuration: defaults, then PARTICIPATION_* environment variables, then an explicit dict."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
INSECURE_KEY = "dev-insecure-key-change-me"

DEFAULTS: dict[str, Any] = {
    # development | testing | production
    "ENV": "production",
    "SECRET_KEY": "",
    "DATABASE_URL": f"sqlite:///{ROOT / 'instance' / 'participation.db'}",
    "DEFAULT_LOCALE": "th",
    "LANGUAGES": ("th", "en"),
    "TIMEZONE": "Asia/Bangkok",
    "SITE_NAME": "Ruam",
    # The privacy notice (/privacy) names the organisation that runs the site, the data
    # controller under Thailand's PDPA, and where to write about personal data (an e-mail
    # address, or a postal address). Empty: the notice says they are not given yet.
    "PRIVACY_CONTROLLER": "",
    "PRIVACY_CONTACT": "",
    "PER_PAGE": 20,
    "MAX_BODY_LENGTH": 50_000,
    "MAX_CONTENT_LENGTH": 1024 * 1024,
    "SQLITE_BUSY_TIMEOUT_MS": 10_000,
    "WTF_CSRF_ENABLED": True,
    "WTF_CSRF_TIME_LIMIT": None,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    # In production both are true unless set; the remember-me cookie follows the session's.
    "REMEMBER_COOKIE_SECURE": False,
    # How many reverse proxies stand in front of the application and set X-Forwarded-For and
    # X-Forwarded-Proto (0: none, trust no forwarded header). With a TLS-terminating proxy,
    # 1: requests are then known to be HTTPS (HSTS is sent) and come from the client's address.
    "PROXY_COUNT": 0,
    # Seconds a CDN or a reverse proxy may keep a visitor's public page (s-maxage) before
    # asking again with its ETag (answered 304 when unchanged); browsers ask each time.
    # Signed-in people's pages, forms and errors are never kept: participation/core/caching.py.
    "SHARED_CACHE_MAX_AGE": 60,
    # The application's own copies of those pages (participation/core/pagecache.py): memory://
    # keeps them in each server process; with several servers, one Redis
    # (redis://127.0.0.1:6379/1) keeps them for all. A copy is never served once anything has
    # changed through the application, nor past PAGE_CACHE_SECONDS; 0 keeps none (the
    # default in development and tests, where templates and data change under the server).
    "PAGE_CACHE_URL": "memory://",
    "PAGE_CACHE_KEY_PREFIX": "ruam:pages:",  # Redis: one per instance sharing a Redis
    "PAGE_CACHE_SECONDS": 30,
    "PAGE_CACHE_MAX_BYTES": 512 * 1024,
    # Rate limits (participation/accounts/limits.py). Counters live in memory, one set per
    # server process; with several servers, point them all at one Redis
    # (redis://127.0.0.1:6379/0) so they share the counts.
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_STORAGE_URI": "memory://",
    # Limits as "N/minute", "N/hour", "N/day"; several with ";" ("10/minute;50/hour").
    "RATELIMIT_LOGIN_PER_EMAIL": "10/minute",  # per network address and e-mail address
    "RATELIMIT_LOGIN_PER_ADDRESS": "50/hour",  # per network address
    "RATELIMIT_REGISTER": "10/hour",  # accounts made per network address
    "RATELIMIT_RESET_PER_ADDRESS": "5/hour",  # password-reset requests per network address
    "RATELIMIT_RESET_PER_EMAIL": "3/hour",  # password-reset requests per e-mail address
    "RATELIMIT_COMMENT": "10/minute",  # comments posted per person
    "RATELIMIT_PROPOSAL": "5/hour",  # proposals created per person
    # Largest PM2.5 or hotspot file the secretariat may upload through the site.
    "DATA_UPLOAD_MAX_BYTES": 20 * 1024 * 1024,
    # The licence of the open data (/open-data, datapackage.json, the API).
    "OPEN_DATA_LICENSE_NAME": "CC-BY-4.0",
    "OPEN_DATA_LICENSE_TITLE": "Creative Commons Attribution 4.0",
    "OPEN_DATA_LICENSE_PATH": "https://creativecommons.org/licenses/by/4.0/",
    # The instance's Ed25519 private key (PKCS#8 PEM) that signs log checkpoints; created,
    # readable by its owner only, the first time a checkpoint is published.
    "SIGNING_KEY_FILE": str(ROOT / "instance" / "signing-key.pem"),
    # The SMTP server `flask send-notifications` hands e-mails to. MAIL_USE_TLS
    # upgrades a plain connection with STARTTLS; MAIL_USE_SSL connects over TLS from the start.
    "MAIL_SERVER": "localhost",
    "MAIL_PORT": 25,
    "MAIL_USERNAME": "",
    "MAIL_PASSWORD": "",
    "MAIL_USE_TLS": False,
    "MAIL_USE_SSL": False,
    "MAIL_FROM": "Ruam <no-reply@localhost>",
    "MAIL_TIMEOUT": 10,  # seconds
    "MAIL_MAX_ATTEMPTS": 6,
    # The site's public address, for the absolute links in e-mails (sent outside any request).
    "BASE_URL": "http://127.0.0.1:5000",
}


def _coerce(raw: str, default: Any) -> Any:
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, tuple):
        return tuple(part.strip() for part in raw.split(",") if part.strip())
    return raw


def load(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return the settings: defaults, then environment, then overrides."""
    settings = dict(DEFAULTS)
    for key, default in DEFAULTS.items():
        raw = os.environ.get(f"PARTICIPATION_{key}")
        if raw is not None:
            settings[key] = _coerce(raw, default)
    settings.update(overrides or {})

    def explicit(key: str) -> bool:
        return key in (overrides or {}) or f"PARTICIPATION_{key}" in os.environ

    if settings["ENV"] in {"development", "testing"} and not explicit("PAGE_CACHE_SECONDS"):
        settings["PAGE_CACHE_SECONDS"] = 0
    if settings["ENV"] not in {"development", "testing"}:
        key = settings["SECRET_KEY"]
        if not key or key == INSECURE_KEY or len(key) < 32:
            raise RuntimeError(
                "PARTICIPATION_SECRET_KEY must be set to a random string of at least 32 "
                "characters outside development and tests "
                '(python -c "import secrets; print(secrets.token_hex(32))").'
            )
        # Production cookies travel over HTTPS only unless explicitly told otherwise; the
        # remember-me cookie follows the session cookie unless it is set itself.
        if not explicit("SESSION_COOKIE_SECURE"):
            settings["SESSION_COOKIE_SECURE"] = True
        if not explicit("REMEMBER_COOKIE_SECURE"):
            settings["REMEMBER_COOKIE_SECURE"] = settings["SESSION_COOKIE_SECURE"]
    elif not settings["SECRET_KEY"]:
        settings["SECRET_KEY"] = INSECURE_KEY

    settings["SQLALCHEMY_DATABASE_URI"] = settings["DATABASE_URL"]
    settings["TESTING"] = settings["ENV"] == "testing"
    settings["BABEL_DEFAULT_LOCALE"] = settings["DEFAULT_LOCALE"]
    settings["BABEL_DEFAULT_TIMEZONE"] = settings["TIMEZONE"]
    settings["BABEL_TRANSLATION_DIRECTORIES"] = str(ROOT / "translations")
    return settings
