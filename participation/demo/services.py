"""Build the demo instance through the real services, with past dates that tell one story.

About ten months before `now` the Lampang working group is set up; proposals arrive over the
following months and get their official answers, one late, one not at all; one is put to the
vote (a deputy votes in a seat's name), adopted a month ago and turned into a commitment whose
lead agency has reported progress three times as its weighted milestones advance, offers
volunteer tasks, and is confirmed, disputed and assessed; another proposal is blocked in a
consent ballot; a third is being voted on now. The group meets: the first two ballots are
opened from items of held meetings whose minutes are published (the first approved at the
second, then corrected), and a third meeting is called. A few people follow a proposal, the
group or the commitment and find notifications waiting (their e-mails stay queued until
`send-notifications` runs). The site's moderator hides an advert posted as a comment, as
spam, while reports of two other comments wait in the moderators' queue. Last, the overdue
answers are logged and a signed checkpoint of the log is published.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from functools import cache, partial
from pathlib import Path

import sqlalchemy as sa
from flask_babel import gettext as _

from participation.accountability import services as accountability
from participation.accountability.models import Checkpoint, LogEntry
from participation.accounts import services as accounts
from participation.accounts.models import EmailMode, Organisation, User
from participation.answers import services as answers
from participation.answers.models import AnswerState
from participation.comments import services as comments
from participation.comments.models import Comment
from participation.commitments import services as commitments
from participation.commitments.models import (
    Commitment,
    CommitmentStatus,
    Completion,
    ProgressUpdate,
)
from participation.core.errors import DomainError
from participation.core.i18n import site_zone
from participation.core.security import hash_password
from participation.decisions.models import Decision
from participation.demo import content
from participation.environment import services as environment
from participation.environment import synthetic
from participation.environment.models import Station
from participation.evaluations import services as evaluations
from participation.evaluations.models import AssessmentKind, OpenedGovernment, ReviewKind
from participation.extensions import db
from participation.groups import services as groups
from participation.groups.models import Seat, WorkingGroup
from participation.kpis import services as kpis
from participation.kpis.models import Kpi
from participation.mail import services as mail
from participation.meetings import services as meetings
from participation.meetings.models import AgendaItem, Meeting
from participation.minutes import services as minutes
from participation.moderation import services as moderation
from participation.moderation.models import ContentKind, ModerationReason
from participation.notifications import services as notifications
from participation.notifications.models import FollowedType
from participation.privacy.notices import current_notice_version
from participation.proposals import services as proposals
from participation.proposals.models import Category, Proposal
from participation.volunteering import services as volunteering
from participation.volunteering.models import VolunteerTask
from participation.votes import services as votes
from participation.votes.models import Ballot, BallotKind, ReasonRule, VoteChoice

DEMO_PASSWORD = "ruam-demo-2569"


class DatabaseNotEmpty(DomainError):
    """The demo goes only into an empty database."""


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    display_name: str


@dataclass
class DemoInstance:
    """What seed_demo made, for the command's report and for tests."""

    password: str
    group: WorkingGroup
    users: dict[str, User]
    proposals: dict[str, Proposal]
    decision: Decision  # adopted: the open-data proposal
    blocked_decision: Decision  # the consent ballot on enforcement, blocked
    commitment: Commitment
    open_ballot: Ballot
    tasks: list[VolunteerTask]
    checkpoint: Checkpoint
    # Held (the open-data ballot opened from item 3.1; minutes approved at the next meeting),
    # held (the consent ballot; minutes published), then planned.
    meetings: list[Meeting]
    correction: LogEntry  # of the first meeting's approved minutes
    logins: list[DemoLogin] = field(default_factory=list)
    hidden_comment: Comment | None = None  # the advert the moderator hid as spam


def existing_demo_logins() -> list[DemoLogin]:
    """The demo accounts present in the database (none unless the demo was loaded)."""
    emails = [demo_email(spec.email) for spec in content.PEOPLE]
    present = {
        user.email: user
        for user in db.session.scalars(sa.select(User).where(User.email.in_(emails)))
    }
    return [
        DemoLogin(role=spec.role, email=email, display_name=present[email].display_name)
        for spec, email in zip(content.PEOPLE, emails, strict=True)
        if email in present
    ]


def database_is_empty() -> bool:
    """True when no account and no proposal exist yet."""
    return (
        db.session.scalar(sa.select(User.id).limit(1)) is None
        and db.session.scalar(sa.select(Proposal.id).limit(1)) is None
    )


def demo_email(local_part: str) -> str:
    return f"{local_part}@{content.EMAIL_DOMAIN}"


class _Clock:
    """Moments in the site's time zone, counted in whole days before `now`."""

    def __init__(self, now: datetime) -> None:
        self.now = now.astimezone(UTC)
        self.zone = site_zone()
        self.today = self.now.astimezone(self.zone).date()

    def day(self, days_ago: int) -> date:
        return self.today - timedelta(days=days_ago)

    def at(self, days_ago: int, hour: int, minute: int = 0) -> datetime:
        local = datetime.combine(self.day(days_ago), time(hour, minute), tzinfo=self.zone)
        return local.astimezone(UTC)


def seed_demo(*, now: datetime) -> DemoInstance:
    """Fill an empty database with the Lampang demo; raise DatabaseNotEmpty otherwise."""
    if not database_is_empty():
        raise DatabaseNotEmpty(
            _("The database already holds accounts or proposals; the demo needs an empty one.")
        )
    clock = _Clock(now)
    people = {spec.key: spec for spec in content.PEOPLE}

    # Ten months ago: the administrator sets up the organisations, the group and its seats.
    users: dict[str, User] = {}
    users["admin"] = _register(people["admin"], None, now=clock.at(300, 9))
    accounts.set_admin(user=users["admin"], is_admin=True, actor=None, now=clock.at(300, 9, 2))
    admin = users["admin"]
    organisations: dict[str, Organisation] = {}
    for number, spec in enumerate(content.ORGANISATIONS):
        organisations[spec.key] = accounts.create_organisation(
            name_th=spec.name_th, name_en=spec.name_en, sector=spec.sector, actor=admin,
            now=clock.at(300, 9, 10 + number),
        )
    categories: list[Category] = [
        proposals.create_category(actor=admin, name_th=name_th, name_en=name_en,
                                  position=number + 1, now=clock.at(300, 9, 40 + number))
        for number, (name_th, name_en) in enumerate(content.CATEGORIES)
    ]
    group = groups.create_group(
        name_th=content.GROUP_NAME_TH, name_en=content.GROUP_NAME_EN,
        description=content.GROUP_DESCRIPTION, actor=admin, now=clock.at(299, 10),
    )
    seated = [spec for spec in content.PEOPLE if spec.seat is not None]
    seats = {}
    for position, spec in enumerate(seated):
        seats[spec.key] = groups.add_seat(
            group=group, role=spec.seat, organisation=organisations[spec.organisation],
            sector=spec.sector, voting=spec.voting, position=position, actor=admin,
            now=clock.at(299, 10, 5 + position),
        )
    # The members register and the administrator gives each their seat.
    for number, spec in enumerate(seated):
        moment = clock.at(298, 9 + number // 6, (number % 6) * 10)
        users[spec.key] = _register(spec, organisations, now=moment)
        groups.assign_holder(seat=seats[spec.key], holder=users[spec.key], actor=admin,
                             now=moment + timedelta(minutes=5))
    users["agency"] = _register(people["agency"], organisations, now=clock.at(297, 10))
    accounts.set_agency_contact(user=users["agency"], organisation=organisations["environment"],
                                actor=admin, now=clock.at(297, 10, 30))
    for number, key in enumerate(("volunteer", "researcher", "citizen1", "citizen2", "business",
                                  "citizen3")):
        users[key] = _register(people[key], organisations, now=clock.at(290 - 4 * number, 19))
    # The researcher, who reads e-mail in English once a day, follows the group's work.
    researcher = users["researcher"]
    mail.set_preferences(user=researcher, email_mode=EmailMode.DAILY,
                         language=researcher.language, now=clock.at(286, 19, 10))
    notifications.follow(user=researcher, kind=FollowedType.GROUP, subject=group,
                         now=clock.at(286, 19, 15))

    secretary, chair = users["secretary"], users["chair"]
    setting = _Setting(clock=clock, users=users, organisations=organisations, group=group,
                 categories=categories)

    # Proposals arrive over the following months, with supports and comments; the secretariat
    # names the agency responsible for each answer, and answers come in between, in time order.
    made: dict[str, Proposal] = {}
    unanswered = sorted((spec for spec in content.PROPOSALS if spec.answer is not None),
                        key=lambda spec: spec.answer.days_ago, reverse=True)
    for spec in content.PROPOSALS:
        _give_answers(setting, made, unanswered, before_days_ago=spec.opened_days_ago)
        made[spec.key] = _make_proposal(setting, spec)
    _give_answers(setting, made, unanswered, before_days_ago=None)

    # The group now exists, so the author of "integration" says so and withdraws it.
    integration = made["integration"]
    spec = next(spec for spec in content.PROPOSALS if spec.key == "integration")
    proposals.edit_proposal(
        proposal=integration, editor=users[spec.author], title=spec.title,
        body=spec.body + content.INTEGRATION_NOTE, category=categories[spec.category],
        now=clock.at(170, 18),
    )
    proposals.withdraw(proposal=integration, actor=users[spec.author], now=clock.at(169, 18))
    # A citizen who follows the open-data proposal has read what it told her so far.
    notifications.mark_all_read(user=users["citizen1"], now=clock.at(160, 21))

    # A citizen registers and the administrator makes her the site's moderator.
    users["moderator"] = _register(people["moderator"], organisations, now=clock.at(84, 19))
    accounts.set_moderator(user=users["moderator"], is_moderator=True, actor=admin,
                           now=clock.at(83, 9))

    # Before the first vote the administrator has members reminded a week before a ballot
    # closes, and names a deputy for the Provincial Office seat, who has just registered.
    groups.update_group(
        group=group, name_th=group.name_th, name_en=group.name_en,
        description=group.description, reminder_hours=content.REMINDER_HOURS, actor=admin,
        now=clock.at(82, 9),
    )
    for number, (seat_key, deputy_key) in enumerate(content.DEPUTIES.items()):
        users[deputy_key] = _register(people[deputy_key], organisations,
                                      now=clock.at(81, 10, number))
        groups.name_deputy(seat=seats[seat_key], deputy=users[deputy_key], actor=admin,
                           now=clock.at(80, 10, number))

    # The group considers the open-data proposal at its first meeting, which opens the ballot
    # from the agenda item; adopted a month ago, the decision is the item's resolution. The
    # Provincial Office's deputy sits and votes in the seat's name. The minutes are written
    # and published while the members vote.
    open_data = made["open_data"]
    proposals.start_consideration(proposal=open_data, actor=secretary, now=clock.at(75, 10))
    first_spec, second_spec, third_spec = content.MEETINGS
    first, first_items = _schedule_meeting(setting, made, first_spec, now=clock.at(60, 10))
    _take_attendance(setting, first, first_spec, now=clock.at(45, 9, 35))
    ballot = votes.open_ballot(proposal=open_data, actor=secretary, closes_at=clock.at(31, 16, 30),
                               agenda_item=_item_of(first_items, open_data), now=clock.at(45, 10))
    meetings.mark_held(meeting=first, actor=secretary, now=clock.at(45, 12, 5))
    steps: list[tuple[datetime, Callable[..., object]]] = [
        (clock.at(44 - number, 11, 15),
         partial(votes.cast_vote, ballot=ballot, member=users[key], choice=VoteChoice(choice)))
        for number, (key, choice) in enumerate(content.VOTES_ON_OPEN_DATA.items())
    ]
    steps += [
        (clock.at(43, 14), partial(_write_minutes, setting, first, first_items, first_spec)),
        (clock.at(40, 10), partial(minutes.publish_minutes, meeting=first, actor=secretary)),
    ]
    _in_time_order(steps)
    # The researcher has read what the group's work brought so far.
    notifications.mark_all_read(user=users["researcher"], now=clock.at(33, 20))
    decision = votes.close_ballot(ballot=ballot, actor=secretary, now=clock.at(30, 10),
                                  resolution=content.RESOLUTION)

    start = clock.day(28)
    commitment = commitments.create_commitment(
        decision=decision, actor=secretary, title=content.COMMITMENT_TITLE,
        description=content.COMMITMENT_DESCRIPTION,
        lead_organisation=organisations["environment"],
        supporters=[organisations[key] for key in content.COMMITMENT_SUPPORTERS],
        start_date=start, due_date=start + timedelta(days=content.COMMITMENT_DAYS),
        milestones=[(title, start + timedelta(days=days)) for title, days in content.MILESTONES],
        now=clock.at(28, 14),
    )
    commitments.set_weights(
        commitment=commitment, actor=secretary,
        weights={milestone.id: Decimal(weight)
                 for milestone, weight in zip(commitment.milestones, content.MILESTONE_WEIGHTS,
                                              strict=True)},
        now=clock.at(28, 14, 30),
    )

    # The secretariat sets the commitment's joint KPIs.
    stations = _demo_stations()
    made_kpis = {
        spec.key: kpis.create_kpi(
            group=group, actor=secretary, now=clock.at(27, 11, number),
            definition=kpis.KpiDefinition(
                name_th=spec.name_th, name_en=spec.name_en, description=spec.description,
                unit_th=spec.unit_th, unit_en=spec.unit_en, direction=spec.direction,
                rule=spec.rule, baseline_value=spec.baseline_value,
                baseline_start=date(clock.today.year - 2, 1, 1),
                baseline_end=date(clock.today.year - 2, 12, 31),
                target_value=spec.target_value, target_date=commitment.due_date,
                station=stations.get(spec.station),
                owners=[organisations[key] for key in spec.owners], commitments=[commitment],
            ),
        )
        for number, spec in enumerate(content.KPIS)
    }
    reported = iter(content.OPEN_DATASETS_REPORTED)
    # A teacher follows the commitment (he reads e-mail in English). The second meeting is
    # called, with the approval of the first one's minutes and strict enforcement on its agenda.
    notifications.follow(user=users["citizen2"], kind=FollowedType.COMMITMENT,
                         subject=commitment, now=clock.at(27, 20))
    second, second_items = _schedule_meeting(setting, made, second_spec, now=clock.at(26, 10))

    # The lead agency reports progress and the count of datasets it has published, while the
    # group takes up other proposals: at its second meeting, which approves the first one's
    # minutes, strict enforcement goes to a consent ballot, which the private-sector seat
    # blocks. A wrong figure is then found in the approved minutes and corrected in the log.
    first_report, second_report, third_report = content.PROGRESS
    updates = [_post_progress(commitment, users["agency"], first_report, clock)]
    notifications.mark_all_read(user=users["citizen2"], now=clock.at(21, 20))
    _report_datasets(made_kpis["open_datasets"], users["agency"], next(reported), clock)
    enforcement = made["enforcement"]
    proposals.start_consideration(proposal=enforcement, actor=chair, now=clock.at(20, 10))
    _take_attendance(setting, second, second_spec, now=clock.at(19, 9, 35))
    consent = votes.open_ballot(
        proposal=enforcement, actor=secretary, closes_at=clock.at(14, 16, 30),
        kind=BallotKind.CONSENT, reasons=ReasonRule.REQUIRED,
        sector_quorum=content.ENFORCEMENT_SECTOR_QUORUM,
        agenda_item=_item_of(second_items, enforcement), now=clock.at(19, 10),
    )
    meetings.mark_held(meeting=second, actor=secretary, now=clock.at(19, 12, 5))
    minutes.approve_minutes(meeting=first, actor=secretary, at_meeting=second,
                            now=clock.at(19, 12, 10))
    for number, (key, (choice, reason)) in enumerate(content.VOTES_ON_ENFORCEMENT.items()):
        votes.cast_vote(ballot=consent, member=users[key], choice=VoteChoice(choice),
                        reason=reason, now=clock.at(18 - number // 3, 9 + 3 * (number % 3)))
    correction = minutes.record_correction(
        meeting=first, item=first_items[2], actor=secretary, text=content.MINUTES_CORRECTION,
        now=clock.at(14, 10),
    )
    blocked = votes.close_ballot(ballot=consent, actor=secretary, now=clock.at(13, 10),
                                 resolution=content.ENFORCEMENT_RESOLUTION)
    _write_minutes(setting, second, second_items, second_spec, now=clock.at(13, 11))
    minutes.publish_minutes(meeting=second, actor=secretary, now=clock.at(13, 14))
    updates.append(_post_progress(commitment, users["agency"], second_report, clock))
    _report_datasets(made_kpis["open_datasets"], users["agency"], next(reported), clock)
    confirmation, dispute = content.REVIEWS
    _review(confirmation, updates, users, clock)
    burn_data = made["burn_data"]
    proposals.start_consideration(proposal=burn_data, actor=secretary, now=clock.at(10, 10))

    # A teacher proposes clean-air classrooms; its answer is not due yet. The lead agency
    # offers volunteer tasks for the coming weeks and people sign up.
    made[content.RECENT_PROPOSAL.key] = _make_proposal(setting, content.RECENT_PROPOSAL)
    tasks = _offer_tasks(commitment, users, clock)
    updates.append(_post_progress(commitment, users["agency"], third_report, clock))
    _report_datasets(made_kpis["open_datasets"], users["agency"], next(reported), clock)

    # The secretariat imports the year of (synthetic) readings and hotspots up to the day
    # before; the derived KPIs recompute from them.
    imported_at = clock.at(2, 8, 30)
    with tempfile.TemporaryDirectory() as folder:
        air, hotspots = synthetic.write_samples(Path(folder), *synthetic.last_year(imported_at))
        environment.import_air(stream=air, actor=secretary, now=imported_at)
        environment.import_hotspots(stream=hotspots, actor=secretary,
                                    now=imported_at + timedelta(minutes=5))

    # A ballot is open now on the burn-data system, closing in five days: members who have
    # not voted see the reminder.
    open_ballot = votes.open_ballot(proposal=burn_data, actor=secretary,
                                    closes_at=clock.at(-5, 16, 30), now=clock.at(2, 9))
    for number, (key, choice) in enumerate(content.VOTES_ON_BURN_DATA.items()):
        votes.cast_vote(ballot=open_ballot, member=users[key], choice=VoteChoice(choice),
                        now=clock.at(2 - number // 3, 10 + number))

    # The third meeting is called for ten days from now, with the burn-data proposal (whose
    # ballot is already open) on its agenda; the group's followers are told.
    third = _schedule_meeting(setting, made, third_spec, now=clock.at(1, 10))[0]

    # Yesterday the lead agency and the civil-society member assessed the commitment, and a
    # citizen disputed the latest progress report; the agency has two weeks to answer.
    for number, spec in enumerate(content.ASSESSMENTS):
        evaluations.record_assessment(
            commitment=commitment, author=users[spec.author], kind=AssessmentKind(spec.kind),
            assessed_on=clock.day(1), completion=Completion(spec.completion),
            opened_government=OpenedGovernment(spec.opened_government),
            explanation=spec.explanation, now=clock.at(1, 16 + number),
        )
    _review(dispute, updates, users, clock)

    # An advertiser posts an advert under a proposal; two people report it and this morning
    # the moderator hid it as spam. Reports of two other comments wait in the queue.
    hidden_comment = _moderate(setting, made)

    # Now: the daily run logs the answers and dispute answers past their deadline, and
    # publishes a signed checkpoint of the log.
    answers.record_overdue_answers(now)
    evaluations.record_overdue_disputes(now)
    checkpoint = accountability.publish_checkpoint(now=now)

    logins = [
        DemoLogin(role=spec.role, email=users[spec.key].email,
                  display_name=users[spec.key].display_name)
        for spec in content.PEOPLE
    ]
    return DemoInstance(
        password=DEMO_PASSWORD, group=group, users=users, proposals=made, decision=decision,
        blocked_decision=blocked, commitment=commitment, open_ballot=open_ballot, tasks=tasks,
        checkpoint=checkpoint, meetings=[first, second, third], correction=correction,
        logins=logins, hidden_comment=hidden_comment,
    )


@dataclass(frozen=True)
class _Setting:
    """The demo's clock, people, organisations, group and categories, which proposals need."""

    clock: _Clock
    users: dict[str, User]
    organisations: dict[str, Organisation]
    group: WorkingGroup
    categories: list[Category]


def _make_proposal(setting: _Setting, spec: content.ProposalSpec) -> Proposal:
    """Open the proposal for comment, with its supports and comments over the following days,
    and name the agency responsible for its answer the day after opening."""
    clock, users = setting.clock, setting.users
    opened = spec.opened_days_ago
    proposal = proposals.create_proposal(
        author=users[spec.author], group=setting.group, title=spec.title, body=spec.body,
        category=setting.categories[spec.category], submit=True, now=clock.at(opened, 9, 30),
    )
    for key in spec.followers:
        notifications.follow(user=users[key], kind=FollowedType.PROPOSAL, subject=proposal,
                             now=clock.at(opened, 10))
    for number, key in enumerate(spec.supporters):
        proposals.support(proposal=proposal, user=users[key],
                          now=clock.at(opened - 1 - number % 7, 12 + number % 8))
    for number, comment in enumerate(spec.comments):
        day = opened - 2 - 3 * number
        parent = comments.add_comment(
            proposal=proposal, author=users[comment.author], body=comment.body,
            stance=comment.stance, now=clock.at(day, 20),
        )
        for reply in comment.replies:
            comments.add_comment(
                proposal=proposal, author=users[reply.author], body=reply.body,
                stance=reply.stance, parent=parent, now=clock.at(day - 1, 8, 15),
            )
    if spec.agency is not None:
        proposals.assign_agency(proposal=proposal, agency=setting.organisations[spec.agency],
                                actor=users["secretary"], now=clock.at(opened - 1, 9))
    return proposal


def _comment_by(proposal: Proposal, author: User) -> Comment:
    return db.session.scalars(
        sa.select(Comment)
        .where(Comment.proposal_id == proposal.id, Comment.author_id == author.id)
        .order_by(Comment.id)
    ).first()


def _moderate(setting: _Setting, made: dict[str, Proposal]) -> Comment:
    """The advertiser's comment, reported and hidden as spam; the other reports left open."""
    clock, users = setting.clock, setting.users
    spec = next(spec for spec in content.PEOPLE if spec.key == "advertiser")
    users["advertiser"] = _register(spec, setting.organisations, now=clock.at(5, 21))
    advert = comments.add_comment(
        proposal=made[content.SPAM_PROPOSAL], author=users["advertiser"],
        body=content.SPAM_COMMENT, stance=None, now=clock.at(5, 21, 20),
    )
    for report in (*content.SPAM_REPORTS, *content.OPEN_REPORTS):
        reported = (advert if report.author == "advertiser"
                    else _comment_by(made[report.proposal], users[report.author]))
        moderation.report(
            reporter=users[report.reporter], kind=ContentKind.COMMENT, content=reported,
            reason=ModerationReason(report.reason), note=report.note,
            now=clock.at(report.days_ago, 20),
        )
    moderation.hide(
        moderator=users["moderator"], kind=ContentKind.COMMENT, content=advert,
        reason=ModerationReason(content.SPAM_REASON), now=clock.at(0, 9),
    )
    return advert


def _give_answers(setting: _Setting, made: dict[str, Proposal],
                  unanswered: list[content.ProposalSpec], *, before_days_ago: int | None) -> None:
    """Give the answers due before that day (all with None), earliest first, so the log stays
    in time order; `unanswered` is ordered earliest answer first and loses those given."""
    while unanswered and (before_days_ago is None
                          or unanswered[0].answer.days_ago > before_days_ago):
        spec = unanswered.pop(0)
        answer = spec.answer
        referred_to = setting.organisations[answer.referred_to] if answer.referred_to else None
        answers.answer_proposal(
            proposal=made[spec.key], actor=setting.users[answer.by],
            state=AnswerState(answer.state), body=answer.body, referred_to=referred_to,
            merged_into=None,
            now=setting.clock.at(answer.days_ago, 14),
        )


def _offer_tasks(commitment: Commitment, users: dict[str, User],
                 clock: _Clock) -> list[VolunteerTask]:
    """The lead agency offers the volunteer tasks six days ago; people sign up over the next
    days and some withdraw, moving the waiting list up."""
    tasks = []
    for number, spec in enumerate(content.TASKS):
        starts_at = clock.at(-spec.starts_in_days, spec.start_hour)
        task = volunteering.create_task(
            commitment=commitment, actor=users["agency"], title=spec.title,
            description=spec.description, place=spec.place, starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=spec.hours), capacity=spec.capacity,
            now=clock.at(6, 10, number),
        )
        for place, key in enumerate(spec.signups):
            volunteering.sign_up(task=task, user=users[key],
                                 now=clock.at(5 - place // 3, 18, 10 * (place % 3) + number))
        for key in spec.withdrawals:
            volunteering.withdraw(task=task, user=users[key], now=clock.at(2, 20, number))
        tasks.append(task)
    return tasks


@cache
def _demo_password_hash() -> str:
    """Every demo person has the published demo password: hashed once, as argon2 is slow on
    purpose (a quarter of the seed's time when each account hashed it again)."""
    return hash_password(DEMO_PASSWORD)


def _register(spec: content.PersonSpec, organisations: dict[str, Organisation] | None, *,
              now: datetime) -> User:
    organisation = organisations[spec.organisation] if spec.organisation and organisations else None
    return accounts.register_user(
        email=demo_email(spec.email), password=DEMO_PASSWORD,
        password_hash=_demo_password_hash(), display_name=spec.display_name,
        sector=spec.sector, organisation_name=organisation.name_th if organisation else None,
        language=spec.language, now=now, verified=True,
        # The demo's invented people agree to the notice in force when they register.
        privacy_version=current_notice_version(),
    )


def _demo_stations() -> dict[str, Station]:
    """The demo's four Lampang stations, made before any reading arrives (a KPI names one)
    unless data imported earlier brought them."""
    found = {station.code: station for station in db.session.scalars(sa.select(Station))}
    for station in synthetic.STATIONS:
        if station.code not in found:
            found[station.code] = Station(
                code=station.code, name_th=station.name_th, name_en=station.name_en,
                area_th=station.area_th, area_en=station.area_en, latitude=station.latitude,
                longitude=station.longitude,
            )
            db.session.add(found[station.code])
    db.session.flush()
    return found


def _report_datasets(kpi: Kpi, author: User, report: tuple[int, float], clock: _Clock) -> None:
    days_ago, count = report
    kpis.record_measurement(
        kpi=kpi, actor=author, period_start=clock.day(days_ago), value=count,
        source="สำนักงานทรัพยากรธรรมชาติและสิ่งแวดล้อมจังหวัดลำปาง",
        evidence_url=f"https://{content.EMAIL_DOMAIN}/datasets/?published={count:.0f}",
        now=clock.at(days_ago, 8),
    )


def _post_progress(commitment: Commitment, author: User, spec: content.ProgressSpec,
                   clock: _Clock) -> ProgressUpdate:
    """Bring the milestones to their completion at this report, then post it: its percent is
    the milestones' roll-up."""
    for number, (milestone, level) in enumerate(
        zip(commitment.milestones, spec.milestones, strict=True)
    ):
        if milestone.completion != Completion(level):
            commitments.set_milestone_completion(
                milestone=milestone, actor=author, completion=Completion(level),
                now=clock.at(spec.days_ago, 14, 30 + number),
            )
    return commitments.post_progress(
        commitment=commitment, author=author, reported_on=clock.day(spec.days_ago),
        completion=Completion(spec.completion), status=CommitmentStatus(spec.status),
        note=spec.note, reason=spec.reason, evidence=list(spec.evidence),
        now=clock.at(spec.days_ago, 15),
    )


def _review(spec: content.ReviewSpec, updates: list[ProgressUpdate], users: dict[str, User],
            clock: _Clock) -> None:
    evaluations.review_update(
        update=updates[spec.update], reviewer=users[spec.reviewer], kind=ReviewKind(spec.kind),
        comment=spec.comment, evidence_url=spec.evidence_url, now=clock.at(spec.days_ago, 20),
    )


def _in_time_order(steps: list[tuple[datetime, Callable[..., object]]]) -> None:
    """Take steps that overlap in time (members voting while the minutes are written) one
    after another by their moment, so the log stays in time order."""
    for moment, step in sorted(steps, key=lambda pair: pair[0]):
        step(now=moment)


def _year_text(spec_text: str, clock: _Clock) -> str:
    """Put in the Buddhist year of the first meeting, by which the meetings are numbered."""
    year = clock.day(content.MEETINGS[0].days_ago).year + 543
    return spec_text.replace("{year}", str(year))


def _schedule_meeting(setting: _Setting, made: dict[str, Proposal], spec: content.MeetingSpec,
                      *, now: datetime) -> tuple[Meeting, list[AgendaItem]]:
    """The secretary calls the meeting and sets its agenda in the minutes that follow."""
    clock, secretary = setting.clock, setting.users["secretary"]
    meeting = meetings.schedule_meeting(
        group=setting.group, actor=secretary,
        title=_year_text(content.MEETING_TITLE.replace("{number}", str(spec.number)), clock),
        starts_at=clock.at(spec.days_ago, *spec.starts), ends_at=clock.at(spec.days_ago, *spec.ends),
        place=content.MEETING_PLACE, online_url=content.MEETING_ONLINE_URL,
        guests="\n".join(spec.guests), now=now,
    )
    items = [
        meetings.add_item(
            meeting=meeting, actor=secretary, section=item.section,
            title=_year_text(item.title, clock), description=item.description,
            proposal=made[item.proposal] if item.proposal else None,
            now=now + timedelta(minutes=1 + number),
        )
        for number, item in enumerate(spec.items)
    ]
    return meeting, items


def _item_of(items: list[AgendaItem], proposal: Proposal) -> AgendaItem:
    return next(item for item in items if item.proposal_id == proposal.id)


def _take_attendance(setting: _Setting, meeting: Meeting, spec: content.MeetingSpec, *,
                     now: datetime) -> None:
    """Every seat present but those the meeting's spec names (by their holder's key)."""
    key_of = {user.id: key for key, user in setting.users.items()}
    seats = db.session.scalars(sa.select(Seat).where(Seat.group_id == setting.group.id))
    marks = []
    for seat in seats:
        status, note = spec.attendance.get(key_of[seat.holder_id], ("present", ""))
        marks.append(meetings.AttendanceMark(seat_id=seat.id, status=status, note=note))
    meetings.record_attendance(meeting=meeting, actor=setting.users["secretary"], marks=marks,
                               now=now)


def _write_minutes(setting: _Setting, meeting: Meeting, items: list[AgendaItem],
                   spec: content.MeetingSpec, *, now: datetime) -> None:
    """The secretary records each item's resolution in words, then its minutes and who took
    them (the decision of a ballot opened from an item is linked when the ballot closes)."""
    clock, secretary = setting.clock, setting.users["secretary"]
    for item, item_spec in zip(items, spec.items, strict=True):
        if item_spec.resolution:
            meetings.edit_item(
                item=item, actor=secretary, section=item.section, title=item.title,
                description=item.description, proposal=item.proposal,
                resolution=_year_text(item_spec.resolution, clock), now=now,
            )
    minutes.edit_minutes(
        meeting=meeting, actor=secretary,
        minutes={item.id: _year_text(item_spec.minutes, clock)
                 for item, item_spec in zip(items, spec.items, strict=True)},
        minutes_taker=setting.users[spec.minutes_taker] if spec.minutes_taker else None,
        now=now,
    )
