"""Reads about official answers: a proposal's answer and deadline, the choices its forms
offer, and how responsive a working group or an agency is."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.orm import joinedload

from participation.accounts.models import Organisation
from participation.answers.models import Answer
from participation.answers.permissions import NEEDS_NO_ANSWER_STATES
from participation.core.charts import Chart, ReferenceLine, bar_chart, number
from participation.core.i18n import format_date, site_date
from participation.core.models import utcnow
from participation.extensions import db
from participation.proposals.models import Proposal, ProposalState
from participation.proposals.queries import visible_proposal

# The chart of days to answer shows the latest answers only, so it stays readable.
CHART_ANSWERS = 20


def today() -> date:
    return site_date(utcnow())


def answer_for(proposal_id: int) -> Answer | None:
    """A proposal's official answer with who gave it, for whom, and where it points."""
    return db.session.scalar(
        sa.select(Answer)
        .where(Answer.proposal_id == proposal_id)
        .options(
            joinedload(Answer.answered_by),
            joinedload(Answer.organisation),
            joinedload(Answer.referred_to),
            joinedload(Answer.merged_into),
        )
    )


def organisations() -> list[Organisation]:
    """Every organisation, by name in the reader's language, for the agency choices."""
    return sorted(db.session.scalars(sa.select(Organisation)), key=lambda org: str(org.name))


def merge_targets(proposal: Proposal) -> list[Proposal]:
    """The public proposals of the same group an answer may say this one was merged with
    (not drafts, withdrawn or hidden ones)."""
    return list(db.session.scalars(
        sa.select(Proposal)
        .where(
            Proposal.group_id == proposal.group_id,
            Proposal.id != proposal.id,
            Proposal.state.not_in((ProposalState.DRAFT, ProposalState.WITHDRAWN)),
            visible_proposal(),
        )
        .order_by(Proposal.created_at.desc(), Proposal.id.desc())
    ))


def opened_on(proposal: Proposal) -> date | None:
    """The site-time day the proposal opened for comment."""
    return site_date(proposal.opened_at) if proposal.opened_at is not None else None


@dataclass(frozen=True)
class Deadline:
    """Where a proposal stands with its official answer on a given day."""

    due_on: date | None
    answer: Answer | None
    needs_answer: bool = False  # opened, unanswered, and not withdrawn or merged
    waiting_days: int = 0  # days since opening, while unanswered and not overdue
    overdue_days: int = 0  # days past the deadline, while unanswered
    late_days: int = 0  # days the answer came after the deadline

    @property
    def has_deadline(self) -> bool:
        return self.due_on is not None

    @property
    def overdue(self) -> bool:
        return self.overdue_days > 0


def deadline(proposal: Proposal, answer: Answer | None, on: date) -> Deadline:
    """The proposal's answer deadline as its page shows it on the day `on`."""
    if answer is not None:
        return Deadline(answer.due_on, answer,
                        late_days=max(0, (answer.answered_on - answer.due_on).days))
    due_on = proposal.answer_due_on
    if due_on is None or proposal.state in NEEDS_NO_ANSWER_STATES:
        return Deadline(due_on, None)
    if on > due_on:
        return Deadline(due_on, None, needs_answer=True, overdue_days=(on - due_on).days)
    opened = opened_on(proposal) or on
    return Deadline(due_on, None, needs_answer=True, waiting_days=max(0, (on - opened).days))


# Responsiveness


@dataclass(frozen=True)
class Tracked:
    """A proposal with an answer deadline, and its answer if it has one."""

    proposal: Proposal
    answer: Answer | None

    @property
    def opened_on(self) -> date | None:
        return opened_on(self.proposal)

    @property
    def days_to_answer(self) -> int | None:
        if self.answer is None or self.opened_on is None:
            return None
        return (self.answer.answered_on - self.opened_on).days

    @property
    def allowed_days(self) -> int | None:
        """The days the deadline allowed, counted from the day of opening."""
        if self.opened_on is None or self.proposal.answer_due_on is None:
            return None
        return (self.proposal.answer_due_on - self.opened_on).days


@dataclass(frozen=True)
class Overdue:
    proposal: Proposal
    due_on: date
    days: int


@dataclass
class Figures:
    """How responsive a working group or an agency is, as of `on`."""

    with_deadline: int = 0
    answered: int = 0
    on_time: int = 0
    median_days: float | None = None
    waiting: int = 0
    overdue: list[Overdue] = field(default_factory=list)

    @property
    def on_time_share(self) -> float | None:
        """Percent of the answers that came on time; None before any answer."""
        return round(100 * self.on_time / self.answered, 1) if self.answered else None

    @property
    def on_time_share_text(self) -> str:
        """The share in the reader's locale, e.g. '66.7'; empty before any answer."""
        return number(self.on_time_share) if self.on_time_share is not None else ""

    @property
    def median_days_text(self) -> str:
        return number(self.median_days) if self.median_days is not None else ""


def figures(tracked: Iterable[Tracked], on: date) -> Figures:
    """Count answers on time, the median days to answer, and what is overdue or waiting.

    Withdrawn, merged (and draft) proposals that were never answered no longer need an answer,
    so they count nowhere; an answer given is always counted."""
    result = Figures()
    days: list[int] = []
    for item in tracked:
        due_on = item.proposal.answer_due_on
        if item.answer is None and item.proposal.state in NEEDS_NO_ANSWER_STATES:
            continue
        result.with_deadline += 1
        if item.answer is not None:
            result.answered += 1
            result.on_time += item.answer.on_time
            if item.days_to_answer is not None:
                days.append(item.days_to_answer)
        elif on > due_on:
            result.overdue.append(Overdue(item.proposal, due_on, (on - due_on).days))
        else:
            result.waiting += 1
    result.median_days = statistics.median(days) if days else None
    result.overdue.sort(key=lambda each: (-each.days, each.proposal.id))
    return result


def _tracked(condition: sa.ColumnElement[bool]) -> list[Tracked]:
    # A hidden proposal leaves the figures and their lists, as it leaves every list.
    rows = db.session.execute(
        sa.select(Proposal, Answer)
        .outerjoin(Answer, Answer.proposal_id == Proposal.id)
        .where(condition, Proposal.answer_due_on.is_not(None), visible_proposal())
        .options(joinedload(Proposal.agency), joinedload(Proposal.group))
        .order_by(Proposal.id)
    )
    return [Tracked(proposal, answer) for proposal, answer in rows]


def tracked_in_group(group_id: int) -> list[Tracked]:
    """The group's proposals that have an answer deadline, with their answers (one query)."""
    return _tracked(Proposal.group_id == group_id)


def tracked_for_agency(organisation_id: int) -> list[Tracked]:
    """The proposals an agency is responsible for answering, with their answers (one query)."""
    return _tracked(Proposal.agency_id == organisation_id)


@dataclass(frozen=True)
class AgencyFigures:
    agency: Organisation | None  # None: the group's secretariat
    figures: Figures


def by_agency(tracked: Sequence[Tracked], on: date) -> list[AgencyFigures]:
    """Figures per responsible agency: the secretariat first, then agencies by name."""
    groups: dict[int | None, list[Tracked]] = {}
    agencies: dict[int, Organisation] = {}
    for item in tracked:
        groups.setdefault(item.proposal.agency_id, []).append(item)
        if item.proposal.agency is not None:
            agencies[item.proposal.agency.id] = item.proposal.agency
    rows = [
        AgencyFigures(agencies.get(agency_id) if agency_id else None, figures(items, on))
        for agency_id, items in groups.items()
    ]
    return sorted(rows, key=lambda row: (row.agency is not None, str(row.agency.name)
                                         if row.agency else ""))


def days_chart(tracked: Sequence[Tracked], *, chart_id: str) -> Chart:
    """Days from opening to answer for the latest answers, the deadline as a reference line
    when they all had the same number of days."""
    answered = sorted(
        (item for item in tracked if item.days_to_answer is not None),
        key=lambda item: (item.answer.answered_on, item.proposal.id), reverse=True,
    )[:CHART_ANSWERS]
    bars = []
    rows = []
    for item in answered:
        answer = item.answer
        late = (answer.answered_on - answer.due_on).days
        verdict = (
            _("on time") if answer.on_time
            else ngettext("late by %(num)d day", "late by %(num)d days", late)
        )
        bars.append((
            _("#%(id)d: %(verdict)s", id=item.proposal.id, verdict=verdict),
            item.days_to_answer,
            "ontime" if answer.on_time else "late",
        ))
        rows.append([
            _("#%(id)d %(title)s", id=item.proposal.id, title=item.proposal.title),
            format_date(item.opened_on, short=True),
            format_date(answer.answered_on, short=True),
            item.days_to_answer,
            item.allowed_days if item.allowed_days is not None else "",
            verdict,
        ])
    allowed = {item.allowed_days for item in answered}
    lines = []
    if len(allowed) == 1 and None not in allowed:
        lines = [ReferenceLine(allowed.pop(), _("Deadline"), "standard")]
    return bar_chart(
        chart_id=chart_id,
        title=_("Days to answer"),
        description=ngettext(
            "Days from opening for comment to the official answer, for the latest %(num)d "
            "answer.",
            "Days from opening for comment to the official answer, for the latest %(num)d "
            "answers.",
            len(answered),
        ),
        bars=bars,
        unit=_("days"),
        reference_lines=lines,
        horizontal=True,
        table_headers=[_("Proposal"), _("Opened for comment"), _("Answered on"),
                       _("Days to answer"), _("Days allowed"), _("On time or late")],
        table_rows=rows,
        empty_message=_("No proposal has been answered yet."),
    )
