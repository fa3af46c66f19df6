"""The import commands: a summary per file, rejected rows with lines, refusal exit code."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from participation.environment import cli
from participation.environment.models import District, Reading
from participation.extensions import db

FILES = Path(__file__).parent / "files"
SAMPLES = Path(cli.__file__).parent / "samples"
YEAR_CSV = SAMPLES / "pm25-lampang-20251101-20261031-synthetic.csv"


def test_import_air_prints_new_then_duplicates_for_the_sample_year(runner):
    rows = len(YEAR_CSV.read_text().splitlines()) - 1

    first = runner.invoke(args=["import-air", str(YEAR_CSV)])
    assert first.exit_code == 0, first.output
    assert f"new: {rows}" in first.output
    assert "rejected: 0" in first.output

    second = runner.invoke(args=["import-air", str(YEAR_CSV)])
    assert second.exit_code == 0, second.output
    assert "new: 0" in second.output
    assert f"duplicates: {rows}" in second.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Reading)) == rows


def test_import_air_lists_each_rejected_row_with_its_line_and_reason(runner):
    result = runner.invoke(args=["import-air", str(FILES / "air-some-bad-rows.csv")])
    assert result.exit_code == 0, result.output
    assert "new: 2" in result.output
    assert "rejected: 6" in result.output
    assert "line 3: PM2.5 is not a number" in result.output
    assert "line 10: the row has 2 fields instead of 3" in result.output


def test_a_long_list_of_rejected_rows_is_cut_with_a_count(runner, tmp_path):
    path = tmp_path / "many-bad.csv"
    path.write_text("station_id,timestamp,pm25\n" + "37t,never,1\n" * 60)
    result = runner.invoke(args=["import-air", str(path)])
    assert "line 51:" in result.output
    assert "line 52:" not in result.output
    assert "and 10 more" in result.output


def test_a_refused_file_exits_non_zero_and_the_other_files_still_import(runner):
    result = runner.invoke(args=["import-air", str(FILES / "air-bad-header.csv"),
                                 str(FILES / "air-some-bad-rows.csv")])
    assert result.exit_code == 1
    assert "refused, nothing imported: Unknown column layout" in result.output
    assert "new: 2" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Reading)) == 2


def test_import_hotspots_reports_those_outside_every_district(runner):
    result = runner.invoke(args=["import-hotspots", "--lang", "th",
                                 str(FILES / "firms-viirs-some-bad-rows.csv")])
    assert result.exit_code == 0, result.output
    english = runner.invoke(args=["import-hotspots",
                                  str(FILES / "firms-viirs-some-bad-rows.csv")])
    assert "outside every district (not stored): 1" in english.output
    assert "duplicates: 2" in english.output


def test_load_districts_loads_the_shipped_file_and_is_repeatable(runner):
    first = runner.invoke(args=["load-districts"])
    assert first.exit_code == 0, first.output
    assert "13 created, 0 updated" in first.output
    second = runner.invoke(args=["load-districts"])
    assert "0 created, 0 updated" in second.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(District)) == 13


def test_write_sample_data_writes_files_the_importers_accept(runner, tmp_path):
    result = runner.invoke(args=["write-sample-data", str(tmp_path), "--start", "2026-03-01",
                                 "--end", "2026-03-03", "--seed", "5"])
    assert result.exit_code == 0, result.output
    written = sorted(path.name for path in tmp_path.iterdir())
    assert written == ["firms-viirs-lampang-20260301-20260303-synthetic.csv",
                       "pm25-lampang-20260301-20260303-synthetic.csv"]
    imported = runner.invoke(args=["import-air", str(tmp_path / written[1])])
    assert "rejected: 0" in imported.output
