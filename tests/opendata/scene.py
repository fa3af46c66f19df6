"""A small world with at least one public row in every open dataset, and rows that must never
be published (a draft, an open ballot's vote, e-mail addresses)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from participation.accountability.services import record
from participation.comments.models import Comment, Stance
from participation.commitments.models import (
    Commitment,
    CommitmentStatus,
    Completion,
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
from participation.extensions import db
from participation.kpis.models import Direction, Kpi, Measurement, Rule, kpi_commitments, kpi_owners
from participation.proposals.models import ProposalState, Support
from participation.votes.models import BallotResult, VoteChoice

NOW = datetime(2026, 3, 1, 3, 0, tzinfo=UTC)
SECRET_EMAIL = "private.person@example.org"
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


def build(make) -> Scene:
    """Create one or more rows in every dataset; return the ids tests look for."""
    group = make.group()
    members = [make.member(group) for _ in range(3)]
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
                body="Removed words", deleted_at=NOW),
        Comment(proposal_id=draft.id, author_id=commenter.id, body="On a draft"),
        Support(proposal_id=proposal.id, user_id=commenter.id),
        Support(proposal_id=proposal.id, user_id=members[0].id),
    ])

    open_ballot = make.ballot(make.proposal(group=group, state=ProposalState.UNDER_CONSIDERATION))
    seats = group.seats
    make.vote(seats[0], ballot=open_ballot, choice=VoteChoice.NO)
    decision = make.decision(group=group, title="ห้ามเผา", yes=2, no=1, now=NOW)
    for seat, choice in zip(seats, (VoteChoice.YES, VoteChoice.YES, VoteChoice.NO), strict=True):
        make.vote(seat, ballot=decision.ballot, choice=choice)

    lead = make.organisation()
    commitment = Commitment(
        decision_id=decision.id, group_id=group.id, title="รางวัลหมู่บ้านปลอดการเผา",
        lead_organisation_id=lead.id, start_date=date(2026, 1, 1), due_date=date(2026, 9, 30),
        completion=Completion.LIMITED, percent=40, status=CommitmentStatus.ON_TRACK,
    )
    db.session.add(commitment)
    db.session.flush()
    contact = make.agency_contact(lead)
    db.session.add(ProgressUpdate(
        commitment_id=commitment.id, author_id=contact.id, reported_on=date(2026, 2, 1),
        completion=Completion.LIMITED, percent=40, status=CommitmentStatus.ON_TRACK,
        note="Criteria published", evidence=["https://example.org/criteria.pdf"],
    ))

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
    db.session.flush()
    return Scene(
        proposal_id=proposal.id, draft_id=draft.id, station_id=station.id,
        reading_ids=[r.id for r in readings], hotspot_id=hotspot.id, district_id=district.id,
        open_ballot_id=open_ballot.id, closed_ballot_id=decision.ballot_id,
    )
