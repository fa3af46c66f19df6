"""Working groups and seats."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participation.accounts.models import Organisation, Sector, User
from participation.core.enums import LabelledEnum, set_labels
from participation.core.i18n import Bilingual
from participation.core.models import Base, enum_type, utcnow


class SeatRole(LabelledEnum):
    CHAIR = "chair"
    VICE_CHAIR = "vice_chair"
    MEMBER = "member"
    SECRETARY = "secretary"
    ASSISTANT_SECRETARY = "assistant_secretary"

    @property
    def is_secretariat(self) -> bool:
        return self in (SeatRole.SECRETARY, SeatRole.ASSISTANT_SECRETARY)


set_labels(
    {
        SeatRole.CHAIR: _l("Chair"),
        SeatRole.VICE_CHAIR: _l("Vice-chair"),
        SeatRole.MEMBER: _l("Member"),
        SeatRole.SECRETARY: _l("Secretary"),
        SeatRole.ASSISTANT_SECRETARY: _l("Assistant secretary"),
    }
)


class WorkingGroup(Bilingual, Base):
    __tablename__ = "working_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_th: Mapped[str] = mapped_column(sa.String(300), unique=True)
    name_en: Mapped[str] = mapped_column(sa.String(300), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    seats: Mapped[list[Seat]] = relationship(
        back_populates="group", order_by="Seat.position, Seat.id", cascade="all, delete-orphan"
    )


class Seat(Base):
    __tablename__ = "seats"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("working_groups.id"), index=True)
    role: Mapped[SeatRole] = mapped_column(enum_type(SeatRole))
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    sector: Mapped[Sector] = mapped_column(enum_type(Sector))
    holder_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    voting: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)

    group: Mapped[WorkingGroup] = relationship(back_populates="seats")
    organisation: Mapped[Organisation | None] = relationship(lazy="joined")
    holder: Mapped[User | None] = relationship(lazy="joined")

    # A person holds at most one seat in a group, so "one vote per seat" is one per member.
    __table_args__ = (sa.UniqueConstraint("group_id", "holder_id"),)
