"""Rows the KPI tests share: stations with hourly readings by Bangkok day, districts with
hotspots, a working group with its managers, owners and commitments, and KPIs."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time, timedelta
from itertools import count
from typing import Any
from zoneinfo import ZoneInfo

from participation.commitments.models import Commitment
from participation.core.models import utcnow
from participation.environment.models import District, Hotspot, Reading, Station
from participation.extensions import db
from participation.groups.models import SeatRole
from participation.kpis import services
from participation.kpis.models import Direction, Kpi, Rule

BANGKOK = ZoneInfo("Asia/Bangkok")
_serial = count(1)


def bangkok(day: date, hour: int = 0, minute: int = 0) -> datetime:
    """A Bangkok wall-clock moment as an aware UTC datetime."""
    return datetime.combine(day, time(hour, minute), tzinfo=BANGKOK).astimezone(UTC)


def station(code: str | None = None) -> Station:
    made = Station(code=code or f"t{next(_serial)}", name_th="สถานีทดสอบ", name_en="Test station")
    db.session.add(made)
    db.session.flush()
    return made


def district(code: str | None = None) -> District:
    made = District(code=code or f"9{next(_serial):03d}", name_th="อำเภอทดสอบ",
                    name_en="Test district", boundary=[])
    db.session.add(made)
    db.session.flush()
    return made


def day_readings(where: Station, day: date, values: list[float], *, first_hour: int = 0) -> None:
    """Hourly readings of one Bangkok day: value i covers the hour from first_hour + i, stamped
    (as Air4Thai does) with the end of its hour."""
    for i, value in enumerate(values):
        end = bangkok(day) + timedelta(hours=first_hour + i + 1)
        db.session.add(Reading(station_id=where.id, measured_at=end, pm25=value))
    db.session.flush()


def hotspot(at: datetime, where: District | None = None) -> Hotspot:
    n = next(_serial)
    made = Hotspot(latitude=18.0 + n / 10_000, longitude=99.5, detected_at=at,
                   satellite="N20", instrument="VIIRS", district_id=where.id if where else None)
    db.session.add(made)
    db.session.flush()
    return made


DEFINITION_FIELDS = {field.name for field in dataclasses.fields(services.KpiDefinition)}

class Group:
    """A working group with a chair, a secretary and a member; two owner agencies with a
    contact each; a commitment of the group and one of another group."""

    def __init__(self, make) -> None:
        self.make = make
        self.group = make.group()
        self.chair = make.member(self.group, role=SeatRole.CHAIR)
        self.secretary = make.member(self.group, role=SeatRole.SECRETARY)
        self.member = make.member(self.group)
        self.owner = make.organisation(name_en="Provincial Natural Resources Office")
        self.other = make.organisation(name_en="Lampang Municipality")
        self.contact = make.agency_contact(self.owner)
        self.other_contact = make.agency_contact(self.other)
        self.commitment = commitment(make, self.group, "Daily dust forecasts")
        other_group = make.group()
        self.foreign_commitment = commitment(make, other_group, "Elsewhere")

    def kpi(self, **overrides: Any) -> Kpi:
        """A KPI of the group defined by its secretary; `overrides` name any argument of
        create_kpi or field of the definition."""
        arguments: dict[str, Any] = dict(group=self.group, actor=self.secretary, now=utcnow())
        definition = dict(
            name_th="จำนวนวันที่ฝุ่นเกินมาตรฐาน",
            name_en="Days above the PM2.5 standard", description="Per **month**.",
            unit_th="วัน", unit_en="days", direction=Direction.LOWER, baseline_value=20.0,
            baseline_start=date(2024, 1, 1), baseline_end=date(2024, 12, 31),
            target_value=5.0, target_date=date(2027, 12, 31), rule=Rule.MANUAL,
            owners=[self.owner], commitments=[self.commitment],
        )
        for name, value in overrides.items():
            (definition if name in DEFINITION_FIELDS else arguments)[name] = value
        return services.create_kpi(
            definition=services.KpiDefinition(**definition), **arguments
        )


def commitment(make, group, title: str) -> Commitment:
    decision = make.decision(group=group, title=title)
    made = Commitment(
        decision_id=decision.id, group_id=group.id, title=title, description="",
        lead_organisation_id=make.organisation().id, start_date=date(2025, 1, 1),
        due_date=date(2027, 12, 31),
    )
    db.session.add(made)
    db.session.flush()
    return made
