"""Rate limits on log-in, registration, password reset, comments and proposals, and the
back-off after failed log-ins; counted in the limiter's storage (memory, or Redis shared by
several application servers)."""

from __future__ import annotations

import hashlib
import hmac
import math
import time
from collections.abc import Callable

from flask import Flask, current_app, make_response, render_template, request
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_limiter import RateLimitExceeded
from flask_limiter.util import get_remote_address
from flask_login import current_user
from limits.storage import MemoryStorage, Storage
from redis.exceptions import RedisError
from werkzeug.wrappers import Response

from participation.extensions import limiter

# The limits themselves are settings (participation/config.py, RATELIMIT_*), so a site whose
# people register together from one venue's network can raise them.

# Failed log-ins for one address that cost nothing; each one after them doubles the wait.
FREE_FAILURES = 5
LONGEST_WAIT = 15 * 60  # seconds
# Failures are forgotten a day after the first one (and at once on a successful log-in).
FAILURE_MEMORY = 24 * 60 * 60  # seconds


def init_app(app: Flask) -> None:
    """Count requests when RATELIMIT_ENABLED; answer a refusal with a translated 429 page."""
    # Flask-Limiter keeps one on/off switch per Limiter, set by the last init_app. Only
    # applications with limits switched on initialise it, and the filter below asks the
    # application of each request, so several applications in one process (the tests) each
    # keep their own setting.
    if app.config["RATELIMIT_ENABLED"]:
        limiter.init_app(app)
        # Nor does init_app forget that an earlier application's storage was down (only the
        # Limiter's __init__ sets that): each application starts with its own storage alive.
        limiter._storage_dead = False
    app.register_error_handler(RateLimitExceeded, _too_many_requests)


@limiter.request_filter
def _switched_off() -> bool:
    return not current_app.config.get("RATELIMIT_ENABLED", True)


def enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True)) and limiter.initialized


# Keys. Neither e-mail nor network addresses are stored in the counters' storage: only a keyed
# digest of each (the privacy notice says so).


def _keyed_digest(value: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:32]


def _digest(email: str) -> str:
    return _keyed_digest((email or "").strip().lower())


def _form_email() -> str:
    return _digest(request.form.get("email", ""))


def _address() -> str:
    return "ip/" + _keyed_digest(get_remote_address() or "unknown")


def _address_and_email() -> str:
    return f"{_address()}/{_form_email()}"


def _person() -> str:
    return f"user/{current_user.get_id()}" if current_user.is_authenticated else _address()


def _setting(name: str) -> Callable[[], str]:
    return lambda: current_app.config[name]


def _redirected(response: Response) -> bool:
    """A form that was accepted answers with a redirect; one sent back with errors does not."""
    return 300 <= response.status_code < 400


# The limits, as decorators for the views. Only POST counts: reading a form is free.

login_per_address_and_email = limiter.limit(
    _setting("RATELIMIT_LOGIN_PER_EMAIL"), key_func=_address_and_email, methods=["POST"],
    scope="login-email",
)
login_per_address = limiter.limit(
    _setting("RATELIMIT_LOGIN_PER_ADDRESS"), key_func=_address, methods=["POST"],
    scope="login-address",
)


def login_limits(view: Callable) -> Callable:
    """Per network address and e-mail address, and per network address alone."""
    return login_per_address(login_per_address_and_email(view))


# Accounts made (and mails sent to existing owners) from one network address.
register_limit = limiter.limit(
    _setting("RATELIMIT_REGISTER"), key_func=_address, methods=["POST"],
    deduct_when=_redirected, scope="register",
)
reset_per_address = limiter.limit(
    _setting("RATELIMIT_RESET_PER_ADDRESS"), key_func=_address, methods=["POST"],
    scope="reset-address",
)
reset_per_email = limiter.limit(
    _setting("RATELIMIT_RESET_PER_EMAIL"), key_func=_form_email, methods=["POST"],
    scope="reset-email",
)


def reset_limits(view: Callable) -> Callable:
    """Password-reset requests per network address and per e-mail address asked about."""
    return reset_per_address(reset_per_email(view))


# Put below @login_required, so the person is known. Only what was posted counts.
comment_limit = limiter.limit(
    _setting("RATELIMIT_COMMENT"), key_func=_person, methods=["POST"],
    deduct_when=_redirected, scope="comment",
)
proposal_limit = limiter.limit(
    _setting("RATELIMIT_PROPOSAL"), key_func=_person, methods=["POST"],
    deduct_when=_redirected, scope="proposal",
)


# The 429 page.


def wait_message(seconds: int) -> str:
    """Translated: how long to wait, in minutes when it is more than a minute."""
    if seconds > 60:
        minutes = math.ceil(seconds / 60)
        return ngettext(
            "Please wait %(num)d minute and try again.",
            "Please wait %(num)d minutes and try again.",
            minutes,
        )
    return ngettext(
        "Please wait %(num)d second and try again.",
        "Please wait %(num)d seconds and try again.",
        max(seconds, 1),
    )


def _retry_after() -> int:
    current = limiter.current_limit
    if current is None:
        return 60
    return max(1, math.ceil(current.reset_at - time.time()))


def _too_many_requests(error: RateLimitExceeded) -> Response:
    wait = _retry_after()
    response = make_response(
        render_template(
            "errors/error.html",
            code=429,
            title=_("Too many attempts"),
            message=" ".join((
                _("This has been tried too often from here in a short time."),
                wait_message(wait),
            )),
            back=None,
        ),
        429,
    )
    response.headers["Retry-After"] = str(wait)
    return response


# Back-off after failed log-ins, per e-mail address, known or not (the answer must not tell).


# While the shared storage cannot be reached, the back-off counts in this process's memory (as
# the limiter's own fallback does) rather than failing every log-in.
_LOCAL_BACKOFF = MemoryStorage()


def _with_storage(action: Callable[[Storage], int | None]) -> int | None:
    try:
        return action(limiter.storage)
    except (RedisError, OSError) as error:
        current_app.logger.warning("rate-limit storage unreachable (%s): counting locally",
                                   type(error).__name__)
        return action(_LOCAL_BACKOFF)


def _backoff_keys(email: str) -> tuple[str, str]:
    digest = _digest(email)
    return f"ruam/login-failures/{digest}", f"ruam/login-wait/{digest}"


def login_wait(email: str) -> int:
    """Seconds before this address may try to log in again (0: it may now)."""
    if not enabled():
        return 0
    _, wait_key = _backoff_keys(email)

    def wait(storage: Storage) -> int:
        if storage.get(wait_key) <= 0:
            return 0
        return max(1, math.ceil(storage.get_expiry(wait_key) - time.time()))

    return _with_storage(wait)


def backoff_seconds(failures: int) -> int:
    """The wait after `failures` failed log-ins in a row: none for the first few, then 1, 2,
    4... seconds, never more than LONGEST_WAIT."""
    if failures < FREE_FAILURES:
        return 0
    return min(2 ** (failures - FREE_FAILURES), LONGEST_WAIT)


def record_login_failure(email: str) -> int:
    """Count a failed log-in for this address; return the wait it now imposes."""
    if not enabled():
        return 0
    failures_key, wait_key = _backoff_keys(email)

    def count(storage: Storage) -> int:
        wait = backoff_seconds(storage.incr(failures_key, FAILURE_MEMORY))
        if wait:
            storage.clear(wait_key)
            storage.incr(wait_key, wait)
        return wait

    return _with_storage(count)


def forget_login_failures(email: str) -> None:
    """The right password was given: the count starts again."""
    if not enabled():
        return

    def clear(storage: Storage) -> None:
        for key in _backoff_keys(email):
            storage.clear(key)

    _with_storage(clear)
