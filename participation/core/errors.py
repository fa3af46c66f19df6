"""Domain errors and the translated error pages."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

# The largest value of an INTEGER column on PostgreSQL, and so of every id.
MAX_ID = 2**31 - 1


def valid_id(value: int | None) -> int | None:
    """Return value when it can be a row id, else None."""
    return value if value is not None and 1 <= value <= MAX_ID else None


class IdConverter(IntegerConverter):
    """`<int:...>` in addresses: a number no row can have does not match (a 404), instead of
    overflowing the database driver (a 500)."""

    def __init__(self, map, *args, **kwargs):  # noqa: A002 - werkzeug's own parameter name
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


class DomainError(Exception):
    """A rule of the domain said no; the message is shown to the person, translated."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(DomainError):
    """The rule exists, but this person may not do this."""


def _same_site_referrer() -> str | None:
    """The page the form came from, if it is on this site (never a link to elsewhere)."""
    referrer = request.referrer or ""
    return referrer if referrer.startswith(request.host_url) else None


def register_error_pages(app: Flask) -> None:
    """Render every HTTP error as a translated page."""

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return (
            render_template(
                "errors/error.html",
                code=400,
                title=_("The form has expired"),
                message=_(
                    "For your security, forms expire. Go back, reload the page and try again."
                ),
                back=_same_site_referrer(),
            ),
            400,
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        titles = {
            400: _("Bad request"),
            403: _("You may not do this"),
            404: _("Page not found"),
            405: _("Method not allowed"),
            413: _("The request is too large"),
            500: _("Something went wrong"),
        }
        messages = {
            400: _("The request could not be understood."),
            403: _("Your account does not have the role needed for this page or action."),
            404: _("There is nothing at this address. It may have been moved or never existed."),
            405: _("This address does not accept that kind of request."),
            413: _("The data sent is larger than this site accepts."),
            500: _("The error has been recorded. Please try again later."),
        }
        code = error.code or 500
        return (
            render_template(
                "errors/error.html",
                code=code,
                title=titles.get(code, error.name),
                message=messages.get(code, ""),
                back=None,
            ),
            code,
        )
