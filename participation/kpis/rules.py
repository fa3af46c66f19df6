"""The derived KPI rules: monthly values computed from imported PM2.5 readings and hotspots.

Every rule works per calendar month in the site's time zone (config TIMEZONE, Asia/Bangkok).

- A reading's day is the local day of the hour it covers: readings are stored in UTC with
  `measured_at` = the end of the hour, so the reading that ends at 00:00 local time belongs to
  the day before (it covers 23:00-24:00).
- A station's 24-hour mean for a day is the mean of that day's hourly readings, counted only
  when the day has at least MIN_HOURS (18 of 24, 75%) readings; a day with fewer is not valid
  and takes no part in any rule.
- PM25_DAYS_ABOVE_STANDARD: the number of valid days in the month whose 24-hour mean is above
  PM25_STANDARD (37.5 µg/m³, the Thai national 24-hour standard in force since June
  2023).
- PM25_MONTHLY_MEAN: the mean of the month's valid daily means.
- Scope of both: one station (Kpi.station_id), or, when None, the province: the province's
  daily mean is the mean of the daily means of the stations valid that day (each station
  weighs the same, however many hours it reported).
- A PM2.5 month has data, and gives a measurement, when it has at least one valid day.
- HOTSPOTS_PER_MONTH: the number of hotspots detected in the month (local time), in one
  district (Kpi.district_id) or, when None, the whole province (every stored hotspot: the import
  keeps only those inside the province). Hotspot data covers every month from the first to the
  last month with any hotspot in the province; a month in that span with no fire counts 0,
  a month outside it has no data and no measurement.

The database groups the rows (one query per data kind, whatever their number: a million
readings take seconds); Python combines the per-station daily aggregates into months.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from statistics import fmean
from typing import Any

import sqlalchemy as sa

from participation.core.charts import PM25_STANDARD
from participation.core.i18n import site_zone
from participation.environment.models import Hotspot, Reading
from participation.extensions import db
from participation.kpis.models import Rule

MIN_HOURS = 18

MonthValues = dict[date, float]


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def local_midnight_utc(day: date) -> datetime:
    """The UTC moment at which the given local day begins."""
    return datetime.combine(day, time(), tzinfo=site_zone()).astimezone(UTC)


def _local_day(column: Any, *, shift: timedelta) -> Any:
    """A SQL expression for the local date of `column + shift` (shift: -1 hour for readings,
    which are stamped at the end of their hour).

    PostgreSQL converts with the zone's rules; SQLite has no zone database, so it adds the
    zone's UTC offset now (Asia/Bangkok keeps UTC+7 all year, with no daylight saving)."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        zone = site_zone().key
        shifted = column + sa.literal(shift, sa.Interval) if shift else column
        return sa.cast(sa.func.timezone(zone, shifted), sa.Date)
    offset = datetime.now(site_zone()).utcoffset() or timedelta()
    minutes = int((offset + shift).total_seconds() // 60)
    return sa.func.date(column, f"{minutes:+d} minutes")


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


@dataclass
class AirData:
    """Valid daily means per station and for the province, by local day."""

    stations: dict[int, dict[date, float]] = field(default_factory=dict)
    province: dict[date, float] = field(default_factory=dict)

    def days(self, station_id: int | None) -> dict[date, float]:
        return self.province if station_id is None else self.stations.get(station_id, {})


def air_data(since: date | None = None) -> AirData:
    """Fetch the valid per-station daily means from `since` (a local day) on, in one query."""
    day = _local_day(Reading.measured_at, shift=timedelta(hours=-1)).label("day")
    statement = sa.select(
        Reading.station_id, day, sa.func.avg(Reading.pm25), sa.func.count(Reading.id)
    ).group_by(Reading.station_id, day)
    if since is not None:
        # The first hour of the day ends one hour after local midnight.
        statement = statement.where(Reading.measured_at > local_midnight_utc(since))
    data = AirData()
    by_day: dict[date, list[float]] = defaultdict(list)
    for station_id, raw_day, mean, hours in db.session.execute(statement):
        if hours < MIN_HOURS:
            continue
        when = _as_date(raw_day)
        data.stations.setdefault(station_id, {})[when] = float(mean)
        by_day[when].append(float(mean))
    data.province = {when: fmean(means) for when, means in sorted(by_day.items())}
    return data


def _by_month(days: dict[date, float]) -> dict[date, list[float]]:
    months: dict[date, list[float]] = defaultdict(list)
    for when, mean in days.items():
        months[month_start(when)].append(mean)
    return months


def days_above_standard(days: dict[date, float]) -> MonthValues:
    """Per month: how many valid days had a 24-hour mean above the standard."""
    return {
        month: float(sum(1 for mean in means if mean > PM25_STANDARD))
        for month, means in sorted(_by_month(days).items())
    }


def monthly_mean(days: dict[date, float]) -> MonthValues:
    """Per month: the mean of the valid daily means."""
    return {month: fmean(means) for month, means in sorted(_by_month(days).items())}


@dataclass
class HotspotData:
    """Hotspot counts per district (None: outside every district) and local month, and the
    months hotspot data covers."""

    counts: dict[int | None, dict[date, int]] = field(default_factory=dict)
    months: list[date] = field(default_factory=list)

    def per_month(self, district_id: int | None) -> MonthValues:
        if district_id is None:
            totals: dict[date, int] = defaultdict(int)
            for months in self.counts.values():
                for month, n in months.items():
                    totals[month] += n
        else:
            totals = self.counts.get(district_id, {})
        return {month: float(totals.get(month, 0)) for month in self.months}


def hotspot_data(since: date | None = None) -> HotspotData:
    """Fetch hotspot counts per district and local day from `since` on, in two queries."""
    day = _local_day(Hotspot.detected_at, shift=timedelta()).label("day")
    statement = sa.select(Hotspot.district_id, day, sa.func.count(Hotspot.id)).group_by(
        Hotspot.district_id, day
    )
    if since is not None:
        statement = statement.where(Hotspot.detected_at >= local_midnight_utc(since))
    data = HotspotData()
    for district_id, raw_day, n in db.session.execute(statement):
        months = data.counts.setdefault(district_id, {})
        month = month_start(_as_date(raw_day))
        months[month] = months.get(month, 0) + n
    first, last = db.session.execute(
        sa.select(sa.func.min(Hotspot.detected_at), sa.func.max(Hotspot.detected_at))
    ).one()
    if first is not None:
        zone = site_zone()
        month = month_start(first.astimezone(zone).date())
        if since is not None:
            month = max(month, month_start(since))
        end = month_start(last.astimezone(zone).date())
        while month <= end:
            data.months.append(month)
            month = next_month(month)
    return data


class RuleData:
    """The imported data the derived rules read, fetched once (lazily, per data kind) for
    every KPI being computed."""

    def __init__(self, since: date | None = None) -> None:
        self.since = month_start(since) if since is not None else None
        self._air: AirData | None = None
        self._hotspots: HotspotData | None = None

    @property
    def air(self) -> AirData:
        if self._air is None:
            self._air = air_data(self.since)
        return self._air

    @property
    def hotspots(self) -> HotspotData:
        if self._hotspots is None:
            self._hotspots = hotspot_data(self.since)
        return self._hotspots

    def values(self, rule: Rule, *, station_id: int | None = None,
               district_id: int | None = None) -> MonthValues:
        """The monthly values of a derived rule in its scope; months without data are absent."""
        if rule is Rule.PM25_DAYS_ABOVE_STANDARD:
            return days_above_standard(self.air.days(station_id))
        if rule is Rule.PM25_MONTHLY_MEAN:
            return monthly_mean(self.air.days(station_id))
        if rule is Rule.HOTSPOTS_PER_MONTH:
            return self.hotspots.per_month(district_id)
        raise ValueError(f"{rule} is not a derived rule")


def derived_values(rules: Iterable[tuple[Rule, int | None, int | None]],
                   since: date | None = None) -> list[MonthValues]:
    """Compute several (rule, station_id, district_id) at once, sharing the data queries."""
    data = RuleData(since)
    return [data.values(rule, station_id=s, district_id=d) for rule, s, d in rules]
