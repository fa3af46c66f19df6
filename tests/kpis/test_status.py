"""The status rule, for both directions and every branch."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from participation.kpis.models import Direction, Rule, Status
from participation.kpis.status import expected_value, kpi_status

BASELINE_END = date(2024, 12, 31)
TARGET_DATE = date(2026, 12, 31)
HALFWAY = date(2025, 12, 31)   # 365 of 730 days along the path


@dataclass
class Definition:
    direction: Direction
    rule: Rule = Rule.MANUAL
    baseline_value: float = 20.0
    baseline_end: date = BASELINE_END
    target_value: float = 10.0
    target_date: date = TARGET_DATE


@dataclass
class Value:
    period_start: date
    value: float


def lower(**kw) -> Definition:
    return Definition(Direction.LOWER, baseline_value=20.0, target_value=10.0, **kw)


def higher(**kw) -> Definition:
    return Definition(Direction.HIGHER, baseline_value=10.0, target_value=20.0, **kw)


def mirror(value: float) -> float:
    """The same position on the higher-is-better KPI (baseline 10, target 20)."""
    return 30.0 - value


def test_expected_value_follows_a_straight_line_and_is_clamped():
    kpi = lower()
    assert expected_value(kpi, date(2024, 6, 1)) == 20.0
    assert expected_value(kpi, BASELINE_END) == 20.0
    assert expected_value(kpi, HALFWAY) == 15.0
    assert expected_value(kpi, TARGET_DATE) == 10.0
    assert expected_value(kpi, date(2030, 1, 1)) == 10.0


CASES = [
    # (value on the lower-is-better KPI, as of, status, progress)
    pytest.param(14.0, HALFWAY, Status.ON_TRACK, 0.6, id="better-than-the-path"),
    pytest.param(15.0, HALFWAY, Status.ON_TRACK, 0.5, id="exactly-on-the-path"),
    pytest.param(17.0, HALFWAY, Status.AT_RISK, 0.3, id="behind-but-better-than-baseline"),
    pytest.param(20.0, HALFWAY, Status.OFF_TRACK, 0.0, id="at-the-baseline"),
    pytest.param(25.0, HALFWAY, Status.OFF_TRACK, 0.0, id="worse-than-the-baseline"),
    pytest.param(20.0, date(2024, 6, 1), Status.ON_TRACK, 0.0, id="before-the-path-starts"),
    pytest.param(10.0, date(2027, 3, 1), Status.ON_TRACK, 1.0, id="target-reached-after-date"),
    pytest.param(8.0, date(2027, 3, 1), Status.ON_TRACK, 1.0, id="target-beaten"),
    pytest.param(11.0, date(2027, 3, 1), Status.OFF_TRACK, 0.9, id="target-date-passed"),
]


@pytest.mark.parametrize(("value", "as_of", "status", "progress"), CASES)
def test_status_of_a_lower_is_better_kpi(value, as_of, status, progress):
    report = kpi_status(lower(), [Value(date(2025, 6, 1), value)], as_of)
    assert report.status is status
    assert report.current == value
    assert report.progress_fraction == pytest.approx(progress)


@pytest.mark.parametrize(("value", "as_of", "status", "progress"), CASES)
def test_status_of_a_higher_is_better_kpi(value, as_of, status, progress):
    report = kpi_status(higher(), [Value(date(2025, 6, 1), mirror(value))], as_of)
    assert report.status is status
    assert report.current == mirror(value)
    assert report.progress_fraction == pytest.approx(progress)


@pytest.mark.parametrize("kpi", [lower(), higher()], ids=["lower", "higher"])
def test_no_measurement_means_no_data(kpi):
    report = kpi_status(kpi, [], HALFWAY)
    assert report.status is Status.NO_DATA
    assert report.current is None
    assert report.progress_fraction is None
    assert report.expected == 15.0


def test_a_manual_kpi_is_judged_on_its_latest_value():
    values = [Value(date(2025, 9, 1), 12.0), Value(date(2025, 3, 1), 30.0),
              Value(date(2025, 12, 1), 18.0)]
    report = kpi_status(lower(), values, HALFWAY)
    assert report.current == 18.0
    assert report.status is Status.AT_RISK


def test_a_derived_kpi_is_judged_on_the_mean_of_its_latest_12_months():
    # The burning season (three months at 40) would put one month far off the path; the
    # 12-month mean is what counts. An older, 13th month is left out.
    months = [Value(date(2025, m, 1), 40.0 if m in (2, 3, 4) else 6.0) for m in range(1, 13)]
    older = Value(date(2024, 12, 1), 1000.0)
    report = kpi_status(lower(rule=Rule.PM25_DAYS_ABOVE_STANDARD), [older, *months], HALFWAY)
    assert report.current == pytest.approx((3 * 40 + 9 * 6) / 12)   # 14.5
    assert report.status is Status.ON_TRACK
    latest_only = kpi_status(lower(), [older, *months], HALFWAY)
    assert latest_only.current == 6.0


def test_a_target_equal_to_the_baseline_has_no_progress_fraction():
    kpi = Definition(Direction.LOWER, baseline_value=20.0, target_value=20.0)
    report = kpi_status(kpi, [Value(date(2025, 1, 1), 20.0)], HALFWAY)
    assert report.status is Status.ON_TRACK
    assert report.progress_fraction is None
