"""The derived rules: Bangkok days and months, the 18-hour minimum, station and province
scope, hotspots per month and district."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from participation.kpis.models import Rule
from participation.kpis.rules import RuleData, derived_values
from tests.kpis.scene import bangkok, day_readings, district, hotspot, station

JAN, FEB, MAR = date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1)


def values(rule: Rule, *, station_id=None, district_id=None, since=None):
    return RuleData(since).values(rule, station_id=station_id, district_id=district_id)


def test_a_reading_stamped_at_bangkok_midnight_belongs_to_the_day_before(app):
    here = station()
    # 31 January: 24 hours at 50; the last one ends at 00:00 on 1 February (17:00 UTC).
    day_readings(here, date(2025, 1, 31), [50.0] * 24)
    # 1 February: 24 hours at 10; the first ends at 01:00, which is still 31 January in UTC.
    day_readings(here, date(2025, 2, 1), [10.0] * 24)

    assert values(Rule.PM25_MONTHLY_MEAN, station_id=here.id) == {JAN: 50.0, FEB: 10.0}
    assert values(Rule.PM25_DAYS_ABOVE_STANDARD, station_id=here.id) == {JAN: 1.0, FEB: 0.0}


def test_days_above_standard_counts_days_whose_mean_is_strictly_above_37_5(app):
    here = station()
    day_readings(here, date(2025, 3, 1), [37.5] * 24)            # at the standard: not above
    day_readings(here, date(2025, 3, 2), [37.0] * 12 + [39.0] * 12)  # mean 38: above
    day_readings(here, date(2025, 3, 3), [80.0] * 24)            # above
    day_readings(here, date(2025, 3, 4), [5.0] * 24)

    assert values(Rule.PM25_DAYS_ABOVE_STANDARD, station_id=here.id) == {MAR: 2.0}
    assert values(Rule.PM25_MONTHLY_MEAN, station_id=here.id) == {
        MAR: pytest.approx((37.5 + 38 + 80 + 5) / 4)
    }


def test_a_day_needs_18_hourly_readings_to_count(app):
    here = station()
    day_readings(here, date(2025, 1, 10), [90.0] * 17)   # 17 hours: not a valid day
    day_readings(here, date(2025, 2, 10), [90.0] * 18)   # 18 hours: valid

    assert values(Rule.PM25_DAYS_ABOVE_STANDARD, station_id=here.id) == {FEB: 1.0}
    assert values(Rule.PM25_MONTHLY_MEAN, station_id=here.id) == {FEB: 90.0}


def test_province_scope_is_the_mean_of_the_valid_station_daily_means(app):
    clean, smoky, patchy = station(), station(), station()
    day = date(2025, 1, 20)
    day_readings(clean, day, [30.0] * 24)
    day_readings(smoky, day, [50.0] * 18)         # 18 hours, mean 50: counts once, like clean
    day_readings(patchy, day, [500.0] * 10)       # 10 hours: ignored
    day_readings(clean, day + timedelta(days=1), [20.0] * 24)   # only one station that day

    days = values(Rule.PM25_DAYS_ABOVE_STANDARD)
    means = values(Rule.PM25_MONTHLY_MEAN)

    assert days == {JAN: 1.0}                     # (30 + 50) / 2 = 40 > 37.5; then 20
    assert means == {JAN: pytest.approx((40.0 + 20.0) / 2)}
    assert values(Rule.PM25_DAYS_ABOVE_STANDARD, station_id=clean.id) == {JAN: 0.0}


def test_months_without_valid_days_give_no_value(app):
    here = station()
    day_readings(here, date(2025, 1, 5), [10.0] * 24)
    day_readings(here, date(2025, 3, 5), [10.0] * 24)

    assert set(values(Rule.PM25_MONTHLY_MEAN, station_id=here.id)) == {JAN, MAR}
    assert values(Rule.PM25_MONTHLY_MEAN, station_id=here.id + 1000) == {}


def test_since_reads_only_from_the_first_day_of_its_month(app):
    here = station()
    day_readings(here, date(2025, 1, 31), [50.0] * 24)
    day_readings(here, date(2025, 2, 1), [10.0] * 24)

    assert values(Rule.PM25_MONTHLY_MEAN, station_id=here.id, since=date(2025, 2, 20)) == {
        FEB: 10.0
    }


def test_hotspots_count_per_bangkok_month_and_district(app):
    mae_moh, ngao = district(), district()
    hotspot(bangkok(date(2025, 1, 31), 23, 30), mae_moh)   # 16:30 UTC: January
    hotspot(bangkok(date(2025, 3, 1), 3, 0), mae_moh)      # 28 February 20:00 UTC: March
    hotspot(bangkok(date(2025, 3, 15), 13, 0), ngao)
    hotspot(bangkok(date(2025, 3, 16), 13, 0), None)        # in the province, no district

    assert values(Rule.HOTSPOTS_PER_MONTH, district_id=mae_moh.id) == {
        JAN: 1.0, FEB: 0.0, MAR: 1.0
    }
    assert values(Rule.HOTSPOTS_PER_MONTH, district_id=ngao.id) == {JAN: 0.0, FEB: 0.0, MAR: 1.0}
    assert values(Rule.HOTSPOTS_PER_MONTH) == {JAN: 1.0, FEB: 0.0, MAR: 3.0}


def test_no_hotspot_data_gives_no_months(app):
    assert values(Rule.HOTSPOTS_PER_MONTH) == {}


def test_several_rules_share_one_query_per_data_kind(app):
    from tests.querycount import count_queries

    here, there = station(), district()
    day_readings(here, date(2025, 1, 5), [40.0] * 24)
    hotspot(bangkok(date(2025, 1, 5), 12), there)
    rules = [(Rule.PM25_MONTHLY_MEAN, here.id, None), (Rule.PM25_DAYS_ABOVE_STANDARD, None, None),
             (Rule.HOTSPOTS_PER_MONTH, None, there.id), (Rule.HOTSPOTS_PER_MONTH, None, None)]
    with count_queries() as queries:
        results = derived_values(rules)
    assert len(queries) == 3, queries.statements   # readings; hotspots; hotspot date span
    assert results == [{JAN: 40.0}, {JAN: 1.0}, {JAN: 1.0}, {JAN: 1.0}]
