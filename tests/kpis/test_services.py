"""Creating and editing KPIs, recording values by hand, recomputing derived values."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from participation.accountability.models import LogEntry
from participation.core.errors import DomainError, NotAllowed
from participation.core.models import utcnow
from participation.environment.models import Reading
from participation.extensions import db
from participation.kpis import services
from participation.kpis.models import Direction, Kpi, Measurement, Rule
from participation.kpis.services import recompute_derived
from tests.kpis.scene import (
    DEFINITION_FIELDS,
    Group,
    bangkok,
    day_readings,
    district,
    hotspot,
    station,
)
from tests.rows import count_rows

JAN, FEB, MAR = date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1)


@pytest.fixture
def scene(make):
    return Group(make)


def entries(verb: str, kpi: Kpi) -> list[LogEntry]:
    return list(db.session.scalars(
        sa.select(LogEntry).where(LogEntry.verb == verb, LogEntry.subject_id == kpi.id,
                                  LogEntry.subject_type == "kpi").order_by(LogEntry.id)
    ))


def measurements(kpi: Kpi) -> dict[date, float]:
    rows = db.session.scalars(sa.select(Measurement).where(Measurement.kpi_id == kpi.id))
    return {m.period_start: m.value for m in rows}


def record(scene, kpi, **overrides):
    arguments = dict(kpi=kpi, actor=scene.contact, period_start=date(2025, 6, 30), value=12.0,
                     source="Provincial report Q2", evidence_url="https://example.org/q2.pdf",
                     now=utcnow())
    arguments.update(overrides)
    return services.record_measurement(**arguments)


# Creating


def test_creating_a_kpi_stores_it_with_owners_and_commitments_and_logs_it(scene):
    kpi = scene.kpi()
    assert kpi.name_th == "จำนวนวันที่ฝุ่นเกินมาตรฐาน"
    assert kpi.direction is Direction.LOWER
    assert [o.id for o in kpi.owners] == [scene.owner.id]
    assert [c.id for c in kpi.commitments] == [scene.commitment.id]
    [entry] = entries("kpi.created", kpi)
    assert entry.actor_id == scene.secretary.id
    assert entry.data["owner_ids"] == [scene.owner.id]
    assert entry.data["commitment_ids"] == [scene.commitment.id]
    assert entry.data["rule"] == "manual"
    assert entry.data["target_date"] == "2027-12-31"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name_th": "   "}, "name_th"),
        ({"unit_th": ""}, "unit_th"),
        ({"baseline_end": date(2023, 12, 31)}, "baseline_end"),
        ({"target_date": date(2024, 12, 31)}, "target_date"),
        ({"baseline_value": float("nan")}, "baseline_value"),
        ({"target_value": "many"}, "target_value"),
        ({"direction": "sideways"}, "direction"),
        ({"rule": "guesswork"}, "rule"),
    ],
)
def test_a_kpi_with_a_bad_field_is_refused_and_nothing_is_stored(scene, overrides, field):
    with pytest.raises(DomainError) as refused:
        scene.kpi(**overrides)
    assert refused.value.field == field
    assert count_rows(Kpi) == 0


def test_owners_must_be_organisations(scene):
    with pytest.raises(DomainError) as refused:
        scene.kpi(owners=[scene.contact])
    assert refused.value.field == "owners"


def test_commitments_of_another_group_are_refused(scene):
    with pytest.raises(DomainError) as refused:
        scene.kpi(commitments=[scene.commitment, scene.foreign_commitment])
    assert refused.value.field == "commitments"
    assert count_rows(Kpi) == 0


@pytest.mark.parametrize("who", ["member", "contact"])
def test_only_the_secretariat_chair_or_an_admin_defines_kpis(scene, make, who):
    with pytest.raises(NotAllowed):
        scene.kpi(actor=getattr(scene, who))
    assert scene.kpi(actor=scene.chair).id
    assert scene.kpi(actor=make.user(is_admin=True)).id


def test_a_derived_kpi_gets_its_measurements_when_created(scene):
    here = station()
    day_readings(here, date(2025, 1, 10), [60.0] * 24)
    day_readings(here, date(2025, 2, 10), [20.0] * 24)
    kpi = scene.kpi(rule=Rule.PM25_DAYS_ABOVE_STANDARD, station=here, district=district())
    assert kpi.district_id is None            # a PM2.5 rule keeps only its station
    assert measurements(kpi) == {JAN: 1.0, FEB: 0.0}
    rows = db.session.scalars(sa.select(Measurement).where(Measurement.kpi_id == kpi.id)).all()
    assert all(m.derived and m.source == "derived: pm25_days_above_standard" for m in rows)
    assert all(m.author_id is None for m in rows)


# Editing


def edit(scene, kpi, **overrides):
    arguments = dict(kpi=kpi, actor=scene.secretary, now=utcnow())
    definition = dict(
        name_th=kpi.name_th, name_en=kpi.name_en,
        description=kpi.description, unit_th=kpi.unit_th, unit_en=kpi.unit_en,
        direction=kpi.direction, baseline_value=kpi.baseline_value,
        baseline_start=kpi.baseline_start, baseline_end=kpi.baseline_end,
        target_value=kpi.target_value, target_date=kpi.target_date, rule=kpi.rule,
        station=kpi.station, district=kpi.district, owners=list(kpi.owners),
        commitments=list(kpi.commitments),
    )
    for name, value in overrides.items():
        (definition if name in DEFINITION_FIELDS else arguments)[name] = value
    return services.edit_kpi(definition=services.KpiDefinition(**definition), **arguments)


def test_editing_logs_the_names_of_the_changed_fields(scene):
    kpi = scene.kpi()
    edit(scene, kpi, target_value=4.0, name_en="Smoky days", owners=[scene.owner, scene.other])
    [entry] = entries("kpi.edited", kpi)
    assert sorted(entry.data["changed"]) == ["name_en", "owners", "target_value"]
    assert kpi.target_value == 4.0
    assert {o.id for o in kpi.owners} == {scene.owner.id, scene.other.id}


def test_an_edit_that_changes_nothing_writes_no_log_entry(scene):
    kpi = scene.kpi()
    edit(scene, kpi)
    assert entries("kpi.edited", kpi) == []


def test_an_edit_is_checked_like_a_new_kpi(scene):
    kpi = scene.kpi()
    with pytest.raises(DomainError) as refused:
        edit(scene, kpi, target_date=kpi.baseline_end)
    assert refused.value.field == "target_date"
    with pytest.raises(NotAllowed):
        edit(scene, kpi, actor=scene.member, name_en="Mine")


def test_changing_the_scope_of_a_derived_kpi_recomputes_it(scene):
    smoky, clean = station(), station()
    day_readings(smoky, date(2025, 1, 10), [60.0] * 24)
    day_readings(clean, date(2025, 3, 10), [10.0] * 24)
    kpi = scene.kpi(rule=Rule.PM25_MONTHLY_MEAN, station=smoky)
    assert measurements(kpi) == {JAN: 60.0}
    edit(scene, kpi, station=clean)
    assert measurements(kpi) == {MAR: 10.0}
    edit(scene, kpi, rule=Rule.MANUAL)
    assert measurements(kpi) == {}


def test_a_kpi_with_values_entered_by_hand_cannot_become_derived(scene):
    kpi = scene.kpi()
    record(scene, kpi)
    with pytest.raises(DomainError) as refused:
        edit(scene, kpi, rule=Rule.HOTSPOTS_PER_MONTH)
    assert refused.value.field == "rule"


# Recording values by hand


def test_recording_a_value_stores_it_and_logs_value_period_source_and_evidence(scene):
    kpi = scene.kpi()
    measurement = record(scene, kpi)
    assert measurement.author_id == scene.contact.id
    assert measurement.derived is False
    assert measurements(kpi) == {date(2025, 6, 30): 12.0}
    [entry] = entries("kpi.measurement_recorded", kpi)
    assert entry.data == {
        "measurement_id": measurement.id, "period_start": "2025-06-30", "value": 12.0,
        "source": "Provincial report Q2", "evidence_url": "https://example.org/q2.pdf",
    }


def test_a_second_value_for_the_same_period_is_refused_with_a_clear_message(scene):
    kpi = scene.kpi()
    record(scene, kpi)
    with pytest.raises(DomainError) as refused:
        record(scene, kpi, value=9.0)
    assert refused.value.field == "period_start"
    assert "already recorded" in refused.value.message
    assert measurements(kpi) == {date(2025, 6, 30): 12.0}


def test_a_derived_kpi_refuses_values_entered_by_hand(scene):
    kpi = scene.kpi(rule=Rule.HOTSPOTS_PER_MONTH)
    with pytest.raises(DomainError, match="derived"):
        record(scene, kpi, actor=scene.secretary)
    assert count_rows(Measurement) == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"evidence_url": "javascript:alert(1)"}, "evidence_url"),
        ({"evidence_url": "ftp://example.org/report"}, "evidence_url"),
        ({"evidence_url": ""}, "evidence_url"),
        ({"source": "  "}, "source"),
        ({"value": float("inf")}, "value"),
        ({"period_start": date.today() + timedelta(days=3)}, "period_start"),
    ],
)
def test_a_value_with_bad_details_is_refused(scene, overrides, field):
    kpi = scene.kpi()
    with pytest.raises(DomainError) as refused:
        record(scene, kpi, **overrides)
    assert refused.value.field == field
    assert count_rows(Measurement) == 0


def test_who_records_values(scene, make):
    kpi = scene.kpi()
    for who in (scene.member, scene.other_contact, make.user(organisation=scene.owner)):
        with pytest.raises(NotAllowed):
            record(scene, kpi, actor=who)
    for day, who in enumerate((scene.contact, scene.secretary, scene.chair), start=1):
        record(scene, kpi, actor=who, period_start=date(2025, 1, day))
    assert len(measurements(kpi)) == 3


# Recomputing


def test_recompute_adds_new_months_and_is_idempotent(scene):
    here = station()
    day_readings(here, date(2025, 1, 10), [60.0] * 24)
    kpi = scene.kpi(rule=Rule.PM25_MONTHLY_MEAN, station=here)
    hotspots = scene.kpi(rule=Rule.HOTSPOTS_PER_MONTH)
    manual = scene.kpi()
    assert measurements(kpi) == {JAN: 60.0}

    day_readings(here, date(2025, 2, 10), [30.0] * 24)
    hotspot(bangkok(date(2025, 2, 3), 14))
    assert recompute_derived(since=date(2025, 2, 10)) == 2
    assert measurements(kpi) == {JAN: 60.0, FEB: 30.0}
    assert measurements(hotspots) == {FEB: 1.0}
    assert measurements(manual) == {}

    before = db.session.execute(
        sa.select(Measurement.id, Measurement.value, Measurement.updated_at)
        .order_by(Measurement.id)
    ).all()
    assert recompute_derived() == 0
    assert recompute_derived(since=date(2025, 1, 1)) == 0
    after = db.session.execute(
        sa.select(Measurement.id, Measurement.value, Measurement.updated_at)
        .order_by(Measurement.id)
    ).all()
    assert after == before


def test_recompute_updates_changed_months_and_removes_months_without_data(scene):
    here = station()
    day_readings(here, date(2025, 1, 10), [60.0] * 24)
    day_readings(here, date(2025, 2, 10), [30.0] * 24)
    day_readings(here, date(2025, 3, 10), [30.0] * 24)
    kpi = scene.kpi(rule=Rule.PM25_MONTHLY_MEAN, station=here)

    db.session.execute(sa.delete(Reading).where(Reading.measured_at >= bangkok(MAR)))
    day_readings(here, date(2025, 2, 11), [10.0] * 24)
    db.session.execute(sa.delete(Reading).where(Reading.measured_at < bangkok(FEB)))
    assert recompute_derived(since=FEB) == 1
    # January is before `since`: left as it was. February changed, March has no data left.
    assert measurements(kpi) == {JAN: 60.0, FEB: 20.0}
    recompute_derived()
    assert measurements(kpi) == {FEB: 20.0}


def test_recompute_with_no_derived_kpis_writes_nothing(scene):
    scene.kpi()
    assert recompute_derived() == 0


def test_recompute_since_a_moment_starts_at_the_bangkok_month_it_falls_in(scene):
    here = station()
    day_readings(here, date(2025, 1, 31), [60.0] * 24)
    kpi = scene.kpi(rule=Rule.PM25_MONTHLY_MEAN, station=here)
    day_readings(here, date(2025, 2, 1), [30.0] * 24)
    db.session.execute(sa.delete(Reading).where(Reading.measured_at <= bangkok(FEB)))
    # 31 January 20:00 UTC is 1 February 03:00 in Bangkok: January is not recomputed, so it
    # keeps its value although its readings are gone.
    assert recompute_derived(since=bangkok(date(2025, 2, 1), 3)) == 1
    assert measurements(kpi) == {JAN: 60.0, FEB: 30.0}
