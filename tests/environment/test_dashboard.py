"""The public air-quality dashboard: latest readings, the daily PM2.5 chart for one station or
the province, hotspots per month and district, KPIs, imports, in Thai and English, in a fixed
number of queries."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from participation.core.models import utcnow
from participation.environment import services, synthetic
from participation.environment.models import DataImport, District, Hotspot, Station
from participation.environment.queries import aqi_band
from participation.extensions import db
from participation.groups.models import SeatRole
from participation.kpis.models import Rule
from tests.kpis.scene import Group, bangkok, day_readings, hotspot
from tests.querycount import page_queries

URL = "/air-quality"


def import_air(tmp_path, start: date, end: date) -> None:
    path = synthetic.write_air4thai_json(tmp_path / f"air-{start}-{end}.json", start, end)
    services.import_air(stream=path, filename=path.name, actor=None, now=utcnow())


def import_fires(tmp_path, start: date, end: date) -> None:
    path = synthetic.write_firms_csv(tmp_path / f"fires-{start}-{end}.csv", start, end)
    services.import_hotspots(stream=path, filename=path.name, actor=None, now=utcnow())


@pytest.fixture
def march(tmp_path):
    """Three days of synthetic readings from the four Lampang stations and a week of fires."""
    import_air(tmp_path, date(2026, 3, 1), date(2026, 3, 3))
    import_fires(tmp_path, date(2026, 3, 1), date(2026, 3, 7))
    db.session.commit()


def page(client, url: str = URL, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status
    return response.text


def cells(text: str, label: str) -> list[str]:
    return re.findall(rf'data-label="{re.escape(label)}"[^>]*>(.*?)</td>', text, re.S)


# The AQI bands


@pytest.mark.parametrize(
    ("value", "label"),
    [(0, "Very good"), (15.04, "Very good"), (15.1, "Good"), (25, "Good"),
     (37.5, "Moderate"), (37.6, "Starting to affect health"), (75, "Starting to affect health"),
     (75.1, "Affecting health"), (300, "Affecting health")],
)
def test_a_value_falls_in_its_thai_aqi_band_as_read_to_one_decimal(app, value, label):
    with app.test_request_context("/?lang=en"):
        assert str(aqi_band(value).label) == label


# The page


def test_the_page_shows_each_stations_latest_reading_with_its_band_in_words(client, march):
    text = page(client, URL + "?lang=en")
    assert "<h1>Air quality and fires</h1>" in text
    for name in ("Lampang Meteorological Station", "Sop Pat", "Ban Dong", "Mae Mo Waterworks"):
        assert name in text
    assert "Phra Bat, Mueang, Lampang" in text  # the area in English
    table = text.split('class="stations-latest"')[1].split("</table>")[0]
    assert 'role="rowgroup"' in table and 'role="rowheader"' in table
    # The latest hour ends at midnight after 3 March; 2 March is the latest complete day.
    assert len(cells(table, "Latest hour")) == 4
    assert all("hour ending March 4, 2026, 00:00" in cell for cell in cells(table, "Latest hour"))
    assert all("March 3, 2026" in cell for cell in cells(table, "Latest 24-hour mean"))
    bands = cells(table, "Air quality")
    assert len(bands) == 4
    labels = ("Very good", "Good", "Moderate", "Starting to affect health", "Affecting health")
    assert all(re.search(r'class="badge aqi-badge aqi-\d">([^<]+)</span>', cell).group(1)
               in labels for cell in bands)


def test_the_page_is_in_thai_with_buddhist_era_months(client, march):
    text = page(client, URL + "?lang=th")
    assert '<html lang="th"' in text
    assert "สถานีอุตุนิยมวิทยาลำปาง" in text
    assert "ต.พระบาท อ.เมือง จ.ลำปาง" in text
    # The hotspots table gives each month with its Buddhist Era year, the readings their day.
    assert "มีนาคม 2569" in text
    assert "3 มีนาคม 2569" in text
    # No Christian Era year in the tables and charts (links and file names aside).
    shown = re.sub(r'href="[^"]*"', "", text.split("<main")[1].split('id="imports-title"')[0])
    assert "2569" in shown and "2026" not in shown and "2025" not in shown


def test_the_daily_chart_has_a_title_description_bands_standard_and_a_download_link(
    client, march
):
    text = page(client, URL + "?lang=en")
    figure = text.split('id="pm25-daily"')[1].split("</figure>")[0]
    assert 'role="img" aria-labelledby="pm25-daily-title pm25-daily-desc"' in figure
    assert '<title id="pm25-daily-title">Daily PM2.5, mean of the province' in figure
    desc = re.search(r'<desc id="pm25-daily-desc">(.*?)</desc>', figure, re.S).group(1)
    assert "from March 4, 2025 to March 3, 2026" in desc  # 365 days to the latest reading
    assert "National standard" in desc and "Very good" in desc
    assert 'class="ref ref-standard"' in figure
    assert 'class="band band-aqi-1"' in figure
    link = re.search(r'<p class="chart-link"><a href="([^"]+)">', figure).group(1)
    assert link == "/open-data/pm25-readings.csv?from=2025-03-04&amp;to=2026-03-03"
    assert client.get(link.replace("&amp;", "&")).status_code == 200


def test_days_above_the_standard_in_the_window_are_counted(client):
    lampang = Station(code="37t", name_th="ลำปาง", name_en="Lampang")
    db.session.add(lampang)
    db.session.flush()
    day_readings(lampang, date(2024, 1, 14), [90.0] * 24)  # the day before the window
    day_readings(lampang, date(2025, 1, 10), [50.0] * 24)
    day_readings(lampang, date(2025, 1, 11), [20.0] * 24)
    day_readings(lampang, date(2025, 1, 12), [37.5] * 24)  # at the standard, not above
    day_readings(lampang, date(2025, 1, 13), [60.0] * 17)  # 17 hours: not a valid day
    db.session.commit()
    text = page(client, URL + "?lang=en")
    figures = text.split('class="kpi-figures pm25-figures"')[1].split("</dl>")[0]
    assert "1 day" in figures and "of 3 days with data" in figures
    assert "January 15, 2024 to January 13, 2025"  # 2024 is a leap year in figures
    # Old data still shows: the window ends at the latest reading, not today.
    assert "No PM2.5 readings" not in text


def test_a_station_filter_shows_that_stations_series(client, march):
    text = page(client, URL + "?lang=en&station=38t")
    figure = text.split('id="pm25-daily"')[1].split("</figure>")[0]
    assert '<title id="pm25-daily-title">Daily PM2.5 at Sop Pat</title>' in figure
    assert "/open-data/pm25-readings.csv?station=38t&amp;from=2025-03-04&amp;to=2026-03-03" in (
        figure
    )
    assert '<option value="38t" selected>' in text
    assert '<label for="station">Station</label>' in text
    # Each station links to its own series.
    assert 'href="/air-quality?station=39t#pm25-title"' in text


def test_the_filter_form_offers_the_province_mean_by_default(client, march):
    text = page(client, URL + "?lang=en")
    form = text.split('<form method="get"')[1].split("</form>")[0]
    assert '<option value="">Province mean (every station)</option>' in form
    assert " selected" not in form
    assert '<button type="submit">Show</button>' in form


@pytest.mark.parametrize("code", ["99x", "<script>", "x" * 500])
def test_an_unknown_station_says_so_and_shows_the_province(client, march, code):
    text = page(client, f"{URL}?lang=en&station={code}", status=404)
    assert "There is no station with the code" in text
    assert "<script>" not in text.split("<main")[1]
    assert "Daily PM2.5, mean of the province" in text


def test_a_station_without_readings_shows_an_empty_chart(client, march):
    db.session.add(Station(code="99t", name_th="ใหม่", name_en="New station"))
    db.session.commit()
    text = page(client, URL + "?lang=en&station=99t")
    assert "No PM2.5 readings from this station have been imported yet." in text
    assert "New station" in text


def test_hotspots_per_month_and_per_district_for_the_last_twelve_months(client):
    north = District(code="5201", name_th="เมืองลำปาง", name_en="Mueang Lampang", boundary=[])
    south = District(code="5202", name_th="แม่เมาะ", name_en="Mae Mo", boundary=[])
    quiet = District(code="5203", name_th="เกาะคา", name_en="Ko Kha", boundary=[])
    db.session.add_all([north, south, quiet])
    db.session.flush()
    hotspot(bangkok(date(2024, 3, 5), 13), north)  # more than 12 months before the latest
    hotspot(bangkok(date(2025, 4, 1), 13), north)
    for day in (1, 2, 3):
        hotspot(bangkok(date(2026, 3, day), 13), south)
    db.session.commit()
    text = page(client, URL + "?lang=en")
    figure = text.split('id="hotspots-monthly"')[1].split("</figure>")[0]
    assert "<title id=\"hotspots-monthly-title\">Fire hotspots per month</title>" in figure
    assert "April 2025 to March 2026" in figure
    assert figure.count('class="bar bar-fire"') == 12
    table = text.split('class="hotspot-districts"')[1].split("</table>")[0]
    rows = re.findall(r'rowheader"[^>]*>([^<]+)</th>\s*<td[^>]*>(\d+)</td>', table)
    assert rows == [("Mae Mo", "3"), ("Mueang Lampang", "1"), ("Ko Kha", "0")]
    assert "approximate boundaries" in text
    assert 'href="/open-data/hotspots.csv?from=2025-04-01&amp;to=2026-03-31"' in figure


def test_hotspots_from_imported_files_show_district_names_in_thai(client, tmp_path):
    import_fires(tmp_path, date(2026, 3, 1), date(2026, 3, 7))
    db.session.commit()
    stored = db.session.scalar(sa.select(sa.func.count()).select_from(Hotspot))
    text = page(client, URL + "?lang=th")
    table = text.split('class="hotspot-districts"')[1].split("</table>")[0]
    counts = [int(n) for n in re.findall(r'class="number">([\d,]+)</td>', table)]
    assert sum(counts) == stored > 0  # those outside every district are not stored
    assert "แม่เมาะ" in table and "Mae Mo" not in table


def test_the_kpis_show_with_status_and_links(client, make):
    scene = Group(make)
    kpi = scene.kpi(rule=Rule.HOTSPOTS_PER_MONTH, name_en="Hotspots per month")
    db.session.commit()
    text = page(client, URL + "?lang=en")
    section = text.split('id="kpis-title"')[1].split("</section>")[0]
    assert f'href="/kpis/{kpi.id}"' in section and "Hotspots per month" in section
    assert re.search(r'</a>\s*<span class="badge badge-\w+">', section)
    assert 'href="/kpis"' in section
    assert 'href="/open-data"' in text


def test_the_latest_imports_show_and_only_importers_see_the_upload_link(
    client, march, make, login
):
    text = page(client, URL + "?lang=en")
    section = text.split('id="imports-title"')[1].split("</section>")[0]
    assert "air-2026-03-01-2026-03-03.json" in section
    assert "fires-2026-03-01-2026-03-07.csv" in section
    assert "PM2.5 readings" in section and "Fire hotspots" in section
    for data_import in db.session.scalars(sa.select(DataImport)):
        assert f'data-label="New rows" class="number">{data_import.new_rows}</td>' in section
    assert 'href="/data/import"' not in text
    member = make.member(make.group(), role=SeatRole.MEMBER)
    login(member)
    assert 'href="/data/import"' not in page(client, URL)
    secretary = make.member(make.group(), role=SeatRole.SECRETARY)
    login(secretary)
    assert 'href="/data/import"' in page(client, URL)


def test_an_empty_instance_says_there_is_no_data_yet(client):
    text = page(client, URL + "?lang=en")
    assert "No air-quality station has sent data yet." in text
    assert "No PM2.5 readings have been imported yet." in text
    assert "No fire hotspots have been imported yet." in text
    assert "No KPIs have been defined yet." in text
    assert "No data file has been imported yet." in text
    assert page(client, URL + "?lang=th&station=37t", status=404)


def test_the_page_runs_the_same_number_of_queries_whatever_the_data_size(
    client, make, tmp_path
):
    scene = Group(make)
    scene.kpi(rule=Rule.PM25_DAYS_ABOVE_STANDARD)
    scene.kpi(rule=Rule.HOTSPOTS_PER_MONTH, name_en="Hotspots")
    import_air(tmp_path, date(2026, 3, 1), date(2026, 3, 3))
    import_fires(tmp_path, date(2026, 3, 1), date(2026, 3, 2))
    db.session.commit()
    small, _text = page_queries(client, URL)
    small_station, _text = page_queries(client, URL + "?station=37t")
    import_air(tmp_path, date(2026, 1, 1), date(2026, 2, 28))
    import_fires(tmp_path, date(2025, 12, 1), date(2026, 3, 31))
    db.session.commit()
    large, text = page_queries(client, URL)
    large_station, _text = page_queries(client, URL + "?station=37t")
    assert small == large == small_station == large_station
    assert large <= 12
    assert "January 2026" in text


def test_the_page_counts_readings_days_in_bangkok_time(client):
    lampang = Station(code="37t", name_th="ลำปาง", name_en="Lampang")
    db.session.add(lampang)
    db.session.flush()
    # 24 hours of one Bangkok day, the last stamped at midnight after it.
    day_readings(lampang, date(2026, 3, 1), [10.0] * 24)
    db.session.commit()
    text = page(client, URL + "?lang=en")
    assert "March 1, 2026" in cells(text, "Latest 24-hour mean")[0]
    assert "Very good" in cells(text, "Air quality")[0]
    assert (date(2026, 3, 1) - timedelta(days=364)).strftime("%B %-d, %Y") in text


def test_a_station_whose_data_stopped_earlier_shows_its_own_last_year(client):
    old = Station(code="37t", name_th="เก่า", name_en="Old station")
    new = Station(code="38t", name_th="ใหม่", name_en="New station")
    db.session.add_all([old, new])
    db.session.flush()
    day_readings(old, date(2024, 6, 1), [50.0] * 24)
    day_readings(new, date(2026, 3, 1), [10.0] * 24)
    db.session.commit()
    province = page(client, URL + "?lang=en")
    assert "March 2, 2025 to March 1, 2026" in province
    assert "0 days" in province and "of 1 day with data" in province
    station = page(client, URL + "?lang=en&station=37t")
    assert "June 3, 2023 to June 1, 2024" in station
    assert "1 day" in station and "of 1 day with data" in station
    assert "June 1, 2024" in cells(station, "Latest 24-hour mean")[0]
