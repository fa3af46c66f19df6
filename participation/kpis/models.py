"""Joint KPIs, their owners and commitments, and their measurements over time."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participation.accounts.models import Organisation, User
from participation.commitments.models import Commitment
from participation.core.enums import LabelledEnum, set_labels
from participation.core.i18n import Bilingual, current_language
from participation.core.models import Base, Timestamped, enum_type, utcnow
from participation.environment.models import District, Station
from participation.groups.models import WorkingGroup


class Direction(LabelledEnum):
    LOWER = "lower"
    HIGHER = "higher"


class Rule(LabelledEnum):
    """How measurements arrive: typed in, or derived monthly from imported data."""

    MANUAL = "manual"
    PM25_DAYS_ABOVE_STANDARD = "pm25_days_above_standard"
    PM25_MONTHLY_MEAN = "pm25_monthly_mean"
    HOTSPOTS_PER_MONTH = "hotspots_per_month"

    @property
    def derived(self) -> bool:
        return self is not Rule.MANUAL


class Status(LabelledEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    NO_DATA = "no_data"


set_labels(
    {
        Direction.LOWER: _l("Lower is better"),
        Direction.HIGHER: _l("Higher is better"),
        Rule.MANUAL: _l("Entered by the secretariat or the lead agency"),
        Rule.PM25_DAYS_ABOVE_STANDARD: _l(
            "Days per month with a 24-hour mean PM2.5 above the national standard (37.5 µg/m³)"
        ),
        Rule.PM25_MONTHLY_MEAN: _l("Monthly mean PM2.5"),
        Rule.HOTSPOTS_PER_MONTH: _l("Fire hotspots per month"),
        Status.ON_TRACK: _l("On track"),
        Status.AT_RISK: _l("At risk"),
        Status.OFF_TRACK: _l("Off track"),
        Status.NO_DATA: _l("No data yet"),
    }
)

kpi_owners = sa.Table(
    "kpi_owners",
    Base.metadata,
    sa.Column("kpi_id", sa.ForeignKey("kpis.id"), primary_key=True),
    sa.Column("organisation_id", sa.ForeignKey("organisations.id"), primary_key=True),
)

kpi_commitments = sa.Table(
    "kpi_commitments",
    Base.metadata,
    sa.Column("kpi_id", sa.ForeignKey("kpis.id"), primary_key=True),
    sa.Column("commitment_id", sa.ForeignKey("commitments.id"), primary_key=True),
)


class Kpi(Bilingual, Timestamped, Base):
    __tablename__ = "kpis"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("working_groups.id"), index=True)
    name_th: Mapped[str] = mapped_column(sa.String(300))
    name_en: Mapped[str] = mapped_column(sa.String(300), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    unit_th: Mapped[str] = mapped_column(sa.String(50))
    unit_en: Mapped[str] = mapped_column(sa.String(50), default="")
    direction: Mapped[Direction] = mapped_column(enum_type(Direction))
    baseline_value: Mapped[float]
    baseline_start: Mapped[date]
    baseline_end: Mapped[date]
    target_value: Mapped[float]
    target_date: Mapped[date]
    rule: Mapped[Rule] = mapped_column(enum_type(Rule), default=Rule.MANUAL)
    # Where a derived rule looks: one station (None: every station) or one district (None:
    # the whole province).
    station_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stations.id"))
    district_id: Mapped[int | None] = mapped_column(sa.ForeignKey("districts.id"))

    group: Mapped[WorkingGroup] = relationship()
    station: Mapped[Station | None] = relationship()
    district: Mapped[District | None] = relationship()
    owners: Mapped[list[Organisation]] = relationship(secondary=kpi_owners)
    commitments: Mapped[list[Commitment]] = relationship(secondary=kpi_commitments)
    measurements: Mapped[list[Measurement]] = relationship(
        back_populates="kpi", order_by="Measurement.period_start"
    )

    __table_args__ = (
        sa.CheckConstraint("baseline_end >= baseline_start", name="baseline_period"),
        sa.CheckConstraint("target_date > baseline_end", name="target_after_baseline"),
    )

    @property
    def unit(self) -> str:
        return self.unit_en if current_language() == "en" and self.unit_en else self.unit_th


class Measurement(Base):
    """A KPI's value for a period: a month for derived rules, the reported day when entered."""

    __tablename__ = "kpi_measurements"

    id: Mapped[int] = mapped_column(primary_key=True)
    kpi_id: Mapped[int] = mapped_column(sa.ForeignKey("kpis.id"))
    period_start: Mapped[date]
    value: Mapped[float]
    derived: Mapped[bool] = mapped_column(default=False)
    source: Mapped[str] = mapped_column(sa.String(300), default="")
    evidence_url: Mapped[str] = mapped_column(sa.String(500), default="")
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    kpi: Mapped[Kpi] = relationship(back_populates="measurements")
    author: Mapped[User | None] = relationship()

    __table_args__ = (sa.UniqueConstraint("kpi_id", "period_start"),)
