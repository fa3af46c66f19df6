"""Each event tells the followers it concerns, once each, never the person who acted, with
what the page and the e-mail need; an e-mail is queued for those who want each one."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa

from participation.accounts.models import EmailMode
from participation.comments import services as comments
from participation.commitments import services as commitments
from participation.commitments.models import CommitmentStatus, Completion
from participation.core.i18n import site_date
from participation.core.models import utcnow
from participation.extensions import db
from participation.kpis import services as kpis
from participation.kpis.models import Rule
from participation.mail.models import MailKind, OutboxMail
from participation.notifications import services
from participation.notifications.models import FollowedType, Notification
from participation.proposals import services as proposals
from participation.proposals.models import Proposal, ProposalState
from participation.votes import services as votes
from participation.votes.models import VoteChoice
from tests.kpis.scene import Group, day_readings, station
from tests.notifications.scene import events_of, follower, told
from tests.proposals.fixtures import proposal_in

P, G, C, K = (FollowedType.PROPOSAL, FollowedType.GROUP, FollowedType.COMMITMENT,
              FollowedType.KPI)


def test_a_comment_tells_the_proposal_followers_but_not_its_author(make, cast):
    proposal = proposal_in(make, ProposalState.OPEN, cast=cast, title="Spray water near schools")
    reader = follower(make, (P, proposal))
    writer = follower(make, (P, proposal), display_name="Malee Writer")
    outsider = make.user()
    body = "Please include **Mae Moh** too. " + "More words. " * 40

    comment = comments.add_comment(proposal=proposal, author=writer, body=body, stance=None,
                                   now=utcnow())

    [notification] = told(reader)
    assert notification.event == "comment.posted"
    assert (notification.subject_type, notification.subject_id) == ("proposal", proposal.id)
    assert notification.actor_id == writer.id
    assert notification.read_at is None
    assert notification.data["title"] == "Spray water near schools"
    assert notification.data["author"] == "Malee Writer"
    assert notification.data["comment_id"] == comment.id
    excerpt = notification.data["excerpt"]
    assert excerpt.startswith("Please include **Mae Moh** too. More words.")
    assert len(excerpt) == 200 and excerpt.endswith("…")
    assert told(writer) == [] and told(outsider) == []


def test_each_notification_of_someone_wanting_every_email_queues_one_email(make, cast):
    proposal = proposal_in(make, ProposalState.OPEN, cast=cast)
    now_person = follower(make, (P, proposal), mode=EmailMode.IMMEDIATE)
    daily_person = follower(make, (P, proposal), mode=EmailMode.DAILY)
    no_mail_person = follower(make, (P, proposal), mode=EmailMode.OFF)

    comments.add_comment(proposal=proposal, author=make.user(), body="Yes.", stance=None,
                         now=utcnow())

    [immediate] = told(now_person)
    mail = db.session.get(OutboxMail, immediate.outbox_id)
    assert (mail.user_id, mail.kind, mail.status.value) == (now_person.id, MailKind.IMMEDIATE,
                                                           "pending")
    # The digest collects the daily reader's later; the other wants no e-mail at all.
    assert [n.outbox_id for n in told(daily_person) + told(no_mail_person)] == [None, None]
    assert db.session.scalar(sa.select(sa.func.count(OutboxMail.id))) == 1


def test_opening_a_draft_tells_the_followers_of_the_group_as_well(make, cast):
    draft = proposal_in(make, ProposalState.DRAFT, cast=cast)
    services.follow(user=cast.author, kind=P, subject=draft, now=utcnow())
    group_reader = follower(make, (G, cast.group))

    proposals.open_for_comment(proposal=draft, actor=cast.author, now=utcnow())

    [notification] = told(group_reader)
    assert notification.event == "proposal.state_changed"
    assert notification.data == {"title": draft.title, "state": "open", "from": "draft"}
    assert told(cast.author) == []  # the author opened it


def test_later_moves_tell_the_proposal_followers_only(make, cast):
    proposal = proposal_in(make, ProposalState.OPEN, cast=cast)
    proposal_reader = follower(make, (P, proposal))
    group_reader = follower(make, (G, cast.group))

    proposals.start_consideration(proposal=proposal, actor=cast.secretary, now=utcnow())

    [notification] = told(proposal_reader)
    assert notification.data["state"] == "under_consideration"
    assert notification.actor_id == cast.secretary.id
    assert told(group_reader) == []


@pytest.mark.parametrize("move", ["withdraw", "merge"])
def test_withdrawing_and_merging_tell_the_followers(make, cast, move):
    proposal = proposal_in(make, ProposalState.OPEN, cast=cast)
    reader = follower(make, (P, proposal))
    if move == "withdraw":
        proposals.withdraw(proposal=proposal, actor=cast.author, now=utcnow())
    else:
        target = proposal_in(make, ProposalState.OPEN, cast=cast)
        proposals.merge(proposal=proposal, into=target, actor=cast.chair, now=utcnow())
    [notification] = told(reader)
    assert notification.data["state"] == {"withdraw": "withdrawn", "merge": "merged"}[move]


def test_a_ballot_tells_proposal_and_group_followers_once_each(make, cast):
    proposal = proposal_in(make, ProposalState.UNDER_CONSIDERATION, cast=cast,
                           title="A burn-registration app")
    both = follower(make, (P, proposal), (G, cast.group))
    group_reader = follower(make, (G, cast.group))
    closes = datetime(2099, 1, 2, 3, 4, 5).astimezone()

    ballot = votes.open_ballot(proposal=proposal, actor=cast.secretary, closes_at=closes,
                               now=utcnow())

    for reader in (both, group_reader):
        [notification] = told(reader)
        assert notification.event == "ballot.opened"
        assert (notification.subject_type, notification.subject_id) == ("proposal", proposal.id)
        assert notification.data["ballot_id"] == ballot.id
        assert datetime.fromisoformat(notification.data["closes_at"]) == closes
    assert told(cast.secretary) == []


def test_closing_a_ballot_records_the_decision_and_tells_the_followers(make, cast):
    proposal = proposal_in(make, ProposalState.UNDER_CONSIDERATION, cast=cast,
                           title="Daily dust forecasts")
    proposal_reader = follower(make, (P, proposal))
    group_reader = follower(make, (G, cast.group))
    ballot = votes.open_ballot(proposal=proposal, actor=cast.secretary,
                               closes_at=utcnow() + timedelta(days=3), now=utcnow())
    for voter in (cast.chair, cast.vice_chair, cast.member):
        votes.cast_vote(ballot=ballot, member=voter, choice=VoteChoice.YES, now=utcnow())

    decision = votes.close_ballot(ballot=ballot, actor=cast.secretary, now=utcnow())

    [decided] = told(group_reader, "decision.recorded")
    assert (decided.subject_type, decided.subject_id) == ("decision", decision.id)
    assert decided.data == {"title": "Daily dust forecasts", "result": "adopted",
                            "proposal_id": proposal.id}
    # The proposal's own followers also hear that it was adopted.
    assert events_of(proposal_reader) == [
        "ballot.opened", "proposal.state_changed", "decision.recorded"
    ]
    assert told(proposal_reader, "proposal.state_changed")[0].data["state"] == "adopted"


def test_a_ballot_closed_by_the_clock_has_no_actor_and_tells_everyone(make, cast):
    proposal = proposal_in(make, ProposalState.UNDER_CONSIDERATION, cast=cast)
    services.follow(user=cast.secretary, kind=P, subject=proposal, now=utcnow())
    opened = utcnow()
    ballot = votes.open_ballot(proposal=proposal, actor=cast.secretary,
                               closes_at=opened + timedelta(hours=1), now=opened)

    votes.close_if_due(ballot=ballot, now=opened + timedelta(hours=2))

    # The secretary opened the ballot, but nobody closed it: they are told too.
    [decided] = told(cast.secretary, "decision.recorded")
    assert decided.actor_id is None
    assert decided.data["result"] == "no_quorum"


@pytest.fixture
def decided(make, cast):
    decision = make.decision(group=cast.group, title="Awards for villages")
    return db.session.get(Proposal, decision.proposal_id), decision


def new_commitment(cast, decision, make):
    today = site_date(utcnow())
    return commitments.create_commitment(
        decision=decision, actor=cast.secretary, title="Village awards each dry season",
        description="", lead_organisation=make.organisation(), supporters=[],
        start_date=today, due_date=today + timedelta(days=200), milestones=[], now=utcnow(),
    )


def test_a_commitment_tells_the_followers_of_the_decided_proposal_and_the_group(
    make, cast, decided
):
    proposal, decision = decided
    proposal_reader = follower(make, (P, proposal))
    group_reader = follower(make, (G, cast.group))
    elsewhere = follower(make, (P, proposal_in(make, ProposalState.OPEN, cast=cast)))

    commitment = new_commitment(cast, decision, make)

    for reader in (proposal_reader, group_reader):
        [notification] = told(reader)
        assert notification.event == "commitment.created"
        assert (notification.subject_type, notification.subject_id) == (
            "commitment", commitment.id)
        assert notification.data["title"] == "Village awards each dry season"
    assert told(elsewhere) == []


def test_progress_tells_the_commitment_followers_but_not_the_reporter(make, cast, decided):
    commitment = new_commitment(cast, decided[1], make)
    reader = follower(make, (C, commitment))
    group_reader = follower(make, (G, cast.group))
    services.follow(user=cast.secretary, kind=C, subject=commitment, now=utcnow())

    commitments.post_progress(
        commitment=commitment, author=cast.secretary, reported_on=site_date(utcnow()),
        completion=Completion.LIMITED, percent=30, status=CommitmentStatus.DELAYED,
        note="Criteria drafted.", reason="The budget came late.", evidence=[], now=utcnow(),
    )

    [notification] = told(reader)
    assert notification.event == "progress.posted"
    assert notification.data["percent"] == 30
    assert notification.data["status"] == "delayed"
    assert told(cast.secretary) == [] and told(group_reader) == []


def measure(scene, kpi, value: float, day: date):
    return kpis.record_measurement(
        kpi=kpi, actor=scene.contact, period_start=day, value=value, source="Report",
        evidence_url="https://example.org/report.pdf", now=utcnow(),
    )


def test_a_kpi_going_off_track_tells_its_followers_and_those_of_its_commitments(make):
    scene = Group(make)
    kpi = scene.kpi()  # lower is better: baseline 20, target 5
    kpi_reader = follower(make, (K, kpi))
    commitment_reader = follower(make, (C, scene.commitment))
    both = follower(make, (K, kpi), (C, scene.commitment))

    measure(scene, kpi, 4.0, date(2025, 1, 31))    # better than planned: on track
    assert told(kpi_reader) == []

    measure(scene, kpi, 25.0, date(2025, 2, 28))   # worse than the baseline: off track
    for reader in (kpi_reader, commitment_reader, both):
        [notification] = told(reader)
        assert notification.event == "kpi.off_track"
        assert (notification.subject_type, notification.subject_id) == ("kpi", kpi.id)
        assert notification.data == {"title": kpi.name_th, "title_en": kpi.name_en}
        assert notification.actor_id == scene.contact.id

    measure(scene, kpi, 26.0, date(2025, 3, 31))   # still off track: nothing new
    assert len(told(kpi_reader)) == 1


def test_a_derived_kpi_recomputed_off_track_tells_its_followers(make):
    scene = Group(make)
    here = station()
    kpi = scene.kpi(rule=Rule.PM25_MONTHLY_MEAN, station=here)  # no data yet
    reader = follower(make, (K, kpi))

    day_readings(here, date(2025, 1, 10), [60.0] * 24)
    kpis.recompute_derived()

    [notification] = told(reader, "kpi.off_track")
    assert notification.actor_id is None


def test_notify_refuses_an_unknown_event(make):
    with pytest.raises(ValueError):
        services.notify(event="proposal.exploded", subject_type="proposal", subject_id=1,
                        audiences=[], actor=None, data={}, now=utcnow())
    assert db.session.scalar(sa.select(sa.func.count(Notification.id))) == 0
