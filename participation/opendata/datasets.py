"""The registry of open datasets: for each, its fields with Frictionless types, its filters and
the SQL that streams its rows as plain columns (never ORM objects), in a stable order."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased

from participation.accountability.models import Checkpoint, LogEntry
from participation.accountability.verbs import SUBJECT_TYPES, VERBS
from participation.accounts.models import Organisation, Sector, User
from participation.accounts.sectors import count_by_sector
from participation.answers.models import Answer, AnswerState
from participation.comments.models import Comment, Stance
from participation.comments.queries import visible_comment
from participation.commitments.models import (
    Commitment,
    CommitmentStatus,
    Completion,
    Milestone,
    ProgressUpdate,
)
from participation.core.errors import MAX_ID
from participation.core.i18n import site_zone
from participation.decisions.models import Decision
from participation.environment.models import (
    DataImport,
    DataKind,
    District,
    Hotspot,
    Reading,
    Station,
)
from participation.evaluations.models import (
    Assessment,
    AssessmentKind,
    OpenedGovernment,
    Review,
    ReviewKind,
)
from participation.groups.models import Seat, SeatRole, WorkingGroup
from participation.kpis.models import (
    Direction,
    Kpi,
    Measurement,
    Rule,
    kpi_commitments,
    kpi_owners,
)
from participation.moderation.models import ModerationReason
from participation.proposals.models import Category, Proposal, ProposalState, Support
from participation.proposals.queries import visible_proposal
from participation.volunteering.models import Signup, SignupStatus, VolunteerTask
from participation.votes.models import (
    Ballot,
    BallotKind,
    BallotResult,
    BallotStatus,
    ReasonRule,
    Vote,
    VoteChoice,
)

# Rows fetched from the database at a time while streaming: memory stays flat.
CHUNK_ROWS = 2000

# Frictionless Data field types this registry uses.
TYPES = ("integer", "number", "string", "boolean", "date", "datetime", "object", "array",
         "geojson")


FILTER_MAX = 100  # characters: codes and dates are short


class InvalidFilter(ValueError):
    """A filter's value cannot be understood; the message is translated for the reader."""


@dataclass(frozen=True)
class Field:
    """One column of a dataset, described as a Frictionless Data field."""

    name: str
    type: str
    description: Any
    expr: Any  # the SQL expression selected for this column
    required: bool = False
    enum: type[enum.Enum] | None = None
    minimum: float | None = None
    maximum: float | None = None
    # Turns the database value into the published one (e.g. a ring into a GeoJSON polygon).
    convert: Callable[[Any], Any] | None = None

    @property
    def constraints(self) -> dict[str, Any]:
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.enum is not None:
            constraints["enum"] = [member.value for member in self.enum]
        if self.minimum is not None:
            constraints["minimum"] = self.minimum
        if self.maximum is not None:
            constraints["maximum"] = self.maximum
        return constraints

    def descriptor(self) -> dict[str, Any]:
        """The field as a Frictionless Table Schema field."""
        described: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "description": str(self.description),
        }
        if self.type == "datetime":
            described["format"] = "default"
        if self.constraints:
            described["constraints"] = self.constraints
        return described


@dataclass(frozen=True)
class Filter:
    """A query-string parameter that narrows a dataset."""

    name: str
    type: str  # integer | string | date | datetime (a date or a moment)
    description: Any
    # Given the statement and the parsed value, return the narrowed statement.
    apply: Callable[[sa.Select, Any], sa.Select]
    choices: tuple[str, ...] | None = None
    # For date/datetime filters: "from" (inclusive start) or "to" (inclusive end).
    bound: str = ""

    def parse(self, raw: str) -> Any:
        """Turn the query-string text into the value `apply` takes; raise InvalidFilter."""
        raw = raw.strip()
        if "\x00" in raw or len(raw) > FILTER_MAX:
            raise InvalidFilter(_("The filter %(name)s takes a short value.", name=self.name))
        if self.type == "integer":
            try:
                value = int(raw)
            except ValueError:
                raise InvalidFilter(
                    _("The filter %(name)s takes a whole number.", name=self.name)
                ) from None
            if not 1 <= value <= MAX_ID:
                raise InvalidFilter(
                    _("The filter %(name)s takes a whole number.", name=self.name)
                )
            return value
        if self.choices is not None and raw not in self.choices:
            raise InvalidFilter(
                _("The filter %(name)s takes one of: %(choices)s.", name=self.name,
                  choices=", ".join(self.choices))
            )
        if self.type == "date":
            try:
                return date.fromisoformat(raw)
            except ValueError:
                raise InvalidFilter(
                    _("The filter %(name)s takes a date such as 2026-03-31.", name=self.name)
                ) from None
        if self.type == "datetime":
            return _moment_bound(raw, self.name, self.bound)
        if not raw:
            raise InvalidFilter(_("The filter %(name)s needs a value.", name=self.name))
        return raw


def _moment_bound(raw: str, name: str, bound: str) -> datetime:
    """A date (a whole day in the site's time zone) or an ISO moment (the site's zone when it
    gives none), as the UTC moment where the range starts ("from") or ends, exclusive ("to")."""
    try:
        if len(raw) == 10:
            day = date.fromisoformat(raw)
            if bound == "to":
                day += timedelta(days=1)
            return datetime.combine(day, time(), tzinfo=site_zone()).astimezone(UTC)
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=site_zone())
        moment = moment.astimezone(UTC)
        # An exact moment is an inclusive end: make it exclusive by the smallest step.
        return moment + timedelta(microseconds=1) if bound == "to" else moment
    except (ValueError, OverflowError):
        raise InvalidFilter(
            _("The filter %(name)s takes a date (2026-03-31) or a date and time "
              "(2026-03-31T14:00:00+07:00).", name=name)
        ) from None


@dataclass(frozen=True)
class Dataset:
    """A public dataset: what it is, its fields, its filters and how to select its rows."""

    name: str
    title: Any
    description: Any
    fields: tuple[Field, ...]
    # Adds FROM, joins, WHERE and GROUP BY to the select of the fields' expressions.
    refine: Callable[[sa.Select], sa.Select] = lambda statement: statement
    filters: tuple[Filter, ...] = ()
    key: str = "id"

    @property
    def key_field(self) -> Field:
        return self.field(self.key)

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    def filter(self, name: str) -> Filter | None:
        return next((f for f in self.filters if f.name == name), None)

    def statement(self, filters: dict[str, Any] | None = None, *, after: int | None = None,
                  key: int | None = None) -> sa.Select:
        """The select of every public row, ordered by the key; narrowed by parsed filters,
        by a keyset cursor (rows after the key `after`) or to the one row `key`."""
        statement = self.refine(sa.select(*(f.expr.label(f.name) for f in self.fields)))
        for name, value in (filters or {}).items():
            statement = self.filter(name).apply(statement, value)
        key_expr = self.key_field.expr
        if after is not None:
            statement = statement.where(key_expr > after)
        if key is not None:
            statement = statement.where(key_expr == key)
        return statement.order_by(key_expr)

    def parse_filters(self, args: Any) -> dict[str, Any]:
        """Parse the filters present in a query-string mapping; raise InvalidFilter."""
        return {f.name: f.parse(args[f.name]) for f in self.filters if f.name in args}

    def schema(self) -> dict[str, Any]:
        """The Frictionless Table Schema of the dataset."""
        return {
            "fields": [f.descriptor() for f in self.fields],
            "primaryKey": [self.key],
            "missingValues": [""],
        }

    def converters(self) -> list[tuple[Field, Callable[[Any], Any]]]:
        return [(f, python_value_of(f)) for f in self.fields]


# Converting values for output ------------------------------------------------------------

def iso_moment(value: datetime) -> str:
    """ISO 8601 in UTC with a Z; microseconds only when there are some."""
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.replace(tzinfo=None).isoformat() + "Z"


def _plain(kind: str) -> Callable[[Any], Any]:
    if kind == "datetime":
        return iso_moment
    if kind == "date":
        return date.isoformat
    if kind == "integer":
        return int
    if kind == "number":
        return float
    if kind == "boolean":
        return bool
    if kind == "string":
        return lambda value: value.value if isinstance(value, enum.Enum) else str(value)
    return lambda value: value


def python_value_of(f: Field) -> Callable[[Any], Any]:
    """A function giving a field's published value as JSON-ready Python (None stays None)."""
    plain = _plain(f.type)
    convert = f.convert

    def value_of(value: Any) -> Any:
        if convert is not None:
            value = convert(value)
        return None if value is None else plain(value)

    return value_of


# Shared descriptions and filters ---------------------------------------------------------

ID = _l("Identifier, stable across downloads.")
CREATED = _l("When the record was created (UTC).")
UPDATED = _l("When the record was last changed (UTC).")
GROUP_ID = _l("The working group (see the groups dataset).")
PROPOSAL_ID = _l("The proposal (see the proposals dataset).")
NAME_TH = _l("Name in Thai.")
NAME_EN = _l("Name in English (may be empty).")


def _equals(expr: Any) -> Callable[[sa.Select, Any], sa.Select]:
    return lambda statement, value: statement.where(expr == value)


def _id_filter(name: str, expr: Any, description: Any) -> Filter:
    return Filter(name, "integer", description, _equals(expr))


def _enum_filter(name: str, expr: Any, enum_class: type[enum.Enum], description: Any) -> Filter:
    return Filter(name, "string", description, _equals(expr),
                  choices=tuple(member.value for member in enum_class))


def _range_filters(expr: Any, kind: str) -> tuple[Filter, Filter]:
    """`from` and `to` filters on a date or datetime column, both inclusive."""
    if kind == "date":
        return (
            Filter("from", "date", _l("Only rows on or after this date."),
                   lambda statement, value: statement.where(expr >= value), bound="from"),
            Filter("to", "date", _l("Only rows on or before this date."),
                   lambda statement, value: statement.where(expr <= value), bound="to"),
        )
    return (
        Filter("from", "datetime",
               _l("Only rows from this date (a whole day in Thai time) or moment (ISO 8601) on."),
               lambda statement, value: statement.where(expr >= value), bound="from"),
        Filter("to", "datetime",
               _l("Only rows up to this date (a whole day in Thai time) or moment (ISO 8601), "
                  "inclusive."),
               lambda statement, value: statement.where(expr < value), bound="to"),
    )


def _by_code(model: Any, fk: Any) -> Callable[[sa.Select, Any], sa.Select]:
    """Narrow to rows whose foreign key points at the row with this code."""
    return lambda statement, value: statement.where(
        fk == sa.select(model.id).where(model.code == value).scalar_subquery()
    )


def _linked_ids(table: sa.Table, column: str) -> Any:
    """The ids a KPI links to through an association table, as one "1,2" string."""
    return (
        sa.select(sa.func.aggregate_strings(sa.cast(table.c[column], sa.String), ","))
        .where(table.c.kpi_id == Kpi.id)
        .scalar_subquery()
    )


def _id_list(text: str | None) -> list[int]:
    return sorted(int(part) for part in text.split(",")) if text else []


def _polygon(ring: Any) -> dict[str, Any] | None:
    return {"type": "Polygon", "coordinates": [ring]} if ring else None


def _as_text(column: Any) -> Any:
    """A coded column read as its stored text, so arms of a UNION agree on the type."""
    return sa.type_coerce(column, sa.String)


def _text(value: str) -> Any:
    return sa.literal_column(f"'{value}'", sa.String)


def _tally(value: dict[str, dict[str, int]] | None) -> dict[str, dict[str, int]]:
    """A {sector: {key: count}} tally with every sector present, as the pages show it."""
    return count_by_sector(
        (sector, key, number)
        for sector, counts in (value or {}).items()
        for key, number in counts.items()
    )


def _tally_from_text(text: str | None) -> dict[str, dict[str, int]]:
    """The tally written by `_proposal_tally` as "sector:key:count,...", keys in a fixed order
    (the database returns the parts in any order)."""
    parts = sorted((part.split(":") for part in (text or "").split(",") if part),
                   key=lambda part: KEY_CODES.get(part[1], len(KEY_CODES)))
    return count_by_sector((sector, key, int(number)) for sector, key, number in parts)


def _supports_by_sector() -> sa.Select:
    """Supports of each proposal by the supporter's sector."""
    return (
        sa.select(_text("proposal").label("subject_type"),
                  Support.proposal_id.label("subject_id"), _text("support").label("measure"),
                  _as_text(User.sector).label("sector"), _text("support").label("key"),
                  sa.func.count().label("count"))
        .select_from(Support)
        .join(User, User.id == Support.user_id)
        .group_by(Support.proposal_id, User.sector)
    )


def _stances_by_sector() -> sa.Select:
    """Comments stating a stance, by the commenter's sector; deleted and hidden comments no
    longer count."""
    return (
        sa.select(_text("proposal").label("subject_type"),
                  Comment.proposal_id.label("subject_id"), _text("stance").label("measure"),
                  _as_text(User.sector).label("sector"), _as_text(Comment.stance).label("key"),
                  sa.func.count().label("count"))
        .select_from(Comment)
        .join(User, User.id == Comment.author_id)
        .where(Comment.deleted_at.is_(None), visible_comment(), Comment.stance.is_not(None))
        .group_by(Comment.proposal_id, User.sector, Comment.stance)
    )


def _votes_by_sector() -> sa.Select:
    """Each decision's votes by the seat's sector, unpacked from the tally kept at closing."""
    sectors = sa.func.json_each(Decision.tally_by_sector).table_valued(
        "key", "value", name="by_sector")
    choices = sa.func.json_each(sectors.c.value).table_valued("key", "value", name="by_choice")
    # JSON numbers become integers through text, which both databases accept.
    number = sa.cast(sa.cast(choices.c.value, sa.String), sa.Integer)
    return (
        sa.select(_text("decision").label("subject_type"), Decision.id.label("subject_id"),
                  _text("vote").label("measure"), sectors.c.key.label("sector"),
                  choices.c.key.label("key"), number.label("count"))
        .select_from(Decision)
        .join(sectors, sa.true())
        .join(choices, sa.true())
        .where(number > 0)
    )


def _public_proposals_only(statement: sa.Select, proposal_id: Any) -> sa.Select:
    """Rows about proposals that were opened for comment and are not hidden."""
    return statement.join(Proposal, Proposal.id == proposal_id).where(
        Proposal.state != ProposalState.DRAFT, visible_proposal())


def _proposal_tally() -> Any:
    """Supports and comment stances of the proposal in the row by sector, as one
    "sector:key:count,..." text (key "support" or a stance), counted in the database."""
    counted = sa.union_all(
        _supports_by_sector().where(Support.proposal_id == Proposal.id).correlate(Proposal),
        _stances_by_sector().where(Comment.proposal_id == Proposal.id).correlate(Proposal),
    ).subquery()
    text = (counted.c.sector + ":" + counted.c.key + ":"
            + sa.cast(counted.c["count"], sa.String))
    return sa.select(sa.func.aggregate_strings(text, ",")).scalar_subquery()


# The datasets ----------------------------------------------------------------------------

_author = aliased(User)
_voter = aliased(User)
_lead = aliased(Organisation)
_seat_organisation = aliased(Organisation)

GROUPS = Dataset(
    name="groups",
    title=_l("Working groups"),
    description=_l("The working groups that deliberate and decide."),
    fields=(
        Field("id", "integer", ID, WorkingGroup.id, required=True),
        Field("name_th", "string", NAME_TH, WorkingGroup.name_th, required=True),
        Field("name_en", "string", NAME_EN, WorkingGroup.name_en),
        Field("description", "string", _l("What the group is for (Markdown)."),
              WorkingGroup.description),
        Field("created_at", "datetime", CREATED, WorkingGroup.created_at, required=True),
    ),
)

ORGANISATIONS = Dataset(
    name="organisations",
    title=_l("Organisations"),
    description=_l("Agencies and organisations that hold seats, lead commitments or own KPIs."),
    fields=(
        Field("id", "integer", ID, Organisation.id, required=True),
        Field("name_th", "string", NAME_TH, Organisation.name_th, required=True),
        Field("name_en", "string", NAME_EN, Organisation.name_en),
        Field("sector", "string", _l("The sector the organisation belongs to."),
              Organisation.sector, required=True, enum=Sector),
    ),
    filters=(_enum_filter("sector", Organisation.sector, Sector, _l("Only this sector.")),),
)

PROPOSALS = Dataset(
    name="proposals",
    title=_l("Proposals"),
    description=_l("Every proposal that was opened for comment (drafts are private). A "
                   "proposal a moderator hid is left out until it is restored."),
    fields=(
        Field("id", "integer", ID, Proposal.id, required=True),
        Field("group_id", "integer", GROUP_ID, Proposal.group_id, required=True),
        Field("title", "string", _l("Title."), Proposal.title, required=True),
        Field("body", "string", _l("The proposal's text (Markdown)."), Proposal.body),
        Field("category_th", "string", _l("Category, in Thai."), Category.name_th),
        Field("category_en", "string", _l("Category, in English."), Category.name_en),
        Field("author_name", "string", _l("The author's public display name."),
              _author.display_name),
        Field("sector", "string", _l("The sector the author speaks for."), Proposal.sector,
              enum=Sector),
        Field("organisation_id", "integer",
              _l("The organisation the author speaks for, if any."), Proposal.organisation_id),
        Field("state", "string", _l("Where the proposal stands."), Proposal.state,
              required=True, enum=ProposalState),
        Field("merged_into_id", "integer", _l("The proposal this one was merged into."),
              Proposal.merged_into_id),
        Field("support_count", "integer", _l("Number of people who support it."),
              Proposal.support_count, minimum=0),
        Field("comment_count", "integer", _l("Number of comments."), Proposal.comment_count,
              minimum=0),
        Field("opened_at", "datetime", _l("When it was opened for comment (UTC)."),
              Proposal.opened_at),
        Field("agency_id", "integer",
              _l("The agency expected to answer it (see organisations); empty: the working "
                 "group's secretariat."), Proposal.agency_id),
        Field("answer_due_on", "date",
              _l("The day by which an official answer is due (Thai time)."),
              Proposal.answer_due_on),
        Field("answer_state", "string",
              _l("The official answer, once given (see the answers dataset)."), Answer.state,
              enum=AnswerState),
        Field("answered_on", "date", _l("The day it was answered (Thai time)."),
              Answer.answered_on),
        Field("tally_by_sector", "object",
              _l("Supports and comment stances by sector, as a JSON object: for each sector, "
                 "the number of supports (support) and of comments for, against or neutral. "
                 "Deleted and hidden comments do not count."),
              _proposal_tally(), convert=_tally_from_text),
        Field("created_at", "datetime", CREATED, Proposal.created_at, required=True),
        Field("updated_at", "datetime", UPDATED, Proposal.updated_at),
    ),
    refine=lambda statement: statement.select_from(Proposal)
    .join(Category, Category.id == Proposal.category_id)
    .join(_author, _author.id == Proposal.author_id)
    .outerjoin(Answer, Answer.proposal_id == Proposal.id)
    .where(Proposal.state != ProposalState.DRAFT, visible_proposal()),
    filters=(
        Filter("state", "string", _l("Only proposals in this state."), _equals(Proposal.state),
               choices=tuple(s.value for s in ProposalState if s != ProposalState.DRAFT)),
        _id_filter("group", Proposal.group_id, _l("Only proposals of this working group (id).")),
    ),
)

# A comment's text, author and stance are published unless it was deleted or hidden.
_comment_shown = sa.and_(Comment.deleted_at.is_(None), visible_comment())

COMMENTS = Dataset(
    name="comments",
    title=_l("Comments"),
    description=_l("Comments on proposals, with the author's public display name only. "
                   "A deleted comment, or one a moderator hid, keeps its place without its "
                   "text, author or stance. Comments on a hidden proposal are left out with "
                   "it."),
    fields=(
        Field("id", "integer", ID, Comment.id, required=True),
        Field("proposal_id", "integer", PROPOSAL_ID, Comment.proposal_id, required=True),
        Field("parent_id", "integer", _l("The comment this one replies to."), Comment.parent_id),
        Field("author_name", "string", _l("The author's public display name."),
              sa.case((_comment_shown, User.display_name), else_=None)),
        Field("stance", "string", _l("For, against or neutral, if the author said."),
              sa.case((_comment_shown, Comment.stance), else_=None), enum=Stance),
        Field("body", "string", _l("The comment's text (Markdown)."),
              sa.case((_comment_shown, Comment.body), else_="")),
        Field("revision_count", "integer", _l("How many versions the text has had."),
              Comment.revision_count, minimum=1),
        Field("deleted", "boolean", _l("Whether the author deleted the comment."),
              Comment.deleted_at.is_not(None), required=True),
        Field("hidden_reason", "string",
              _l("Why a moderator hid the comment; empty unless it is hidden."),
              Comment.hidden_reason, enum=ModerationReason),
        Field("created_at", "datetime", CREATED, Comment.created_at, required=True),
        Field("updated_at", "datetime", UPDATED, Comment.updated_at),
    ),
    refine=lambda statement: statement.select_from(Comment)
    .join(User, User.id == Comment.author_id)
    .join(Proposal, Proposal.id == Comment.proposal_id)
    .where(Proposal.state != ProposalState.DRAFT, visible_proposal()),
    filters=(_id_filter("proposal", Comment.proposal_id,
                        _l("Only comments on this proposal (id).")),),
)


def _sector_count(sector: Sector) -> Any:
    return sa.func.coalesce(sa.func.sum(sa.case((User.sector == sector, 1), else_=0)), 0)


SUPPORTS = Dataset(
    name="supports",
    title=_l("Support counts"),
    description=_l("How many people support each proposal, in total and by the sector they "
                   "registered with. Who supports what is not published."),
    fields=(
        Field("proposal_id", "integer", PROPOSAL_ID, Proposal.id, required=True),
        Field("supports", "integer", _l("Number of supporters."), sa.func.count(Support.id),
              required=True, minimum=0),
        *(
            Field(sector.value, "integer", _l("Supporters from this sector."),
                  _sector_count(sector), required=True, minimum=0)
            for sector in Sector
        ),
        Field("last_supported_at", "datetime", _l("When the latest support was given (UTC)."),
              sa.func.max(Support.created_at)),
    ),
    refine=lambda statement: statement.select_from(Proposal)
    .outerjoin(Support, Support.proposal_id == Proposal.id)
    .outerjoin(User, User.id == Support.user_id)
    .where(Proposal.state != ProposalState.DRAFT, visible_proposal())
    .group_by(Proposal.id),
    filters=(_id_filter("group", Proposal.group_id,
                        _l("Only proposals of this working group (id).")),),
    key="proposal_id",
)

BALLOTS = Dataset(
    name="ballots",
    title=_l("Ballots"),
    description=_l("Votes opened by the working groups on proposals. Counts and roll-calls "
                   "are published when a ballot closes (see decisions and votes)."),
    fields=(
        Field("id", "integer", ID, Ballot.id, required=True),
        Field("proposal_id", "integer", PROPOSAL_ID, Ballot.proposal_id, required=True),
        Field("group_id", "integer", GROUP_ID, Ballot.group_id, required=True),
        Field("status", "string", _l("Open or closed."), Ballot.status, required=True,
              enum=BallotStatus),
        Field("result", "string", _l("The result, once closed."), Ballot.result,
              enum=BallotResult),
        Field("quorum", "integer", _l("Votes needed for the result to count."), Ballot.quorum,
              required=True, minimum=1),
        Field("kind", "string",
              _l("The options offered: standard (yes, no, abstain) or consent (agree, "
                 "disagree, abstain, block; agree is yes and disagree is no)."),
              Ballot.kind, required=True, enum=BallotKind),
        Field("reasons", "string",
              _l("Whether each vote needs a written reason (a block always does)."),
              Ballot.reasons, required=True, enum=ReasonRule),
        Field("hide_results", "boolean", _l("Whether the count was hidden until closing."),
              Ballot.hide_results, required=True),
        Field("secret", "boolean",
              _l("Whether the ballot is secret: the votes dataset then shows who voted, "
                 "not how."), Ballot.secret, required=True),
        Field("sector_quorum", "object",
              _l("Minimum votes per sector for the result to count, as a JSON object "
                 "(empty: none)."), Ballot.sector_quorum),
        Field("opened_at", "datetime", _l("When voting opened (UTC)."), Ballot.opened_at,
              required=True),
        Field("closes_at", "datetime", _l("When voting is due to close (UTC)."),
              Ballot.closes_at, required=True),
        Field("closed_at", "datetime", _l("When voting closed (UTC)."), Ballot.closed_at),
    ),
    filters=(
        _id_filter("proposal", Ballot.proposal_id, _l("Only ballots on this proposal (id).")),
        _enum_filter("status", Ballot.status, BallotStatus, _l("Only open or closed ballots.")),
    ),
)

def _unless_secret(expr: Any) -> Any:
    """A vote's choice or reason, withheld (null) when the ballot is secret."""
    return sa.case((sa.not_(Ballot.secret), expr), else_=None)


VOTES = Dataset(
    name="votes",
    title=_l("Votes (roll-calls)"),
    description=_l("How each seat voted on each closed ballot: public acts of a public body. "
                   "Votes on open ballots are not published. On a secret ballot only who "
                   "voted is published, not the choice or the reason. The voter may be the "
                   "seat's deputy rather than its holder."),
    fields=(
        Field("id", "integer", ID, Vote.id, required=True),
        Field("ballot_id", "integer", _l("The ballot (see the ballots dataset)."), Vote.ballot_id,
              required=True),
        Field("proposal_id", "integer", PROPOSAL_ID, Ballot.proposal_id, required=True),
        Field("seat_id", "integer", _l("The seat that voted."), Vote.seat_id, required=True),
        Field("seat_role", "string", _l("The seat's role in the group."), Seat.role,
              required=True, enum=SeatRole),
        Field("seat_sector", "string", _l("The sector the seat speaks for."), Seat.sector,
              required=True, enum=Sector),
        Field("organisation_id", "integer", _l("The organisation the seat represents."),
              Seat.organisation_id),
        Field("organisation_th", "string", _l("That organisation's name in Thai."),
              _seat_organisation.name_th),
        Field("organisation_en", "string", _l("That organisation's name in English."),
              _seat_organisation.name_en),
        Field("voter_id", "integer",
              _l("Who actually voted: the seat's holder or its deputy (a number only)."),
              Vote.voter_id, required=True),
        Field("member_name", "string",
              _l("The public display name of who actually voted, holder or deputy; it may "
                 "differ from the seat's holder today."),
              _voter.display_name, required=True),
        Field("choice", "string",
              _l("Yes, no, abstain or block (on a consent ballot yes is agree and no is "
                 "disagree); empty on a secret ballot."),
              _unless_secret(Vote.choice), enum=VoteChoice),
        Field("reason", "string",
              _l("The reason given with the vote, if any; empty on a secret ballot."),
              _unless_secret(Vote.reason)),
    ),
    refine=lambda statement: statement.select_from(Vote)
    .join(Ballot, Ballot.id == Vote.ballot_id)
    .join(Seat, Seat.id == Vote.seat_id)
    .outerjoin(_seat_organisation, _seat_organisation.id == Seat.organisation_id)
    .join(_voter, _voter.id == Vote.voter_id)
    .where(Ballot.status == BallotStatus.CLOSED),
    filters=(_id_filter("ballot", Vote.ballot_id, _l("Only votes of this ballot (id).")),),
)

DECISIONS = Dataset(
    name="decisions",
    title=_l("Decisions"),
    description=_l("The outcome of every closed ballot, with its tally and resolution."),
    fields=(
        Field("id", "integer", ID, Decision.id, required=True),
        Field("ballot_id", "integer", _l("The ballot (see the ballots dataset)."),
              Decision.ballot_id, required=True),
        Field("proposal_id", "integer", PROPOSAL_ID, Decision.proposal_id, required=True),
        Field("group_id", "integer", GROUP_ID, Decision.group_id, required=True),
        Field("result", "string", _l("Adopted, rejected or no quorum."), Decision.result,
              required=True, enum=BallotResult),
        Field("resolution", "string", _l("The resolution text (Markdown)."),
              Decision.resolution),
        Field("yes_count", "integer", _l("Yes votes."), Decision.yes_count, required=True,
              minimum=0),
        Field("no_count", "integer", _l("No votes."), Decision.no_count, required=True,
              minimum=0),
        Field("abstain_count", "integer", _l("Abstentions."), Decision.abstain_count,
              required=True, minimum=0),
        Field("block_count", "integer", _l("Blocks (consent ballots)."), Decision.block_count,
              required=True, minimum=0),
        Field("tally_by_sector", "object",
              _l("The votes by the seat's sector when the ballot closed, as a JSON object: "
                 "for each sector, the number of yes, no, abstain and block votes."),
              Decision.tally_by_sector, convert=_tally),
        Field("quorum", "integer", _l("Votes needed for the result to count."),
              Decision.quorum, required=True),
        Field("eligible_count", "integer", _l("Seats entitled to vote."),
              Decision.eligible_count, required=True),
        Field("decided_at", "datetime", _l("When the decision was made (UTC)."),
              Decision.decided_at, required=True),
    ),
    filters=(
        _id_filter("group", Decision.group_id, _l("Only decisions of this working group (id).")),
        _enum_filter("result", Decision.result, BallotResult, _l("Only this result.")),
    ),
)

COMMITMENTS = Dataset(
    name="commitments",
    title=_l("Commitments"),
    description=_l("What agencies committed to after adopted decisions, and how far they are."),
    fields=(
        Field("id", "integer", ID, Commitment.id, required=True),
        Field("decision_id", "integer", _l("The decision (see the decisions dataset)."),
              Commitment.decision_id, required=True),
        Field("group_id", "integer", GROUP_ID, Commitment.group_id, required=True),
        Field("title", "string", _l("Title."), Commitment.title, required=True),
        Field("description", "string", _l("Description (Markdown)."), Commitment.description),
        Field("lead_organisation_id", "integer", _l("The lead agency."),
              Commitment.lead_organisation_id, required=True),
        Field("lead_organisation_th", "string", _l("The lead agency's name in Thai."),
              _lead.name_th),
        Field("lead_organisation_en", "string", _l("The lead agency's name in English."),
              _lead.name_en),
        Field("start_date", "date", _l("Start date."), Commitment.start_date, required=True),
        Field("due_date", "date", _l("Due date."), Commitment.due_date, required=True),
        Field("completion", "string", _l("Completion level (OGP scale)."),
              Commitment.completion, required=True, enum=Completion),
        Field("percent", "integer", _l("Percentage complete."), Commitment.percent,
              required=True, minimum=0, maximum=100),
        Field("status", "string", _l("On track, delayed, withdrawn or completed."),
              Commitment.status, required=True, enum=CommitmentStatus),
        Field("status_reason", "string", _l("Why it is delayed or withdrawn."),
              Commitment.status_reason),
        Field("created_at", "datetime", CREATED, Commitment.created_at, required=True),
        Field("updated_at", "datetime", UPDATED, Commitment.updated_at),
    ),
    refine=lambda statement: statement.select_from(Commitment)
    .join(_lead, _lead.id == Commitment.lead_organisation_id),
    filters=(
        _id_filter("group", Commitment.group_id,
                   _l("Only commitments of this working group (id).")),
        _enum_filter("status", Commitment.status, CommitmentStatus, _l("Only this status.")),
    ),
)

PROGRESS_UPDATES = Dataset(
    name="progress-updates",
    title=_l("Progress updates"),
    description=_l("Reports by the lead agencies on their commitments, with evidence links."),
    fields=(
        Field("id", "integer", ID, ProgressUpdate.id, required=True),
        Field("commitment_id", "integer", _l("The commitment (see the commitments dataset)."),
              ProgressUpdate.commitment_id, required=True),
        Field("author_name", "string", _l("The reporter's public display name."),
              User.display_name),
        Field("reported_on", "date", _l("The day the report is about."),
              ProgressUpdate.reported_on, required=True),
        Field("completion", "string", _l("Completion level (OGP scale)."),
              ProgressUpdate.completion, required=True, enum=Completion),
        Field("percent", "integer", _l("Percentage complete."), ProgressUpdate.percent,
              required=True, minimum=0, maximum=100),
        Field("status", "string", _l("On track, delayed, withdrawn or completed."),
              ProgressUpdate.status, required=True, enum=CommitmentStatus),
        Field("note", "string", _l("The report (Markdown)."), ProgressUpdate.note),
        Field("reason", "string", _l("Why it is delayed or withdrawn."), ProgressUpdate.reason),
        Field("evidence", "array", _l("Links to evidence (a JSON array of addresses)."),
              ProgressUpdate.evidence),
        Field("created_at", "datetime", CREATED, ProgressUpdate.created_at, required=True),
    ),
    refine=lambda statement: statement.select_from(ProgressUpdate)
    .join(User, User.id == ProgressUpdate.author_id),
    filters=(_id_filter("commitment", ProgressUpdate.commitment_id,
                        _l("Only updates on this commitment (id).")),),
)

LOG = Dataset(
    name="log",
    title=_l("Accountability log"),
    description=_l("Every recorded action, chained by SHA-256: each hash covers the entry "
                   "(id, created_at with microseconds, actor_id, verb, subject_type, subject_id, "
                   "data, corrects_id as sorted compact JSON) after the previous hash."),
    fields=(
        Field("id", "integer", ID, LogEntry.id, required=True),
        Field("created_at", "datetime", CREATED, LogEntry.created_at, required=True),
        Field("actor_id", "integer", _l("Who acted (a number only; see actor_name)."),
              LogEntry.actor_id),
        Field("actor_name", "string", _l("The actor's public display name."), User.display_name),
        Field("verb", "string", _l("What happened (a code)."), LogEntry.verb, required=True),
        Field("subject_type", "string", _l("The kind of record acted on."),
              LogEntry.subject_type, required=True),
        Field("subject_id", "integer", _l("The record acted on."), LogEntry.subject_id,
              required=True),
        Field("data", "object", _l("Details, as a JSON object."), LogEntry.data),
        Field("corrects_id", "integer", _l("The entry this one corrects."), LogEntry.corrects_id),
        Field("prev_hash", "string", _l("The previous entry's hash."), LogEntry.prev_hash,
              required=True),
        Field("hash", "string", _l("This entry's SHA-256 hash."), LogEntry.hash, required=True),
    ),
    refine=lambda statement: statement.select_from(LogEntry)
    .outerjoin(User, User.id == LogEntry.actor_id),
    filters=(
        Filter("verb", "string", _l("Only entries with this verb."), _equals(LogEntry.verb),
               choices=tuple(VERBS)),
        Filter("subject_type", "string", _l("Only entries about this kind of record."),
               _equals(LogEntry.subject_type), choices=tuple(SUBJECT_TYPES)),
        _id_filter("subject_id", LogEntry.subject_id, _l("Only entries about this record (id).")),
    ),
)

KPIS = Dataset(
    name="kpis",
    title=_l("Joint KPIs"),
    description=_l("Indicators the working groups track, with baseline and target."),
    fields=(
        Field("id", "integer", ID, Kpi.id, required=True),
        Field("group_id", "integer", GROUP_ID, Kpi.group_id, required=True),
        Field("name_th", "string", NAME_TH, Kpi.name_th, required=True),
        Field("name_en", "string", NAME_EN, Kpi.name_en),
        Field("description", "string", _l("Description (Markdown)."), Kpi.description),
        Field("unit_th", "string", _l("Unit, in Thai."), Kpi.unit_th),
        Field("unit_en", "string", _l("Unit, in English."), Kpi.unit_en),
        Field("direction", "string", _l("Whether lower or higher is better."), Kpi.direction,
              required=True, enum=Direction),
        Field("baseline_value", "number", _l("Baseline value."), Kpi.baseline_value,
              required=True),
        Field("baseline_start", "date", _l("Start of the baseline period."), Kpi.baseline_start,
              required=True),
        Field("baseline_end", "date", _l("End of the baseline period."), Kpi.baseline_end,
              required=True),
        Field("target_value", "number", _l("Target value."), Kpi.target_value, required=True),
        Field("target_date", "date", _l("Date the target is due."), Kpi.target_date,
              required=True),
        Field("rule", "string", _l("How measurements arrive: entered, or derived by a rule."),
              Kpi.rule, required=True, enum=Rule),
        Field("station_id", "integer", _l("The station a PM2.5 rule looks at (empty: all)."),
              Kpi.station_id),
        Field("district_id", "integer",
              _l("The district a hotspot rule looks at (empty: the province)."), Kpi.district_id),
        Field("owner_ids", "array", _l("The owner agencies (see organisations), a JSON array."),
              _linked_ids(kpi_owners, "organisation_id"), convert=_id_list),
        Field("commitment_ids", "array",
              _l("The commitments it measures (see commitments), a JSON array."),
              _linked_ids(kpi_commitments, "commitment_id"), convert=_id_list),
        Field("created_at", "datetime", CREATED, Kpi.created_at, required=True),
        Field("updated_at", "datetime", UPDATED, Kpi.updated_at),
    ),
    filters=(_id_filter("group", Kpi.group_id, _l("Only KPIs of this working group (id).")),),
)

_measurement_range = _range_filters(Measurement.period_start, "date")

KPI_MEASUREMENTS = Dataset(
    name="kpi-measurements",
    title=_l("KPI measurements"),
    description=_l("KPI values over time, entered with a source or derived from imported data."),
    fields=(
        Field("id", "integer", ID, Measurement.id, required=True),
        Field("kpi_id", "integer", _l("The KPI (see the kpis dataset)."), Measurement.kpi_id,
              required=True),
        Field("period_start", "date", _l("Start of the period measured."),
              Measurement.period_start, required=True),
        Field("value", "number", _l("The value, in the KPI's unit."), Measurement.value,
              required=True),
        Field("derived", "boolean", _l("Whether it was derived from imported data."),
              Measurement.derived, required=True),
        Field("source", "string", _l("Where the value comes from."), Measurement.source),
        Field("evidence_url", "string", _l("A link to evidence."), Measurement.evidence_url),
        Field("created_at", "datetime", CREATED, Measurement.created_at, required=True),
        Field("updated_at", "datetime", UPDATED, Measurement.updated_at),
    ),
    filters=(
        _id_filter("kpi", Measurement.kpi_id, _l("Only measurements of this KPI (id).")),
        *_measurement_range,
    ),
)

STATIONS = Dataset(
    name="stations",
    title=_l("Air-quality stations"),
    description=_l("Monitoring stations of the Pollution Control Department (Air4Thai)."),
    fields=(
        Field("id", "integer", ID, Station.id, required=True),
        Field("code", "string", _l("The Air4Thai station code, e.g. 37t."), Station.code,
              required=True),
        Field("name_th", "string", NAME_TH, Station.name_th),
        Field("name_en", "string", NAME_EN, Station.name_en),
        Field("area_th", "string", _l("Area, in Thai."), Station.area_th),
        Field("area_en", "string", _l("Area, in English."), Station.area_en),
        Field("latitude", "number", _l("Latitude (WGS 84)."), Station.latitude),
        Field("longitude", "number", _l("Longitude (WGS 84)."), Station.longitude),
    ),
)

READINGS = Dataset(
    name="pm25-readings",
    title=_l("PM2.5 readings"),
    description=_l("Hourly PM2.5 concentrations in µg/m³; the time is the end of the hour, UTC."),
    fields=(
        Field("id", "integer", ID, Reading.id, required=True),
        Field("station_id", "integer", _l("The station (see the stations dataset)."),
              Reading.station_id, required=True),
        Field("measured_at", "datetime", _l("The end of the hour measured (UTC)."),
              Reading.measured_at, required=True),
        Field("pm25", "number", _l("PM2.5 in µg/m³."), Reading.pm25, required=True, minimum=0),
        Field("import_id", "integer", _l("The file it came from (see data imports)."),
              Reading.import_id),
    ),
    filters=(
        Filter("station", "string", _l("Only this station, by its code (e.g. 37t)."),
               _by_code(Station, Reading.station_id)),
        *_range_filters(Reading.measured_at, "datetime"),
    ),
)

DISTRICTS = Dataset(
    name="districts",
    title=_l("Districts"),
    description=_l("Districts of the province with approximate boundaries, used to place "
                   "hotspots. The boundaries are approximate, not official."),
    fields=(
        Field("id", "integer", ID, District.id, required=True),
        Field("code", "string", _l("The district code, e.g. 5201."), District.code,
              required=True),
        Field("name_th", "string", NAME_TH, District.name_th, required=True),
        Field("name_en", "string", NAME_EN, District.name_en),
        Field("boundary", "geojson", _l("Approximate boundary, a GeoJSON polygon."),
              District.boundary, convert=_polygon),
    ),
)

HOTSPOTS = Dataset(
    name="hotspots",
    title=_l("Fire hotspots"),
    description=_l("Satellite fire detections (NASA FIRMS VIIRS and MODIS) in the province."),
    fields=(
        Field("id", "integer", ID, Hotspot.id, required=True),
        Field("latitude", "number", _l("Latitude (WGS 84)."), Hotspot.latitude, required=True),
        Field("longitude", "number", _l("Longitude (WGS 84)."), Hotspot.longitude,
              required=True),
        Field("detected_at", "datetime", _l("When the satellite passed (UTC)."),
              Hotspot.detected_at, required=True),
        Field("satellite", "string", _l("The satellite."), Hotspot.satellite, required=True),
        Field("instrument", "string", _l("The instrument (VIIRS or MODIS)."), Hotspot.instrument,
              required=True),
        Field("confidence", "string", _l("Detection confidence as FIRMS gives it."),
              Hotspot.confidence),
        Field("version", "string", _l("FIRMS collection and processing version."),
              Hotspot.version),
        Field("brightness", "number",
              _l("Brightness temperature in kelvin (bright_ti4 or brightness)."),
              Hotspot.brightness),
        Field("brightness_2", "number",
              _l("Second brightness temperature in kelvin (bright_ti5 or bright_t31)."),
              Hotspot.brightness_2),
        Field("scan", "number", _l("Pixel size along the scan."), Hotspot.scan),
        Field("track", "number", _l("Pixel size along the track."), Hotspot.track),
        Field("frp", "number", _l("Fire radiative power in megawatts."), Hotspot.frp),
        Field("daynight", "string", _l("D for day, N for night."), Hotspot.daynight),
        Field("district_id", "integer", _l("The district it falls in, if any."),
              Hotspot.district_id),
        Field("import_id", "integer", _l("The file it came from (see data imports)."),
              Hotspot.import_id),
    ),
    filters=(
        Filter("district", "string", _l("Only this district, by its code (e.g. 5201)."),
               _by_code(District, Hotspot.district_id)),
        *_range_filters(Hotspot.detected_at, "datetime"),
    ),
)

DATA_IMPORTS = Dataset(
    name="data-imports",
    title=_l("Data imports"),
    description=_l("Every file imported, with its SHA-256 digest and what it added."),
    fields=(
        Field("id", "integer", ID, DataImport.id, required=True),
        Field("kind", "string", _l("PM2.5 readings or fire hotspots."), DataImport.kind,
              required=True, enum=DataKind),
        Field("filename", "string", _l("The file's name."), DataImport.filename, required=True),
        Field("sha256", "string", _l("The file's SHA-256 digest."), DataImport.sha256,
              required=True),
        Field("actor_name", "string", _l("The public display name of who imported it."),
              User.display_name),
        Field("new_rows", "integer", _l("Rows added."), DataImport.new_rows, minimum=0),
        Field("duplicate_rows", "integer", _l("Rows already present."),
              DataImport.duplicate_rows, minimum=0),
        Field("rejected_rows", "integer", _l("Rows refused."), DataImport.rejected_rows,
              minimum=0),
        Field("outside_rows", "integer", _l("Hotspots outside the province."),
              DataImport.outside_rows, minimum=0),
        Field("created_at", "datetime", CREATED, DataImport.created_at, required=True),
    ),
    refine=lambda statement: statement.select_from(DataImport)
    .outerjoin(User, User.id == DataImport.actor_id),
    filters=(_enum_filter("kind", DataImport.kind, DataKind, _l("Only this kind of data.")),),
)

ANSWERS = Dataset(
    name="answers",
    title=_l("Official answers"),
    description=_l("The official answer to each proposal, by the secretariat or the "
                   "responsible agency, with its deadline and whether it came on time."),
    fields=(
        Field("proposal_id", "integer", PROPOSAL_ID, Answer.proposal_id, required=True),
        Field("group_id", "integer", GROUP_ID, Proposal.group_id, required=True),
        Field("state", "string",
              _l("Accepted for consideration, rejected with reasons, merged with another "
                 "proposal, or referred to another agency."),
              Answer.state, required=True, enum=AnswerState),
        Field("organisation_id", "integer",
              _l("The agency that answered (see organisations); empty: the secretariat."),
              Answer.organisation_id),
        Field("referred_to_id", "integer", _l("The agency it was referred to, if referred."),
              Answer.referred_to_id),
        Field("merged_into_id", "integer", _l("The proposal it was merged into, if merged."),
              Answer.merged_into_id),
        Field("due_on", "date", _l("The day the answer was due (Thai time)."), Answer.due_on,
              required=True),
        Field("answered_on", "date", _l("The day it was answered (Thai time)."),
              Answer.answered_on, required=True),
        Field("on_time", "boolean", _l("Whether it was answered by the day it was due."),
              Answer.answered_on <= Answer.due_on, required=True),
        Field("body", "string", _l("The answer's text (Markdown)."), Answer.body,
              required=True),
        Field("answered_at", "datetime", _l("When it was answered (UTC)."), Answer.answered_at,
              required=True),
    ),
    refine=lambda statement: _public_proposals_only(statement.select_from(Answer),
                                                    Answer.proposal_id),
    filters=(
        _id_filter("group", Proposal.group_id, _l("Only answers in this working group (id).")),
        _enum_filter("state", Answer.state, AnswerState, _l("Only this kind of answer.")),
        _id_filter("organisation", Answer.organisation_id,
                   _l("Only answers by this agency (id).")),
    ),
    key="proposal_id",
)


class TallySubject(enum.Enum):
    PROPOSAL = "proposal"
    DECISION = "decision"


class TallyMeasure(enum.Enum):
    SUPPORT = "support"
    STANCE = "stance"
    VOTE = "vote"


# A sector tally's id is subject_id × 100 + key code × 10 + sector code: stable across
# downloads and unique, since a proposal's keys and a decision's keys have different codes.
# The codes are part of the published ids: add new ones, never renumber.
SECTOR_CODES = {"government": 0, "civil_society": 1, "private_sector": 2, "academia": 3,
                "citizen": 4}
KEY_CODES = {"support": 0, "for": 1, "against": 2, "neutral": 3,
             "yes": 4, "no": 5, "abstain": 6, "block": 7}
TallyKey = enum.Enum("TallyKey", [(key.upper(), key) for key in KEY_CODES])

_tallies = sa.union_all(
    _public_proposals_only(_supports_by_sector(), Support.proposal_id),
    _public_proposals_only(_stances_by_sector(), Comment.proposal_id),
    _votes_by_sector(),
).subquery("tallies")

SECTOR_TALLIES = Dataset(
    name="sector-tallies",
    title=_l("Tallies by sector"),
    description=_l("Supports and comment stances on each proposal by the sector the person "
                   "registered with, and the votes of each decision by the seat's sector, one "
                   "row per count. A count that is not listed is zero; deleted and hidden "
                   "comments do not count, nor does a hidden proposal."),
    fields=(
        Field("id", "integer",
              _l("Identifier, stable across downloads: subject_id × 100 + key code × 10 + "
                 "sector code."),
              _tallies.c.subject_id * 100 + sa.case(KEY_CODES, value=_tallies.c.key) * 10
              + sa.case(SECTOR_CODES, value=_tallies.c.sector), required=True),
        Field("subject_type", "string", _l("What is counted: a proposal or a decision."),
              _tallies.c.subject_type, required=True, enum=TallySubject),
        Field("subject_id", "integer",
              _l("The proposal or the decision (see those datasets)."), _tallies.c.subject_id,
              required=True),
        Field("measure", "string",
              _l("Supports and comment stances (proposals) or ballot votes (decisions)."),
              _tallies.c.measure, required=True, enum=TallyMeasure),
        Field("sector", "string",
              _l("The sector: the person's for supports and comments, the seat's for votes."),
              _tallies.c.sector, required=True, enum=Sector),
        Field("key", "string",
              _l("support for supports; for, against or neutral for stances; yes, no, abstain "
                 "or block for votes."),
              _tallies.c.key, required=True, enum=TallyKey),
        Field("count", "integer", _l("How many."), _tallies.c["count"], required=True,
              minimum=1),
    ),
    refine=lambda statement: statement.select_from(_tallies),
    filters=(
        Filter("subject_type", "string", _l("Only tallies of proposals or of decisions."),
               _equals(_tallies.c.subject_type),
               choices=tuple(subject.value for subject in TallySubject)),
        _id_filter("subject_id", _tallies.c.subject_id,
                   _l("Only tallies of this proposal or decision (id).")),
        _enum_filter("measure", _tallies.c.measure, TallyMeasure, _l("Only this measure.")),
    ),
)

MILESTONES = Dataset(
    name="milestones",
    title=_l("Milestones"),
    description=_l("The steps of each commitment. A commitment's progress is the mean of its "
                   "milestones' completion weighted by weight (equal shares when no weights "
                   "are set)."),
    fields=(
        Field("id", "integer", ID, Milestone.id, required=True),
        Field("commitment_id", "integer", _l("The commitment (see the commitments dataset)."),
              Milestone.commitment_id, required=True),
        Field("title", "string", _l("Title."), Milestone.title, required=True),
        Field("due_date", "date", _l("Due date."), Milestone.due_date, required=True),
        Field("completion", "string", _l("Completion level (OGP scale)."),
              Milestone.completion, required=True, enum=Completion),
        Field("weight", "number",
              _l("Share of the commitment's progress, 0 to 1; a commitment's weights sum to "
                 "1, or are all empty (equal shares)."),
              Milestone.weight, minimum=0, maximum=1),
    ),
    filters=(_id_filter("commitment", Milestone.commitment_id,
                        _l("Only milestones of this commitment (id).")),),
)

PROGRESS_REVIEWS = Dataset(
    name="progress-reviews",
    title=_l("Reviews of progress updates"),
    description=_l("Participants confirming or disputing the lead agencies' progress updates, "
                   "with evidence, and the agencies' answers to disputes."),
    fields=(
        Field("id", "integer", ID, Review.id, required=True),
        Field("update_id", "integer", _l("The progress update (see progress-updates)."),
              Review.update_id, required=True),
        Field("commitment_id", "integer", _l("The commitment (see the commitments dataset)."),
              ProgressUpdate.commitment_id, required=True),
        Field("kind", "string", _l("Confirm or dispute."), Review.kind, required=True,
              enum=ReviewKind),
        Field("comment", "string", _l("The reviewer's comment."), Review.comment,
              required=True),
        Field("evidence_url", "string", _l("A link to evidence."), Review.evidence_url),
        Field("reviewer_name", "string", _l("The reviewer's public display name."),
              User.display_name, required=True),
        Field("created_at", "datetime", CREATED, Review.created_at, required=True),
        Field("answer_due_on", "date",
              _l("Disputes: the day by which the lead agency must answer (Thai time)."),
              Review.answer_due_on),
        Field("answer", "string", _l("Disputes: the lead agency's answer."), Review.answer),
        Field("answered_at", "datetime", _l("Disputes: when it was answered (UTC)."),
              Review.answered_at),
    ),
    refine=lambda statement: statement.select_from(Review)
    .join(ProgressUpdate, ProgressUpdate.id == Review.update_id)
    .join(User, User.id == Review.reviewer_id),
    filters=(
        _id_filter("commitment", ProgressUpdate.commitment_id,
                   _l("Only reviews of updates on this commitment (id).")),
        _enum_filter("kind", Review.kind, ReviewKind, _l("Only confirmations or disputes.")),
    ),
)

ASSESSMENTS = Dataset(
    name="assessments",
    title=_l("Assessments"),
    description=_l("Periodic assessments of commitments on OGP's scales: the lead agency's "
                   "self-assessment and the independent assessment by civil society."),
    fields=(
        Field("id", "integer", ID, Assessment.id, required=True),
        Field("commitment_id", "integer", _l("The commitment (see the commitments dataset)."),
              Assessment.commitment_id, required=True),
        Field("kind", "string", _l("Self-assessment or independent assessment."),
              Assessment.kind, required=True, enum=AssessmentKind),
        Field("assessed_on", "date", _l("The day of the assessment."), Assessment.assessed_on,
              required=True),
        Field("completion", "string", _l("Completion level (OGP scale)."),
              Assessment.completion, required=True, enum=Completion),
        Field("opened_government", "string", _l("Did it open government? (OGP scale)"),
              Assessment.opened_government, required=True, enum=OpenedGovernment),
        Field("explanation", "string", _l("The assessors' explanation (Markdown)."),
              Assessment.explanation, required=True),
        Field("author_name", "string", _l("The author's public display name."),
              User.display_name, required=True),
        Field("organisation_id", "integer", _l("The organisation the author assessed for."),
              Assessment.organisation_id),
        Field("created_at", "datetime", CREATED, Assessment.created_at, required=True),
    ),
    refine=lambda statement: statement.select_from(Assessment)
    .join(User, User.id == Assessment.author_id),
    filters=(
        _id_filter("commitment", Assessment.commitment_id,
                   _l("Only assessments of this commitment (id).")),
        _enum_filter("kind", Assessment.kind, AssessmentKind, _l("Only this kind.")),
    ),
)


def _signups(status: SignupStatus) -> Any:
    return (
        sa.select(sa.func.count())
        .where(Signup.task_id == VolunteerTask.id, Signup.status == status)
        .scalar_subquery()
    )


VOLUNTEER_TASKS = Dataset(
    name="volunteer-tasks",
    title=_l("Volunteer tasks"),
    description=_l("Tasks a commitment offers to volunteers, with the number signed up and "
                   "waiting. Who signed up is not published."),
    fields=(
        Field("id", "integer", ID, VolunteerTask.id, required=True),
        Field("commitment_id", "integer", _l("The commitment (see the commitments dataset)."),
              VolunteerTask.commitment_id, required=True),
        Field("title", "string", _l("Title."), VolunteerTask.title, required=True),
        Field("description", "string", _l("Description (Markdown)."),
              VolunteerTask.description),
        Field("place", "string", _l("Where it takes place."), VolunteerTask.place,
              required=True),
        Field("starts_at", "datetime", _l("When it starts (UTC)."), VolunteerTask.starts_at,
              required=True),
        Field("ends_at", "datetime", _l("When it ends (UTC)."), VolunteerTask.ends_at,
              required=True),
        Field("capacity", "integer", _l("Places."), VolunteerTask.capacity, required=True,
              minimum=1),
        Field("confirmed_count", "integer", _l("People signed up."),
              _signups(SignupStatus.CONFIRMED), required=True, minimum=0),
        Field("waiting_count", "integer", _l("People on the waiting list."),
              _signups(SignupStatus.WAITING), required=True, minimum=0),
        Field("created_at", "datetime", CREATED, VolunteerTask.created_at, required=True),
    ),
    filters=(_id_filter("commitment", VolunteerTask.commitment_id,
                        _l("Only tasks of this commitment (id).")),),
)

LOG_CHECKPOINTS = Dataset(
    name="log-checkpoints",
    title=_l("Log checkpoints"),
    description=_l("Signed statements of the accountability log's length and head hash: keep "
                   "one to prove later that the log only grew. The Ed25519 signature covers "
                   'the JSON {"entries":entry_count,"format":"ruam-checkpoint-1",'
                   '"head":head_hash,"time":created_at to the second, e.g. '
                   '"2026-03-01T03:00:00Z"} with no spaces, in UTF-8.'),
    fields=(
        Field("id", "integer", ID, Checkpoint.id, required=True),
        Field("entry_count", "integer", _l("Entries in the log at that moment."),
              Checkpoint.entry_count, required=True, minimum=0),
        Field("head_hash", "string", _l("The hash of the latest entry then."),
              Checkpoint.head_hash, required=True),
        Field("created_at", "datetime", _l("When the checkpoint was made (UTC)."),
              Checkpoint.created_at, required=True),
        Field("public_key", "string", _l("The site's Ed25519 public key (base64, 32 bytes)."),
              Checkpoint.public_key, required=True),
        Field("signature", "string", _l("The Ed25519 signature (base64)."),
              Checkpoint.signature, required=True),
    ),
)

# In the order the open-data page lists them.
DATASETS: dict[str, Dataset] = {
    dataset.name: dataset
    for dataset in (
        PROPOSALS, COMMENTS, SUPPORTS, ANSWERS, SECTOR_TALLIES, BALLOTS, VOTES, DECISIONS,
        COMMITMENTS, MILESTONES, PROGRESS_UPDATES, PROGRESS_REVIEWS, ASSESSMENTS,
        VOLUNTEER_TASKS, LOG, LOG_CHECKPOINTS, KPIS, KPI_MEASUREMENTS, STATIONS, READINGS,
        DISTRICTS, HOTSPOTS, DATA_IMPORTS, GROUPS, ORGANISATIONS,
    )
}


def count_statement() -> sa.Select:
    """One query counting the rows of every dataset."""
    return sa.select(*(
        sa.select(sa.func.count()).select_from(dataset.statement().order_by(None).subquery())
        .scalar_subquery()
        for dataset in DATASETS.values()
    ))

