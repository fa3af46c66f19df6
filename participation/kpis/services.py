"""Create and edit KPIs, record measurements entered by hand, recompute derived ones."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from participation.accountability.services import LOG_LOCK_KEY, record
from participation.accounts.models import Organisation, User
from participation.commitments.models import Commitment
from participation.commitments.services import URL_MAX, is_web_address
from participation.core.db import lock_for_append
from participation.core.errors import DomainError, NotAllowed
from participation.core.i18n import format_date, site_date
from participation.core.models import apply_changes, utcnow
from participation.environment.models import District, Station
from participation.extensions import db
from participation.groups.models import WorkingGroup
from participation.kpis.models import Direction, Kpi, Measurement, Rule
from participation.kpis.permissions import can_manage_kpis, can_record_measurement
from participation.kpis.rules import RuleData, month_start
from participation.notifications import services as notifications

NAME_MAX = 300
UNIT_MAX = 50
SOURCE_MAX = 300
EVIDENCE_MAX = 500
# Larger than any KPI needs, small enough for every engine's float to hold exactly enough.
VALUE_MAX = 1e12
# Monthly means are kept to 0.01 (µg/m³); counts are whole numbers anyway.
DERIVED_DECIMALS = 2


class InvalidKpi(DomainError):
    """A KPI field the rules refuse."""


class MeasurementRefused(DomainError):
    """A measurement the rules refuse: derived KPI, duplicate period, bad value or link."""


def _text(value: str | None, *, field: str, limit: int, required: str | None = None) -> str:
    value = " ".join((value or "").split())
    if required and not value:
        raise InvalidKpi(required, field=field)
    if len(value) > limit:
        raise InvalidKpi(_("Use at most %(count)d characters.", count=limit), field=field)
    return value


def _number(value: Any, *, field: str, error: type[DomainError] = InvalidKpi) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise error(_("Enter a number."), field=field) from None
    if not math.isfinite(number) or abs(number) > VALUE_MAX:
        raise error(_("Enter a number."), field=field)
    return number


@dataclass(frozen=True)
class KpiDefinition:
    """What the secretariat states about a KPI, as given: `_fields` checks it."""

    name_th: str
    name_en: str
    description: str
    unit_th: str
    unit_en: str
    direction: Direction | str
    baseline_value: float
    baseline_start: date
    baseline_end: date
    target_value: float
    target_date: date
    rule: Rule | str
    station: Station | None = None
    district: District | None = None
    owners: Sequence[Organisation] = ()
    commitments: Sequence[Commitment] = ()


def _fields(d: KpiDefinition) -> dict[str, Any]:
    """Check every field of a KPI definition; return the column values to store."""
    baseline_start, baseline_end, target_date = d.baseline_start, d.baseline_end, d.target_date
    try:
        direction = Direction(d.direction)
    except ValueError:
        raise InvalidKpi(_("Choose whether lower or higher is better."), field="direction") from None
    try:
        rule = Rule(d.rule)
    except ValueError:
        raise InvalidKpi(_("Choose how the values are measured."), field="rule") from None
    description = (d.description or "").strip()
    if len(description) > current_app.config["MAX_BODY_LENGTH"]:
        raise InvalidKpi(_("The text is too long."), field="description")
    for name, value in (("baseline_start", baseline_start), ("baseline_end", baseline_end),
                        ("target_date", target_date)):
        if not isinstance(value, date):
            raise InvalidKpi(_("Enter a date."), field=name)
    if baseline_end < baseline_start:
        raise InvalidKpi(
            _("The baseline period cannot end before it starts."), field="baseline_end"
        )
    if target_date <= baseline_end:
        raise InvalidKpi(
            _("The target date must come after the end of the baseline period."),
            field="target_date",
        )
    # Only the scope the rule reads is kept: a station for PM2.5, a district for hotspots.
    pm25 = rule in (Rule.PM25_DAYS_ABOVE_STANDARD, Rule.PM25_MONTHLY_MEAN)
    return {
        "name_th": _text(d.name_th, field="name_th", limit=NAME_MAX,
                         required=_("Enter the Thai name.")),
        "name_en": _text(d.name_en, field="name_en", limit=NAME_MAX),
        "description": description,
        "unit_th": _text(d.unit_th, field="unit_th", limit=UNIT_MAX,
                         required=_("Enter the unit in Thai.")),
        "unit_en": _text(d.unit_en, field="unit_en", limit=UNIT_MAX),
        "direction": direction,
        "baseline_value": _number(d.baseline_value, field="baseline_value"),
        "baseline_start": baseline_start,
        "baseline_end": baseline_end,
        "target_value": _number(d.target_value, field="target_value"),
        "target_date": target_date,
        "rule": rule,
        "station_id": d.station.id if pm25 and d.station is not None else None,
        "district_id": (
            d.district.id if rule is Rule.HOTSPOTS_PER_MONTH and d.district else None
        ),
    }


def _check_links(group_id: int, owners: Sequence[Any], commitments: Sequence[Any]) -> None:
    if not all(isinstance(owner, Organisation) for owner in owners):
        raise InvalidKpi(_("Owners must be organisations."), field="owners")
    if not all(isinstance(c, Commitment) and c.group_id == group_id for c in commitments):
        raise InvalidKpi(
            _("Only commitments of the KPI's own working group can be linked."),
            field="commitments",
        )


def _unique(items: Iterable[Any]) -> list[Any]:
    return list({item.id: item for item in items}.values())


def _log_values(kpi: Kpi) -> dict[str, Any]:
    return {
        "group_id": kpi.group_id,
        "rule": kpi.rule.value,
        "direction": kpi.direction.value,
        "baseline_value": kpi.baseline_value,
        "baseline_start": kpi.baseline_start.isoformat(),
        "baseline_end": kpi.baseline_end.isoformat(),
        "target_value": kpi.target_value,
        "target_date": kpi.target_date.isoformat(),
        "station_id": kpi.station_id,
        "district_id": kpi.district_id,
        "owner_ids": sorted(org.id for org in kpi.owners),
        "commitment_ids": sorted(c.id for c in kpi.commitments),
    }


def create_kpi(
    *,
    group: WorkingGroup,
    actor: User | None,
    definition: KpiDefinition,
    now: datetime,
) -> Kpi:
    """Define a joint KPI of a working group; a derived one gets its measurements at once."""
    if actor is not None and not can_manage_kpis(actor, group.id):
        raise NotAllowed(_("Only the secretariat or the chair of the group can define its KPIs."))
    values = _fields(definition)
    owners, commitments = definition.owners, definition.commitments
    _check_links(group.id, owners, commitments)
    kpi = Kpi(group_id=group.id, created_at=now, updated_at=now, **values)
    kpi.owners = _unique(owners)
    kpi.commitments = _unique(commitments)
    db.session.add(kpi)
    db.session.flush()
    record(actor=actor, verb="kpi.created", subject_type="kpi", subject_id=kpi.id,
           data=_log_values(kpi), now=now)
    if kpi.rule.derived:
        _recompute([kpi], since=None, actor=actor, now=now)
    return kpi


def edit_kpi(
    *,
    kpi: Kpi,
    actor: User | None,
    definition: KpiDefinition,
    now: datetime,
) -> Kpi:
    """Change a KPI's definition; log the names of the fields that changed."""
    if actor is not None and not can_manage_kpis(actor, kpi.group_id):
        raise NotAllowed(_("Only the secretariat or the chair of the group can edit its KPIs."))
    values = _fields(definition)
    owners, commitments = definition.owners, definition.commitments
    _check_links(kpi.group_id, owners, commitments)
    new_rule = values["rule"]
    if new_rule.derived and not kpi.rule.derived:
        entered = db.session.scalar(
            sa.select(sa.func.count(Measurement.id)).where(
                Measurement.kpi_id == kpi.id, Measurement.derived.is_(False)
            )
        )
        if entered:
            raise InvalidKpi(
                _("This KPI has values entered by hand, so its values cannot become derived "
                  "from data. Create a new KPI instead."),
                field="rule",
            )
    scope_before = (kpi.rule, kpi.station_id, kpi.district_id)
    changed = apply_changes(kpi, values)
    owners, commitments = _unique(owners), _unique(commitments)
    if {o.id for o in kpi.owners} != {o.id for o in owners}:
        kpi.owners = owners
        changed.append("owners")
    if {c.id for c in kpi.commitments} != {c.id for c in commitments}:
        kpi.commitments = commitments
        changed.append("commitments")
    if not changed:
        return kpi
    kpi.updated_at = now
    db.session.flush()
    record(actor=actor, verb="kpi.edited", subject_type="kpi", subject_id=kpi.id,
           data={"changed": changed}, now=now)
    if (kpi.rule, kpi.station_id, kpi.district_id) != scope_before:
        if kpi.rule.derived:
            _recompute([kpi], since=None, actor=actor, now=now)
        else:
            db.session.execute(
                sa.delete(Measurement).where(
                    Measurement.kpi_id == kpi.id, Measurement.derived.is_(True)
                )
            )
            db.session.expire(kpi, ["measurements"])
    return kpi


def record_measurement(
    *,
    kpi: Kpi,
    actor: User,
    period_start: date,
    value: float,
    source: str,
    evidence_url: str,
    now: datetime,
) -> Measurement:
    """Record a value of a KPI entered by hand, with its source and evidence link."""
    if kpi.rule.derived:
        raise MeasurementRefused(
            _("The values of this KPI are derived from imported data; they cannot be entered "
              "by hand.")
        )
    if not can_record_measurement(actor, kpi):
        raise NotAllowed(
            _("Only the group's secretariat or chair, or a contact person of an owner agency, "
              "can record values of this KPI.")
        )
    if not isinstance(period_start, date):
        raise MeasurementRefused(_("Enter a date."), field="period_start")
    if period_start > site_date(now):
        raise MeasurementRefused(_("The date cannot be in the future."), field="period_start")
    value = _number(value, field="value", error=MeasurementRefused)
    source = " ".join((source or "").split())
    if not source:
        raise MeasurementRefused(_("Say where the value comes from."), field="source")
    if len(source) > SOURCE_MAX:
        raise MeasurementRefused(_("Use at most %(count)d characters.", count=SOURCE_MAX),
                                 field="source")
    evidence_url = (evidence_url or "").strip()
    if len(evidence_url) > min(EVIDENCE_MAX, URL_MAX) or not is_web_address(evidence_url):
        raise MeasurementRefused(
            _("Give the evidence as one web address starting with http:// or https://."),
            field="evidence_url",
        )
    duplicate = _("A value for %(period)s is already recorded. Each date has one value.",
                  period=format_date(period_start))
    exists = db.session.scalar(
        sa.select(Measurement.id).where(
            Measurement.kpi_id == kpi.id, Measurement.period_start == period_start
        )
    )
    if exists is not None:
        raise MeasurementRefused(duplicate, field="period_start")
    before = notifications.kpi_statuses([kpi], now=now)
    measurement = Measurement(
        kpi_id=kpi.id, period_start=period_start, value=value, derived=False, source=source,
        evidence_url=evidence_url, author_id=actor.id, created_at=now, updated_at=now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(measurement)
            db.session.flush()
    except IntegrityError:
        raise MeasurementRefused(duplicate, field="period_start") from None
    db.session.expire(kpi, ["measurements"])
    record(
        actor=actor,
        verb="kpi.measurement_recorded",
        subject_type="kpi",
        subject_id=kpi.id,
        data={
            "measurement_id": measurement.id,
            "period_start": period_start.isoformat(),
            "value": value,
            "source": source,
            "evidence_url": evidence_url,
        },
        now=now,
    )
    notifications.kpis_went_off_track(kpis=[kpi], before=before, actor=actor, now=now)
    return measurement


def derived_source(rule: Rule) -> str:
    return f"derived: {rule.value}"


def _recompute(
    kpis: Sequence[Kpi], *, since: date | None, actor: User | None = None,
    now: datetime | None = None,
) -> int:
    """Bring the derived measurements of these KPIs in line with the data from the month of
    `since` on (every month when None); return how many rows were inserted or changed. Tell
    the followers of a KPI that goes off track (as of `now`, default the present moment)."""
    kpis = [kpi for kpi in kpis if kpi.rule.derived]
    if not kpis:
        return 0
    now = now or utcnow()
    before = notifications.kpi_statuses(kpis, now=now)
    # Serialise recomputes (two imports at once) on PostgreSQL with the lock every log writer
    # takes already, so the two can never wait for each other in opposite orders.
    lock_for_append(LOG_LOCK_KEY)
    first = month_start(since) if since is not None else None
    data = RuleData(first)
    statement = sa.select(Measurement).where(Measurement.kpi_id.in_([k.id for k in kpis]))
    if first is not None:
        statement = statement.where(Measurement.period_start >= first)
    existing: dict[tuple[int, date], Measurement] = {
        (m.kpi_id, m.period_start): m for m in db.session.scalars(statement)
    }
    written = 0
    for kpi in kpis:
        values = data.values(kpi.rule, station_id=kpi.station_id, district_id=kpi.district_id)
        source = derived_source(kpi.rule)
        for month, raw in values.items():
            value = round(raw, DERIVED_DECIMALS)
            row = existing.pop((kpi.id, month), None)
            if row is None:
                db.session.add(Measurement(kpi_id=kpi.id, period_start=month, value=value,
                                           derived=True, source=source, evidence_url=""))
                written += 1
            elif row.derived and (row.value != value or row.source != source):
                row.value, row.source = value, source
                written += 1
    for row in existing.values():
        if row.derived:
            db.session.delete(row)
    db.session.flush()
    for kpi in kpis:
        db.session.expire(kpi, ["measurements"])
    notifications.kpis_went_off_track(kpis=kpis, before=before, actor=actor, now=now)
    return written


def recompute_derived(*, since: date | None = None, now: datetime | None = None) -> int:
    """Recompute every derived KPI's monthly measurements from the month of `since` (a local
    date) on, or all months when None: add and update months with data, delete months that
    no longer have any. Return the number of measurements inserted or changed."""
    if isinstance(since, datetime):
        since = site_date(since)  # a moment: the local day it falls on
    kpis = list(db.session.scalars(sa.select(Kpi).where(Kpi.rule != Rule.MANUAL)))
    return _recompute(kpis, since=since, now=now)
