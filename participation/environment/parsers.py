"""Read PM2.5 and hotspot files into records, row by row, without touching the database.

Formats:
- Air4Thai JSON (Pollution Control Department): `{"stations": [...]}` where each station has
  `stationID`, `nameTH`, `nameEN`, `areaTH`, `areaEN`, `lat`, `long` and either `AQILast`
  (`date` YYYY-MM-DD, `time` HH:MM, `PM25` {`value`, `aqi`}) or hourly records in `data`
  (`DATETIMEDATA` "YYYY-MM-DD HH:MM:SS", or `date` and `time`; `PM25` a number or {`value`}).
  Air4Thai times are Thai local time (Asia/Bangkok). A value of -1 (or aqi -999, empty, null)
  means the station had no reading that hour: the row is counted as *missing*, which is not an
  error of the file.
- Plain CSV with the columns `station_id,timestamp,pm25` (ISO 8601; a time without a zone is
  in the site's zone; an empty or -1 value is missing).
- NASA FIRMS CSV, VIIRS (`bright_ti4`, `bright_ti5`) or MODIS (`brightness`, `bright_t31`),
  `acq_date` YYYY-MM-DD and `acq_time` HHMM in UTC.

Every reader yields `(line_number, item)` where the item is a record, a `Rejection` (the row
is wrong; the reason is translated) or `Missing`. A file that cannot be read at all (not UTF-8,
not JSON, an unknown column layout) raises `FileRefused` before or while rows are read; the
import service then writes nothing. Files are UTF-8, with or without a byte order mark."""

from __future__ import annotations

import bisect
import csv
import io
import json
import json.decoder
import json.scanner
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, BinaryIO
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from participation.core.errors import DomainError

AIR4THAI_ZONE = ZoneInfo("Asia/Bangkok")
# Above this a value is a fault of the sensor or the file (the worst recorded hourly PM2.5 in
# northern Thailand is several hundred µg/m³).
MAX_PM25 = 1000.0
MISSING_MARKERS = frozenset({"", "-", "-1", "-999", "n/a", "na", "null", "none"})
STATION_CODE_LENGTH = 20
AIR_CSV_COLUMNS = ("station_id", "timestamp", "pm25")
VIIRS_COLUMNS = ("bright_ti4", "bright_ti5")
MODIS_COLUMNS = ("brightness", "bright_t31")
FIRMS_REQUIRED = ("latitude", "longitude", "acq_date", "acq_time", "satellite")
FIRMS_OPTIONAL_NUMBERS = ("scan", "track", "frp")


class FileRefused(DomainError):
    """The whole file cannot be imported (wrong format, wrong encoding, unknown columns)."""


@dataclass(frozen=True, slots=True)
class Rejection:
    reason: str


@dataclass(frozen=True, slots=True)
class StationInfo:
    """What an Air4Thai file says about a station; empty strings and None mean "not given"."""

    code: str
    name_th: str = ""
    name_en: str = ""
    area_th: str = ""
    area_en: str = ""
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True, slots=True)
class Missing:
    """A row that says the station had no reading (Air4Thai rows still describe the station)."""

    station: StationInfo | None = None


MISSING = Missing()


@dataclass(frozen=True, slots=True)
class AirRecord:
    station_code: str
    measured_at: datetime  # aware, UTC: the end of the hour the value averages
    pm25: float
    station: StationInfo | None = None


@dataclass(frozen=True, slots=True)
class HotspotRecord:
    latitude: float
    longitude: float
    detected_at: datetime  # aware, UTC
    satellite: str
    instrument: str
    confidence: str
    version: str
    brightness: float | None
    brightness_2: float | None
    scan: float | None
    track: float | None
    frp: float | None
    daynight: str


AirRow = tuple[int, AirRecord | Rejection | Missing]
HotspotRow = tuple[int, HotspotRecord | Rejection]


class _Invalid(Exception):
    """A value of one row is wrong; the message is the translated reason."""


# --- reading bytes ---------------------------------------------------------------------------

class _Borrowed(io.RawIOBase):
    """A caller's binary stream, read through (after `prefix`, bytes already taken from it)
    but never closed: the wrappers a reader puts around it may be closed or collected freely."""

    def __init__(self, source: BinaryIO, prefix: bytes = b"") -> None:
        self._source = source
        self._prefix = prefix

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._prefix:
            data, self._prefix = self._prefix[: len(buffer)], self._prefix[len(buffer):]
        else:
            data = self._source.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _text_lines(stream: BinaryIO) -> io.TextIOWrapper:
    raw = stream if isinstance(stream, _Borrowed) else _Borrowed(stream)
    return io.TextIOWrapper(io.BufferedReader(raw), encoding="utf-8-sig", newline="")


def _not_utf8() -> FileRefused:
    return FileRefused(_("The file is not UTF-8 text. Save it as CSV UTF-8 and try again."))


def _csv_rows(stream: BinaryIO) -> Iterator[tuple[int, list[str] | Rejection]]:
    """The CSV's rows with the line each starts on; a row the csv module cannot read is a
    Rejection; a decoding error refuses the file."""
    text = _text_lines(stream)
    reader = csv.reader(text)
    line = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except UnicodeDecodeError as error:
            raise _not_utf8() from error
        except csv.Error as error:
            yield line, Rejection(_("the row cannot be read as CSV (%(error)s)", error=str(error)))
            line = reader.line_num + 1
            continue
        yield line, row
        line = reader.line_num + 1


def _header(rows: Iterator[tuple[int, list[str] | Rejection]]) -> list[str]:
    for _line, row in rows:
        if isinstance(row, Rejection):
            raise FileRefused(_("The first line of the file is not a CSV header."))
        if not any(cell.strip() for cell in row):
            continue
        return [cell.strip().lower() for cell in row]
    raise FileRefused(_("The file is empty."))


def _blank(row: list[str]) -> bool:
    return not any(cell.strip() for cell in row)


# --- values ----------------------------------------------------------------------------------

def _number(raw: Any, what: str) -> float:
    if isinstance(raw, bool):
        raise _Invalid(_("%(what)s is not a number", what=what))
    if isinstance(raw, int | float):
        value = float(raw)
    else:
        try:
            value = float(str(raw).strip())
        except ValueError:
            raise _Invalid(_("%(what)s is not a number", what=what)) from None
    if not math.isfinite(value):
        raise _Invalid(_("%(what)s is not a number", what=what))
    return value


def _optional_number(raw: str | None, what: str) -> float | None:
    if raw is None or not raw.strip():
        return None
    return _number(raw, what)


def _is_missing(raw: Any) -> bool:
    if raw is None:
        return True
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return raw in (-1, -999)
    return str(raw).strip().lower() in MISSING_MARKERS


def _pm25(raw: Any) -> float:
    value = _number(raw, "PM2.5")
    if value < 0:
        raise _Invalid(_("PM2.5 is negative"))
    if value > MAX_PM25:
        raise _Invalid(_("PM2.5 is above %(max)d µg/m³, which is not plausible", max=MAX_PM25))
    return round(value, 2)


def _text(raw: Any, limit: int, what: str) -> str:
    value = "" if raw is None else str(raw).strip()
    if "\x00" in value:
        raise _Invalid(_("%(what)s contains a NUL character", what=what))
    if len(value) > limit:
        raise _Invalid(_("%(what)s is longer than %(max)d characters", what=what, max=limit))
    return value


def _station_code(raw: Any) -> str:
    code = _text(raw, STATION_CODE_LENGTH, _l("the station"))
    if not code:
        raise _Invalid(_("the station is missing"))
    return code


def _on_the_hour(moment: datetime) -> datetime:
    if moment.minute or moment.second or moment.microsecond:
        raise _Invalid(_("the time is not on the hour"))
    return moment


def _date(raw: Any) -> date:
    try:
        return date.fromisoformat(str(raw).strip())
    except ValueError:
        raise _Invalid(_("the date is not a valid date (YYYY-MM-DD)")) from None


def _clock(raw: Any) -> tuple[time, int]:
    """HH:MM or HH:MM:SS; 24:00 is the end of the day (returned as 00:00 and one day)."""
    text = str(raw).strip()
    parts = text.split(":")
    try:
        if not 2 <= len(parts) <= 3 or not all(part.isdigit() for part in parts):
            raise ValueError
        hour, minute = int(parts[0]), int(parts[1])
        second = int(parts[2]) if len(parts) == 3 else 0
        if hour == 24 and minute == 0 and second == 0:
            return time(0, 0), 1
        return time(hour, minute, second), 0
    except ValueError:
        raise _Invalid(_("the time is not a valid time")) from None


def _thai_local(day: date, clock: tuple[time, int]) -> datetime:
    try:
        moment = datetime.combine(day + timedelta(days=clock[1]), clock[0], AIR4THAI_ZONE)
        return _on_the_hour(moment).astimezone(UTC)
    except OverflowError:
        raise _Invalid(_("the date is out of range")) from None


def _iso_timestamp(raw: str, zone: ZoneInfo) -> datetime:
    text = raw.strip()
    if text.endswith(("z", "Z")):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise _Invalid(_("the timestamp is not an ISO 8601 date and time")) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    try:
        return _on_the_hour(moment).astimezone(UTC)
    except OverflowError:
        raise _Invalid(_("the date is out of range")) from None


# --- Air4Thai JSON ---------------------------------------------------------------------------

class _Located(dict):
    """A JSON object that knows the line it starts on."""

    line = 0


def _decode_with_lines(text: str) -> Any:
    """json.loads, with every object a `_Located` dict carrying its line number (the
    pure-Python scanner: slower, but Air4Thai files are small)."""
    line_starts = [0]
    position = text.find("\n")
    while position != -1:
        line_starts.append(position + 1)
        position = text.find("\n", position + 1)
    decoder = json.JSONDecoder()
    parse_object = json.decoder.JSONObject

    def located_object(s_and_end, *args):
        start = s_and_end[1] - 1
        value, end = parse_object(s_and_end, *args)
        located = _Located(value)
        located.line = bisect.bisect_right(line_starts, start)
        return located, end

    decoder.parse_object = located_object
    decoder.scan_once = json.scanner.py_make_scanner(decoder)
    return decoder.decode(text)


def _line(obj: Any, default: int) -> int:
    return getattr(obj, "line", default) or default


def _station_info(station: dict[str, Any]) -> StationInfo:
    def coordinate(key: str, low: float, high: float, what: str) -> float | None:
        raw = station.get(key)
        if raw is None or str(raw).strip() == "":
            return None
        value = _number(raw, what)
        if not low <= value <= high:
            raise _Invalid(_("%(what)s out of range", what=what))
        return value

    return StationInfo(
        code=_station_code(station.get("stationID")),
        name_th=_text(station.get("nameTH"), 200, "nameTH"),
        name_en=_text(station.get("nameEN"), 200, "nameEN"),
        area_th=_text(station.get("areaTH"), 300, "areaTH"),
        area_en=_text(station.get("areaEN"), 300, "areaEN"),
        latitude=coordinate("lat", -90, 90, _l("latitude")),
        longitude=coordinate("long", -180, 180, _l("longitude")),
    )


def _pm25_field(record: dict[str, Any]) -> Any:
    """The PM2.5 value of a record: `PM25` as a number or string, or {"value": ..., "aqi": ...}
    (the value decides: -1 is missing whatever the aqi says)."""
    raw = record.get("PM25", record.get("pm25"))
    return raw.get("value") if isinstance(raw, dict) else raw


def _air4thai_reading(record: dict[str, Any], info: StationInfo) -> AirRecord | Missing:
    if "DATETIMEDATA" in record:
        raw = str(record["DATETIMEDATA"]).strip()
        day_text, _sep, clock_text = raw.partition(" ")
        moment = _thai_local(_date(day_text), _clock(clock_text or "00:00"))
    elif "date" in record and "time" in record:
        moment = _thai_local(_date(record["date"]), _clock(record["time"]))
    else:
        raise _Invalid(_("the record has no date and time"))
    raw_value = _pm25_field(record)
    if _is_missing(raw_value):
        return Missing(info)
    return AirRecord(info.code, moment, _pm25(raw_value), info)


def _air4thai_stations(document: Any) -> list[Any]:
    if isinstance(document, dict) and isinstance(document.get("stations"), list):
        return document["stations"]
    if isinstance(document, dict) and "stationID" in document:
        return [document]  # getNewAQI_JSON.php?stationID=... answers with one station
    if isinstance(document, list):
        return document
    raise FileRefused(
        _("This JSON is not in the Air4Thai shape: expected a list of stations under "
          "\"stations\".")
    )


def read_air4thai(stream: BinaryIO) -> Iterator[AirRow]:
    """Yield the readings of an Air4Thai JSON file (station list or hourly history)."""
    try:
        text = io.BufferedReader(_Borrowed(stream)).read().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _not_utf8() from error
    if not text.strip():
        raise FileRefused(_("The file is empty."))
    try:
        document = _decode_with_lines(text)
    except (json.JSONDecodeError, RecursionError) as error:
        line = getattr(error, "lineno", 0)
        raise FileRefused(_("The file is not valid JSON (line %(line)d).", line=line)) from None
    stations = _air4thai_stations(document)
    if not any(isinstance(s, dict) and ("AQILast" in s or "data" in s) for s in stations):
        if stations:
            raise FileRefused(
                _("No station in this JSON has readings (\"AQILast\" or \"data\").")
            )
    for station in stations:
        line = _line(station, 1)
        if not isinstance(station, dict):
            yield line, Rejection(_("the station entry is not an object"))
            continue
        try:
            info = _station_info(station)
        except _Invalid as error:
            yield line, Rejection(str(error))
            continue
        records: list[Any] = []
        if isinstance(station.get("AQILast"), dict):
            records.append(station["AQILast"])
        if isinstance(station.get("data"), list):
            records.extend(station["data"])
        for record in records:
            record_line = _line(record, line)
            if not isinstance(record, dict):
                yield record_line, Rejection(_("the record is not an object"))
                continue
            try:
                yield record_line, _air4thai_reading(record, info)
            except _Invalid as error:
                yield record_line, Rejection(str(error))


# --- plain CSV -------------------------------------------------------------------------------

def _data_rows(rows: Iterable[tuple[int, Any]], width: int) -> Iterator[tuple[int, Any]]:
    """The CSV rows after the header, skipping blank ones; a row of the wrong width, or one
    that could not be read, comes as a Rejection."""
    for line, row in rows:
        if isinstance(row, Rejection):
            yield line, row
        elif len(row) != width and not _blank(row):
            yield line, Rejection(_("the row has %(found)d fields instead of %(expected)d",
                                    found=len(row), expected=width))
        elif not _blank(row):
            yield line, row


def read_air_csv(stream: BinaryIO, zone: ZoneInfo) -> Iterator[AirRow]:
    """Yield the readings of a `station_id,timestamp,pm25` CSV; naive times are in `zone`."""
    rows = _csv_rows(stream)
    header = _header(rows)
    missing = [name for name in AIR_CSV_COLUMNS if name not in header]
    if missing:
        raise FileRefused(
            _("Unknown column layout: the header must have the columns %(expected)s "
              "(missing: %(missing)s).",
              expected=", ".join(AIR_CSV_COLUMNS), missing=", ".join(missing))
        )
    station_at, time_at, value_at = (header.index(name) for name in AIR_CSV_COLUMNS)
    for line, row in _data_rows(rows, len(header)):
        if isinstance(row, Rejection):
            yield line, row
            continue
        try:
            code = _station_code(row[station_at])
            moment = _iso_timestamp(row[time_at], zone)
            if _is_missing(row[value_at]):
                yield line, MISSING
                continue
            yield line, AirRecord(code, moment, _pm25(row[value_at]))
        except _Invalid as error:
            yield line, Rejection(str(error))


def read_air(stream: BinaryIO, zone: ZoneInfo) -> Iterator[AirRow]:
    """Yield the readings of an Air4Thai JSON or plain CSV file, told apart by content."""
    prefix = stream.read(256)
    head = prefix.lstrip(b"\xef\xbb\xbf \t\r\n")
    while prefix and not head:
        more = stream.read(256)
        if not more:
            break
        prefix += more
        head = prefix.lstrip(b"\xef\xbb\xbf \t\r\n")
    source = _Borrowed(stream, prefix)
    if head[:1] in (b"{", b"["):
        return read_air4thai(source)
    return read_air_csv(source, zone)


# --- NASA FIRMS CSV --------------------------------------------------------------------------

def _acq_time(raw: str) -> time:
    """FIRMS HHMM in UTC; leading zeros may be dropped ("5" is 00:05); HH:MM is accepted."""
    text = raw.strip().replace(":", "")
    if not text.isdigit() or len(text) > 4:
        raise _Invalid(_("the time is not a valid time"))
    text = text.zfill(4)
    hour, minute = int(text[:2]), int(text[2:])
    if hour > 23 or minute > 59:
        raise _Invalid(_("the time is not a valid time"))
    return time(hour, minute)


def firms_layout(header: list[str]) -> str:
    """"VIIRS" or "MODIS" from a FIRMS header; FileRefused when it is neither."""
    missing = [name for name in FIRMS_REQUIRED if name not in header]
    if not missing:
        if all(name in header for name in VIIRS_COLUMNS):
            return "VIIRS"
        if all(name in header for name in MODIS_COLUMNS):
            return "MODIS"
        missing = ["bright_ti4/bright_ti5", "brightness/bright_t31"]
    raise FileRefused(
        _("Unknown column layout: this is not a NASA FIRMS VIIRS or MODIS file "
          "(missing: %(missing)s).", missing=", ".join(missing))
    )


def read_firms(stream: BinaryIO) -> Iterator[HotspotRow]:
    """Yield the detections of a NASA FIRMS VIIRS or MODIS CSV file."""
    rows = _csv_rows(stream)
    header = _header(rows)
    layout = firms_layout(header)
    first, second = VIIRS_COLUMNS if layout == "VIIRS" else MODIS_COLUMNS
    at = {name: index for index, name in enumerate(header)}

    def get(row: list[str], name: str) -> str | None:
        return row[at[name]] if name in at else None

    for line, row in _data_rows(rows, len(header)):
        if isinstance(row, Rejection):
            yield line, row
            continue
        try:
            latitude = _number(get(row, "latitude"), _l("latitude"))
            if not -90 <= latitude <= 90:
                raise _Invalid(_("latitude out of range"))
            longitude = _number(get(row, "longitude"), _l("longitude"))
            if not -180 <= longitude <= 180:
                raise _Invalid(_("longitude out of range"))
            detected_at = datetime.combine(
                _date(get(row, "acq_date")), _acq_time(get(row, "acq_time") or ""), UTC
            )
            satellite = _text(get(row, "satellite"), 20, "satellite")
            if not satellite:
                raise _Invalid(_("the satellite is missing"))
            daynight = _text(get(row, "daynight"), 1, "daynight").upper()
            if daynight not in ("", "D", "N"):
                raise _Invalid(_("daynight must be D or N"))
            numbers = {
                name: _optional_number(get(row, name), name) for name in FIRMS_OPTIONAL_NUMBERS
            }
            yield line, HotspotRecord(
                latitude=latitude,
                longitude=longitude,
                detected_at=detected_at,
                satellite=satellite,
                instrument=_text(get(row, "instrument"), 20, "instrument") or layout,
                confidence=_text(get(row, "confidence"), 10, "confidence"),
                version=_text(get(row, "version"), 20, "version"),
                brightness=_optional_number(get(row, first), first),
                brightness_2=_optional_number(get(row, second), second),
                daynight=daynight,
                **numbers,
            )
        except _Invalid as error:
            yield line, Rejection(str(error))
