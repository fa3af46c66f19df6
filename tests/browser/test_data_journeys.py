"""Open data in a real browser, in Thai and in English: the secretariat imports a file twice and
nothing doubles, the lead agency records a KPI value that the log keeps, and a visitor reads the
dashboard and the KPIs and downloads the data."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.journeys import definitions, expect_flash, number_in, words

LANGUAGES = pytest.mark.parametrize("language", ["th", "en"])
# Each language imports readings of its own year, so the journey can run once per language.
YEAR = {"th": 2019, "en": 2020}


def readings_file(folder: Path, language: str) -> Path:
    """Three good hourly readings of station 37t and one that is not a number (line 4)."""
    year = YEAR[language]
    path = folder / f"pm25-{language}-synthetic.csv"
    path.write_text(
        "station_id,timestamp,pm25\n"
        f"37t,{year}-03-01T08:00:00+07:00,81.5\n"
        f"37t,{year}-03-01T09:00:00+07:00,84.0\n"
        f"37t,{year}-03-01T10:00:00+07:00,not measured\n"
        f"37t,{year}-03-01T11:00:00+07:00,79.25\n",
        encoding="utf-8",
    )
    return path


def upload(page: Page, language: str, path: Path) -> dict[str, str]:
    """Import a PM2.5 file through the upload page; return the summary the page shows."""
    w = words(language)
    page.goto("/data/import")
    page.get_by_label(w("PM2.5 readings")).check()
    page.locator("input[type=file]").set_input_files(path)
    with page.expect_navigation():
        page.get_by_role("button", name=w("Import the file")).click()
    expect(page.get_by_role("heading", name=w("Imported %(file)s", file=path.name))).to_be_visible()
    return definitions(page, "dl.import-counts")


@LANGUAGES
def test_importing_the_same_file_twice_adds_nothing_and_lists_the_bad_row(
    pages, language, tmp_path
):
    w = words(language)
    path = readings_file(tmp_path, language)
    secretary = pages.open(language, who="secretary")

    first = upload(secretary, language, path)
    assert number_in(first[w("New rows")]) == 3
    assert number_in(first[w("Rejected rows")]) == 1
    expect(secretary.locator(".rejected-rows li")).to_have_count(1)
    expect(secretary.locator(".rejected-rows li")).to_contain_text(
        w("Line %(line)s: %(reason)s", line=4, reason="").rstrip(": ")
    )

    again = upload(secretary, language, path)
    assert number_in(again[w("New rows")]) == 0
    assert number_in(again[w("Duplicates (already imported)")]) == 3

    # The log keeps both imports, each with its counts.
    secretary.goto("/log?subject_type=data_import")
    rows = secretary.locator("table.log tbody tr").filter(has_text=path.name)
    expect(rows).to_have_count(2)


def recorded_values(page: Page, language: str) -> int:
    """How many "KPI measurement recorded" entries the log shows."""
    page.goto("/log?subject_type=kpi")
    return page.locator("table.log tbody tr").filter(
        has_text=words(language)("KPI measurement recorded")
    ).count()


@LANGUAGES
def test_the_lead_agency_records_a_kpi_value_that_the_log_keeps(pages, language):
    w = words(language)
    visitor = pages.open(language)
    before = recorded_values(visitor, language)

    agency = pages.open(language, who="agency.environment")
    agency.goto("/kpis")
    agency.locator("#main a[href^='/kpis/']").filter(
        has_text=w.bilingual("ชุดข้อมูลด้านฝุ่นที่เผยแพร่เป็นข้อมูลเปิด",
                             "Dust-related datasets published as open data")
    ).first.click()
    day = {"th": "2026-06-01", "en": "2026-06-02"}[language]
    agency.get_by_label(w("Date the value refers to")).fill(day)
    agency.get_by_label(w("Value"), exact=True).fill("11")
    agency.get_by_label(w("Source"), exact=True).fill("Provincial environment office")
    agency.get_by_label(w("Evidence link"), exact=True).fill(f"https://example.org/{language}")
    with agency.expect_navigation():
        agency.get_by_role("button", name=w("Record the value")).click()
    expect_flash(agency, w("The value is recorded."))
    recorded = agency.locator("table[aria-labelledby=measurements] tbody tr").filter(
        has=agency.locator(f"a[href='https://example.org/{language}']"))
    expect(recorded).to_have_count(1)

    # A visitor finds one more such entry in the public log.
    assert recorded_values(visitor, language) == before + 1


@LANGUAGES
def test_a_visitor_reads_the_dashboard_and_the_kpis_and_downloads_the_data(pages, language):
    w = words(language)
    visitor = pages.open(language)
    visitor.goto("/")
    visitor.get_by_role("link", name=w("Air quality")).first.click()

    # The daily PM2.5 chart, described for screen readers, with its numbers a click away.
    chart = visitor.locator("figure.chart").first
    expect(chart.locator("svg[role=img]")).to_have_count(1)
    expect(chart.locator("svg title")).not_to_have_text("")
    chart.locator("summary").click()
    expect(chart.locator("table tbody tr").first).to_be_visible()

    # From the dashboard to a KPI: its status, baseline, target and trend.
    visitor.locator("#main a[href^='/kpis/']").first.click()
    expect(visitor.locator("h1")).to_be_visible()
    expect(visitor.locator(".badge").first).to_be_visible()
    expect(visitor.locator("figure.chart svg[role=img]")).to_have_count(1)

    # The open-data page offers every dataset; the readings download opens in Excel in Thai.
    visitor.get_by_role("link", name=w("Open data")).first.click()
    csv_link = visitor.locator("a[href$='.csv']").filter(has_text="CSV").first
    expect(csv_link).to_be_visible()
    href = visitor.locator("a[href*='pm25'][href$='.csv']").first.get_attribute("href")
    response = visitor.request.get(href)
    assert response.ok
    body = response.body()
    assert body.startswith(b"\xef\xbb\xbf"), "no byte-order mark for Excel"
    header = next(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert "pm25" in header
    package = visitor.request.get("/open-data/datapackage.json").json()
    assert any(resource["path"].endswith(href.rsplit("/", 1)[-1])
               for resource in package["resources"])
