"""Forms to open, vote on and close a ballot, and the choices each kind of ballot offers."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateTimeLocalField, RadioField, TextAreaField
from wtforms.validators import (
    DataRequired,
    NumberRange,
    Optional,
    StopValidation,
)

from participation.accounts.models import Sector
from participation.core.forms import BodyLength, FlaskForm, IntegerField
from participation.core.i18n import site_zone
from participation.votes.models import (
    KIND_CHOICES,
    Ballot,
    BallotKind,
    ReasonRule,
    VoteChoice,
    choice_label,
)


def ballot_choices(kind: BallotKind | str) -> list[tuple[str, str]]:
    """The (value, label) choices a ballot of this kind offers."""
    kind = BallotKind(kind)
    return [(choice.value, choice_label(kind, choice)) for choice in KIND_CHOICES[kind]]


def default_closing(now: datetime) -> datetime:
    """A week from now at 17:00 in the site's time zone, as the form shows it (naive)."""
    local = now.astimezone(site_zone()) + timedelta(days=7)
    return local.replace(hour=17, minute=0, second=0, microsecond=0, tzinfo=None)


def sector_quorum_field(sector: Sector) -> str:
    """The name of the form field holding a sector's minimum number of votes."""
    return f"quorum_{sector.value}"


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
    # Left out of the request, these keep their defaults; an unknown value is refused.
    kind = RadioField(
        _l("Choices on the ballot"), choices=BallotKind.choices, default=BallotKind.STANDARD.value
    )
    reasons = RadioField(
        _l("Reasons"), choices=ReasonRule.choices, default=ReasonRule.OPTIONAL.value
    )
    hide_results = BooleanField(_l("Hide the count and the roll-call until the ballot closes"))
    secret = BooleanField(_l("Secret ballot: never show how each seat voted"))

    def sector_quorum_fields(self) -> list[tuple[Sector, Any]]:
        """The minimum-votes field of every sector, in sector order."""
        return [(sector, self[sector_quorum_field(sector)]) for sector in Sector]

    def sector_quorum(self) -> dict[str, int | None]:
        """The minimum number of votes typed for each sector (None where left empty)."""
        return {sector.value: field.data for sector, field in self.sector_quorum_fields()}


for _sector in Sector:
    setattr(
        OpenBallotForm,
        sector_quorum_field(_sector),
        IntegerField(
            LazyString(lambda sector=_sector: sector.label),
            validators=[
                Optional(),
                NumberRange(min=0, message=_l("Enter a number of votes, 0 or more.")),
            ],
        ),
    )


class VoteForm(FlaskForm):
    # vote_form() sets the choices and the message naming them for the ballot's kind.
    choice = RadioField(_l("Your vote"), choices=VoteChoice.choices, validate_choice=False)
    reason = TextAreaField(_l("Reason"), validators=[Optional(), BodyLength()])

    def validate_choice(self, field: RadioField) -> None:
        if field.data not in {value for value, _label in field.choices}:
            raise StopValidation(self.choice_message)


def vote_form(ballot: Ballot, **kwargs: Any) -> VoteForm:
    """The vote form offering the choices of this ballot's kind."""
    form = VoteForm(**kwargs)
    form.choice.choices = ballot_choices(ballot.kind)
    form.choice_message = (
        _l("Choose agree, abstain, disagree or block.")
        if ballot.kind == BallotKind.CONSENT
        else _l("Choose yes, no or abstain.")
    )
    return form


class CloseBallotForm(FlaskForm):
    resolution = TextAreaField(
        _l("Resolution (optional)"),
        validators=[BodyLength()],
    )
