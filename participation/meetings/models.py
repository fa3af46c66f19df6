"""Meetings, their agenda items in the Thai order, and attendance per seat."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participation.accounts.models import User
from participation.core.enums import LabelledEnum, set_labels
from participation.core.models import Base, Timestamped, enum_type
from participation.groups.models import Seat, WorkingGroup


class MeetingStatus(LabelledEnum):
    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"


class MinutesStatus(LabelledEnum):
    """Minutes are drafted, published for everyone, then approved at a later meeting."""

    DRAFT = "draft"
    PUBLISHED = "published"
    APPROVED = "approved"


class AttendanceStatus(LabelledEnum):
    PRESENT = "present"
    ABSENT = "absent"
    EXCUSED = "excused"  # ลาประชุม
    DEPUTY = "deputy"  # represented by the seat's deputy (ผู้แทน)

    @property
    def counts_for_quorum(self) -> bool:
        return self in (AttendanceStatus.PRESENT, AttendanceStatus.DEPUTY)


set_labels(
    {
        MeetingStatus.PLANNED: _l("Planned"),
        MeetingStatus.HELD: _l("Held"),
        MeetingStatus.CANCELLED: _l("Cancelled"),
        MinutesStatus.DRAFT: _l("Minutes in draft"),
        MinutesStatus.PUBLISHED: _l("Minutes published"),
        MinutesStatus.APPROVED: _l("Minutes approved"),
        AttendanceStatus.PRESENT: _l("Present"),
        AttendanceStatus.ABSENT: _l("Absent"),
        AttendanceStatus.EXCUSED: _l("Excused"),
        AttendanceStatus.DEPUTY: _l("Represented by the deputy"),
    }
)

# The four sections of a Thai meeting agenda (ระเบียบวาระการประชุม), in their fixed order.
SECTIONS = {
    # i18n: agenda section 1 of a Thai government meeting (เรื่องที่ประธานแจ้งให้ที่ประชุมทราบ).
    1: _l("Matters the chair announces to the meeting"),
    # i18n: agenda section 2 (เรื่องเพื่อทราบ).
    2: _l("Matters for information"),
    # i18n: agenda section 3 (เรื่องเพื่อพิจารณา).
    3: _l("Matters for consideration"),
    # i18n: agenda section 4 (เรื่องอื่น ๆ).
    4: _l("Other business"),
}
# Only matters for consideration carry a proposal and a ballot.
CONSIDERATION = 3


class Meeting(Timestamped, Base):
    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("working_groups.id"), index=True)
    # e.g. "การประชุมคณะทำงาน ครั้งที่ 3/2569"
    title: Mapped[str] = mapped_column(sa.String(300))
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime | None]
    place: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    online_url: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    status: Mapped[MeetingStatus] = mapped_column(
        enum_type(MeetingStatus), default=MeetingStatus.PLANNED, server_default="planned"
    )
    cancel_reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    # Invited people who hold no seat (ผู้เข้าร่วมประชุม), one per line.
    guests: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    minutes_status: Mapped[MinutesStatus] = mapped_column(
        enum_type(MinutesStatus), default=MinutesStatus.DRAFT, server_default="draft"
    )
    # ผู้จดรายงานการประชุม: who took the minutes.
    minutes_taker_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    minutes_published_at: Mapped[datetime | None]
    minutes_approved_at: Mapped[datetime | None]
    # The later meeting at which these minutes were approved (รับรองรายงานการประชุม).
    approved_at_meeting_id: Mapped[int | None] = mapped_column(sa.ForeignKey("meetings.id"))

    group: Mapped[WorkingGroup] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    minutes_taker: Mapped[User | None] = relationship(foreign_keys=[minutes_taker_id])
    approved_at_meeting: Mapped[Meeting | None] = relationship(remote_side=[id])
    items: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting", order_by="AgendaItem.section, AgendaItem.position"
    )
    attendance: Mapped[list[Attendance]] = relationship(back_populates="meeting")

    __table_args__ = (
        sa.CheckConstraint("ends_at IS NULL OR ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint(
            "(minutes_status = 'approved') = (approved_at_meeting_id IS NOT NULL)",
            name="approved_at_a_meeting",
        ),
        sa.CheckConstraint(
            "approved_at_meeting_id IS NULL OR approved_at_meeting_id <> id",
            name="approved_at_another_meeting",
        ),
    )


class AgendaItem(Base):
    """One item of the agenda (ระเบียบวาระที่ 2.1 ...), with its minutes and resolution."""

    __tablename__ = "agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id"), index=True)
    section: Mapped[int]  # 1 to 4, see SECTIONS
    position: Mapped[int]  # the sub-number: 2.1, 2.2 ...
    title: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    # A matter for consideration may bring a proposal before the meeting.
    proposal_id: Mapped[int | None] = mapped_column(sa.ForeignKey("proposals.id"), index=True)
    # Markdown: what was said (the minutes of this item).
    minutes: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    # มติที่ประชุม in words ("ที่ประชุมรับทราบ"); a ballot's decision is linked below.
    resolution: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    decision_id: Mapped[int | None] = mapped_column(sa.ForeignKey("decisions.id"), unique=True)

    meeting: Mapped[Meeting] = relationship(back_populates="items")
    proposal = relationship("Proposal")
    decision = relationship("Decision")

    __table_args__ = (
        sa.UniqueConstraint("meeting_id", "section", "position"),
        sa.CheckConstraint("section BETWEEN 1 AND 4", name="section_range"),
        sa.CheckConstraint("position >= 1", name="position_positive"),
        sa.CheckConstraint("proposal_id IS NULL OR section = 3", name="proposal_for_consideration"),
        sa.CheckConstraint("decision_id IS NULL OR section = 3", name="decision_for_consideration"),
    )

    @property
    def number(self) -> str:
        """The item's number as printed on the agenda: "3" or "2.1"."""
        return f"{self.section}.{self.position}"


class Attendance(Base):
    __tablename__ = "attendance"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id"))
    seat_id: Mapped[int] = mapped_column(sa.ForeignKey("seats.id"))
    status: Mapped[AttendanceStatus] = mapped_column(enum_type(AttendanceStatus))
    # Who sat in the seat that day (the holder, or the deputy); kept even if the seat changes.
    attendee_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")

    meeting: Mapped[Meeting] = relationship(back_populates="attendance")
    seat: Mapped[Seat] = relationship()
    attendee: Mapped[User | None] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("meeting_id", "seat_id"),
        sa.CheckConstraint(
            "status NOT IN ('present', 'deputy') OR attendee_id IS NOT NULL",
            name="attendee_named",
        ),
    )
