"""The synthetic sample generator: deterministic, seasonal, marked as synthetic."""

from __future__ import annotations

import json
import statistics
from datetime import date

from participation.environment import synthetic


def test_the_same_seed_gives_the_same_file_and_another_seed_another(tmp_path):
    first = synthetic.write_air_csv(tmp_path / "a.csv", date(2026, 3, 1), date(2026, 3, 2), 1)
    again = synthetic.write_air_csv(tmp_path / "b.csv", date(2026, 3, 1), date(2026, 3, 2), 1)
    other = synthetic.write_air_csv(tmp_path / "c.csv", date(2026, 3, 1), date(2026, 3, 2), 2)
    assert first.read_bytes() == again.read_bytes() != other.read_bytes()


def test_the_dry_season_is_much_smokier_than_the_rainy_season():
    means = synthetic.daily_means(date(2025, 12, 1), date(2026, 11, 30), seed=11)
    dry = statistics.mean(v for d, v in means.items() if d.month in (2, 3, 4))
    rainy = statistics.mean(v for d, v in means.items() if d.month in (6, 7, 8, 9))
    assert 50 <= dry <= 120
    assert 8 <= rainy <= 20


def test_air4thai_json_is_marked_synthetic_and_has_missing_values(tmp_path):
    path = synthetic.write_air4thai_json(tmp_path / "history.json", date(2026, 3, 1),
                                         date(2026, 3, 3), seed=4)
    document = json.loads(path.read_text(encoding="utf-8"))
    assert "SYNTHETIC" in document["note"]
    values = [record["PM25"] for station in document["stations"] for record in station["data"]]
    assert -1 in values
    assert len(values) > 250


def test_last_year_is_the_365_days_up_to_yesterday():
    from datetime import UTC, datetime

    start, end = synthetic.last_year(datetime(2026, 11, 26, 18, 0, tzinfo=UTC))
    # 01:00 on 27 November in Thailand.
    assert (start, end) == (date(2025, 11, 27), date(2026, 11, 26))
