"""Reads about people and organisations: look-ups by e-mail or name, searchable lists."""

from __future__ import annotations

import sqlalchemy as sa

from participation.accounts.models import Organisation, User
from participation.core.pagination import Page, paginate
from participation.extensions import db


def normalise_email(email: str) -> str:
    """E-mail addresses are stored and compared in lower case, without surrounding spaces."""
    return (email or "").strip().lower()


def normalise_name(name: str | None) -> str:
    """Collapse runs of white space, so 'Lampang  Office ' matches 'Lampang Office'."""
    return " ".join((name or "").split())


def user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def find_organisation(name: str | None) -> Organisation | None:
    """The organisation whose Thai or English name is `name`, ignoring case and extra spaces."""
    wanted = normalise_name(name).lower()
    if not wanted:
        return None
    return db.session.scalar(
        sa.select(Organisation)
        .where(
            sa.or_(
                sa.func.lower(Organisation.name_th) == wanted,
                sa.func.lower(Organisation.name_en) == wanted,
            )
        )
        .order_by(Organisation.id)
        .limit(1)
    )


def organisations_named(name: str, *, excluding: int | None = None) -> list[Organisation]:
    """Organisations other than `excluding` already called `name` in either language."""
    wanted = normalise_name(name).lower()
    if not wanted:
        return []
    statement = sa.select(Organisation).where(
        sa.or_(
            sa.func.lower(Organisation.name_th) == wanted,
            sa.func.lower(Organisation.name_en) == wanted,
        )
    )
    if excluding is not None:
        statement = statement.where(Organisation.id != excluding)
    return list(db.session.scalars(statement))


def all_organisations() -> list[Organisation]:
    return list(db.session.scalars(sa.select(Organisation).order_by(Organisation.name_th)))


def search_users(search: str | None, *, page: int, per_page: int) -> Page:
    """A page of users whose e-mail or display name contains `search` (any case)."""
    statement = sa.select(User).order_by(User.email)
    text = normalise_name(search)
    if text:
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        statement = statement.where(
            sa.or_(
                User.email.ilike(pattern, escape="\\"),
                User.display_name.ilike(pattern, escape="\\"),
            )
        )
    return paginate(statement, page=page, per_page=per_page)


def count_users() -> int:
    return db.session.scalar(sa.select(sa.func.count(User.id))) or 0


def count_organisations() -> int:
    return db.session.scalar(sa.select(sa.func.count(Organisation.id))) or 0
