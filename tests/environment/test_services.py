"""Importing files: idempotent, bad rows reported without aborting good ones, refused files
leave nothing written, hotspots placed in districts, and the import logged."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from participation.accountability.models import LogEntry
from participation.core.models import utcnow
from participation.environment import services, synthetic
from participation.environment.models import DataImport, District, Hotspot, Reading, Station
from participation.environment.parsers import FileRefused
from participation.extensions import db
from tests.environment.conftest import counts

FILES = Path(__file__).parent / "files"
NOW = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)


def test_importing_the_same_csv_twice_adds_nothing_the_second_time(tmp_path):
    path = synthetic.write_air_csv(tmp_path / "pm25-synthetic.csv", date(2026, 3, 1),
                                   date(2026, 3, 2), seed=7)
    rows = len(path.read_text().splitlines()) - 1
    first = services.import_air(stream=path, actor=None, now=NOW)
    assert (first.new, first.duplicates, first.rejected) == (rows, 0, [])
    after_first = counts()

    second = services.import_air(stream=path, actor=None, now=NOW)

    assert (second.new, second.duplicates, second.rejected) == (0, rows, [])
    after_second = counts()
    assert after_second["Reading"] == after_first["Reading"] == rows
    assert after_second["Station"] == 4
    # Each import is still recorded, with the same digest.
    assert after_second["DataImport"] == after_first["DataImport"] + 1
    assert first.data_import.sha256 == second.data_import.sha256
    assert second.data_import.duplicate_rows == rows


def test_duplicates_within_a_file_and_across_batches_are_counted(monkeypatch):
    monkeypatch.setattr(services, "BATCH_SIZE", 2)
    body = ("station_id,timestamp,pm25\n"
            "37t,2026-03-01T01:00,10\n37t,2026-03-01T01:00,11\n"
            "37t,2026-03-01T02:00,12\n37t,2026-03-01T03:00,13\n"
            "37t,2026-03-01T01:00,14\n")
    report = services.import_air(stream=io.BytesIO(body.encode()), filename="dups.csv",
                                 actor=None, now=NOW)
    assert (report.new, report.duplicates) == (3, 2)
    stored = db.session.scalars(sa.select(Reading.pm25).order_by(Reading.measured_at)).all()
    assert stored == [10, 12, 13]  # the first value of an hour wins


def test_a_file_with_bad_rows_stores_the_good_ones_and_reports_the_bad_with_lines(make):
    user = make.user(is_admin=True)
    report = services.import_air(stream=FILES / "air-some-bad-rows.csv", actor=user, now=NOW)

    assert (report.new, report.missing, report.rejected_count) == (2, 1, 6)
    assert [line for line, _reason in report.rejected] == [3, 6, 7, 8, 9, 10]
    assert dict(report.rejected)[3] == "PM2.5 is not a number"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Reading)) == 2
    data_import = db.session.get(DataImport, report.data_import.id)
    assert (data_import.filename, data_import.actor_id) == ("air-some-bad-rows.csv", user.id)
    assert (data_import.new_rows, data_import.rejected_rows) == (2, 6)
    entry = db.session.scalars(sa.select(LogEntry).order_by(LogEntry.id.desc())).first()
    assert (entry.verb, entry.subject_type, entry.subject_id) == (
        "data.imported", "data_import", data_import.id)
    assert entry.data == {
        "kind": "air", "filename": "air-some-bad-rows.csv", "sha256": data_import.sha256,
        "new": 2, "duplicates": 0, "rejected": 6, "missing": 1, "outside": 0,
    }


@pytest.mark.parametrize(
    ("service", "name"),
    [
        (services.import_air, "air-bad-header.csv"),
        (services.import_air, "air-not-utf8.csv"),
        (services.import_air, "air4thai-truncated.json"),
        (services.import_hotspots, "firms-unknown-layout.csv"),
        (services.import_hotspots, "air-some-bad-rows.csv"),
    ],
)
def test_a_refused_file_leaves_nothing_written(service, name):
    before = counts()
    with pytest.raises(FileRefused):
        service(stream=FILES / name, actor=None, now=NOW)
    assert counts() == before


def test_an_error_late_in_a_file_undoes_the_rows_already_inserted(monkeypatch):
    monkeypatch.setattr(services, "BATCH_SIZE", 1)
    body = b"station_id,timestamp,pm25\n37t,2026-03-01T01:00,10\n37t,2026-03-01T02:00,1\xff\n"
    before = counts()
    with pytest.raises(FileRefused, match="UTF-8"):
        services.import_air(stream=io.BytesIO(body), filename="late.csv", actor=None, now=NOW)
    assert counts() == before


def test_air4thai_json_creates_and_updates_stations_and_counts_missing_values():
    path = synthetic.STATIONS  # the stations the sample describes
    sample = Path(services.__file__).parent / "samples"
    report = services.import_air(
        stream=sample / "air4thai-latest-lampang-20260315-synthetic.json", actor=None, now=NOW
    )
    assert (report.new, report.missing, report.rejected) == (3, 1, [])
    stations = {s.code: s for s in db.session.scalars(sa.select(Station))}
    assert set(stations) == {s.code for s in path}
    assert stations["37t"].name_th == "สถานีอุตุนิยมวิทยาลำปาง"
    assert stations["37t"].latitude == pytest.approx(18.2825)
    reading = db.session.scalars(
        sa.select(Reading).join(Station).where(Station.code == "37t")).one()
    # 14:00 in Bangkok.
    assert reading.measured_at == datetime(2026, 3, 15, 7, 0, tzinfo=UTC)


def test_a_csv_naming_an_unknown_station_creates_it_with_its_code_only():
    services.import_air(stream=io.StringIO("station_id,timestamp,pm25\n99t,2026-03-01T01:00,5\n"),
                        filename="text.csv", actor=None, now=NOW)
    station = db.session.scalars(sa.select(Station).where(Station.code == "99t")).one()
    assert (station.name_th, station.latitude) == ("", None)


def test_naive_csv_times_are_in_the_site_zone(app):
    assert app.config["TIMEZONE"] == "Asia/Bangkok"
    services.import_air(stream=io.BytesIO(b"station_id,timestamp,pm25\n37t,2026-03-01T07:00,5\n"),
                        filename="t.csv", actor=None, now=NOW)
    assert db.session.scalar(sa.select(Reading.measured_at)) == datetime(2026, 3, 1, 0, 0,
                                                                           tzinfo=UTC)


def test_hotspots_are_placed_in_districts_and_those_outside_counted_not_stored():
    report = services.import_hotspots(stream=FILES / "firms-viirs-some-bad-rows.csv",
                                      actor=None, now=NOW)
    assert (report.new, report.outside, report.rejected_count) == (2, 1, 3)
    placed = db.session.execute(
        sa.select(District.code, Hotspot.detected_at).join(District).order_by(District.code)
    ).all()
    assert [code for code, _when in placed] == ["5201", "5205"]
    assert report.data_import.outside_rows == 1

    again = services.import_hotspots(stream=FILES / "firms-viirs-some-bad-rows.csv",
                                     actor=None, now=NOW)
    assert (again.new, again.duplicates, again.outside) == (0, 2, 1)


def test_the_first_hotspot_import_loads_the_shipped_districts():
    assert db.session.scalar(sa.select(sa.func.count()).select_from(District)) == 0
    services.import_hotspots(stream=FILES / "firms-viirs-some-bad-rows.csv", actor=None,
                             now=NOW)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(District)) == 13


def test_a_synthetic_year_of_hotspots_lands_mostly_in_the_dry_season(tmp_path):
    path = synthetic.write_firms_csv(tmp_path / "viirs-synthetic.csv", date(2025, 11, 1),
                                     date(2026, 10, 31), seed=3)
    report = services.import_hotspots(stream=path, actor=None, now=utcnow())
    assert report.rejected == []
    assert report.new > 1000
    assert 0 < report.outside < report.new * 0.05
    by_month = dict(db.session.execute(
        sa.select(sa.func.extract("month", Hotspot.detected_at), sa.func.count())
        .group_by(sa.func.extract("month", Hotspot.detected_at))
    ).tuples().all())
    dry = sum(by_month.get(month, 0) for month in (1, 2, 3, 4))
    assert dry > 0.8 * report.new
    assert max(by_month, key=by_month.get) == 3


def test_progress_reports_every_byte_of_the_file():
    path = FILES / "air-some-bad-rows.csv"
    seen = []
    services.import_air(stream=path, actor=None, now=NOW, progress=seen.append)
    assert sum(seen) == path.stat().st_size


def test_load_districts_creates_thirteen_then_changes_nothing():
    first = services.load_districts()
    assert (first.created, first.updated) == (13, 0)
    again = services.load_districts()
    assert (again.created, again.updated) == (0, 0)
    mueang = db.session.scalars(sa.select(District).where(District.code == "5201")).one()
    assert (mueang.name_th, mueang.name_en) == ("เมืองลำปาง", "Mueang Lampang")


def test_times_before_2000_after_tomorrow_or_beyond_the_calendar_are_rejected_rows():
    rows = (
        "station_id,timestamp,pm25\n"
        "37t,2026-03-31T08:00:00+07:00,55\n"
        "37t,1999-12-31T08:00:00+07:00,55\n"
        "37t,2062-03-31T08:00:00+07:00,55\n"
        "37t,0001-01-01T00:00:00+07:00,55\n"
        "37t,9999-12-31T23:30:00+00:00,55\n"
    )
    report = services.import_air(stream=io.BytesIO(rows.encode()), filename="typos.csv",
                                 actor=None, now=NOW)
    assert report.new == 1
    assert [line for line, _reason in report.rejected] == [3, 4, 5, 6]
    reasons = [reason for _line, reason in report.rejected]
    assert reasons[:2] == ["the time is before the year 2000", "the time is in the future"]

    hotspots = (
        "latitude,longitude,bright_ti4,scan,track,acq_date,acq_time,satellite,instrument,"
        "confidence,version,bright_ti5,frp,daynight\n"
        "18.3,99.5,330,0.4,0.4,2062-03-01,0530,N,VIIRS,n,2.0NRT,290,5,D\n"
        "18.3,99.5,330,0.4,0.4,0001-01-01,0000,N,VIIRS,n,2.0NRT,290,5,D\n"
    )
    report = services.import_hotspots(stream=io.BytesIO(hotspots.encode()),
                                      filename="typos.csv", actor=None, now=NOW)
    assert report.new == 0 and [line for line, _ in report.rejected] == [2, 3]


def test_a_later_hotspot_file_counts_the_months_between_as_zero(make):
    from participation.kpis import services as kpis
    from participation.kpis.models import Measurement

    header = ("latitude,longitude,bright_ti4,scan,track,acq_date,acq_time,satellite,"
              "instrument,confidence,version,bright_ti5,frp,daynight\n")

    def fires(*days: str) -> io.BytesIO:
        lines = [f"18.3,99.5,330,0.4,0.4,{day},0530,N,VIIRS,n,2.0NRT,290,5,D\n" for day in days]
        return io.BytesIO((header + "".join(lines)).encode())

    services.import_hotspots(stream=fires("2026-01-10", "2026-03-10"), filename="a.csv",
                             actor=None, now=NOW)
    group = make.group()
    kpi = kpis.create_kpi(group=group, actor=None, now=NOW, definition=kpis.KpiDefinition(
        name_th="จุดความร้อน", name_en="Hotspots", description="",
        unit_th="จุด", unit_en="hotspots", direction="lower", baseline_value=10,
        baseline_start=date(2024, 1, 1), baseline_end=date(2024, 12, 31), target_value=5,
        target_date=date(2027, 6, 30), rule="hotspots_per_month",
    ))
    services.import_hotspots(stream=fires("2026-06-10"), filename="b.csv", actor=None,
                             now=datetime(2026, 7, 1, tzinfo=UTC))
    months = dict(db.session.execute(
        sa.select(Measurement.period_start, Measurement.value).where(Measurement.kpi_id == kpi.id)
    ).tuples().all())
    assert months == {date(2026, month, 1): value for month, value in
                      ((1, 1), (2, 0), (3, 1), (4, 0), (5, 0), (6, 1))}
