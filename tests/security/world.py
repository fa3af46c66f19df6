"""A small but complete world for the security tests: one working group with every role, a
proposal in every state, an open ballot, decisions, a commitment with progress, and comments;
built with the real services, and a way to run a request against it and undo its writes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from flask.testing import FlaskClient

from participation.accountability.services import publish_checkpoint  # role-matrix lane
from participation.accounts import services as accounts
from participation.accounts.models import Organisation, Sector, User
from participation.comments import services as comments
from participation.comments.models import Stance
from participation.commitments import services as commitments
from participation.commitments.models import CommitmentStatus, Completion
from participation.core.models import utcnow
from participation.evaluations import services as evaluations  # evaluations lane
from participation.evaluations.models import ReviewKind  # evaluations lane
from participation.extensions import db
from participation.groups import services as groups
from participation.groups.models import Seat, SeatRole, WorkingGroup
from participation.kpis import services as kpis
from participation.kpis.models import Direction, Rule
from participation.moderation import blocks  # moderation lane A2
from participation.moderation import services as moderation  # moderation lane A1
from participation.moderation.models import (
    ContentKind,  # moderation lane A1
    ModerationReason,  # moderation lane A2
)
from participation.notifications import services as follows  # following lane
from participation.notifications.models import FollowedType, Notification  # following lane
from participation.proposals import services as proposals
from participation.volunteering import services as volunteering
from participation.votes import services as votes
from participation.votes.models import VoteChoice
from tests.factories import Factories
from tests.meetings.scene import security_meeting  # meetings lane
from tests.minutes.scene import security_meetings  # minutes lane

# The people the role matrix walks through, in the order the reports list them.
ROLES = (
    "visitor",
    "participant",
    "author",
    "voting_member",
    "chair",
    "secretary",
    "agency_contact",
    "moderator",
    "admin",
)


@dataclass
class World:
    """Ids only: every request may roll back or expire objects, ids stay true."""

    users: dict[str, int]
    emails: dict[str, str]
    group: int
    group_name: str
    lead_organisation: int
    lead_organisation_name: str
    other_organisation: int
    category: int
    seats: dict[str, int]
    proposals: dict[str, int]
    open_ballot: int
    decisions: dict[str, int]
    commitment: int
    comments: dict[str, int]
    kpi: int = 0  # a KPI entered by hand, owned by the lead organisation
    task: int = 0  # volunteering lane: a full volunteer task; the participant has a place
    # Evaluations lane: the commitment's progress report (by the agency contact), its
    # milestone, and the participant's unanswered dispute of the report.
    progress_update: int = 0
    milestone: int = 0
    dispute: int = 0
    # Minutes lane: held meetings by the state of their minutes (draft, published, approved)
    # and the later held meeting that approves them; an agenda item of each.
    minutes_meetings: dict[str, int] = field(default_factory=dict)
    minutes_items: dict[str, int] = field(default_factory=dict)
    # Following lane: the participant follows the open proposal and has one unread
    # notification (of the member's reply to their comment).
    notification: int = 0
    # Meetings lane: a planned meeting that started an hour ago, its items 2.1, 2.2 and 3.1
    # (the proposal under consideration), and the group's seats in the attendance form's order.
    meeting: int = 0
    meeting_items: dict[str, int] = field(default_factory=dict)
    meeting_seats: list[int] = field(default_factory=list)
    # Role-matrix lane: a signed checkpoint of the log as the world left it.
    checkpoint: int = 0
    # Moderation lane A2: a participant under a moderator's block (the participant is free).
    troll: int = 0
    # Moderation lane A1: on the merge target (which nobody follows), a shop's comment
    # reported by the participant ("reported") and another of its hidden for spam ("hidden").
    moderated_comments: dict[str, int] = field(default_factory=dict)

    def user(self, role: str) -> int | None:
        return None if role == "visitor" else self.users[role]


def site_today() -> date:
    return utcnow().astimezone(ZoneInfo(current_app.config["TIMEZONE"])).date()


def seat_new_holder(make: Factories, *, group: WorkingGroup, role: SeatRole, actor: User,
                    now: datetime, sector: Sector = Sector.GOVERNMENT,
                    organisation: Organisation | None = None, display_name: str | None = None,
                    position: int | None = None) -> tuple[User, Seat]:
    """Add a seat through the services (voting unless a secretariat seat) and give it to a new
    person of its organisation: a new one of the sector unless given."""
    organisation = organisation or make.organisation(sector=sector)
    holder = make.user(display_name=display_name, sector=sector, organisation=organisation)
    seat = groups.add_seat(
        group=group, role=role, organisation=organisation, sector=sector,
        voting=not role.is_secretariat, position=position, actor=actor, now=now,
    )
    groups.assign_holder(seat=seat, holder=holder, actor=actor, now=now)
    return holder, seat


def build_world(make: Factories) -> World:
    """Build the world with the services the views call, then commit (inside the tests'
    transaction a commit only releases a savepoint: the rows stay for the tests and no view's
    rollback can take them away)."""
    now = utcnow()
    admin = make.user(display_name="Site Administrator", is_admin=True)

    lead = accounts.create_organisation(
        name_th="สำนักงานทรัพยากรธรรมชาติและสิ่งแวดล้อมจังหวัดทดสอบ",
        name_en="Test Provincial Natural Resources and Environment Office",
        sector=Sector.GOVERNMENT, actor=admin, now=now,
    )
    other = accounts.create_organisation(
        name_th="เครือข่ายภาคประชาสังคมทดสอบ", name_en="Test civil-society network",
        sector=Sector.CIVIL_SOCIETY, actor=admin, now=now,
    )
    category = proposals.create_category(
        actor=admin, name_th="การสื่อสารสาธารณะทดสอบ", name_en="Test public communication",
        position=1, now=now,
    )
    group = groups.create_group(
        name_th="คณะทำงานส่งเสริมการมีส่วนร่วมทดสอบ", name_en="Test participation working group",
        description="Promotes **open government** at area level.", actor=admin, now=now,
    )

    def seated(role: SeatRole, *, name: str, organisation=None, sector=Sector.GOVERNMENT):
        return seat_new_holder(make, group=group, role=role, sector=sector,
                               organisation=organisation, display_name=name, actor=admin,
                               now=now)

    chair, chair_seat = seated(SeatRole.CHAIR, name="Provincial Governor")
    vice_chair, _ = seated(SeatRole.VICE_CHAIR, name="OGP Sub-committee Chair")
    member, member_seat = seated(SeatRole.MEMBER, name="Environment Office Member",
                                 organisation=lead)
    member2, _ = seated(SeatRole.MEMBER, name="Civil Society Member", organisation=other,
                        sector=Sector.CIVIL_SOCIETY)
    member3, member3_seat = seated(SeatRole.MEMBER, name="Private Sector Member",
                                   sector=Sector.PRIVATE)
    secretary, secretary_seat = seated(SeatRole.SECRETARY, name="OPDC Secretary")
    vacant = groups.add_seat(
        group=group, role=SeatRole.MEMBER, organisation=None, sector=Sector.ACADEMIA,
        voting=True, actor=admin, now=now,
    )

    # Votes lane: the private-sector seat has a deputy (ผู้แทน), who may vote in its name.
    deputy = make.user(display_name="Private Sector Deputy", sector=Sector.PRIVATE)
    groups.name_deputy(seat=member3_seat, deputy=deputy, actor=admin, now=now)

    agency = make.user(display_name="Environment Office Contact", sector=Sector.GOVERNMENT,
                       organisation=lead)
    accounts.set_agency_contact(user=agency, organisation=lead, actor=admin, now=now)
    participant = make.user(display_name="Lampang Citizen", sector=Sector.CITIZEN)
    moderator = make.user(display_name="Site Moderator", is_moderator=True)
    author = make.user(display_name="Clean Air Network", sector=Sector.CIVIL_SOCIETY,
                       organisation=other)

    def proposal(title: str, *, submit: bool = True):
        return proposals.create_proposal(
            author=author, group=group, title=title,
            body=f"{title}: what should be done, why, and by whom.", category=category,
            submit=submit, now=now,
        )

    def under_consideration(title: str, *, by=secretary):
        made = proposal(title)
        proposals.start_consideration(proposal=made, actor=by, now=now)
        return made

    def decided(title: str, choice: VoteChoice):
        made = under_consideration(title)
        ballot = votes.open_ballot(proposal=made, actor=secretary,
                                   closes_at=now + timedelta(days=7), now=now)
        for voter in (chair, vice_chair, member, member2):
            votes.cast_vote(ballot=ballot, member=voter, choice=choice, now=now)
        return made, votes.close_ballot(ballot=ballot, actor=secretary, now=now,
                                        resolution="The meeting resolved as voted.")

    draft = proposal("Draft: dust catchers for stone-cutting machines", submit=False)
    opened = proposal("Open PM2.5 readings per district every hour")
    merge_target = proposal("Publish PM2.5 open data")
    voting = under_consideration("A burn-registration app for fuel management")
    ballot = votes.open_ballot(proposal=voting, actor=secretary,
                               closes_at=now + timedelta(days=5), now=now)
    votes.cast_vote(ballot=ballot, member=member, choice=VoteChoice.YES, now=now)
    votes.cast_vote(ballot=ballot, member=member2, choice=VoteChoice.NO, now=now)
    considered = under_consideration("Enforce the Factory Act strictly", by=chair)
    adopted, adopted_decision = decided("Daily dust forecasts for villages", VoteChoice.YES)
    pending, pending_decision = decided("Awards for villages with no burning", VoteChoice.YES)
    rejected, rejected_decision = decided("Tax relief on dust equipment", VoteChoice.NO)
    withdrawn = proposal("A working group of all sectors")
    proposals.withdraw(proposal=withdrawn, actor=author, now=now)
    # Answers lane: a proposal the lead organisation is responsible for answering.
    answerable = proposal("Publish the burn-permit register")
    proposals.assign_agency(proposal=answerable, agency=lead, actor=secretary, now=now)

    today = site_today()
    commitment = commitments.create_commitment(
        decision=adopted_decision, actor=secretary, title="Daily dust forecasts",
        description="Publish a 3-day forecast every morning.", lead_organisation=lead,
        supporters=[other], start_date=today - timedelta(days=30),
        due_date=today + timedelta(days=300),
        milestones=[("Forecast page online", today + timedelta(days=60))], now=now,
    )
    update = commitments.post_progress(
        commitment=commitment, author=agency, reported_on=today, completion=Completion.LIMITED,
        percent=20, status=CommitmentStatus.ON_TRACK, note="The data feed is ready.",
        reason="", evidence=["https://example.org/forecast"], now=now,
    )

    kpi = kpis.create_kpi(group=group, actor=secretary, now=now, definition=kpis.KpiDefinition(
        name_th="จำนวนวันที่ฝุ่นเกินมาตรฐานทดสอบ",
        name_en="Test days above the PM2.5 standard", description="", unit_th="วัน",
        unit_en="days", direction=Direction.LOWER, baseline_value=30.0,
        baseline_start=date(2024, 1, 1), baseline_end=date(2024, 12, 31), target_value=10.0,
        target_date=date(2027, 12, 31), rule=Rule.MANUAL, owners=[lead],
        commitments=[commitment],
    ))
    # Volunteering lane: a task on the commitment, full: the participant and the vice-chair
    # hold its two places.
    task = volunteering.create_task(
        commitment=commitment, actor=secretary, title="Fire-watch shift",
        description="Watch the **ridge** for smoke.", place="Ban Sop Pat, Mae Moh",
        starts_at=now + timedelta(days=14), ends_at=now + timedelta(days=14, hours=4),
        capacity=2, now=now,
    )
    for volunteer in (participant, vice_chair):
        volunteering.sign_up(task=task, user=volunteer, now=now)
    # Evaluations lane: the participant disputes the lead agency's progress report.
    dispute = evaluations.review_update(
        update=update, reviewer=participant, kind=ReviewKind.DISPUTE,
        comment="The forecast page is still empty.", evidence_url="", now=now,
    )

    proposals.support(proposal=opened, user=participant, now=now)
    follows.follow(user=participant, kind=FollowedType.PROPOSAL, subject=opened, now=now)
    comment = comments.add_comment(
        proposal=opened, author=participant, body="Please include **Mae Moh**.",
        stance=Stance.FOR, now=now,
    )
    reply = comments.add_comment(
        proposal=opened, author=member, body="Station 38t covers it.", stance=None,
        parent=comment, now=now,
    )
    elsewhere = comments.add_comment(
        proposal=voting, author=participant, body="Farmers need notice.",
        stance=Stance.NEUTRAL, now=now,
    )

    users = {
        "participant": participant, "author": author, "voting_member": member, "chair": chair,
        "vice_chair": vice_chair, "member3": member3, "deputy": deputy, "secretary": secretary,
        "agency_contact": agency, "moderator": moderator, "admin": admin,
    }
    world = World(
        users={role: user.id for role, user in users.items()},
        emails={role: user.email for role, user in users.items()},
        group=group.id,
        group_name=group.name_th,
        lead_organisation=lead.id,
        lead_organisation_name=lead.name_th,
        other_organisation=other.id,
        category=category.id,
        seats={"chair": chair_seat.id, "member": member_seat.id,
               "secretary": secretary_seat.id, "vacant": vacant.id},
        proposals={
            "draft": draft.id, "open": opened.id, "merge_target": merge_target.id,
            "voting": voting.id, "considered": considered.id, "adopted": adopted.id,
            "pending": pending.id, "rejected": rejected.id, "withdrawn": withdrawn.id,
            "answerable": answerable.id,  # answers lane
        },
        open_ballot=ballot.id,
        decisions={"adopted": adopted_decision.id, "pending": pending_decision.id,
                   "rejected": rejected_decision.id},
        commitment=commitment.id,
        comments={"participant": comment.id, "reply": reply.id, "elsewhere": elsewhere.id},
        kpi=kpi.id,
        task=task.id,  # volunteering lane
        progress_update=update.id, milestone=commitment.milestones[0].id,  # evaluations lane
        dispute=dispute.id,  # evaluations lane
        notification=db.session.scalars(  # following lane
            sa.select(Notification.id).where(Notification.user_id == participant.id)
        ).one(),
    )
    world.minutes_meetings, world.minutes_items = security_meetings(  # minutes lane
        group, creator=secretary, chair=chair, now=now)
    world.meeting, world.meeting_items, world.meeting_seats = security_meeting(  # meetings lane
        group, secretary=secretary, considered=considered, now=now)
    world.moderated_comments = moderated_comments(  # moderation lane A1
        merge_target, writer=make.user(display_name="Air Purifier Shop"), reporter=participant, moderator=moderator, now=now)
    troll = make.user(display_name="Persistent Spammer")  # moderation lane A2
    world.troll = troll.id  # moderation lane A2
    blocks.block(moderator=moderator, user=troll, reason=ModerationReason.SPAM, days=30,  # A2
                 now=now)
    world.checkpoint = publish_checkpoint(now=now).id  # role-matrix lane
    db.session.commit()
    return world


def moderated_comments(proposal, *, writer: User, reporter: User, moderator: User,
                       now: datetime) -> dict[str, int]:
    """Moderation lane A1: a reported comment and a hidden one on the proposal."""
    reported = comments.add_comment(proposal=proposal, author=writer,
                                    body="Cheap air purifiers at our shop!", stance=None, now=now)
    moderation.report(reporter=reporter, kind=ContentKind.COMMENT, content=reported,
                      reason=ModerationReason.SPAM, note="An advert.", now=now)
    hidden = comments.add_comment(proposal=proposal, author=writer, body="Buy now, buy now!",
                                  stance=None, now=now)
    moderation.hide(moderator=moderator, kind=ContentKind.COMMENT, content=hidden,
                    reason=ModerationReason.SPAM, now=now)
    return {"reported": reported.id, "hidden": hidden.id}


def browse_as(client: FlaskClient, user_id: int | None) -> FlaskClient:
    """Make the client's next requests come from this user (None: a visitor)."""
    with client.session_transaction() as session:
        session.clear()
        if user_id is not None:
            session["_user_id"] = str(user_id)
            session["_fresh"] = True
    return client


Fingerprint = dict[str, list[tuple[Any, ...]]]


def fingerprint() -> Fingerprint:
    """Every row of every table, in key order: equal fingerprints mean nothing changed."""
    connection = db.session.get_bind()
    rows: Fingerprint = {}
    # By name: the order does not matter here, and the foreign keys between agenda items,
    # ballots and decisions form a cycle that `sorted_tables` warns about.
    for table in sorted(db.metadata.tables.values(), key=lambda table: table.name):
        statement = sa.select(table).order_by(*table.primary_key.columns)
        rows[table.name] = [tuple(row) for row in connection.execute(statement)]
    return rows


def changed_tables(before: Fingerprint, after: Fingerprint) -> list[str]:
    return sorted(name for name in before if before[name] != after.get(name))


@contextmanager
def undone() -> Iterator[None]:
    """Run a block whose writes (commits included) are undone when it ends.

    The session joins the test's connection with savepoints, so a view's commit only releases
    the session's own savepoint; a savepoint taken on the connection around it takes every
    write back. The session is closed on both sides, so no object outlives the undo."""
    db.session.commit()
    db.session.close()
    connection = db.session.get_bind()
    savepoint = connection.begin_nested()
    try:
        yield
    finally:
        db.session.close()
        if savepoint.is_active:
            savepoint.rollback()


WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


@dataclass
class Effect:
    """What a block did to the database: the tables whose rows differ, and the rows after."""

    changed: list[str] = field(default_factory=list)
    after: Fingerprint | None = None


@contextmanager
def tried(before: Fingerprint) -> Iterator[Effect]:
    """Run a block (a request), then undo it; fill in the tables it changed compared with
    `before`. Rows are compared only if the block sent a write: without one, nothing changed."""
    effect = Effect()
    writes: list[str] = []

    def note(_conn, _cursor, statement, _params, _context, _executemany):
        if statement.lstrip().upper().startswith(WRITES):
            writes.append(statement)

    engine = db.session.get_bind().engine
    with undone():
        sa.event.listen(engine, "before_cursor_execute", note)
        try:
            yield effect
        finally:
            sa.event.remove(engine, "before_cursor_execute", note)
        if writes:
            effect.after = fingerprint()
            effect.changed = changed_tables(before, effect.after)
