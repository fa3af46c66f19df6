"""Conditional requests and cache headers that a CDN or a reverse proxy can use safely.

One rule, applied after every view (`init_app`):

- A *shared* response is a GET or HEAD answered 200 (or 304 by the view itself) to a visitor:
  nobody is signed in; no cookie is set (no language just chosen, no flashed message shown,
  which takes it out of the session, no new form token put in the session); the page holds no
  form token; the address is no secret link (a route with a `<token>`: confirming an e-mail
  address, resetting a password, unsubscribing are about one person); the view did not say
  `private` or `no-store` itself (/healthz). It gets `Cache-Control: public, max-age=0,
  s-maxage=SHARED_CACHE_MAX_AGE`, `Vary: Cookie, Accept-Language` and, unless streamed, an
  ETag over its body; a request whose If-None-Match names that ETag is answered 304 with no
  body. (The feeds and calendars make their ETag and 304 themselves, for any reader: they are
  the same for everyone, and feed readers rarely keep cookies.)
- Anything else (a signed-in person's page, a POST, a redirect, an error, a page with a form
  token) gets `Cache-Control: private, no-store`, or keeps the view's own `no-store`, and no
  ETag from here: no cache keeps it, and nobody's tag turns it into a 304.

Why s-maxage and max-age=0: a CDN or a reverse proxy keeps the page (a minute by default) and
answers a burst of readers from its copy, while a browser asks again at each visit (a 304
costs a few hundred bytes), so a reader who comes back to the log after a change sees it at
once when no shared cache stands in between, and at most that minute later when one does.

Why Vary on both: a page's language comes from `?lang=`, else from the session cookie (a choice
made earlier), else from Accept-Language (participation.core.i18n.select_locale), so the
address alone does not say which language a copy is in; and a signed-in person sends a cookie,
so a cache that keys on Cookie never hands them a visitor's copy. An address with `?lang=`
opened by someone who had not chosen that language is not shared: the choice is written into
the session cookie (once; asking again writes nothing).

Streamed downloads (the open-data CSV and JSON, up to millions of rows) get no ETag, which
would mean holding the whole file in memory to hash it, and no Last-Modified either: a dataset
is drawn from several tables and changes without a new timestamp when a moderator hides a
proposal or a person's account is erased, so a date taken from the data could keep serving a
copy that must be gone. Shared caches keep them for `s-maxage` seconds, which is what absorbs
a burst.

The application also keeps its own copies of such pages for cookie-less visitors
(participation.core.pagecache), taken here once the ETag is set.

Static files keep their own rule (participation.core.static): digest addresses are immutable
for a year; other addresses revalidate with send_file's ETag and Last-Modified.
"""

from __future__ import annotations

from flask import Flask, current_app, g, request, session
from flask_login import current_user
from werkzeug.wrappers import Response

from participation.core import pagecache

READ_METHODS = frozenset({"GET", "HEAD"})
# What, besides the address, changes a visitor's page (see the module's docstring).
VARY = ("Cookie", "Accept-Language")
# Route arguments that make an address a secret link sent to one person.
SECRET_ARGUMENTS = frozenset({"token"})
NOT_SHARED = "private, no-store"


def sets_cookie(response: Response) -> bool:
    """Whether the response sets or clears a cookie, now or when the session is saved (after
    every after_request function, so the session's own Set-Cookie is not there yet)."""
    if "Set-Cookie" in response.headers or session.modified:
        return True
    refreshed = current_app.config.get("SESSION_REFRESH_EACH_REQUEST", True)
    return bool(session) and session.permanent and refreshed


def holds_form_token() -> bool:
    """Whether the page was given a CSRF token (Flask-WTF keeps the request's token on `g`):
    the token is tied to one session and must not reach anyone else."""
    return current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token") in g


def is_shared(response: Response) -> bool:
    """Whether any visitor may be given this response from a shared cache."""
    return (
        request.method in READ_METHODS
        and response.status_code in (200, 304)
        and not SECRET_ARGUMENTS.intersection(request.view_args or ())
        and not holds_form_token()
        and not sets_cookie(response)  # showing a flashed message takes it out of the session
        # Last: for a session with a person's id, this loads them.
        and not current_user.is_authenticated
    )


def cache_headers(response: Response) -> Response:
    """Make a visitor's public response cacheable and conditional; keep anything else private."""
    if request.endpoint == "static":
        return response
    control = response.cache_control
    if not is_shared(response):
        if not control.no_store:
            response.headers["Cache-Control"] = NOT_SHARED
        return response
    if control.no_store or control.private:  # the view's own word, e.g. /healthz
        return response
    control.public = True
    control.max_age = 0
    control.s_maxage = current_app.config["SHARED_CACHE_MAX_AGE"]
    for name in VARY:
        response.vary.add(name)
    if response.status_code == 200 and not response.is_streamed:
        if "ETag" not in response.headers:
            response.add_etag()
        pagecache.keep_page(response)  # before a 304 takes the body away
        response.make_conditional(request)
    return response


def init_app(app: Flask) -> None:
    pagecache.init_app(app)  # first: its after-request hook runs after cache_headers
    app.after_request(cache_headers)
