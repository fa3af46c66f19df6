"""Reads about imports (the recent imported files) and for the public air-quality dashboard."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from participation.core.charts import (
    PM25_STANDARD,
    THAI_AQI_PM25_BANDS,
    Band,
    Chart,
    bar_chart,
    line_chart,
    month_label,
    number,
    pm25_standard_line,
)
from participation.core.i18n import current_language, format_date, site_date
from participation.environment.models import DataImport, District, Hotspot, Reading, Station
from participation.extensions import db
from participation.kpis.rules import (
    MonthValues,
    air_data,
    days_above_standard,
    hotspot_data,
    month_start,
    next_month,
)

RECENT_IMPORTS = 20


def recent_imports(limit: int = RECENT_IMPORTS) -> list[DataImport]:
    """The latest imported files, newest first, with who imported them."""
    return list(
        db.session.scalars(
            sa.select(DataImport)
            .options(joinedload(DataImport.actor))
            .order_by(DataImport.created_at.desc(), DataImport.id.desc())
            .limit(limit)
        )
    )


# The public air-quality dashboard (GET /air-quality). Every read below runs a fixed number of
# queries whatever the amount of data; the daily means and monthly hotspot counts come from
# the KPI rules (participation.kpis.rules), so the page and the KPIs agree.

PM25_WINDOW_DAYS = 365
HOTSPOT_WINDOW_MONTHS = 12
DASHBOARD_IMPORTS = 5


def aqi_band(value: float | None) -> Band | None:
    """The Thai AQI band of a PM2.5 value (µg/m³), read to one decimal as published."""
    if value is None:
        return None
    shown = round(value, 1)
    for band in THAI_AQI_PM25_BANDS:
        if band.high is None or shown <= band.high:
            return band
    return None


def reading_day(moment: datetime) -> date:
    """The local day an hourly reading belongs to: it is stamped with the end of its hour."""
    return site_date(moment - timedelta(hours=1))


@dataclass
class StationLatest:
    """A station with its latest hourly reading and its latest valid 24-hour mean."""

    station: Station
    hour_at: datetime | None = None
    hour_value: float | None = None
    day: date | None = None
    day_mean: float | None = None

    @property
    def name(self) -> str:
        """The station's name in the reader's language, else its code."""
        return self.station.name or self.station.code

    @property
    def area(self) -> str:
        if current_language() == "en" and self.station.area_en:
            return self.station.area_en
        return self.station.area_th or self.station.area_en

    @property
    def band(self) -> Band | None:
        """The AQI band of the 24-hour mean, or of the latest hour when no day is complete."""
        return aqi_band(self.day_mean if self.day_mean is not None else self.hour_value)


def stations_with_latest() -> list[StationLatest]:
    """Every station by code with its latest hourly reading, in one query (each station's
    latest hour comes from the unique (station, hour) index)."""
    latest = (
        sa.select(sa.func.max(Reading.measured_at))
        .where(Reading.station_id == Station.id)
        .correlate(Station)
        .scalar_subquery()
    )
    rows = db.session.execute(
        sa.select(Station, Reading.measured_at, Reading.pm25)
        .outerjoin(Reading, sa.and_(Reading.station_id == Station.id,
                                    Reading.measured_at == latest))
        .order_by(Station.code, Station.id)
    )
    return [StationLatest(station, at, value) for station, at, value in rows]


@dataclass
class AirWindow:
    """The valid daily means of the PM2.5 window: 365 days ending on the day of the latest
    reading (of the station shown, or of any station), so old data still shows."""

    first: date | None
    last: date | None
    days: dict[date, float]
    standard = PM25_STANDARD

    @property
    def points(self) -> list[tuple[date, float | None]]:
        """One point per day of the window, None where the day has no valid mean."""
        if self.first is None or self.last is None:
            return []
        span = (self.last - self.first).days
        return [
            (day, self.days.get(day))
            for day in (self.first + timedelta(days=n) for n in range(span + 1))
        ]

    @property
    def days_above(self) -> int:
        return int(sum(days_above_standard(self.days).values()))


def _window_start(last: date) -> date:
    return last - timedelta(days=PM25_WINDOW_DAYS - 1)


def air_window(latest: Sequence[StationLatest], station: Station | None) -> AirWindow:
    """The daily means of the window for one station or the province mean (one query), and
    fill in each station's latest valid 24-hour mean."""
    moments = [
        item.hour_at for item in latest
        if item.hour_at is not None and (station is None or item.station.id == station.id)
    ]
    every = [item.hour_at for item in latest if item.hour_at is not None]
    if not every:
        return AirWindow(None, None, {})
    # One fetch covers both the window shown and each station's latest day for the table.
    since = _window_start(reading_day(max(every)))
    last = reading_day(max(moments)) if moments else None
    if last is not None:
        since = min(since, _window_start(last))
    data = air_data(since)
    for item in latest:
        days = data.days(item.station.id)
        if days:
            item.day = max(days)
            item.day_mean = days[item.day]
    if last is None:
        return AirWindow(None, None, {})
    first = _window_start(last)
    days = {
        day: mean for day, mean in data.days(station.id if station else None).items()
        if first <= day <= last
    }
    return AirWindow(first, last, days)


@dataclass
class HotspotWindow:
    """Hotspots per month over the last 12 months of hotspot data, and per district."""

    months: MonthValues
    districts: list[tuple[District, int]]

    @property
    def first(self) -> date | None:
        return min(self.months) if self.months else None

    @property
    def last(self) -> date | None:
        """The last day of the last month."""
        return next_month(max(self.months)) - timedelta(days=1) if self.months else None

    @property
    def total(self) -> int:
        return int(sum(self.months.values()))


def hotspot_window() -> HotspotWindow:
    """Monthly counts for the 12 months ending with the latest hotspot's month, and each
    district's count in that span (every district, most hotspots first), in four queries."""
    districts = list(db.session.scalars(sa.select(District).order_by(District.code)))
    newest = db.session.scalar(sa.select(sa.func.max(Hotspot.detected_at)))
    if newest is None:
        return HotspotWindow({}, [(district, 0) for district in districts])
    start = month_start(site_date(newest))
    for _month in range(HOTSPOT_WINDOW_MONTHS - 1):
        start = month_start(start - timedelta(days=1))
    data = hotspot_data(start)
    months = {month: value for month, value in data.per_month(None).items() if month >= start}
    per_district = [
        (district, int(sum(v for m, v in data.per_month(district.id).items() if m >= start)))
        for district in districts
    ]
    per_district.sort(key=lambda pair: -pair[1])  # stable: by code among equals
    return HotspotWindow(months, per_district)


def pm25_chart(air: AirWindow, station: Station | None, table_url: str | None) -> Chart:
    """The daily PM2.5 series of the window with the AQI bands and the national standard."""
    if station is None:
        title = _("Daily PM2.5, mean of the province's stations")
        series = _("Province mean")
        empty = _("No PM2.5 readings have been imported yet.")
    else:
        title = _("Daily PM2.5 at %(station)s", station=station.name or station.code)
        series = _("24-hour mean")
        empty = _("No PM2.5 readings from this station have been imported yet.")
    description = ""
    if air.first is not None and air.last is not None:
        description = _(
            "The 24-hour mean PM2.5 of each day from %(start)s to %(end)s, against the Thai "
            "air-quality bands and the national standard of %(standard)s µg/m³. Days with "
            "fewer than 18 hourly readings have no value.",
            start=format_date(air.first), end=format_date(air.last),
            standard=number(PM25_STANDARD),
        )
    return line_chart(
        chart_id="pm25-daily",
        title=title,
        description=description,
        points=air.points if air.days else [],
        unit="µg/m³",
        series_label=series,
        bands=THAI_AQI_PM25_BANDS,
        reference_lines=[pm25_standard_line()],
        dots=False,
        table_url=table_url,
        table_url_label=_("Download the hourly readings (CSV)"),
        empty_message=empty,
    )


def hotspots_chart(hotspots: HotspotWindow, table_url: str | None) -> Chart:
    """Hotspots detected per month over the window."""
    description = ""
    if hotspots.first is not None and hotspots.last is not None:
        description = _(
            "The number of satellite fire detections in the province in each month from "
            "%(start)s to %(end)s.",
            start=month_label(hotspots.first, wide=True, year=True),
            end=month_label(hotspots.last, wide=True, year=True),
        )
    return bar_chart(
        chart_id="hotspots-monthly",
        title=_("Fire hotspots per month"),
        description=description,
        bars=[(month, value, "fire") for month, value in sorted(hotspots.months.items())],
        unit=_("hotspots"),
        label_header=_("Month"),
        value_header=_("Hotspots"),
        table_url=table_url,
        table_url_label=_("Download the hotspots (CSV)"),
        empty_message=_("No fire hotspots have been imported yet."),
    )
