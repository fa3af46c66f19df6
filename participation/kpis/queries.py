"""Reads about KPIs: the list with status, one KPI's page, a commitment's KPIs, the trend chart
and the choices of the KPI form."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload
from wtforms import SelectChoice

from participation.accounts.models import Organisation, User
from participation.commitments.models import Commitment
from participation.core.charts import Chart, ReferenceLine, line_chart
from participation.core.forms import choice
from participation.core.i18n import site_date
from participation.core.models import utcnow
from participation.environment.models import District, Station
from participation.extensions import db
from participation.groups.models import WorkingGroup
from participation.kpis.models import Kpi, Measurement, kpi_commitments
from participation.kpis.permissions import can_manage_kpis
from participation.kpis.status import DERIVED_WINDOW, StatusReport, kpi_status


@dataclass(frozen=True)
class Value:
    period_start: date
    value: float


@dataclass(frozen=True)
class KpiSummary:
    """A KPI with its status as of today, for lists."""

    kpi: Kpi
    report: StatusReport
    latest: date | None


def today() -> date:
    return site_date(utcnow())


def _latest_values(kpi_ids: Sequence[int]) -> dict[int, list[Value]]:
    """The latest values each KPI's status needs (12), in one query, oldest first."""
    if not kpi_ids:
        return {}
    rank = sa.func.row_number().over(
        partition_by=Measurement.kpi_id, order_by=Measurement.period_start.desc()
    )
    ranked = (
        sa.select(Measurement.kpi_id, Measurement.period_start, Measurement.value,
                  rank.label("rank"))
        .where(Measurement.kpi_id.in_(kpi_ids))
        .subquery()
    )
    rows = db.session.execute(
        sa.select(ranked.c.kpi_id, ranked.c.period_start, ranked.c.value)
        .where(ranked.c.rank <= DERIVED_WINDOW)
        .order_by(ranked.c.kpi_id, ranked.c.period_start)
    )
    values: dict[int, list[Value]] = defaultdict(list)
    for kpi_id, period_start, value in rows:
        values[kpi_id].append(Value(period_start, value))
    return values


def summarise(kpis: Sequence[Kpi], as_of: date | None = None) -> list[KpiSummary]:
    """Each KPI with its status as of a day (today), reading the values in one query."""
    as_of = as_of or today()
    values = _latest_values([kpi.id for kpi in kpis])
    summaries = []
    for kpi in kpis:
        own = values.get(kpi.id, [])
        summaries.append(
            KpiSummary(kpi, kpi_status(kpi, own, as_of), own[-1].period_start if own else None)
        )
    return summaries


def all_kpis() -> list[KpiSummary]:
    """Every KPI with its group and status, by group then Thai name."""
    kpis = db.session.scalars(
        sa.select(Kpi)
        .join(Kpi.group)
        .options(joinedload(Kpi.group))
        .order_by(WorkingGroup.name_th, Kpi.name_th, Kpi.id)
    ).all()
    return summarise(kpis)


def kpis_for_commitment(commitment_id: int) -> list[KpiSummary]:
    """The KPIs linked to a commitment, with status and current value, in two queries."""
    kpis = db.session.scalars(
        sa.select(Kpi)
        .join(kpi_commitments, kpi_commitments.c.kpi_id == Kpi.id)
        .where(kpi_commitments.c.commitment_id == commitment_id)
        .order_by(Kpi.name_th, Kpi.id)
    ).all()
    return summarise(kpis)


def get_kpi(kpi_id: int) -> Kpi | None:
    """One KPI with everything its page shows, measurements (and who entered them) included."""
    return db.session.scalars(
        sa.select(Kpi)
        .where(Kpi.id == kpi_id)
        .options(
            joinedload(Kpi.group),
            joinedload(Kpi.station),
            joinedload(Kpi.district),
            selectinload(Kpi.owners),
            selectinload(Kpi.commitments),
            selectinload(Kpi.measurements).joinedload(Measurement.author),
        )
    ).first()


def trend_chart(kpi: Kpi, measurements: Sequence[Measurement], report: StatusReport) -> Chart:
    """The KPI's values over time against its planned path, baseline and target."""
    unit = kpi.unit
    if kpi.rule.derived:
        description = _(
            "Monthly values of %(name)s, with the planned path from the baseline to the target.",
            name=kpi.name,
        )
    else:
        description = _(
            "Values of %(name)s as reported, with the planned path from the baseline to the "
            "target.", name=kpi.name,
        )
    return line_chart(
        chart_id=f"kpi-{kpi.id}-trend",
        title=_("Trend of %(name)s", name=kpi.name),
        description=description,
        points=[(m.period_start, m.value) for m in measurements],
        unit=unit,
        series_label=_("Measured value"),
        reference_lines=[
            ReferenceLine(kpi.target_value, _("Target"), "target"),
            ReferenceLine(kpi.baseline_value, _("Baseline"), "baseline"),
        ],
        path=((kpi.baseline_end, kpi.baseline_value), (kpi.target_date, kpi.target_value)),
        path_label=_("Planned path"),
        # The measurements table of the page holds the data.
        table_rows=(),
        table_url="#measurements",
        table_url_label=_("The values in a table"),
        empty_message=_("No values have been measured yet."),
    )


# Form choices


def organisation_choices() -> list[SelectChoice]:
    organisations = sorted(db.session.scalars(sa.select(Organisation)), key=lambda o: o.name)
    return [choice(org.id, org.name) for org in organisations]


def commitment_choices(group_id: int) -> list[SelectChoice]:
    rows = db.session.execute(
        sa.select(Commitment.id, Commitment.title)
        .where(Commitment.group_id == group_id)
        .order_by(Commitment.title, Commitment.id)
    )
    return [choice(row.id, row.title) for row in rows]


def station_choices() -> list[SelectChoice]:
    stations = db.session.scalars(sa.select(Station).order_by(Station.code)).all()
    return [choice(s.id, f"{s.code} {s.name}".strip()) for s in stations]


def district_choices() -> list[tuple[int, str]]:
    districts = db.session.scalars(sa.select(District).order_by(District.code)).all()
    return [(d.id, d.name) for d in districts]


def managed_groups(user: User | None) -> list[WorkingGroup]:
    """The groups whose KPIs the person may define."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    groups = db.session.scalars(sa.select(WorkingGroup).order_by(WorkingGroup.name_th))
    return [group for group in groups if can_manage_kpis(user, group.id)]

