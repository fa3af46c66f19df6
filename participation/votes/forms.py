"""Forms to open, vote on and close a ballot."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask_babel import lazy_gettext as _l
from wtforms import DateTimeLocalField, RadioField, TextAreaField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    NumberRange,
    Optional,
)

from participation.core.forms import BodyLength, FlaskForm, IntegerField
from participation.core.i18n import site_zone
from participation.votes.models import VoteChoice


def from_site_time(local: datetime) -> datetime:
    """Read a naive date-time typed in the site's time zone as an aware UTC moment."""
    return local.replace(tzinfo=site_zone()).astimezone(UTC)


def default_closing(now: datetime) -> datetime:
    """A week from now at 17:00 in the site's time zone, as the form shows it (naive)."""
    local = now.astimezone(site_zone()) + timedelta(days=7)
    return local.replace(hour=17, minute=0, second=0, microsecond=0, tzinfo=None)


class OpenBallotForm(FlaskForm):
    closes_at = DateTimeLocalField(
        _l("Voting closes at"),
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
        validators=[DataRequired(message=_l("Enter the date and time voting closes."))],
    )
    quorum = IntegerField(
        _l("Quorum (votes needed, abstentions included)"),
        validators=[Optional(), NumberRange(min=1, message=_l("The quorum must be at least 1."))],
    )


class VoteForm(FlaskForm):
    choice = RadioField(
        _l("Your vote"),
        choices=VoteChoice.choices,
        validators=[InputRequired(message=_l("Choose yes, no or abstain."))],
    )


class CloseBallotForm(FlaskForm):
    resolution = TextAreaField(
        _l("Resolution (optional)"),
        validators=[BodyLength()],
    )
