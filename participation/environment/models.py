"""Stations, hourly PM2.5 readings, districts with approximate boundaries, satellite hotspots
and the record of each file imported."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participation.accounts.models import User
from participation.core.enums import LabelledEnum, set_labels
from participation.core.i18n import Bilingual
from participation.core.models import Base, enum_type, utcnow


class Station(Bilingual, Base):
    """An air-quality monitoring station, identified by its Air4Thai code (e.g. "37t")."""

    __tablename__ = "stations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(20), unique=True)
    name_th: Mapped[str] = mapped_column(sa.String(200), default="")
    name_en: Mapped[str] = mapped_column(sa.String(200), default="")
    area_th: Mapped[str] = mapped_column(sa.String(300), default="")
    area_en: Mapped[str] = mapped_column(sa.String(300), default="")
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Reading(Base):
    """One hourly PM2.5 concentration (µg/m³) at a station; the hour it ends, in UTC."""

    __tablename__ = "pm25_readings"

    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(sa.ForeignKey("stations.id"))
    measured_at: Mapped[datetime]
    pm25: Mapped[float]
    import_id: Mapped[int | None] = mapped_column(sa.ForeignKey("data_imports.id"))

    station: Mapped[Station] = relationship()

    __table_args__ = (
        # Idempotent imports: one reading per station and hour.
        sa.UniqueConstraint("station_id", "measured_at"),
        sa.Index("ix_pm25_readings_measured_at", "measured_at"),
        sa.CheckConstraint("pm25 >= 0", name="pm25_not_negative"),
    )


class District(Bilingual, Base):
    """A district (อำเภอ) with an approximate boundary, to place hotspots."""

    __tablename__ = "districts"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(10), unique=True)
    name_th: Mapped[str] = mapped_column(sa.String(200))
    name_en: Mapped[str] = mapped_column(sa.String(200), default="")
    # GeoJSON coordinates of one polygon ring: [[longitude, latitude], ...]
    boundary: Mapped[list[Any]] = mapped_column(default=list)


class Hotspot(Base):
    """One satellite fire detection (NASA FIRMS VIIRS or MODIS)."""

    __tablename__ = "hotspots"

    id: Mapped[int] = mapped_column(primary_key=True)
    latitude: Mapped[float]
    longitude: Mapped[float]
    detected_at: Mapped[datetime]
    satellite: Mapped[str] = mapped_column(sa.String(20))
    instrument: Mapped[str] = mapped_column(sa.String(20))
    confidence: Mapped[str] = mapped_column(sa.String(10), default="")
    version: Mapped[str] = mapped_column(sa.String(20), default="")
    # bright_ti4 (VIIRS) or brightness (MODIS), and bright_ti5 or bright_t31, in kelvin.
    brightness: Mapped[float | None]
    brightness_2: Mapped[float | None]
    scan: Mapped[float | None]
    track: Mapped[float | None]
    frp: Mapped[float | None]
    daynight: Mapped[str] = mapped_column(sa.String(1), default="")
    district_id: Mapped[int | None] = mapped_column(sa.ForeignKey("districts.id"), index=True)
    import_id: Mapped[int | None] = mapped_column(sa.ForeignKey("data_imports.id"))

    district: Mapped[District | None] = relationship()

    __table_args__ = (
        # Idempotent imports: one detection per place, time and sensor.
        sa.UniqueConstraint("latitude", "longitude", "detected_at", "satellite", "instrument"),
        sa.Index("ix_hotspots_detected_at", "detected_at"),
    )


class DataKind(LabelledEnum):
    AIR = "air"
    HOTSPOTS = "hotspots"


set_labels({DataKind.AIR: _l("PM2.5 readings"), DataKind.HOTSPOTS: _l("Fire hotspots")})


class DataImport(Base):
    """One imported file: who brought it, its digest and what it added."""

    __tablename__ = "data_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[DataKind] = mapped_column(enum_type(DataKind))
    filename: Mapped[str] = mapped_column(sa.String(255))
    sha256: Mapped[str] = mapped_column(sa.String(64))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    new_rows: Mapped[int] = mapped_column(default=0)
    duplicate_rows: Mapped[int] = mapped_column(default=0)
    rejected_rows: Mapped[int] = mapped_column(default=0)
    # Rows that said "no reading that hour" (Air4Thai's -1 and -999).
    missing_rows: Mapped[int] = mapped_column(default=0)
    outside_rows: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    actor: Mapped[User | None] = relationship()
