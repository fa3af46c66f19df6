"""A small world with at least one public row in every open dataset, and rows that must never
be published (a draft, an open ballot's vote, a secret ballot's choices, volunteers' names,
e-mail addresses)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from participation.accountability.models import Checkpoint
from participation.accountability.services import record
from participation.accountability.signing import (
    public_key_text,
    sign,
    statement_bytes,
    statement_time,
)
from participation.accounts.models import Sector
from participation.accounts.sectors import count_by_sector
from participation.answers.models import Answer, AnswerState
from participation.comments.models import Comment, Stance
from participation.commitments.models import (
    Commitment,
    CommitmentStatus,
    Completion,
    Milestone,
    ProgressUpdate,
)
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
from participation.extensions import db
from participation.kpis.models import Direction, Kpi, Measurement, Rule, kpi_commitments, kpi_owners
from participation.proposals.models import ProposalState, Support
from participation.volunteering.models import Signup, SignupStatus, VolunteerTask
from participation.votes.models import BallotKind, BallotResult, Vote, VoteChoice

NOW = datetime(2026, 3, 1, 3, 0, tzinfo=UTC)
SECRET_EMAIL = "private.person@example.org"
# Names that must never appear in any download.
VOLUNTEER_NAMES = ("Volunteer Confirmed", "Volunteer Waiting", "Volunteer Withdrawn")
SECRET_REASONS = ("Secret reason words", "Secret block reason")
RING = [[99.4, 18.2], [99.6, 18.2], [99.6, 18.4], [99.4, 18.4], [99.4, 18.2]]


@dataclass
class Scene:
    proposal_id: int
    draft_id: int
    station_id: int
    reading_ids: list[int]
    hotspot_id: int
    district_id: int
    open_ballot_id: int
    closed_ballot_id: int
    secret_ballot_id: int
    decision_id: int
    secret_decision_id: int
    deputy_id: int
    late_proposal_id: int
    commitment_id: int
    task_id: int
    checkpoint_key: str


def build(make) -> Scene:
    """Create one or more rows in every dataset; return the ids tests look for."""
    group = make.group()
    members = [make.member(group, sector=sector)
               for sector in (Sector.GOVERNMENT, Sector.CIVIL_SOCIETY, Sector.PRIVATE)]
    author = make.user(email=SECRET_EMAIL, display_name="สมหญิง ใจดี")
    proposal = make.proposal(group=group, author=author, title="ลดการเผาในที่โล่ง")
    draft = make.proposal(group=group, state=ProposalState.DRAFT, title="Secret draft")

    commenter = make.user(display_name="Commenter One")
    first = Comment(proposal_id=proposal.id, author_id=commenter.id, body="เห็นด้วย, \"มาก\"\n",
                    stance=Stance.FOR)
    db.session.add(first)
    db.session.flush()
    db.session.add_all([
        Comment(proposal_id=proposal.id, author_id=commenter.id, parent_id=first.id,
                body="Removed words", stance=Stance.AGAINST, deleted_at=NOW),
        Comment(proposal_id=proposal.id, author_id=members[1].id, body="ไม่เห็นด้วย",
                stance=Stance.AGAINST),
        Comment(proposal_id=draft.id, author_id=commenter.id, body="On a draft",
                stance=Stance.FOR),
        Support(proposal_id=proposal.id, user_id=commenter.id),
        Support(proposal_id=proposal.id, user_id=members[0].id),
        Support(proposal_id=draft.id, user_id=members[1].id),
    ])

    late = make.proposal(group=group, state=ProposalState.UNDER_CONSIDERATION)
    open_ballot = make.ballot(late)
    seats = group.seats
    make.vote(seats[0], ballot=open_ballot, choice=VoteChoice.NO)
    deputy = make.user(display_name="ผู้แทน ภาคเอกชน")
    seats[2].deputy_id = deputy.id
    decision = make.decision(group=group, title="ห้ามเผา", yes=2, no=1, now=NOW)
    decision.tally_by_sector = count_by_sector([
        (Sector.GOVERNMENT, VoteChoice.YES, 1), (Sector.CIVIL_SOCIETY, VoteChoice.YES, 1),
        (Sector.PRIVATE, VoteChoice.NO, 1),
    ])
    votes = [
        make.vote(seat, ballot=decision.ballot, choice=choice)
        for seat, choice in zip(seats, (VoteChoice.YES, VoteChoice.YES, VoteChoice.NO),
                                strict=True)
    ]
    votes[0].reason = "ช่วยลดฝุ่น"
    votes[2].voter_id = deputy.id

    secret = make.decision(group=group, title="Secret consent", yes=1, no=0, now=NOW)
    secret.block_count = 1
    secret.tally_by_sector = count_by_sector([
        (Sector.GOVERNMENT, VoteChoice.YES, 1), (Sector.CIVIL_SOCIETY, VoteChoice.BLOCK, 1),
    ])
    secret.ballot.secret = True
    secret.ballot.kind = BallotKind.CONSENT
    secret.ballot.sector_quorum = {"civil_society": 1}
    db.session.add_all(
        Vote(ballot_id=secret.ballot_id, seat_id=seat.id, voter_id=seat.holder_id,
             choice=choice, reason=reason)
        for seat, choice, reason in zip(seats, (VoteChoice.YES, VoteChoice.BLOCK),
                                        SECRET_REASONS, strict=False)
    )

    lead = make.organisation()
    proposal.agency_id = lead.id
    proposal.answer_due_on = date(2026, 3, 31)
    late.answer_due_on = date(2026, 2, 1)
    secretary = make.user(display_name="Secretary")
    db.session.add_all([
        Answer(proposal_id=proposal.id, state=AnswerState.ACCEPTED,
               body="รับไว้พิจารณา", answered_by_id=secretary.id, organisation_id=lead.id,
               answered_at=NOW, answered_on=date(2026, 3, 1), due_on=date(2026, 3, 31)),
        Answer(proposal_id=late.id, state=AnswerState.REFERRED, referred_to_id=lead.id,
               body="Referred to the agency", answered_by_id=secretary.id,
               answered_at=NOW, answered_on=date(2026, 3, 1), due_on=date(2026, 2, 1)),
    ])
    commitment = Commitment(
        decision_id=decision.id, group_id=group.id, title="รางวัลหมู่บ้านปลอดการเผา",
        lead_organisation_id=lead.id, start_date=date(2026, 1, 1), due_date=date(2026, 9, 30),
        completion=Completion.LIMITED, percent=40, status=CommitmentStatus.ON_TRACK,
    )
    db.session.add(commitment)
    db.session.flush()
    contact = make.agency_contact(lead)
    update = ProgressUpdate(
        commitment_id=commitment.id, author_id=contact.id, reported_on=date(2026, 2, 1),
        completion=Completion.LIMITED, percent=40, status=CommitmentStatus.ON_TRACK,
        note="Criteria published", evidence=["https://example.org/criteria.pdf"],
    )
    task = VolunteerTask(
        commitment_id=commitment.id, title="เฝ้าระวังไฟป่า", description="Fire watch",
        place="บ้านแม่ทะ", starts_at=NOW + timedelta(days=3),
        ends_at=NOW + timedelta(days=3, hours=4), capacity=1, created_by_id=contact.id,
    )
    db.session.add_all([
        update, task,
        Milestone(commitment_id=commitment.id, title="Criteria", due_date=date(2026, 2, 1),
                  completion=Completion.COMPLETE, weight=Decimal("0.250")),
        Milestone(commitment_id=commitment.id, title="Awards", due_date=date(2026, 9, 30),
                  weight=Decimal("0.750")),
        Assessment(commitment_id=commitment.id, kind=AssessmentKind.SELF,
                   assessed_on=date(2026, 2, 15), completion=Completion.LIMITED,
                   opened_government=OpenedGovernment.MAJOR, explanation="On track",
                   author_id=contact.id, organisation_id=lead.id, created_at=NOW),
        Assessment(commitment_id=commitment.id, kind=AssessmentKind.INDEPENDENT,
                   assessed_on=date(2026, 2, 20), completion=Completion.LIMITED,
                   opened_government=OpenedGovernment.MARGINAL, explanation="Too slow",
                   author_id=members[1].id, created_at=NOW),
    ])
    db.session.flush()
    db.session.add_all([
        Review(update_id=update.id, reviewer_id=commenter.id, kind=ReviewKind.CONFIRM,
               comment="I saw the criteria", created_at=NOW),
        Review(update_id=update.id, reviewer_id=members[1].id, kind=ReviewKind.DISPUTE,
               comment="No village was told", evidence_url="https://example.org/photo.jpg",
               answer_due_on=date(2026, 3, 15), answer="We told them on radio",
               answered_by_id=contact.id, answered_at=NOW, created_at=NOW),
        *(
            Signup(task_id=task.id, user_id=make.user(display_name=name).id, status=status,
                   queued_at=NOW + timedelta(minutes=n))
            for n, (name, status) in enumerate(zip(
                VOLUNTEER_NAMES,
                (SignupStatus.CONFIRMED, SignupStatus.WAITING, SignupStatus.WITHDRAWN),
                strict=True,
            ))
        ),
    ])

    record(actor=author, verb="proposal.opened", subject_type="proposal",
           subject_id=proposal.id, data={"from": "draft", "to": "open"}, now=NOW)
    record(actor=None, verb="ballot.closed", subject_type="ballot",
           subject_id=decision.ballot_id, data={"result": BallotResult.ADOPTED.value,
                                                "tally": {"yes": 2, "no": 1, "abstain": 0}},
           now=NOW + timedelta(microseconds=123))

    station = Station(code="37t", name_th="สถานีอุตุนิยมวิทยาลำปาง",
                      name_en="Lampang Meteorological Station", area_th="ต.พระบาท อ.เมือง",
                      area_en="Phrabat, Mueang", latitude=18.27, longitude=99.50)
    other = Station(code="38t", name_th="สบป้าด", name_en="Sop Pat")
    district = District(code="5201", name_th="เมืองลำปาง", name_en="Mueang Lampang",
                        boundary=RING)
    data_import = DataImport(kind=DataKind.AIR, filename="air.csv", sha256="a" * 64,
                             actor_id=members[0].id, new_rows=3, created_at=NOW)
    db.session.add_all([station, other, district, data_import])
    db.session.flush()
    readings = [
        Reading(station_id=station.id, measured_at=NOW + timedelta(hours=h), pm25=40.5 + h,
                import_id=data_import.id)
        for h in range(3)
    ] + [Reading(station_id=other.id, measured_at=NOW, pm25=0.0)]
    hotspot = Hotspot(latitude=18.3, longitude=99.5, detected_at=NOW, satellite="N",
                      instrument="VIIRS", confidence="n", version="2.0NRT", brightness=330.5,
                      brightness_2=290.1, scan=0.39, track=0.36, frp=4.2, daynight="D",
                      district_id=district.id)
    db.session.add_all([*readings, hotspot])
    db.session.flush()

    kpi = Kpi(group_id=group.id, name_th="วันฝุ่นเกินมาตรฐาน", name_en="Days above standard",
              unit_th="วัน", unit_en="days", direction=Direction.LOWER, baseline_value=20,
              baseline_start=date(2024, 1, 1), baseline_end=date(2024, 12, 31),
              target_value=5, target_date=date(2027, 12, 31),
              rule=Rule.PM25_DAYS_ABOVE_STANDARD, station_id=station.id)
    db.session.add(kpi)
    db.session.flush()
    db.session.execute(kpi_owners.insert(), [{"kpi_id": kpi.id, "organisation_id": lead.id}])
    db.session.execute(kpi_commitments.insert(), [{"kpi_id": kpi.id,
                                                   "commitment_id": commitment.id}])
    db.session.add(Measurement(kpi_id=kpi.id, period_start=date(2026, 3, 1), value=12,
                               derived=True, source="pm25-readings"))

    key = Ed25519PrivateKey.generate()
    head = "b" * 64
    db.session.add(Checkpoint(
        entry_count=2, head_hash=head, created_at=NOW, public_key=public_key_text(key.public_key()),
        signature=sign(key, statement_bytes(entries=2, head=head, time=statement_time(NOW))),
    ))
    db.session.flush()
    return Scene(
        proposal_id=proposal.id, draft_id=draft.id, station_id=station.id,
        reading_ids=[r.id for r in readings], hotspot_id=hotspot.id, district_id=district.id,
        open_ballot_id=open_ballot.id, closed_ballot_id=decision.ballot_id,
        secret_ballot_id=secret.ballot_id, decision_id=decision.id,
        secret_decision_id=secret.id, deputy_id=deputy.id, late_proposal_id=late.id,
        commitment_id=commitment.id, task_id=task.id,
        checkpoint_key=public_key_text(key.public_key()),
    )
