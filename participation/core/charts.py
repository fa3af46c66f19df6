"""Server-rendered SVG charts: Python computes the geometry, `_macros/charts.html` draws it.

No JavaScript, no inline styles (colours come from classes in site.css, so a strict
`style-src 'self'` policy holds), a title and description for screen readers and a data table
or a link to one. Every figure is in a fixed viewBox that scales to the width of the page.

A view builds a chart and passes it to the template:

    chart = line_chart(chart_id="pm25", title=..., description=..., points=[(day, 41.2), ...],
                       unit="µg/m³", series_label=..., bands=THAI_AQI_PM25_BANDS,
                       reference_lines=[pm25_standard_line()])

    {% from "_macros/charts.html" import chart %}{{ chart(pm25_chart) }}

Labels are formatted when the builder runs, so builders are called during a request (the
reader's language) and the Chart is not cached across languages.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import format_date as babel_format_date
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from participation.core.i18n import BUDDHIST_ERA_OFFSET, current_language, format_date

WIDTH = 640
HEIGHT = 300
# Labels are 14 units high, 22 on phones (site.css), where the figure shrinks to half size:
# the margins leave room for the larger size.
FONT = 14
LINE = 22
MONTH_TICK_STEPS = (1, 2, 3, 6, 12, 24, 60, 120)
DAY_TICK_STEPS = (1, 2, 7, 14, 28)
MAX_X_TICKS = 13
FULL_TABLE_LIMIT = 62  # more points than this: the default table sums them up by month

PM25_STANDARD = 37.5  # Thailand's 24-hour standard for PM2.5, µg/m³ (PCD, 2022)


@dataclass(frozen=True)
class Band:
    """A horizontal background band from `low` to `high` (None: no upper bound).

    `kind` names the CSS class (`band-<kind>`); `shown_low` is the lower bound as published
    (15.1 for a band that starts above 15), used in the legend only.
    """

    low: float
    high: float | None
    label: str
    kind: str
    shown_low: float | None = None


@dataclass(frozen=True)
class ReferenceLine:
    """A horizontal line at `value` (vertical in a horizontal bar chart), class `ref-<kind>`."""

    value: float
    label: str
    kind: str = "reference"


# Thai AQI bands for the 24-hour mean of PM2.5 (Pollution Control Department, 2023).
THAI_AQI_PM25_BANDS: tuple[Band, ...] = (
    Band(0, 15, _l("Very good"), "aqi-1"),
    Band(15, 25, _l("Good"), "aqi-2", shown_low=15.1),
    Band(25, PM25_STANDARD, _l("Moderate"), "aqi-3", shown_low=25.1),
    Band(PM25_STANDARD, 75, _l("Starting to affect health"), "aqi-4", shown_low=37.6),
    Band(75, None, _l("Affecting health"), "aqi-5"),
)


def pm25_standard_line() -> ReferenceLine:
    return ReferenceLine(PM25_STANDARD, _l("National standard"), "standard")


# What the macro draws. Coordinates are viewBox units, rounded to one decimal.


@dataclass
class Tick:
    at: float
    label: str
    sublabel: str = ""  # a second line under a month: its year, where the year starts
    alt: bool = False  # every other label, hidden on narrow screens


@dataclass
class BandArea:
    y: float
    height: float
    label: str
    kind: str
    range_text: str


@dataclass
class LineMark:
    x1: float
    y1: float
    x2: float
    y2: float
    label: str
    kind: str
    value_text: str
    label_x: float = 0
    label_y: float = 0


@dataclass
class SeriesMark:
    label: str
    kind: str
    d: str  # one path; a gap (None) starts a new subpath, so the line breaks there
    dots: list[tuple[float, float]] = field(default_factory=list)


@dataclass
class BarMark:
    x: float
    y: float
    width: float
    height: float
    label: str
    kind: str
    value_text: str
    value_x: float
    value_y: float
    label_x: float
    label_y: float
    sublabel: str = ""
    alt: bool = False


@dataclass
class LegendItem:
    label: str
    kind: str  # the CSS class of the key: series-<k>, ref-<k>, band-<k>, bar-<k>
    shape: str  # line | band | bar
    detail: str = ""


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]  # the first cell of each row is its header


@dataclass
class Chart:
    id: str
    kind: str  # line | columns | bars
    title: str
    description: str
    summary: str
    unit: str
    width: int = WIDTH
    height: int = HEIGHT
    left: float = 0
    top: float = 0
    right: float = 0
    bottom: float = 0
    x_ticks: list[Tick] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    bands: list[BandArea] = field(default_factory=list)
    lines: list[LineMark] = field(default_factory=list)
    series: list[SeriesMark] = field(default_factory=list)
    bars: list[BarMark] = field(default_factory=list)
    legend: list[LegendItem] = field(default_factory=list)
    table: Table | None = None
    table_url: str | None = None
    table_url_label: str = ""
    empty: bool = False
    empty_message: str = ""

    @property
    def plot_width(self) -> float:
        return self.right - self.left

    @property
    def svg_description(self) -> str:
        """The `<desc>`: the caller's description, the legend in words and a summary."""
        parts = [self.description]
        parts += [
            f"{item.label}: {item.detail}." if item.detail else f"{item.label}."
            for item in self.legend
        ]
        parts.append(self.summary)
        return " ".join(str(part).strip() for part in parts if part and str(part).strip())


# Numbers and labels


def number(value: float) -> str:
    """A number in the reader's locale, with no more decimals than it has (at most 2)."""
    return format_decimal(round(value, 2), format="#,##0.##")


def with_unit(value: float, unit: str) -> str:
    return f"{number(value)} {unit}".strip()


def year_label(day: date) -> str:
    """The year in the reader's calendar: Buddhist Era in Thai."""
    return str(day.year + BUDDHIST_ERA_OFFSET if current_language() == "th" else day.year)


def month_label(day: date, *, wide: bool = False, year: bool = False) -> str:
    """'ม.ค.' / 'Jan', or with the year 'มกราคม 2568' / 'January 2025'."""
    text = babel_format_date(day, "LLLL" if wide else "LLL")
    return f"{text} {year_label(day)}" if year else text


def _chart_id(chart_id: str | None, title: str) -> str:
    if chart_id:
        return chart_id
    return "chart-" + hashlib.sha1(str(title).encode()).hexdigest()[:8]


def nice_ticks(
    low: float, high: float, *, target: int = 5, whole: bool = False
) -> list[float]:
    """Round tick values covering low..high: 0, 25, 50, 75, 100, 125 for 0..120.

    `whole`: steps of at least 1 (for counts: no tick at 0.2 hotspots).
    """
    if high <= low:
        high = low + 1
    raw = (high - low) / target
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    if whole:
        step = 1 if step < 1 else (2 if step == 2.5 else step)
    start = math.floor(low / step + 1e-9) * step
    end = math.ceil(high / step - 1e-9) * step
    count = round((end - start) / step)
    return [round(start + i * step, 10) for i in range(count + 1)]


class _Scale:
    """Maps a value domain onto a pixel range (reversed when pixels grow the other way)."""

    def __init__(self, low: float, high: float, start: float, end: float):
        self.low, self.high, self.start, self.end = low, high, start, end

    def __call__(self, value: float) -> float:
        if self.high == self.low:
            return _coordinate((self.start + self.end) / 2)
        share = (value - self.low) / (self.high - self.low)
        return _coordinate(self.start + share * (self.end - self.start))


def _coordinate(value: float) -> float:
    """Rounded to a tenth, and written without '.0' (compact SVG)."""
    value = round(value, 1)
    return int(value) if value == int(value) else value


def _value_domain(values: Iterable[float]) -> list[float]:
    values = list(values)
    low = min([0.0, *values])
    high = max([0.0, *values])
    if high == low:
        high = low + 1
    return nice_ticks(low, high, whole=all(float(value).is_integer() for value in values))


def _first_of_month(day: date) -> date:
    return day.replace(day=1)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _date_ticks(first: date, last: date) -> list[tuple[date, str, str]]:
    """Tick dates and labels: days for a short span, else months with the year where it starts."""
    span = (last - first).days
    ticks: list[tuple[date, str, str]] = []
    if span <= 62:
        step = next(s for s in DAY_TICK_STEPS if span // s + 1 <= 10)
        day = first
        while day <= last:
            ticks.append((day, babel_format_date(day, "d MMM"), ""))
            day += timedelta(days=step)
        if ticks:
            ticks[0] = (ticks[0][0], ticks[0][1], year_label(ticks[0][0]))
        return ticks
    start = _first_of_month(first)
    if start < first:
        start = _add_months(start, 1)
    months = (last.year - start.year) * 12 + last.month - start.month
    step = next(
        (s for s in MONTH_TICK_STEPS if months // s + 1 <= MAX_X_TICKS),
        12 * (months // (12 * (MAX_X_TICKS - 1)) + 1),
    )
    # Align on the calendar (January, April, July, October for quarters).
    while (start.month - 1) % min(step, 12):
        start = _add_months(start, 1)
    day = start
    while day <= last:
        year = year_label(day) if not ticks or day.month == 1 else ""
        ticks.append((day, month_label(day), year))
        day = _add_months(day, step)
    return ticks


def _mark_alternate(ticks: list) -> None:
    """Every other label may hide on phones, never one with a year; a year right before the
    next one (December, then January) is dropped, or the two would run together."""
    if len(ticks) > 1 and ticks[0].sublabel and ticks[1].sublabel:
        ticks[0].sublabel = ""
    for index, tick in enumerate(ticks):
        tick.alt = index % 2 == 1 and not tick.sublabel


def _spread_labels(lines: list[LineMark], gap: float) -> None:
    """Move the labels of close reference lines apart so they do not overlap."""
    previous = None
    for line in sorted(lines, key=lambda item: item.label_y):
        if previous is not None and line.label_y - previous < gap:
            line.label_y = _coordinate(previous + gap)
        previous = line.label_y


def _band_range(band: Band, unit: str) -> str:
    low = band.shown_low if band.shown_low is not None else band.low
    if band.high is None:
        return _("above %(value)s %(unit)s", value=number(band.low), unit=unit)
    return f"{number(low)}–{number(band.high)} {unit}".strip()


# Line charts


def line_chart(
    *,
    title: str,
    description: str,
    points: Sequence[tuple[date, float | None]],
    unit: str,
    series_label: str,
    bands: Sequence[Band] = (),
    reference_lines: Sequence[ReferenceLine] = (),
    path: tuple[tuple[date, float], tuple[date, float]] | None = None,
    path_label: str | None = None,
    chart_id: str | None = None,
    table_rows: Sequence[Sequence[object]] | None = None,
    table_headers: Sequence[str] | None = None,
    table_url: str | None = None,
    table_url_label: str | None = None,
    dots: bool | None = None,
    empty_message: str | None = None,
    series_kind: str = "main",
) -> Chart:
    """A date series as a line, broken where a value is None.

    - bands: background bands (THAI_AQI_PM25_BANDS); reference_lines: horizontal lines
      (kinds standard, target, baseline draw differently).
    - path: two (date, value) points joined by a dashed line, e.g. the planned path from a
      baseline to a target; the date axis stretches to include them.
    - Table: by default every point when there are at most 62, else a summary per month;
      `table_rows` (with `table_headers`) replaces it, `table_rows=()` leaves it out, and
      `table_url` adds a link to the full data.
    - dots: mark each value (default when there are 40 points or fewer).
    """
    points = sorted(points, key=lambda point: point[0])
    values = [value for _day, value in points if value is not None]
    chart = Chart(
        id=_chart_id(chart_id, title),
        kind="line",
        title=str(title),
        description=str(description),
        summary="",
        unit=str(unit),
        left=58,
        top=32,
        right=WIDTH - 16,
        bottom=HEIGHT - 2 * LINE - 6,
        table_url=table_url,
        table_url_label=table_url_label or _("Download the data"),
        empty_message=empty_message or _("No data for this period yet."),
    )
    if not values:
        chart.empty = True
        return chart

    days = [day for day, _value in points]
    if path:
        days += [path[0][0], path[1][0]]
    first, last = min(days), max(days)
    x = _Scale(first.toordinal(), last.toordinal(), chart.left, chart.right)
    path_values = (path[0][1], path[1][1]) if path else ()
    domain = _value_domain([*values, *(line.value for line in reference_lines), *path_values])
    y = _Scale(domain[0], domain[-1], chart.bottom, chart.top)

    chart.y_ticks = [Tick(y(value), number(value)) for value in domain]
    chart.x_ticks = [
        Tick(x(day.toordinal()), label, sublabel)
        for day, label, sublabel in _date_ticks(first, last)
    ]
    _mark_alternate(chart.x_ticks)
    _add_bands(chart, bands, y, domain)

    # The series: one path, a new subpath after each gap; lone values become dots.
    commands: list[str] = []
    run: list[tuple[float, float]] = []
    lone: list[tuple[float, float]] = []

    def flush() -> None:
        if len(run) == 1:
            lone.append(run[0])
        elif run:
            commands.append("M" + " ".join(f"{px:g} {py:g}" for px, py in run))
        run.clear()

    for day, value in points:
        if value is None:
            flush()
        else:
            run.append((x(day.toordinal()), y(value)))
    flush()
    marks = [(x(day.toordinal()), y(value)) for day, value in points if value is not None]
    show_dots = dots if dots is not None else len(marks) <= 40
    chart.series = [
        SeriesMark(str(series_label), series_kind, "".join(commands), marks if show_dots else lone)
    ]
    chart.legend.append(LegendItem(str(series_label), f"series-{series_kind}", "line"))

    for line in reference_lines:
        at = y(line.value)
        chart.lines.append(
            LineMark(
                chart.left, at, chart.right, at, str(line.label), line.kind,
                with_unit(line.value, unit), label_x=chart.right - 4, label_y=_coordinate(at - 4),
            )
        )
    _spread_labels(chart.lines, FONT + 2)
    for line in chart.lines:
        chart.legend.append(LegendItem(line.label, f"ref-{line.kind}", "line", line.value_text))
    if path:
        (start_day, start_value), (end_day, end_value) = path
        label = str(path_label or _("Planned path"))
        detail = _(
            "from %(start)s on %(start_date)s to %(end)s on %(end_date)s",
            start=with_unit(start_value, unit), start_date=format_date(start_day, short=True),
            end=with_unit(end_value, unit), end_date=format_date(end_day, short=True),
        )
        chart.lines.append(
            LineMark(
                x(start_day.toordinal()), y(start_value), x(end_day.toordinal()), y(end_value),
                label, "path", detail,
            )
        )
        chart.legend.append(LegendItem(label, "ref-path", "line", detail))
    for area in chart.bands:
        chart.legend.append(LegendItem(area.label, f"band-{area.kind}", "band", area.range_text))

    chart.summary = _line_summary(points, unit)
    chart.table = _line_table(
        points, str(series_label), str(unit), reference_lines, table_rows, table_headers
    )
    return chart


def _add_bands(chart: Chart, bands: Sequence[Band], y: _Scale, domain: list[float]) -> None:
    for band in bands:
        low = max(band.low, domain[0])
        high = domain[-1] if band.high is None else min(band.high, domain[-1])
        if high <= low:
            continue
        top, bottom = y(high), y(low)
        chart.bands.append(
            BandArea(top, _coordinate(bottom - top), str(band.label), band.kind,
                     _band_range(band, chart.unit))
        )


def _line_summary(points: Sequence[tuple[date, float | None]], unit: str) -> str:
    known = [(day, value) for day, value in points if value is not None]
    highest = max(known, key=lambda point: point[1])
    latest = known[-1]
    return _(
        "Highest: %(highest)s on %(highest_date)s. Latest: %(latest)s on %(latest_date)s.",
        highest=with_unit(highest[1], unit), highest_date=format_date(highest[0], short=True),
        latest=with_unit(latest[1], unit), latest_date=format_date(latest[0], short=True),
    )


def _line_table(
    points: Sequence[tuple[date, float | None]],
    series_label: str,
    unit: str,
    reference_lines: Sequence[ReferenceLine],
    rows: Sequence[Sequence[object]] | None,
    headers: Sequence[str] | None,
) -> Table | None:
    if rows is not None:
        return _given_table(rows, headers)
    heading = f"{series_label} ({unit})" if unit else series_label
    if len(points) <= FULL_TABLE_LIMIT:
        return Table(
            [_("Date"), heading],
            [[format_date(day, short=True), _cell(value)] for day, value in points],
        )
    return monthly_summary(points, unit=unit, reference_lines=reference_lines)


def _given_table(
    rows: Sequence[Sequence[object]], headers: Sequence[str] | None
) -> Table | None:
    """The caller's table (None when the rows are empty: no table, say for a link only)."""
    if not rows:
        return None
    if not headers:
        raise ValueError("table_rows need table_headers")
    return Table([str(h) for h in headers], [[_cell(cell) for cell in row] for row in rows])


def _cell(value: object) -> str:
    if value is None:
        return _("No data")
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return number(value)
    if isinstance(value, date):
        return format_date(value, short=True)
    return str(value)


def monthly_summary(
    points: Sequence[tuple[date, float | None]],
    *,
    unit: str,
    reference_lines: Sequence[ReferenceLine] = (),
) -> Table:
    """One row per month: mean, highest, days with a value, days above each reference line."""
    months: dict[date, list[float]] = {}
    for day, value in points:
        values = months.setdefault(_first_of_month(day), [])
        if value is not None:
            values.append(value)
    headers = [
        _("Month"), _("Mean (%(unit)s)", unit=unit), _("Highest (%(unit)s)", unit=unit),
        _("Days with data"),
        *(_("Days above %(line)s", line=str(line.label)) for line in reference_lines),
    ]
    rows = []
    for month, values in sorted(months.items()):
        row = [month_label(month, wide=True, year=True)]
        if values:
            row += [number(sum(values) / len(values)), number(max(values)), number(len(values))]
        else:
            row += [_("No data"), _("No data"), "0"]
        row += [number(sum(value > line.value for value in values)) for line in reference_lines]
        rows.append(row)
    return Table(headers, rows)


# Bar charts


def bar_chart(
    *,
    title: str,
    description: str,
    bars: Sequence[tuple[str | date, float] | tuple[str | date, float, str]],
    unit: str,
    reference_lines: Sequence[ReferenceLine] = (),
    horizontal: bool = False,
    show_share: bool = False,
    label_header: str | None = None,
    value_header: str | None = None,
    chart_id: str | None = None,
    table_rows: Sequence[Sequence[object]] | None = None,
    table_headers: Sequence[str] | None = None,
    table_url: str | None = None,
    table_url_label: str | None = None,
    empty_message: str | None = None,
) -> Chart:
    """Bars from (label, value) or (label, value, kind) tuples; kind names the class `bar-<kind>`.

    Vertical columns by default (a date label becomes a month name, with the year where it
    starts); `horizontal=True` gives one labelled row per bar (ballot results). `show_share`
    adds each bar's share of the total to its value.
    """
    chart = Chart(
        id=_chart_id(chart_id, title),
        kind="bars" if horizontal else "columns",
        title=str(title),
        description=str(description),
        summary="",
        unit=str(unit),
        table_url=table_url,
        table_url_label=table_url_label or _("Download the data"),
        empty_message=empty_message or _("No data for this period yet."),
    )
    if not bars:
        chart.empty = True
        return chart
    items = [(item[0], float(item[1]), item[2] if len(item) > 2 else "main") for item in bars]
    total = sum(value for _label, value, _kind in items)

    def value_text(value: float) -> str:
        if show_share and total:
            return _("%(value)s (%(share)s%%)", value=number(value),
                     share=number(round(100 * value / total, 1)))
        return number(value)

    labels = [
        (month_label(label), label) if isinstance(label, date) else (str(label), None)
        for label, _value, _kind in items
    ]
    domain = _value_domain(
        [*(item[1] for item in items), *(line.value for line in reference_lines)]
    )
    if horizontal:
        _horizontal_bars(chart, items, labels, domain, value_text, reference_lines)
    else:
        _columns(chart, items, labels, domain, value_text, reference_lines)
    for line in chart.lines:
        chart.legend.append(LegendItem(line.label, f"ref-{line.kind}", "line", line.value_text))
    kinds = {kind for _label, _value, kind in items}
    if len(kinds) > 1 and not horizontal:  # horizontal bars carry their names
        for (_label, _value, kind), (text, _day) in zip(items, labels, strict=True):
            chart.legend.append(LegendItem(text, f"bar-{kind}", "bar"))

    highest = max(range(len(items)), key=lambda index: items[index][1])
    chart.summary = _(
        "Total: %(total)s. Highest: %(label)s, %(value)s.",
        total=with_unit(total, unit), label=_full_label(labels[highest]),
        value=with_unit(items[highest][1], unit),
    )
    if table_rows is not None:
        chart.table = _given_table(table_rows, table_headers)
    else:
        headers = [str(label_header or _("Category")), str(value_header or unit)]
        if show_share:
            headers.append(_("Share"))
        rows = []
        for label, (_name, value, _kind) in zip(labels, items, strict=True):
            row = [_full_label(label), number(value)]
            if show_share:
                row.append(f"{number(round(100 * value / total, 1)) if total else 0}%")
            rows.append(row)
        chart.table = Table(headers, rows)
    return chart


def _full_label(label: tuple[str, date | None]) -> str:
    text, day = label
    return month_label(day, wide=True, year=True) if day else text


def _columns(chart, items, labels, domain, value_text, reference_lines) -> None:
    chart.left, chart.top, chart.right, chart.bottom = 58, 32, WIDTH - 16, HEIGHT - 2 * LINE - 6
    y = _Scale(domain[0], domain[-1], chart.bottom, chart.top)
    chart.y_ticks = [Tick(y(value), number(value)) for value in domain]
    slot = chart.plot_width / len(items)
    zero = y(0)
    previous_year = None
    for index, ((_label, value, kind), (text, day)) in enumerate(zip(items, labels, strict=True)):
        top = y(max(value, 0))
        bottom = y(min(value, 0))
        centre = _coordinate(chart.left + slot * (index + 0.5))
        sublabel = ""
        if day and (previous_year is None or day.year != previous_year):
            sublabel = year_label(day)
            previous_year = day.year
        chart.bars.append(
            BarMark(
                _coordinate(chart.left + slot * (index + 0.15)), top, _coordinate(slot * 0.7),
                _coordinate(bottom - top), text, kind, value_text(value),
                value_x=centre, value_y=_coordinate(min(top, zero) - 4),
                label_x=centre, label_y=chart.bottom + LINE, sublabel=sublabel,
            )
        )
    _mark_alternate(chart.bars)
    for line in reference_lines:
        at = y(line.value)
        chart.lines.append(
            LineMark(chart.left, at, chart.right, at, str(line.label), line.kind,
                     with_unit(line.value, chart.unit), label_x=chart.right - 4,
                     label_y=_coordinate(at - 4))
        )
    _spread_labels(chart.lines, FONT + 2)


def _horizontal_bars(chart, items, labels, domain, value_text, reference_lines) -> None:
    row = 2 * LINE + 16  # a line of text above each bar
    chart.left, chart.top, chart.right = 8, 8, WIDTH - 8
    chart.height = chart.top + row * len(items) + 8
    chart.bottom = chart.height - 8
    x = _Scale(0, domain[-1], chart.left, chart.right)
    for index, ((_label, value, kind), (text, _day)) in enumerate(zip(items, labels, strict=True)):
        top = chart.top + row * index
        chart.bars.append(
            BarMark(
                chart.left, top + LINE + 8, _coordinate(x(max(value, 0)) - chart.left), LINE,
                text, kind, value_text(value), value_x=chart.right, value_y=top + LINE,
                label_x=chart.left, label_y=top + LINE,
            )
        )
    for line in reference_lines:
        at = x(line.value)
        chart.lines.append(
            LineMark(at, chart.top, at, chart.bottom, str(line.label), line.kind,
                     with_unit(line.value, chart.unit))
        )
