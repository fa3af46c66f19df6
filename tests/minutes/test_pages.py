"""The minutes page, laid out like a Thai government meeting report, and the pages that write,
publish, approve and correct the minutes."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from participation.accountability.models import LogEntry
from participation.accountability.services import record
from participation.extensions import db
from participation.meetings.models import AttendanceStatus, MinutesStatus
from tests.minutes.scene import attend, item, meeting, seat_of
from tests.querycount import page_queries
from tests.security.world import browse_as


def url(scene, suffix: str = "") -> str:
    return f"/meetings/{scene.meeting.id}/minutes{suffix}"


def in_order(text: str, *parts: str) -> bool:
    """Every part is in the text, each after the one before."""
    position = 0
    for part in parts:
        found = text.find(part, position)
        if found < 0:
            raise AssertionError(f"{part!r} missing after position {position}")
        position = found + len(part)
    return True


def written(scene) -> None:
    scene.report.minutes = "Hotspots fell by **30%** in February."
    scene.meeting.minutes_taker_id = scene.secretary.id


def corrections(scene) -> list[LogEntry]:
    return list(db.session.scalars(sa.select(LogEntry).where(
        LogEntry.verb == "minutes.corrected", LogEntry.subject_id == scene.meeting.id)))


def test_published_minutes_read_like_a_thai_meeting_report(scene, client, db):
    written(scene)
    scene.publish()
    db.session.commit()
    group_name = scene.group.name_en

    page = client.get(url(scene) + "?lang=en").text

    represented = seat_of(scene.group, scene.represented).organisation.name_en
    assert in_order(
        page,
        f"<h1 id=\"minutes-title\">Minutes of the meeting of {group_name}</h1>",
        scene.meeting.title,
        "on Tuesday, March 3, 2026",
        "at Lampang Provincial Hall, room 2",
        "Members present", scene.chair.display_name, "Chair",
        scene.member.display_name, f"Deputy Dee, deputy for {represented}",
        "Members absent", scene.excused.display_name, "(excused)", "On official travel",
        scene.secretary.display_name, "Secretary",
        "Also attending", "<li>Dr. Guest Speaker</li><li>Village headman</li>",
        "The meeting started at 09:30",
        "Agenda item 1: Matters the chair announces to the meeting", "1.1", "Haze season outlook",
        "The chair opened the meeting.",
        "Agenda item 2: Matters for information", "2.1", "Hotspot report for February",
        "Hotspots fell by <strong>30%</strong> in February.", "2.2", "Budget report",
        "Agenda item 3: Matters for consideration", "3.1", "Burn permit app",
        "Resolution of the meeting", "The meeting adopted the app.", "Adopted", "7–2–1",
        f"/decisions/{scene.decision.id}",
        "Agenda item 4: Other business", "4.1", "Date of the next meeting",
        "The meeting closed at 12:00",
        f"({scene.secretary.display_name})", "Minutes taker",
        "Published on March 5, 2026; not yet approved by a later meeting.",
    )
    # The deputy is not listed under the seat holder's name; no one absent is among those present.
    assert scene.represented.display_name not in page
    present = page[page.index("Members present"):page.index("Members absent")]
    assert scene.excused.display_name not in present
    assert f'id="item-{scene.report.id}"' in page
    assert "Draft" not in page


def test_in_thai_the_day_has_its_weekday_and_buddhist_year_and_times_read_thai_style(
    scene, client, db
):
    written(scene)
    scene.publish()
    db.session.commit()
    page = client.get(url(scene) + "?lang=th").text
    assert "วันอังคาร" in page
    assert "3 มีนาคม 2569" in page
    assert "09.30 น." in page and "12.00 น." in page
    assert '<html lang="th">' in page


def test_the_minutes_page_links_a_print_stylesheet_and_runs_no_script(scene, client, db):
    scene.publish()
    db.session.commit()
    page = client.get(url(scene)).text
    link = re.search(r'<link rel="stylesheet" href="(/static/css/print\.css[^"]*)"', page)
    assert link, "the minutes page links no print stylesheet"
    assert "<script" not in page and "onclick" not in page
    assert "use your browser's Print command" in page
    tools = page[page.index('class="minutes-tools no-print"'):page.index("<article")]
    assert "Print command" in tools

    with client.get(link.group(1)) as response:
        css = response.text
    assert response.status_code == 200
    printing = css[css.index("@media print"):]
    assert "@page { size: A4;" in printing
    for hidden in (".site-header", ".site-footer", "nav", "form", "button", ".no-print"):
        assert re.search(rf"(^|[\s,]){re.escape(hidden)}[\s,]", printing), hidden
    assert "display: none !important" in printing
    assert '"TH Sarabun New"' in printing and "serif;" in printing
    assert "break-inside: avoid" in printing


def test_draft_minutes_are_hidden_from_the_public_and_shown_to_managers_as_a_draft(
    scene, client, db
):
    written(scene)
    db.session.commit()
    for person in (None, scene.member.id, scene.deputy.id, scene.outsider.id):
        browse_as(client, person)
        assert client.get(url(scene)).status_code == 404
    for manager in (scene.chair, scene.secretary):
        browse_as(client, manager.id)
        page = client.get(url(scene)).text
        assert "These minutes are not published" in page
        assert '<p class="minutes-draft">Draft</p>' in page
        assert url(scene, "/edit") in page
        assert url(scene, "/publish") in page


def test_a_meeting_that_does_not_exist_has_no_minutes(client):
    assert client.get("/meetings/999999/minutes").status_code == 404
    assert client.get("/meetings/2147483648/minutes").status_code == 404


def test_the_secretary_writes_the_minutes_through_the_form(scene, client, login, db):
    login(scene.secretary)
    form = client.get(url(scene, "/edit")).text
    assert "Minutes of item 2.1: Hotspot report for February" in form
    assert form.count("<textarea") == 5
    assert f'name="items-1-item_id" type="hidden" value="{scene.report.id}"' in form

    response = client.post(url(scene, "/edit"), data={
        "minutes_taker": str(scene.chair.id),
        "items-0-item_id": str(scene.report.id), "items-0-minutes": "Hotspots fell.",
        "items-1-item_id": str(scene.other.id), "items-1-minutes": "Next meeting in April.",
    })

    assert response.status_code == 302
    assert response.headers["Location"].endswith(url(scene))
    db.session.expire_all()
    assert scene.report.minutes == "Hotspots fell."
    assert scene.other.minutes == "Next meeting in April."
    assert scene.meeting.minutes_taker_id == scene.chair.id
    assert "The minutes are saved." in client.get(url(scene)).text


def test_the_form_refuses_an_item_of_another_meeting_or_the_same_item_twice(
    scene, client, login, db, make
):
    stranger = item(meeting(scene.group, creator=scene.chair,
                            starts_at=scene.later.starts_at + timedelta(days=3)), 1, "Elsewhere")
    db.session.commit()
    login(scene.secretary)
    for data in (
        {"items-0-item_id": str(stranger.id), "items-0-minutes": "Wrong."},
        {"items-0-item_id": str(scene.report.id), "items-0-minutes": "One.",
         "items-1-item_id": str(scene.report.id), "items-1-minutes": "Two."},
    ):
        response = client.post(url(scene, "/edit"), data={"minutes_taker": "0", **data})
        assert response.status_code == 200
        assert 'class="form-errors"' in response.text
    db.session.expire_all()
    assert scene.report.minutes == "" and stranger.minutes == ""


def test_members_and_visitors_may_not_write_publish_approve_or_correct(scene, client, db):
    scene.publish()
    db.session.commit()
    for person in (scene.member, scene.deputy, scene.outsider):
        browse_as(client, person.id)
        assert client.get(url(scene, "/edit")).status_code == 403
        assert client.post(url(scene, "/publish")).status_code == 403
        assert client.get(url(scene, "/approve")).status_code == 403
        assert client.get(url(scene, f"/items/{scene.report.id}/correction")).status_code == 403
    browse_as(client, None)
    assert client.post(url(scene, "/publish")).headers["Location"].startswith("/login")


def test_publishing_from_the_page(scene, client, login, db):
    login(scene.chair)
    response = client.post(url(scene, "/publish"), follow_redirects=True)
    assert "Write the minutes of at least one agenda item" in response.text
    db.session.expire_all()
    assert scene.meeting.minutes_status == MinutesStatus.DRAFT

    written(scene)
    db.session.commit()
    response = client.post(url(scene, "/publish"), follow_redirects=True)
    assert "The minutes are published." in response.text
    db.session.expire_all()
    assert scene.meeting.minutes_status == MinutesStatus.PUBLISHED
    browse_as(client, None)
    assert client.get(url(scene)).status_code == 200


def test_approving_offers_only_later_held_meetings_of_the_group_then_freezes_the_page(
    scene, client, login, db
):
    earlier = meeting(scene.group, creator=scene.chair,
                      starts_at=scene.meeting.starts_at - timedelta(days=30))
    scene.publish()
    db.session.commit()
    login(scene.secretary)
    form = client.get(url(scene, "/approve")).text
    offered = re.findall(r'<option[^>]*value="(\d+)"', form)
    assert offered == [str(scene.later.id)]
    assert earlier.title not in form and scene.planned.title not in form

    response = client.post(url(scene, "/approve"), data={"at_meeting": str(scene.planned.id)})
    assert response.status_code == 200 and 'class="error"' in response.text
    response = client.post(url(scene, "/approve"), data={"at_meeting": str(scene.later.id)})
    assert response.status_code == 302
    db.session.expire_all()
    assert scene.meeting.minutes_status == MinutesStatus.APPROVED

    page = client.get(url(scene)).text
    assert (f'These minutes were approved at <span lang="th">{scene.later.title}</span>, on '
            "March 31, 2026.") in page
    assert url(scene, "/edit") not in page
    assert url(scene, f"/items/{scene.report.id}/correction") in page
    assert client.get(url(scene, "/edit")).status_code == 403


def test_a_correction_is_shown_under_its_item_and_linked_to_the_log(scene, client, login, db):
    written(scene)
    scene.approve()
    db.session.commit()
    login(scene.secretary)
    correction_url = url(scene, f"/items/{scene.report.id}/correction")
    assert "Hotspots fell by <strong>30%</strong>" in client.get(correction_url).text

    response = client.post(correction_url, data={"text": "The fall was **13%**, not 30%."})

    assert response.status_code == 302
    assert response.headers["Location"].endswith(url(scene) + f"#item-{scene.report.id}")
    (entry,) = corrections(scene)
    browse_as(client, None)
    page = client.get(url(scene)).text
    item_html = page[page.index(f'id="item-{scene.report.id}"'):page.index(
        f'id="item-{scene.budget.id}"')]
    assert in_order(item_html, "Hotspots fell by <strong>30%</strong>",
                    "Correction recorded after approval",
                    f'href="/log/{entry.id}"', "The fall was <strong>13%</strong>, not 30%.")
    assert "13%" not in page[page.index(f'id="item-{scene.budget.id}"'):]
    db.session.expire_all()
    assert scene.report.minutes == "Hotspots fell by **30%** in February."


def test_a_correction_before_approval_is_refused_with_a_message(scene, client, login, db):
    scene.publish()
    db.session.commit()
    login(scene.secretary)
    response = client.post(url(scene, f"/items/{scene.report.id}/correction"),
                           data={"text": "Too early."})
    assert response.status_code == 200
    assert "edit them instead" in response.text
    assert corrections(scene) == []


def test_a_correction_of_an_item_of_another_meeting_is_not_found(scene, client, login, db):
    other = item(scene.later, 1, "Elsewhere")
    scene.approve()
    db.session.commit()
    login(scene.secretary)
    assert client.get(url(scene, f"/items/{other.id}/correction")).status_code == 404


def grow(make, *, meeting_id: int, item_id: int, author_id: int) -> None:
    """Many more items, seats with attendance, and corrections in the log."""
    from participation.accounts.models import User
    from participation.meetings.models import Meeting

    grown = db.session.get(Meeting, meeting_id)
    for number in range(6):
        item(grown, 2, f"Report {number}", minutes=f"Report **{number}**.")
    for _ in range(6):
        person = make.member(grown.group)
        attend(grown, seat_of(grown.group, person), AttendanceStatus.PRESENT)
    for number in range(3):
        record(actor=db.session.get(User, author_id), verb="minutes.corrected",
               subject_type="meeting", subject_id=meeting_id,
               data={"item_id": item_id, "item_number": "2.1",
                     "text": f"Correction number {number}"})


def test_the_minutes_page_runs_the_same_queries_with_more_items_people_and_corrections(
    scene, client, make, db
):
    written(scene)
    scene.publish()
    db.session.commit()
    address = url(scene)
    ids = {"meeting_id": scene.meeting.id, "item_id": scene.report.id,
           "author_id": scene.secretary.id}
    viewers = (None, scene.secretary.id)

    def counts() -> tuple[dict, str]:
        found = {}
        for viewer in viewers:
            browse_as(client, viewer)
            found[viewer], page = page_queries(client, address)
        return found, page

    few, _page = counts()
    grow(make, **ids)
    db.session.commit()
    many, page = counts()

    assert page.count('class="minutes-item"') == 11
    assert page.count("Correction number") == 3
    assert many == few
    assert max(many.values()) <= 10


def test_approval_waits_for_a_later_meeting_to_be_held(scene, client, login, db):
    later_id = scene.later.id
    scene.publish()
    db.session.execute(sa.text("UPDATE meetings SET status = 'planned' WHERE id = :id"),
                       {"id": later_id})
    db.session.commit()
    login(scene.chair)
    page = client.get(url(scene, "/approve")).text
    assert "No later meeting of this group has been held yet." in page
    assert re.findall(r'<option[^>]*value="(\d+)"', page) == []
    response = client.post(url(scene, "/approve"), data={"at_meeting": str(later_id)})
    assert response.status_code == 200 and 'class="error"' in response.text
    db.session.expire_all()
    assert scene.meeting.minutes_status == MinutesStatus.PUBLISHED


def test_the_form_offers_the_groups_seat_holders_and_deputies_as_minutes_taker(
    scene, client, login, db
):
    login(scene.secretary)
    form = client.get(url(scene, "/edit")).text
    offered = re.findall(r'<option[^>]*value="(\d+)"', form)
    assert offered[0] == "0"
    assert {str(scene.secretary.id), str(scene.deputy.id), str(scene.chair.id)} <= set(offered)
    assert str(scene.outsider.id) not in offered
    response = client.post(url(scene, "/edit"), data={"minutes_taker": str(scene.outsider.id)})
    assert response.status_code == 200 and 'class="error"' in response.text
