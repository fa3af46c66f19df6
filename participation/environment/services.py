"""Import PM2.5 readings and fire hotspots from files, and load district boundaries.

An import reads the file row by row and inserts in batches with INSERT ... ON CONFLICT DO
NOTHING, so importing the same file twice adds nothing; a row already in the database or
earlier in the same file counts as a duplicate (RETURNING tells which rows were new). A bad
row is reported with its line and never stops the good ones. Everything happens inside one
savepoint: a file refused as a whole (wrong encoding, unknown columns) or any unexpected
failure leaves nothing written. The service does not commit; its caller commits once."""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO, TextIO

import sqlalchemy as sa
from flask_babel import gettext as _

from participation.accountability.services import record as record_in_log
from participation.accounts.models import User
from participation.core.db import insert_for_dialect
from participation.core.i18n import site_zone
from participation.environment import parsers
from participation.environment.geo import DEFAULT_DISTRICTS_FILE, DistrictLocator, read_districts
from participation.environment.models import (
    DataImport,
    DataKind,
    District,
    Hotspot,
    Reading,
    Station,
)
from participation.extensions import db
from participation.kpis.services import recompute_derived

BATCH_SIZE = 5_000
# The report keeps the first rejected rows (all are counted): enough to fix a file.
MAX_REJECTIONS_KEPT = 10_000
CHUNK = 64 * 1024

Source = BinaryIO | TextIO | str | Path
Progress = Callable[[int], Any]


@dataclass
class ImportReport:
    """What one file added: `rejected` lists (line, reason) for the first MAX_REJECTIONS_KEPT
    bad rows, `rejected_count` counts them all; `missing` counts rows that said "no reading"
    (-1 / -999); `outside` counts hotspots outside every district (not stored)."""

    data_import: DataImport
    new: int = 0
    duplicates: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    rejected_count: int = 0
    missing: int = 0
    outside: int = 0

    def reject(self, line: int, reason: str) -> None:
        self.rejected_count += 1
        if len(self.rejected) < MAX_REJECTIONS_KEPT:
            self.rejected.append((line, reason))


class _Tap(io.RawIOBase):
    """A binary reader over the source that hashes what passes and reports bytes read."""

    def __init__(self, source: BinaryIO | TextIO, progress: Progress | None) -> None:
        self._source = source
        self._text = isinstance(source, io.TextIOBase)
        self._pending = b""
        self._progress = progress
        self.sha256 = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._text:
            while not self._pending:
                text = self._source.read(CHUNK)
                if not text:
                    return 0
                self._pending = text.encode("utf-8")
            data, self._pending = self._pending[: len(buffer)], self._pending[len(buffer):]
        else:
            data = self._source.read(len(buffer))
        if not data:
            return 0
        buffer[: len(data)] = data
        self.sha256.update(data)
        if self._progress is not None:
            self._progress(len(data))
        return len(data)

    def drain(self) -> None:
        """Read what the parser left (trailing lines), so the digest covers the whole file."""
        while self.read(CHUNK):
            pass


class _Opened:
    """The source as a binary stream (opening a path), with the name to record."""

    def __init__(self, source: Source, filename: str | None) -> None:
        self._file = None
        if isinstance(source, str | Path):
            self._file = open(source, "rb")  # noqa: SIM115 - closed in __exit__
            self.stream: BinaryIO | TextIO = self._file
            self.filename = filename or Path(source).name
        else:
            self.stream = source
            self.filename = filename or os.path.basename(getattr(source, "name", "") or "")
        self.filename = (self.filename.replace("\x00", "") or "upload")[:255]

    def __enter__(self) -> _Opened:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._file is not None:
            self._file.close()


def _new_import(kind: DataKind, filename: str, actor: User | None, now: datetime) -> DataImport:
    data_import = DataImport(
        kind=kind, filename=filename, sha256="", actor_id=actor.id if actor else None,
        created_at=now,
    )
    db.session.add(data_import)
    db.session.flush([data_import])
    return data_import


def _finish(report: ImportReport, tap: _Tap, actor: User | None, now: datetime,
            earliest: datetime | None) -> None:
    tap.drain()
    data_import = report.data_import
    data_import.sha256 = tap.sha256.hexdigest()
    data_import.new_rows = report.new
    data_import.duplicate_rows = report.duplicates
    data_import.rejected_rows = report.rejected_count
    data_import.missing_rows = report.missing
    data_import.outside_rows = report.outside
    db.session.flush([data_import])
    record_in_log(
        actor=actor,
        verb="data.imported",
        subject_type="data_import",
        subject_id=data_import.id,
        data={
            "kind": data_import.kind.value,
            "filename": data_import.filename,
            "sha256": data_import.sha256,
            "new": report.new,
            "duplicates": report.duplicates,
            "rejected": report.rejected_count,
            "missing": report.missing,
            "outside": report.outside,
        },
        now=now,
    )
    if earliest is not None:
        # The derived KPI values of every month from the first new row on may have changed.
        since = (earliest - timedelta(hours=1)).astimezone(site_zone()).date()
        recompute_derived(since=since, now=now)


def _insert_new(table: sa.Table, rows: list[dict[str, Any]], returning: sa.Column) -> list[Any]:
    """Insert the rows, skipping those that break a unique constraint; return `returning` of
    the rows actually inserted."""
    if not rows:
        return []
    statement = insert_for_dialect(table).on_conflict_do_nothing().returning(returning)
    return list(db.session.execute(statement, rows).scalars())


class _Batch:
    """Rows waiting to be inserted, unique by key (a repeat inside the batch is a duplicate)."""

    def __init__(self, table: sa.Table, returning: sa.Column, report: ImportReport) -> None:
        self.table = table
        self.returning = returning
        self.report = report
        self.rows: dict[tuple[Any, ...], dict[str, Any]] = {}
        self.earliest: datetime | None = None

    def add(self, key: tuple[Any, ...], row: dict[str, Any]) -> None:
        if key in self.rows:
            self.report.duplicates += 1
            return
        self.rows[key] = row
        if len(self.rows) >= BATCH_SIZE:
            self.flush()

    def flush(self) -> None:
        rows = list(self.rows.values())
        self.rows = {}
        inserted = _insert_new(self.table, rows, self.returning)
        self.report.new += len(inserted)
        self.report.duplicates += len(rows) - len(inserted)
        if inserted:
            first = min(inserted)
            self.earliest = first if self.earliest is None else min(self.earliest, first)


class _Stations:
    """Station ids by code; a code not seen before creates the station, Air4Thai details
    (names, area, position) update it once per file."""

    def __init__(self) -> None:
        self._ids = dict(db.session.execute(sa.select(Station.code, Station.id)).tuples().all())
        self._updated: set[str] = set()

    def id_for(self, code: str, info: parsers.StationInfo | None) -> int:
        if code not in self._ids:
            station = Station(code=code)
            db.session.add(station)
            db.session.flush([station])
            self._ids[code] = station.id
        if info is not None and code not in self._updated:
            self._updated.add(code)
            self._update(self._ids[code], info)
        return self._ids[code]

    @staticmethod
    def _update(station_id: int, info: parsers.StationInfo) -> None:
        values = {
            name: getattr(info, name)
            for name in ("name_th", "name_en", "area_th", "area_en", "latitude", "longitude")
            if getattr(info, name) not in ("", None)
        }
        if values:
            db.session.execute(sa.update(Station).where(Station.id == station_id).values(values))


def import_air(
    *,
    stream: Source,
    filename: str | None = None,
    actor: User | None,
    now: datetime,
    progress: Progress | None = None,
) -> ImportReport:
    """Import an Air4Thai JSON or `station_id,timestamp,pm25` CSV file of hourly PM2.5;
    raise parsers.FileRefused (nothing written) when the file cannot be read at all."""
    with _Opened(stream, filename) as opened, db.session.begin_nested():
        tap = _Tap(opened.stream, progress)
        report = ImportReport(_new_import(DataKind.AIR, opened.filename, actor, now))
        stations = _Stations()
        batch = _Batch(Reading.__table__, Reading.__table__.c.measured_at, report)
        import_id = report.data_import.id
        for line, item in parsers.read_air(tap, site_zone()):
            if isinstance(item, parsers.Rejection):
                report.reject(line, item.reason)
            elif isinstance(item, parsers.Missing):
                report.missing += 1
                if item.station is not None:
                    stations.id_for(item.station.code, item.station)
            elif reason := _implausible(item.measured_at, now):
                report.reject(line, reason)
            else:
                station_id = stations.id_for(item.station_code, item.station)
                batch.add(
                    (station_id, item.measured_at),
                    {"station_id": station_id, "measured_at": item.measured_at,
                     "pm25": item.pm25, "import_id": import_id},
                )
        batch.flush()
        _finish(report, tap, actor, now, batch.earliest)
    return report


# No Air4Thai PM2.5 station nor fire-detecting satellite reported before this; a time before
# it, or after tomorrow, is a typo that would stretch every chart and derived KPI.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)


def _implausible(moment: datetime, now: datetime) -> str | None:
    """Why a reading's or detection's time cannot be right, or None."""
    if moment < EARLIEST:
        return _("the time is before the year 2000")
    if moment > now + timedelta(days=1):
        return _("the time is in the future")
    return None


def _locator() -> DistrictLocator:
    districts = db.session.execute(
        sa.select(District.id, District.boundary).order_by(District.code)
    ).tuples().all()
    if not districts:
        load_districts()
        return _locator()
    return DistrictLocator(districts)


def import_hotspots(
    *,
    stream: Source,
    filename: str | None = None,
    actor: User | None,
    now: datetime,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a NASA FIRMS VIIRS or MODIS CSV file, placing each detection in a district
    (loading the shipped boundaries when none are loaded); detections outside every district
    are counted, not stored. Raise parsers.FileRefused when the file cannot be read at all."""
    with _Opened(stream, filename) as opened, db.session.begin_nested():
        tap = _Tap(opened.stream, progress)
        report = ImportReport(_new_import(DataKind.HOTSPOTS, opened.filename, actor, now))
        locator = _locator()
        previous_last = db.session.scalar(sa.select(sa.func.max(Hotspot.detected_at)))
        batch = _Batch(Hotspot.__table__, Hotspot.__table__.c.detected_at, report)
        import_id = report.data_import.id
        for line, item in parsers.read_firms(tap):
            if isinstance(item, parsers.Rejection):
                report.reject(line, item.reason)
                continue
            if reason := _implausible(item.detected_at, now):
                report.reject(line, reason)
                continue
            district_id = locator.locate(item.latitude, item.longitude)
            if district_id is None:
                report.outside += 1
                continue
            batch.add(
                (item.latitude, item.longitude, item.detected_at, item.satellite,
                 item.instrument),
                {
                    "latitude": item.latitude, "longitude": item.longitude,
                    "detected_at": item.detected_at, "satellite": item.satellite,
                    "instrument": item.instrument, "confidence": item.confidence,
                    "version": item.version, "brightness": item.brightness,
                    "brightness_2": item.brightness_2, "scan": item.scan, "track": item.track,
                    "frp": item.frp, "daynight": item.daynight, "district_id": district_id,
                    "import_id": import_id,
                },
            )
        batch.flush()
        earliest = batch.earliest
        if earliest is not None and previous_last is not None and previous_last < earliest:
            # The months between the old last fire and the new ones now count zero fires.
            earliest = previous_last
        _finish(report, tap, actor, now, earliest)
    return report


@dataclass
class DistrictsLoaded:
    created: int
    updated: int


def load_districts(path: Path | str = DEFAULT_DISTRICTS_FILE) -> DistrictsLoaded:
    """Create or update the districts of a GeoJSON file by code (names and boundary)."""
    existing = {district.code: district for district in db.session.scalars(sa.select(District))}
    created = updated = 0
    for shape in read_districts(path):
        district = existing.get(shape.code)
        if district is None:
            db.session.add(District(code=shape.code, name_th=shape.name_th,
                                    name_en=shape.name_en, boundary=shape.ring))
            created += 1
        elif (district.name_th, district.name_en, district.boundary) != (
            shape.name_th, shape.name_en, shape.ring
        ):
            district.name_th, district.name_en = shape.name_th, shape.name_en
            district.boundary = shape.ring
            updated += 1
    db.session.flush()
    return DistrictsLoaded(created=created, updated=updated)

