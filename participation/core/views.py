"""What every blueprint's views share: the unit of work, refusals shown, guards and paging."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from flask import abort, flash, request
from flask_login import current_user
from flask_wtf import FlaskForm

from participation.core.errors import DomainError
from participation.core.pagination import MAX_PAGE
from participation.extensions import db


@dataclass
class Outcome:
    """How a unit of work ended: `error` holds the refusal when a rule said no."""

    error: DomainError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def show_domain_error(
    form: FlaskForm | None, error: DomainError, *, fallback_field: str | None = None
) -> None:
    """Show a rule's refusal beside the form field it names, else beside `fallback_field`,
    else above the form; with no form, flash it."""
    if form is None:
        flash(error.message, "error")
        return
    name = error.field if error.field in form else fallback_field
    if name is None:
        form.form_errors.append(error.message)
    else:
        form[name].errors = [*form[name].errors, error.message]


@contextmanager
def unit_of_work(
    form: FlaskForm | None = None, *, fallback_field: str | None = None
) -> Iterator[Outcome]:
    """Commit what the block did; on a DomainError roll back and show its message
    (`show_domain_error`) instead of raising."""
    outcome = Outcome()
    try:
        yield outcome
    except DomainError as error:
        db.session.rollback()
        outcome.error = error
        show_domain_error(form, error, fallback_field=fallback_field)
    else:
        db.session.commit()


def me() -> Any:
    """The logged-in user itself rather than Flask-Login's proxy, to store in relationships."""
    return current_user._get_current_object()


def require(allowed: bool) -> None:
    """Refuse the request (403) unless the permission predicate allowed it."""
    if not allowed:
        abort(403)


def page_number() -> int:
    """The `page` query argument, between 1 and MAX_PAGE; 1 when it is not a number."""
    try:
        return min(max(1, int(request.args.get("page", "1"))), MAX_PAGE)
    except ValueError:
        return 1
