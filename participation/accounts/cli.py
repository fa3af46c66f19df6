"""Commands to create accounts and grant roles or seats from the shell."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from participation.accounts import services
from participation.accounts.models import Sector
from participation.accounts.queries import find_organisation, user_by_email
from participation.core.errors import DomainError
from participation.core.models import utcnow
from participation.extensions import db
from participation.groups.models import Seat
from participation.groups.services import assign_holder
from participation.privacy.notices import current_notice_version

ROLES = ("participant", "admin", "agency-contact")
SECTOR_NAMES = tuple(sector.value for sector in Sector)


def _sector(_ctx: click.Context, _param: click.Parameter, value: str | None) -> Sector | None:
    if value is None:
        return None
    try:
        return Sector(value.strip().lower().replace("-", "_").replace(" ", "_"))
    except ValueError:
        raise click.BadParameter(
            _("choose one of: %(names)s", names=", ".join(SECTOR_NAMES))
        ) from None


def _fail(message: str) -> None:
    db.session.rollback()
    raise click.ClickException(message)


@click.command("create-user")
@click.argument("email")
@click.option(
    "--role", type=click.Choice(ROLES), required=True, help="participant, admin or agency-contact"
)
@click.option("--name", help="Public display name (default: the part of the e-mail before @).")
@click.option(
    "--password", prompt=True, hide_input=True, confirmation_prompt=True,
    help="At least 10 characters; asked for when not given.",
)
@click.option("--sector", callback=_sector, help=f"One of {', '.join(SECTOR_NAMES)}.")
@click.option("--organisation", help="Organisation name (Thai or English); created if unknown.")
@with_appcontext
def create_user(
    email: str,
    role: str,
    name: str | None,
    password: str,
    sector: Sector | None,
    organisation: str | None,
) -> None:
    """Create an account with a role, for a person who agreed to the current privacy
    notice."""
    if role == "agency-contact" and not (organisation or "").strip():
        raise click.UsageError(_("An agency contact needs --organisation."))
    now = utcnow()
    default_sector = Sector.GOVERNMENT if role == "agency-contact" else Sector.CITIZEN
    try:
        user = services.register_user(
            email=email,
            password=password,
            display_name=name or email.split("@", 1)[0],
            sector=sector or default_sector,
            organisation_name=organisation,
            now=now,
            # The administrator who runs the command vouches for the address, and for the
            # person's consent to the current privacy notice (README, Privacy).
            verified=True,
            privacy_version=current_notice_version(),
        )
        if role == "admin":
            services.set_admin(user=user, is_admin=True, actor=None, now=now)
        elif role == "agency-contact":
            services.set_agency_contact(
                user=user, organisation=user.organisation, actor=None, now=now
            )
    except DomainError as error:
        _fail(error.message)
    db.session.commit()
    click.echo(
        _("Created %(email)s (%(role)s), id %(id)d.", email=user.email, role=role, id=user.id)
    )


@click.command("grant")
@click.argument("email")
@click.option(
    "--role", type=click.Choice(ROLES), help="admin, agency-contact, or participant (removes both)."
)
@click.option("--organisation", help="With --role agency-contact: the organisation, by name.")
@click.option("--seat", "seat_id", type=int, help="Give this seat (by id) to the person.")
@with_appcontext
def grant(email: str, role: str | None, organisation: str | None, seat_id: int | None) -> None:
    """Give a person a role, or a seat in a working group."""
    if (role is None) == (seat_id is None):
        raise click.UsageError(_("Give either --role or --seat."))
    if organisation and role != "agency-contact":
        raise click.UsageError(_("--organisation goes with --role agency-contact."))
    user = user_by_email(email)
    if user is None:
        _fail(_("No account uses the e-mail address %(email)s.", email=email))
    now = utcnow()
    try:
        if seat_id is not None:
            seat = db.session.get(Seat, seat_id)
            if seat is None:
                _fail(_("There is no seat %(id)d.", id=seat_id))
            assign_holder(seat=seat, holder=user, actor=None, now=now)
            message = _(
                "%(email)s now holds seat %(id)d (%(role)s) in %(group)s.",
                email=user.email, id=seat.id, role=seat.role.label, group=seat.group.name,
            )
        elif role == "admin":
            services.set_admin(user=user, is_admin=True, actor=None, now=now)
            message = _("%(email)s is an administrator.", email=user.email)
        elif role == "agency-contact":
            target = find_organisation(organisation) if organisation else user.organisation
            if target is None:
                _fail(
                    _("There is no organisation called %(name)s.", name=organisation)
                    if organisation
                    else _("An agency contact needs --organisation.")
                )
            services.set_agency_contact(user=user, organisation=target, actor=None, now=now)
            message = _(
                "%(email)s is the agency contact of %(organisation)s.",
                email=user.email, organisation=target.name,
            )
        else:
            services.set_admin(user=user, is_admin=False, actor=None, now=now)
            services.set_agency_contact(user=user, organisation=None, actor=None, now=now)
            message = _("%(email)s is a participant.", email=user.email)
    except DomainError as error:
        _fail(error.message)
    db.session.commit()
    click.echo(message)


commands = [create_user, grant]
