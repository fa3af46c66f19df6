"""Commitments: creation on adopted decisions, milestones, progress rules and pages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from participation.commitments import services
from participation.commitments.models import (
    Commitment,
    CommitmentStatus,
    Completion,
    Milestone,
    ProgressUpdate,
)
from participation.commitments.permissions import can_manage_commitment, can_post_progress
from participation.core.errors import DomainError, NotAllowed
from participation.core.models import utcnow
from participation.extensions import db
from tests.commitments.scene import DUE, START, Scene, bangkok_today, entries, progress
from tests.querycount import count_queries
from tests.rows import count_rows


@pytest.fixture
def scene(make) -> Scene:
    return Scene(make)


def test_secretary_creates_the_commitment_with_supporters_and_milestones(scene):
    commitment = scene.commit_to()
    assert commitment.group_id == scene.group.id
    assert commitment.lead_organisation_id == scene.lead.id
    assert [org.id for org in commitment.supporters] == [scene.helper.id]
    assert [m.title for m in commitment.milestones] == ["Data portal online",
                                                        "First monthly report"]
    assert commitment.status == CommitmentStatus.ON_TRACK and commitment.percent == 0
    [entry] = entries("commitment.created")
    assert entry.subject_id == commitment.id and entry.actor_id == scene.secretary.id
    assert entry.data["decision_id"] == scene.decision.id
    assert entry.data["lead_organisation_id"] == scene.lead.id


def test_the_lead_agency_is_not_also_a_supporter(scene):
    commitment = scene.commit_to(supporters=[scene.lead, scene.helper])
    assert [org.id for org in commitment.supporters] == [scene.helper.id]


def test_chair_may_create_but_a_member_may_not(scene):
    with pytest.raises(NotAllowed):
        scene.commit_to(actor=scene.member)
    assert scene.commit_to(actor=scene.chair).id


def test_no_commitment_on_a_rejected_decision(scene, make):
    rejected = make.decision(group=scene.group, result="rejected")
    with pytest.raises(DomainError, match="adopted"):
        scene.commit_to(decision=rejected)


def test_one_commitment_per_decision(scene):
    scene.commit_to()
    with pytest.raises(services.CommitmentExists):
        scene.commit_to()
    assert count_rows(Commitment, Commitment.decision_id == scene.decision.id) == 1


def test_due_date_before_start_is_refused(scene):
    with pytest.raises(DomainError) as caught:
        scene.commit_to(due_date=START - timedelta(days=1))
    assert caught.value.field == "due_date"


def test_milestone_added_later_is_logged(scene):
    commitment = scene.commit_to(milestones=[])
    milestone = services.add_milestone(commitment=commitment, actor=scene.chair,
                                       title="Dashboard launched", due_date=date(2026, 6, 1),
                                       now=utcnow())
    assert [m.id for m in commitment.milestones] == [milestone.id]
    [entry] = entries("commitment.milestone_added")
    assert entry.data == {"milestone_id": milestone.id, "due_date": "2026-06-01",
                          "weights_cleared": False, "percent": 0}
    with pytest.raises(NotAllowed):
        services.add_milestone(commitment=commitment, actor=scene.contact, title="x",
                               due_date=DUE, now=utcnow())


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("contact", True),
        ("secretary", True),
        ("chair", True),
        ("other_contact", False),
        ("lead_staff", False),
        ("member", False),
        (None, False),
    ],
)
def test_who_may_post_progress(scene, who, allowed):
    commitment = scene.commit_to()
    user = getattr(scene, who) if who else None
    assert can_post_progress(user, commitment) is allowed
    if user is None:
        return
    if allowed:
        assert progress(scene, commitment, author=user).id
    else:
        with pytest.raises(NotAllowed):
            progress(scene, commitment, author=user)
        assert commitment.percent == 0


def test_only_the_secretariat_and_chair_manage_a_commitment(scene):
    commitment = scene.commit_to()
    assert can_manage_commitment(scene.secretary, commitment)
    assert can_manage_commitment(scene.chair, commitment)
    assert not can_manage_commitment(scene.contact, commitment)
    assert not can_manage_commitment(scene.member, commitment)


def test_posting_progress_updates_the_commitment_and_is_logged(scene):
    commitment = scene.commit_to(milestones=[])
    update = progress(scene, commitment)
    assert (commitment.completion, commitment.percent, commitment.status) == (
        Completion.LIMITED, 30, CommitmentStatus.ON_TRACK
    )
    assert update.evidence == ["https://air4thai.pcd.go.th/", "http://example.org/report.pdf"]
    [entry] = entries("progress.posted")
    assert entry.subject_id == commitment.id and entry.actor_id == scene.contact.id
    assert entry.data["percent"] == 30 and entry.data["status"] == "on_track"
    assert entry.data["evidence_count"] == 2


@pytest.mark.parametrize("status", [CommitmentStatus.DELAYED, CommitmentStatus.WITHDRAWN])
def test_a_reason_is_required_when_delayed_or_withdrawn(scene, status):
    commitment = scene.commit_to()
    with pytest.raises(DomainError) as caught:
        progress(scene, commitment, status=status, reason="  ")
    assert caught.value.field == "reason"
    assert commitment.status == CommitmentStatus.ON_TRACK
    progress(scene, commitment, status=status, reason="The budget arrived late.")
    assert commitment.status == status and commitment.status_reason == "The budget arrived late."
    progress(scene, commitment, status=CommitmentStatus.ON_TRACK, reason="")
    assert commitment.status_reason == ""


@pytest.mark.parametrize("percent", [-1, 101, 250])
def test_percent_outside_0_to_100_is_refused(scene, percent):
    commitment = scene.commit_to(milestones=[])
    with pytest.raises(DomainError) as caught:
        progress(scene, commitment, percent=percent)
    assert caught.value.field == "percent"


@pytest.mark.parametrize("link", ["javascript:alert(1)", "ftp://example.org/x", "example.org",
                                  "https://", "http://exa mple.org"])
def test_evidence_must_be_web_addresses(scene, link):
    commitment = scene.commit_to()
    with pytest.raises(DomainError) as caught:
        progress(scene, commitment, evidence=["https://ok.example/", link])
    assert caught.value.field == "evidence"
    assert count_rows(ProgressUpdate) == 0


def test_report_date_in_the_future_is_refused(scene):
    commitment = scene.commit_to()
    with pytest.raises(DomainError) as caught:
        progress(scene, commitment, reported_on=bangkok_today() + timedelta(days=2))
    assert caught.value.field == "reported_on"


# Pages


def test_create_form_makes_the_commitment_from_the_decision(scene, login):
    client = login(scene.secretary)
    url = f"/decisions/{scene.decision.id}/commitment/new"
    form = client.get(url).get_data(as_text=True)
    assert "Create the commitment" in form and "GISTDA" in form
    response = client.post(url, data={
        "title": "Publish hourly PM2.5 data",
        "description": "Every station, every hour.",
        "lead_organisation": scene.lead.id,
        "supporters": [scene.helper.id],
        "start_date": "2026-01-05",
        "due_date": "2026-09-30",
        "milestones-0-title": "Data portal online",
        "milestones-0-due_date": "2026-03-01",
        "milestones-1-title": "",
        "milestones-1-due_date": "",
    })
    assert response.status_code == 302
    commitment = db.session.scalars(
        sa.select(Commitment).where(Commitment.decision_id == scene.decision.id)
    ).one()
    assert response.headers["Location"].endswith(f"/commitments/{commitment.id}")
    assert count_rows(Milestone, Milestone.commitment_id == commitment.id) == 1
    again = client.get(url)
    assert again.status_code == 302  # already made: sent to it


def test_create_form_shows_errors_and_keeps_input(scene, login):
    client = login(scene.secretary)
    url = f"/decisions/{scene.decision.id}/commitment/new"
    text = client.post(url, data={
        "title": "Keep this title",
        "lead_organisation": "0",
        "start_date": "2026-05-01",
        "due_date": "2026-04-01",
        "milestones-0-title": "Half a milestone",
        "milestones-0-due_date": "",
    }).get_data(as_text=True)
    assert "Choose the lead agency." in text
    assert "The due date cannot be before the start date." in text
    assert "Give both the milestone and its date." in text
    assert 'value="Keep this title"' in text
    assert count_rows(Commitment) == 0


def test_create_form_is_refused_to_members(scene, login):
    url = f"/decisions/{scene.decision.id}/commitment/new"
    assert login(scene.member).get(url).status_code == 403


def test_progress_form_posts_and_the_timeline_shows_it(scene, login):
    commitment = scene.commit_to(milestones=[])
    client = login(scene.contact)
    url = f"/commitments/{commitment.id}/progress/new"
    assert client.get(url).status_code == 200
    response = client.post(url, data={
        "reported_on": bangkok_today().isoformat(), "completion": "substantial", "percent": "60",
        "status": "delayed", "reason": "Rain season slowed the installation.",
        "note": "Sensors *installed*.", "evidence": "https://example.org/photos\n\n",
    })
    assert response.status_code == 302
    text = client.get(f"/commitments/{commitment.id}").get_data(as_text=True)
    assert "The progress report is published." in text
    assert "Rain season slowed the installation." in text
    assert "<em>installed</em>" in text
    assert 'href="https://example.org/photos"' in text
    assert scene.contact.display_name in text
    assert 'value="60"' in text and "60% complete" in text
    assert "badge-delayed" in text and "Substantial" in text


def test_progress_form_errors_are_shown_beside_the_fields(scene, login):
    commitment = scene.commit_to(milestones=[])
    client = login(scene.contact)
    text = client.post(f"/commitments/{commitment.id}/progress/new", data={
        "reported_on": bangkok_today().isoformat(), "completion": "limited", "percent": "120",
        "status": "withdrawn", "reason": "", "note": "",
        "evidence": "https://fine.example/\nnot a link",
    }).get_data(as_text=True)
    assert "Enter a whole number from 0 to 100." in text
    assert "Give the reason when a commitment is delayed or withdrawn." in text
    assert "“not a link” is not a web address." in text
    assert count_rows(ProgressUpdate) == 0


def test_progress_form_is_refused_to_other_agencies(scene, login):
    commitment = scene.commit_to()
    url = f"/commitments/{commitment.id}/progress/new"
    assert login(scene.other_contact).get(url).status_code == 403
    assert login(scene.other_contact).post(url, data={}).status_code == 403


def test_milestone_form_adds_a_milestone(scene, login):
    commitment = scene.commit_to(milestones=[])
    client = login(scene.secretary)
    response = client.post(f"/commitments/{commitment.id}/milestones/new",
                           data={"title": "Dashboard launched", "due_date": "2026-06-01"})
    assert response.status_code == 302
    text = client.get(f"/commitments/{commitment.id}").get_data(as_text=True)
    assert "Dashboard launched" in text
    assert login(scene.contact).get(
        f"/commitments/{commitment.id}/milestones/new").status_code == 403


def test_commitment_page_shows_its_timeline_newest_first_and_the_decision(scene, client):
    commitment = scene.commit_to()
    progress(scene, commitment, reported_on=date(2026, 2, 1), note="First report")
    progress(scene, commitment, reported_on=date(2026, 3, 1), note="Second report", percent=50)
    db.session.commit()
    text = client.get(f"/commitments/{commitment.id}").get_data(as_text=True)
    assert text.index("Second report") < text.index("First report")
    assert "Provincial Natural Resources Office" in text and "GISTDA" in text
    assert "Data portal online" in text
    assert f'href="/decisions/{scene.decision.id}"' in text
    assert "Report progress" not in text


def test_decision_page_links_to_its_commitment(scene, client):
    commitment = scene.commit_to()
    text = client.get(f"/decisions/{scene.decision.id}").get_data(as_text=True)
    assert f'href="/commitments/{commitment.id}"' in text


def test_commitment_list_shows_status_progress_lead_and_due_date(scene, client):
    commitment = scene.commit_to(milestones=[])
    progress(scene, commitment, percent=45)
    db.session.commit()
    text = client.get("/commitments").get_data(as_text=True)
    assert "Publish hourly PM2.5 data" in text
    assert "badge-on_track" in text and "45% complete" in text
    assert "Provincial Natural Resources Office" in text
    assert "September 30, 2026" in text


def test_commitment_pages_run_a_fixed_number_of_queries(scene, client, make):
    commitment = scene.commit_to()
    progress(scene, commitment)
    db.session.commit()
    client.get("/commitments")
    client.get(f"/commitments/{commitment.id}")
    with count_queries() as list_few:
        client.get("/commitments")
    with count_queries() as page_few:
        client.get(f"/commitments/{commitment.id}")
    for _ in range(4):
        other = make.decision(group=scene.group)
        scene.commit_to(decision=other, lead_organisation=make.organisation())
    for _ in range(4):
        progress(scene, commitment, author=make.agency_contact(scene.lead))
    services.add_milestone(commitment=commitment, actor=scene.secretary, title="More",
                           due_date=DUE, now=utcnow())
    db.session.commit()
    with count_queries() as list_many:
        client.get("/commitments")
    with count_queries() as page_many:
        client.get(f"/commitments/{commitment.id}")
    assert len(list_many) == len(list_few)
    assert len(page_many) == len(page_few)


def test_unknown_commitment_is_404(client):
    assert client.get("/commitments/987654").status_code == 404
