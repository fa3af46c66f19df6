"""Server-rendered SVG charts: geometry, accessible and well-formed markup, both languages."""

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

import pytest

from participation.core.charts import (
    PM25_STANDARD,
    THAI_AQI_PM25_BANDS,
    ReferenceLine,
    bar_chart,
    line_chart,
    nice_ticks,
    pm25_standard_line,
)

MACRO = '{% from "_macros/charts.html" import chart %}{{ chart(c) }}'
STYLESHEET = Path(__file__).resolve().parents[2] / "static" / "css" / "site.css"


def _render(app, chart) -> str:
    return app.jinja_env.from_string(MACRO).render(c=chart)


def _svg(html: str) -> ET.Element:
    match = re.search(r"<svg\b.*?</svg>", html, re.S)
    assert match, "no <svg> in the figure"
    return ET.fromstring(match.group(0))


def _year(values, start=date(2025, 1, 1)):
    return [(start + timedelta(days=index), value) for index, value in enumerate(values)]


def _pm25(app, points, **options):
    return line_chart(
        chart_id="pm25", title="Daily PM2.5", description="Daily means at station 37t.",
        points=points, unit="µg/m³", series_label="PM2.5", bands=THAI_AQI_PM25_BANDS,
        reference_lines=[pm25_standard_line()], **options,
    )


def _value_to_y(chart, value):
    """The y of a value by the chart's own axis: linear between its lowest and highest tick."""
    low, high = chart.y_ticks[0], chart.y_ticks[-1]
    share = (value - float(low.label)) / (float(high.label) - float(low.label))
    return low.at + share * (high.at - low.at)


def test_nice_ticks_are_round_numbers_covering_the_values():
    assert nice_ticks(0, 120) == [0, 25, 50, 75, 100, 125]
    assert nice_ticks(0, 100) == [0, 20, 40, 60, 80, 100]
    assert nice_ticks(0, 3, whole=True) == [0, 1, 2, 3]


def test_a_value_maps_to_its_height_on_the_value_axis(app):
    with app.test_request_context("/?lang=en"):
        chart = line_chart(
            title="t", description="d", points=_year([0, 50, 100]), unit="u", series_label="s",
        )
    assert [tick.label for tick in chart.y_ticks] == ["0", "20", "40", "60", "80", "100"]
    assert chart.y_ticks[0].at == chart.bottom and chart.y_ticks[-1].at == chart.top
    centre = (chart.left + chart.right) / 2
    middle = (chart.top + chart.bottom) / 2
    expected = f"M{chart.left} {chart.bottom} {centre:g} {middle:g} {chart.right} {chart.top}"
    assert chart.series[0].d == expected


def test_the_national_standard_line_is_at_37_5_with_the_bands_meeting_it(app):
    with app.test_request_context("/?lang=en"):
        chart = _pm25(app, _year([12, 30, 90]))
    (standard,) = chart.lines
    assert standard.kind == "standard" and PM25_STANDARD == 37.5
    assert standard.y1 == standard.y2 == pytest.approx(_value_to_y(chart, 37.5), abs=0.1)
    moderate, unhealthy = (band for band in chart.bands if band.kind in ("aqi-3", "aqi-4"))
    assert moderate.y == unhealthy.y + unhealthy.height == standard.y1
    assert [band.kind for band in chart.bands] == ["aqi-1", "aqi-2", "aqi-3", "aqi-4", "aqi-5"]


def test_bands_above_the_highest_value_are_left_out(app):
    with app.test_request_context("/?lang=en"):
        chart = _pm25(app, _year([5, 10, 20]))  # the axis reaches 40, for the standard line
    assert [band.kind for band in chart.bands] == ["aqi-1", "aqi-2", "aqi-3", "aqi-4"]
    assert "Affecting health" not in chart.svg_description


def test_a_missing_value_breaks_the_line(app):
    with app.test_request_context("/?lang=en"):
        chart = _pm25(app, _year([10, 20, None, 30, 40, None, 50, None]), dots=False)
    series = chart.series[0]
    assert series.d.count("M") == 2
    assert len(series.dots) == 1  # the lone 50 between gaps is a dot, not an invisible path


def test_the_svg_is_well_formed_named_and_described_without_script_or_inline_style(app):
    with app.test_request_context("/?lang=en"):
        html = _render(app, _pm25(app, _year([10, 45, None, 80] * 90)))
    svg = _svg(html)
    assert svg.get("role") == "img"
    title_id, desc_id = svg.get("aria-labelledby").split()
    assert svg.find("title").get("id") == title_id == "pm25-title"
    assert svg.find("desc").get("id") == desc_id == "pm25-desc"
    description = svg.find("desc").text
    assert "Daily means at station 37t." in description
    assert "Starting to affect health: 37.6–75 µg/m³" in description
    assert "National standard: 37.5 µg/m³" in description
    for forbidden in ("<script", "<style", "style=", "http:", "https:", "href=\"//"):
        assert forbidden not in html
    assert '<figcaption id="pm25-caption">Daily PM2.5</figcaption>' in html


def test_the_legend_names_every_band_and_line_in_words(app):
    with app.test_request_context("/?lang=en"):
        html = _render(app, _pm25(app, _year([10, 90])))
    legend = re.search(r'<ul class="chart-legend">.*?</ul>', html, re.S).group(0)
    for words in ("PM2.5", "National standard", "Very good", "Good", "Moderate",
                  "Starting to affect health", "Affecting health"):
        assert f"{words}" in legend


def test_thai_axis_shows_thai_month_names_and_buddhist_era_years(app):
    with app.test_request_context("/?lang=th"):
        chart = _pm25(app, _year([20.0] * 365))
        html = _render(app, chart)
    labels = [tick.label for tick in chart.x_ticks]
    assert labels[:3] == ["ม.ค.", "ก.พ.", "มี.ค."] and len(labels) == 12
    assert chart.x_ticks[0].sublabel == "2568"
    assert ">2568</text>" in html and ">2025<" not in html


def test_english_axis_shows_month_names_and_common_era_years(app):
    with app.test_request_context("/?lang=en"):
        chart = _pm25(app, _year([20.0] * 380))
    assert [tick.label for tick in chart.x_ticks][:2] == ["Jan", "Feb"]
    assert [tick.sublabel for tick in chart.x_ticks if tick.sublabel] == ["2025", "2026"]


def test_a_long_series_gets_a_monthly_table_and_stays_small(app):
    with app.test_request_context("/?lang=en"):
        html = _render(app, _pm25(app, _year([10.0, 50.5] * 182 + [10.0])))
    rows = re.findall(r'<tr role="row"><th scope="row" role="rowheader">', html)
    assert len(rows) == 12
    assert 'data-label="Days above National standard">15</td>' in html  # January: 15 of 31
    assert len(html.encode()) < 20_000


def test_the_table_cells_carry_roles_and_labels(app):
    with app.test_request_context("/?lang=en"):
        html = _render(app, _pm25(app, _year([12.5, None])))
    assert '<table role="table" aria-labelledby="pm25-caption">' in html
    assert '<th scope="col" role="columnheader">PM2.5 (µg/m³)</th>' in html
    assert '<td role="cell" data-label="PM2.5 (µg/m³)">12.5</td>' in html
    assert '<td role="cell" data-label="PM2.5 (µg/m³)">No data</td>' in html


def test_a_download_link_can_replace_the_table(app):
    with app.test_request_context("/?lang=en"):
        html = _render(app, _pm25(app, _year([12.5] * 300), table_rows=(),
                                  table_url="/open-data/pm25.csv"))
    assert "<table" not in html
    assert '<a href="/open-data/pm25.csv">Download the data</a>' in html


def test_a_kpi_trend_draws_target_baseline_and_planned_path(app):
    months = [(date(2025, month, 1), value) for month, value in enumerate([14, 12, 11, 9], 1)]
    with app.test_request_context("/?lang=en"):
        chart = line_chart(
            chart_id="kpi", title="Days above the standard", description="d", points=months,
            unit="days", series_label="Measured",
            reference_lines=[ReferenceLine(6, "Target", "target"),
                             ReferenceLine(15, "Baseline", "baseline")],
            path=((date(2025, 1, 1), 15), (date(2026, 12, 1), 6)),
        )
        html = _render(app, chart)
    kinds = {line.kind: line for line in chart.lines}
    assert set(kinds) == {"target", "baseline", "path"}
    path = kinds["path"]
    assert (path.x1, path.x2) == (chart.left, chart.right)  # the time axis reaches the target
    assert path.y1 == kinds["baseline"].y1 and path.y2 == kinds["target"].y1
    assert len(chart.series[0].dots) == 4  # a short series marks every value
    assert "Planned path" in html and "from 15 days on Jan 1, 2025 to 6 days on Dec 1, 2026" in html


def test_hotspots_per_month_draw_one_bar_per_month(app):
    counts = [40, 300, 1200, 800, 30, 2, 0, 0, 0, 1, 5, 20]
    months = [(date(2025, month, 1), count, "fire") for month, count in enumerate(counts, 1)]
    with app.test_request_context("/?lang=th"):
        chart = bar_chart(chart_id="hotspots", title="จุดความร้อนรายเดือน", description="d",
                          bars=months, unit="จุด")
        html = _render(app, chart)
    svg = _svg(html)
    bars = [rect for rect in svg.iter("rect") if "bar" in rect.get("class").split()]
    assert len(bars) == 12
    tallest = max(bars, key=lambda rect: float(rect.get("height")))
    assert tallest is bars[2]
    assert [bar.label for bar in chart.bars][:2] == ["ม.ค.", "ก.พ."]
    assert chart.bars[0].sublabel == "2568"
    assert "มกราคม 2568" in html  # the table names the month in full


def test_ballot_results_are_horizontal_bars_with_their_share(app):
    with app.test_request_context("/?lang=en"):
        chart = bar_chart(
            chart_id="ballot", title="Result", description="d", horizontal=True,
            show_share=True, unit="votes",
            bars=[("Yes", 12, "yes"), ("No", 4, "no"), ("Abstain", 2, "abstain"),
                  ("Did not vote", 2, "absent")],
        )
        html = _render(app, chart)
    svg = _svg(html)
    widths = [float(rect.get("width")) for rect in svg.iter("rect")]
    assert len(widths) == 4 and widths[0] == 3 * widths[1] == 6 * widths[2]
    assert ">12 (60%)</text>" in html
    assert "bar-yes" in html and "bar-absent" in html


@pytest.mark.parametrize("lang", ["en", "th"])
def test_no_data_gives_a_clear_message_not_a_broken_chart(app, lang):
    with app.test_request_context(f"/?lang={lang}"):
        charts = [
            _pm25(app, _year([None, None])),
            _pm25(app, []),
            bar_chart(title="Hotspots", description="d", bars=[], unit="hotspots"),
        ]
        pages = [_render(app, chart) for chart in charts]
    for page in pages:
        assert "<svg" not in page and "<table" not in page
        assert '<p class="chart-empty">' in page


def test_counts_get_whole_number_ticks(app):
    with app.test_request_context("/?lang=en"):
        chart = bar_chart(title="t", description="d", bars=[("a", 0), ("b", 0)], unit="n")
    assert [tick.label for tick in chart.y_ticks] == ["0", "1"]


# Colours: lines and bars stand out at 3:1 (WCAG 1.4.11) on the page and on every band, and
# text stays at 4.5:1 on the bands.


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(one: str, other: str) -> float:
    lighter, darker = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _chart_colours() -> dict[str, str]:
    css = STYLESHEET.read_text()
    variables = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-f]{6})", css))
    section = css[css.index("/* Charts"):]
    colours = {}
    for selectors, value in re.findall(r"([^{}]+)\{\s*color:\s*([^;]+);\s*\}", section):
        value = value.strip()
        value = variables[value[6:-1]] if value.startswith("var(--") else value
        for selector in selectors.split(","):
            colours[selector.strip().lstrip(".")] = value
    return colours


def test_lines_and_bars_contrast_with_the_page_and_every_band():
    colours = _chart_colours()
    bands = [value for name, value in colours.items() if name.startswith("band-")]
    marks = [
        value for name, value in colours.items() if name.startswith(("series-", "ref-", "bar-"))
    ]
    assert len(bands) == 5 and len(marks) >= 8
    for mark in marks:
        for background in ["#ffffff", "#f4f6f8", *bands]:
            assert _contrast(mark, background) >= 3, (mark, background)
    for band in bands:
        assert _contrast("#1b2631", band) >= 4.5
