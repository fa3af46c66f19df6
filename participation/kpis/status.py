"""The status of a KPI: on track, at risk, off track or no data, by one documented rule.

The rule (shown in plain words on every KPI page, see `status_rule_text`):

1. Current value: for a KPI entered by hand, the latest measurement; for a KPI derived monthly
   from data, the mean of its latest 12 monthly values, so that one season (the burning
   season from February to April) does not swing the status up and down.
2. Planned path: a straight line from the baseline value at the end of the baseline period to
   the target value at the target date. The expected value on a day is the value on that
   line: the baseline before the line starts, the target from the target date on.
3. Better means lower for a KPI where lower is better (PM2.5, hotspots), higher otherwise.
4. Status, as of today, the first that applies:
   - NO_DATA: there is no measurement yet.
   - OFF_TRACK: the target date has passed and the current value has not reached the target.
   - ON_TRACK: the current value is at or better than the expected value.
   - AT_RISK: behind the planned path, but better than the baseline.
   - OFF_TRACK: behind the planned path and no better than the baseline.
5. Progress: the share of the way from the baseline to the target already made by the
   current value, between 0 and 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from statistics import fmean
from typing import Protocol

from flask_babel import lazy_gettext as _l

from participation.kpis.models import Direction, Rule, Status

# How many monthly values the current value of a derived KPI averages.
DERIVED_WINDOW = 12


class HasValue(Protocol):
    period_start: date
    value: float


class KpiDefinition(Protocol):
    direction: Direction
    rule: Rule
    baseline_value: float
    baseline_end: date
    target_value: float
    target_date: date


@dataclass(frozen=True)
class StatusReport:
    status: Status
    current: float | None
    expected: float
    progress_fraction: float | None


def current_value(kpi: KpiDefinition, measurements: Sequence[HasValue]) -> float | None:
    """The latest value, or for a derived KPI the mean of its latest 12 monthly values."""
    if not measurements:
        return None
    ordered = sorted(measurements, key=lambda m: m.period_start)
    if kpi.rule.derived:
        return fmean(m.value for m in ordered[-DERIVED_WINDOW:])
    return ordered[-1].value


def expected_value(kpi: KpiDefinition, as_of: date) -> float:
    """The value on the planned straight line from baseline to target on a day."""
    if as_of <= kpi.baseline_end:
        return kpi.baseline_value
    if as_of >= kpi.target_date:
        return kpi.target_value
    elapsed = (as_of - kpi.baseline_end).days
    span = (kpi.target_date - kpi.baseline_end).days
    return kpi.baseline_value + (kpi.target_value - kpi.baseline_value) * elapsed / span


def _at_or_better(direction: Direction, value: float, reference: float) -> bool:
    return value <= reference if direction is Direction.LOWER else value >= reference


def _better(direction: Direction, value: float, reference: float) -> bool:
    return value < reference if direction is Direction.LOWER else value > reference


def progress_fraction(kpi: KpiDefinition, current: float | None) -> float | None:
    """How far from the baseline towards the target the current value is, from 0 to 1."""
    if current is None or kpi.target_value == kpi.baseline_value:
        return None
    fraction = (current - kpi.baseline_value) / (kpi.target_value - kpi.baseline_value)
    return min(1.0, max(0.0, fraction))


def kpi_status(kpi: KpiDefinition, measurements: Sequence[HasValue], as_of: date) -> StatusReport:
    """Apply the status rule of this module's docstring."""
    expected = expected_value(kpi, as_of)
    current = current_value(kpi, measurements)
    if current is None:
        return StatusReport(Status.NO_DATA, None, expected, None)
    direction = kpi.direction
    if as_of > kpi.target_date and not _at_or_better(direction, current, kpi.target_value):
        status = Status.OFF_TRACK
    elif _at_or_better(direction, current, expected):
        status = Status.ON_TRACK
    elif _better(direction, current, kpi.baseline_value):
        status = Status.AT_RISK
    else:
        status = Status.OFF_TRACK
    return StatusReport(status, current, expected, progress_fraction(kpi, current))


# i18n: the status rule as shown on each KPI page, one sentence per item.
STATUS_RULE = (
    _l("The current value is the latest value entered; for a KPI derived monthly from data it "
       "is the mean of the latest 12 monthly values, so that one burning season does not swing "
       "the status."),
    _l("The planned path is a straight line from the baseline value at the end of the baseline "
       "period to the target value at the target date; the expected value today is the value "
       "on that line."),
    _l("On track: the current value is at or better than the expected value."),
    _l("At risk: behind the planned path, but better than the baseline."),
    _l("Off track: behind the planned path and no better than the baseline, or the target "
       "date has passed without reaching the target."),
    _l("No data: nothing has been measured yet."),
)
