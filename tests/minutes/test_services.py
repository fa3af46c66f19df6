"""Writing, publishing, approving and correcting minutes through the services: the rules, the
log entries and the notification of the group's followers."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
import sqlalchemy as sa

from participation.accountability.models import LogEntry
from participation.core.errors import NotAllowed
from participation.core.models import utcnow
from participation.extensions import db
from participation.mail.models import OutboxMail
from participation.meetings.models import MeetingStatus, MinutesStatus
from participation.minutes import services
from participation.minutes.services import MinutesApproved, MinutesRefused
from participation.notifications.models import Follow, FollowedType, Notification
from tests.minutes.scene import meeting

NOW = utcnow()


def log_of(meeting_id: int, verb: str | None = None) -> list[LogEntry]:
    statement = sa.select(LogEntry).where(
        LogEntry.subject_type == "meeting", LogEntry.subject_id == meeting_id
    )
    if verb:
        statement = statement.where(LogEntry.verb == verb)
    return list(db.session.scalars(statement.order_by(LogEntry.id)))


def follow_group(user, group) -> None:
    db.session.add(Follow(user_id=user.id, subject_type=FollowedType.GROUP, subject_id=group.id))
    db.session.flush()


def test_editing_sets_the_minutes_of_each_item_and_logs_a_digest_per_change(scene):
    changed = services.edit_minutes(
        meeting=scene.meeting, actor=scene.secretary,
        minutes={scene.report.id: "  Hotspots fell by **30%**.  ",
                 scene.budget.id: "", scene.other.id: "Next meeting on 31 March."},
        minutes_taker=scene.secretary, now=NOW,
    )

    assert changed == 3  # two texts and the minutes taker; the empty text was already empty
    assert scene.report.minutes == "Hotspots fell by **30%**."
    assert scene.meeting.minutes_taker_id == scene.secretary.id
    entries = log_of(scene.meeting.id, "minutes.edited")
    assert [entry.data.get("item_number") for entry in entries] == ["2.1", "4.1", None]
    assert entries[0].data["sha256"] == hashlib.sha256(
        b"Hotspots fell by **30%**.").hexdigest()
    assert entries[2].data == {"minutes_taker_id": scene.secretary.id}
    assert scene.meeting.minutes_status == MinutesStatus.DRAFT


def test_saving_the_same_text_again_changes_and_logs_nothing(scene):
    text = {scene.report.id: "Same text."}
    services.edit_minutes(meeting=scene.meeting, actor=scene.chair, minutes=text,
                          minutes_taker=None, now=NOW)
    before = len(log_of(scene.meeting.id))
    assert services.edit_minutes(meeting=scene.meeting, actor=scene.chair, minutes=text,
                                 minutes_taker=None, now=NOW) == 0
    assert len(log_of(scene.meeting.id)) == before


def test_published_minutes_can_still_be_edited_and_each_edit_is_logged(scene):
    scene.publish()
    services.edit_minutes(meeting=scene.meeting, actor=scene.secretary,
                          minutes={scene.budget.id: "The budget was spent."},
                          minutes_taker=None, now=NOW)
    (entry,) = log_of(scene.meeting.id, "minutes.edited")
    assert entry.data["item_number"] == "2.2"
    assert scene.meeting.minutes_status == MinutesStatus.PUBLISHED


@pytest.mark.parametrize("who", ["member", "deputy", "outsider"])
def test_only_the_secretariat_and_chair_write_the_minutes(scene, who):
    with pytest.raises(NotAllowed):
        services.edit_minutes(meeting=scene.meeting, actor=getattr(scene, who),
                              minutes={scene.report.id: "Mine."}, minutes_taker=None, now=NOW)
    assert scene.report.minutes == ""
    assert log_of(scene.meeting.id) == []


@pytest.mark.parametrize("status", [MeetingStatus.PLANNED, MeetingStatus.CANCELLED])
def test_minutes_are_written_only_for_a_held_meeting(scene, status):
    scene.meeting.status = status
    with pytest.raises(MinutesRefused, match="held"):
        services.edit_minutes(meeting=scene.meeting, actor=scene.secretary,
                              minutes={scene.report.id: "Too early."}, minutes_taker=None,
                              now=NOW)
    assert scene.report.minutes == ""


def test_an_item_of_another_meeting_is_refused_and_nothing_changes(scene):
    with pytest.raises(MinutesRefused, match="agenda has changed"):
        services.edit_minutes(
            meeting=scene.later, actor=scene.secretary,
            minutes={scene.report.id: "Wrong meeting."}, minutes_taker=None, now=NOW,
        )
    assert scene.report.minutes == ""


def test_the_minutes_taker_must_sit_in_the_group(scene):
    with pytest.raises(MinutesRefused) as refused:
        services.edit_minutes(meeting=scene.meeting, actor=scene.secretary, minutes={},
                              minutes_taker=scene.outsider, now=NOW)
    assert refused.value.field == "minutes_taker"
    assert scene.meeting.minutes_taker_id is None
    # A deputy sits in the group too.
    services.edit_minutes(meeting=scene.meeting, actor=scene.secretary, minutes={},
                          minutes_taker=scene.deputy, now=NOW)
    assert scene.meeting.minutes_taker_id == scene.deputy.id


def test_too_long_minutes_are_refused(scene, app):
    with pytest.raises(MinutesRefused, match="2.1"):
        services.edit_minutes(
            meeting=scene.meeting, actor=scene.secretary,
            minutes={scene.report.id: "x" * (app.config["MAX_BODY_LENGTH"] + 1)},
            minutes_taker=None, now=NOW,
        )


def test_publishing_makes_them_public_logs_and_tells_the_groups_followers(scene, make):
    follower, english = make.user(), make.user()
    english.language = "en"
    for user in (follower, english, scene.chair):
        follow_group(user, scene.group)
    scene.report.minutes = "Hotspots fell."

    services.publish_minutes(meeting=scene.meeting, actor=scene.chair, now=NOW)

    assert scene.meeting.minutes_status == MinutesStatus.PUBLISHED
    assert scene.meeting.minutes_published_at == NOW
    (entry,) = log_of(scene.meeting.id, "minutes.published")
    assert entry.data == {"items": 1}
    notifications = db.session.scalars(
        sa.select(Notification).where(Notification.event == "minutes.published")
    ).all()
    # The chair published them: the actor is not told about their own act.
    assert sorted(n.user_id for n in notifications) == sorted([follower.id, english.id])
    assert {(n.subject_type, n.subject_id) for n in notifications} == {
        ("meeting", scene.meeting.id)}
    assert all(n.data == {"title": scene.meeting.title} for n in notifications)
    assert all(n.outbox_id is not None for n in notifications)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMail)) == 2


def test_minutes_with_no_text_at_all_are_not_published(scene):
    with pytest.raises(MinutesRefused, match="at least one agenda item"):
        services.publish_minutes(meeting=scene.meeting, actor=scene.chair, now=NOW)
    assert scene.meeting.minutes_status == MinutesStatus.DRAFT
    assert log_of(scene.meeting.id) == []


def test_minutes_are_published_once(scene):
    scene.publish()
    with pytest.raises(MinutesRefused, match="already published"):
        services.publish_minutes(meeting=scene.meeting, actor=scene.chair, now=NOW)
    assert log_of(scene.meeting.id) == []


def test_a_member_cannot_publish(scene):
    scene.report.minutes = "Hotspots fell."
    with pytest.raises(NotAllowed):
        services.publish_minutes(meeting=scene.meeting, actor=scene.member, now=NOW)
    assert scene.meeting.minutes_status == MinutesStatus.DRAFT


def test_approval_at_a_later_held_meeting_freezes_the_minutes(scene):
    scene.publish()
    services.approve_minutes(meeting=scene.meeting, actor=scene.secretary,
                             at_meeting=scene.later, now=NOW)
    assert scene.meeting.minutes_status == MinutesStatus.APPROVED
    assert scene.meeting.approved_at_meeting_id == scene.later.id
    assert scene.meeting.minutes_approved_at == NOW
    (entry,) = log_of(scene.meeting.id, "minutes.approved")
    assert entry.data == {"at_meeting_id": scene.later.id}


def test_draft_minutes_are_published_before_they_are_approved(scene):
    with pytest.raises(MinutesRefused, match="Publish"):
        services.approve_minutes(meeting=scene.meeting, actor=scene.secretary,
                                 at_meeting=scene.later, now=NOW)
    assert scene.meeting.minutes_status == MinutesStatus.DRAFT


@pytest.mark.parametrize("where", ["itself", "earlier", "planned", "cancelled",
                                   "other group", "none"])
def test_approval_needs_a_later_held_meeting_of_the_same_group(scene, make, where):
    scene.publish()
    at = {
        "itself": lambda: scene.meeting,
        "earlier": lambda: meeting(scene.group, creator=scene.chair,
                                   starts_at=scene.meeting.starts_at - timedelta(days=30)),
        "planned": lambda: scene.planned,
        "cancelled": lambda: meeting(scene.group, creator=scene.chair,
                                     starts_at=scene.later.starts_at + timedelta(days=1),
                                     status=MeetingStatus.CANCELLED),
        "other group": lambda: meeting(make.group(), creator=scene.chair,
                                       starts_at=scene.later.starts_at),
        "none": lambda: None,
    }[where]()
    with pytest.raises(MinutesRefused) as refused:
        services.approve_minutes(meeting=scene.meeting, actor=scene.secretary, at_meeting=at,
                                 now=NOW)
    assert refused.value.field == "at_meeting"
    assert scene.meeting.minutes_status == MinutesStatus.PUBLISHED
    assert scene.meeting.approved_at_meeting_id is None


def test_approved_minutes_are_not_approved_again(scene):
    scene.approve()
    with pytest.raises(MinutesApproved):
        services.approve_minutes(meeting=scene.meeting, actor=scene.secretary,
                                 at_meeting=scene.later, now=NOW)


def test_a_member_cannot_approve(scene):
    scene.publish()
    with pytest.raises(NotAllowed):
        services.approve_minutes(meeting=scene.meeting, actor=scene.member,
                                 at_meeting=scene.later, now=NOW)
    assert scene.meeting.minutes_status == MinutesStatus.PUBLISHED


def test_a_correction_of_approved_minutes_goes_to_the_log_and_leaves_them_as_they_were(scene):
    scene.approve()
    approved_text = scene.announcement.minutes

    entry = services.record_correction(
        meeting=scene.meeting, item=scene.report, actor=scene.secretary,
        text="  Hotspots fell by **13%**, not 30%.  ", now=NOW,
    )

    assert entry.verb == "minutes.corrected"
    assert (entry.subject_type, entry.subject_id) == ("meeting", scene.meeting.id)
    assert entry.data == {"item_id": scene.report.id, "item_number": "2.1",
                          "text": "Hotspots fell by **13%**, not 30%."}
    assert scene.announcement.minutes == approved_text
    assert scene.report.minutes == ""


def test_before_approval_a_correction_is_refused_edit_instead(scene):
    scene.publish()
    with pytest.raises(MinutesRefused, match="edit them instead"):
        services.record_correction(meeting=scene.meeting, item=scene.report,
                                   actor=scene.secretary, text="Fix.", now=NOW)
    assert log_of(scene.meeting.id) == []


@pytest.mark.parametrize("text", ["", "   \n "])
def test_an_empty_correction_is_refused(scene, text):
    scene.approve()
    with pytest.raises(MinutesRefused) as refused:
        services.record_correction(meeting=scene.meeting, item=scene.report,
                                   actor=scene.secretary, text=text, now=NOW)
    assert refused.value.field == "text"


def test_a_correction_names_an_item_of_the_meeting(scene):
    scene.approve()
    with pytest.raises(MinutesRefused, match="another meeting"):
        services.record_correction(meeting=scene.later, item=scene.report,
                                   actor=scene.secretary, text="Fix.", now=NOW)


def test_a_member_cannot_record_a_correction(scene):
    scene.approve()
    with pytest.raises(NotAllowed):
        services.record_correction(meeting=scene.meeting, item=scene.report,
                                   actor=scene.member, text="Mine.", now=NOW)
    assert log_of(scene.meeting.id) == []
