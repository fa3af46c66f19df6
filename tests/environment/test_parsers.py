"""Reading PM2.5 and hotspot files: every format, BOM, missing values, bad rows, bad headers."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from participation.environment import parsers
from participation.environment.parsers import AirRecord, FileRefused, Missing, Rejection

FILES = Path(__file__).parent / "files"
BANGKOK = ZoneInfo("Asia/Bangkok")


def air(data: bytes) -> list:
    return list(parsers.read_air(io.BytesIO(data), BANGKOK))


def firms(data: bytes) -> list:
    return list(parsers.read_firms(io.BytesIO(data)))


def rejections(rows: list) -> list[tuple[int, str]]:
    return [(line, item.reason) for line, item in rows if isinstance(item, Rejection)]


def test_air4thai_station_list_gives_each_latest_reading_in_utc_with_station_details():
    document = {"stations": [
        {"stationID": "37t", "nameTH": "สถานีอุตุนิยมวิทยาลำปาง", "nameEN": "Lampang Met",
         "areaTH": "อ.เมือง", "areaEN": "Mueang", "lat": "18.2825", "long": "99.5069",
         "AQILast": {"date": "2026-03-15", "time": "14:00",
                     "PM25": {"color_id": "4", "aqi": "160", "value": "88.5"}}},
        {"stationID": "38t", "nameTH": "สบป้าด", "nameEN": "Sop Pat", "lat": "18.25",
         "long": "99.76",
         "AQILast": {"date": "2026-03-15", "time": "14:00",
                     "PM25": {"color_id": "-1", "aqi": "-999", "value": "-1"}}},
    ]}
    rows = air(json.dumps(document, ensure_ascii=False, indent=1).encode())
    records = [item for _line, item in rows if isinstance(item, AirRecord)]
    assert len(records) == 1
    (reading,) = records
    assert reading.station_code == "37t"
    assert reading.measured_at == datetime(2026, 3, 15, 7, 0, tzinfo=UTC)
    assert reading.pm25 == 88.5
    assert reading.station.name_th == "สถานีอุตุนิยมวิทยาลำปาง"
    assert reading.station.latitude == 18.2825
    assert [item.station.code for _line, item in rows if isinstance(item, Missing)] == ["38t"]


def test_air4thai_history_records_accept_each_documented_field_shape_with_their_lines():
    text = """{"stations": [{"stationID": "44t",
 "data": [
  {"DATETIMEDATA": "2026-02-01 01:00:00", "PM25": 23.4},
  {"DATETIMEDATA": "2026-02-01 02:00:00", "PM25": null},
  {"date": "2026-02-01", "time": "03:00", "PM25": {"value": "30"}},
  {"date": "2026-02-01", "time": "24:00", "PM25": "31.5"},
  {"DATETIMEDATA": "2026-02-01 05:00:00", "PM25": "lots"},
  {"PM25": 3}
 ]}]}"""
    rows = air(text.encode())
    records = [(line, item.measured_at.hour, item.pm25) for line, item in rows
               if isinstance(item, AirRecord)]
    # 01:00 Bangkok is 18:00 UTC the day before; 24:00 is the next midnight (17:00 UTC).
    assert records == [(3, 18, 23.4), (5, 20, 30.0), (6, 17, 31.5)]
    assert sum(1 for _line, item in rows if isinstance(item, Missing)) == 1
    assert rejections(rows) == [(7, "PM2.5 is not a number"),
                                (8, "the record has no date and time")]


def test_csv_with_byte_order_mark_reads_like_without_and_naive_times_are_in_the_given_zone():
    body = "station_id,timestamp,pm25\n37t,2026-03-01T08:00,41.5\n"
    plain, with_bom = air(body.encode()), air(b"\xef\xbb\xbf" + body.encode())
    assert plain == with_bom
    ((line, reading),) = plain
    assert line == 2
    assert reading.measured_at == datetime(2026, 3, 1, 1, 0, tzinfo=UTC)


def test_csv_columns_may_come_in_any_order_and_zones_are_honoured():
    rows = air(b"pm25,timestamp,station_id\n12.5,2026-03-01T01:00:00Z,37t\n")
    ((_line, reading),) = rows
    assert (reading.station_code, reading.pm25) == ("37t", 12.5)
    assert reading.measured_at == datetime(2026, 3, 1, 1, 0, tzinfo=UTC)


def test_csv_bad_rows_are_rejected_with_their_line_and_reason_and_good_rows_kept():
    rows = air((FILES / "air-some-bad-rows.csv").read_bytes())
    assert [line for line, item in rows if isinstance(item, AirRecord)] == [2, 4]
    assert [line for line, item in rows if isinstance(item, Missing)] == [5]
    assert rejections(rows) == [
        (3, "PM2.5 is not a number"),
        (6, "the timestamp is not an ISO 8601 date and time"),
        (7, "the time is not on the hour"),
        (8, "PM2.5 is negative"),
        (9, "the station is missing"),
        (10, "the row has 2 fields instead of 3"),
    ]


def test_a_multi_line_quoted_field_does_not_shift_later_line_numbers():
    rows = air(b'station_id,timestamp,pm25\n"37\nt",2026-03-01T01:00,1\n37t,bad,1\n')
    assert rejections(rows)[-1] == (4, "the timestamp is not an ISO 8601 date and time")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("air-bad-header.csv", "Unknown column layout"),
        ("air-not-utf8.csv", "not UTF-8"),
        ("air4thai-truncated.json", "not valid JSON"),
    ],
)
def test_unreadable_air_files_are_refused_whole(name, message):
    with pytest.raises(FileRefused) as refused:
        air((FILES / name).read_bytes())
    assert message in refused.value.message


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\n\n"])
def test_an_empty_file_is_refused(data):
    with pytest.raises(FileRefused, match="empty"):
        air(data)


def test_json_that_is_not_air4thai_is_refused():
    with pytest.raises(FileRefused, match="Air4Thai"):
        air(b'{"readings": []}')


def test_viirs_rows_are_read_with_utc_times_and_bad_rows_reported():
    rows = firms((FILES / "firms-viirs-some-bad-rows.csv").read_bytes())
    good = [(line, item) for line, item in rows if isinstance(item, parsers.HotspotRecord)]
    assert [line for line, _item in good] == [2, 5, 6]
    first = good[0][1]
    # "5" is five minutes past midnight, UTC.
    assert first.detected_at == datetime(2026, 3, 2, 0, 5, tzinfo=UTC)
    assert (first.instrument, first.brightness, first.brightness_2) == ("VIIRS", 330.1, 295.0)
    assert (first.scan, first.track, first.frp, first.daynight) == (0.4, 0.5, 3.2, "D")
    assert rejections(rows) == [
        (3, "latitude out of range"),
        (4, "the time is not a valid time"),
        (7, "bright_ti4 is not a number"),
    ]


def test_modis_layout_is_recognised_and_instrument_inferred_when_absent():
    data = (b"latitude,longitude,brightness,scan,track,acq_date,acq_time,satellite,"
            b"confidence,version,bright_t31,frp,daynight\n"
            b"18.2,99.4,330.5,1.2,1.1,2026-03-01,0512,Terra,77,6.1NRT,300.2,12.5,D\n")
    ((line, record),) = firms(data)
    assert line == 2
    assert record.instrument == "MODIS"
    assert record.detected_at == datetime(2026, 3, 1, 5, 12, tzinfo=UTC)
    assert (record.brightness, record.brightness_2, record.confidence) == (330.5, 300.2, "77")


def test_a_hotspot_file_with_unknown_columns_is_refused():
    with pytest.raises(FileRefused, match="Unknown column layout"):
        firms((FILES / "firms-unknown-layout.csv").read_bytes())


def test_the_shipped_samples_parse_without_a_rejected_row():
    samples = Path(parsers.__file__).parent / "samples"
    for path in samples.glob("*.json"):
        with path.open("rb") as file:
            assert not rejections(list(parsers.read_air(file, BANGKOK))), path.name
    for path in samples.glob("firms-*.csv"):
        with path.open("rb") as file:
            assert not rejections(list(parsers.read_firms(file))), path.name
