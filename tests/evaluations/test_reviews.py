"""Confirming and disputing progress reports, the lead agency's answers, missed deadlines, and
how the commitment page shows them."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from participation.accounts.models import User
from participation.commitments import services as commitments
from participation.commitments.models import Commitment, CommitmentStatus, Completion
from participation.core.errors import DomainError, NotAllowed
from participation.core.i18n import site_date
from participation.core.models import utcnow
from participation.evaluations import services
from participation.evaluations.models import AssessmentKind, OpenedGovernment, Review, ReviewKind
from participation.extensions import db
from tests.commitments.scene import bangkok_today, entries, progress
from tests.evaluations.scene import EvaluationScene
from tests.querycount import page_queries
from tests.rows import count_rows
from tests.security.world import browse_as


@pytest.fixture
def scene(make) -> EvaluationScene:
    return EvaluationScene(make)


# Reviews


def test_a_participant_confirms_a_report_and_it_is_logged(scene):
    review = scene.review(kind=ReviewKind.CONFIRM, evidence_url="https://example.org/photo")
    assert review.kind == ReviewKind.CONFIRM and review.answer_due_on is None
    assert review.evidence_url == "https://example.org/photo"
    [entry] = entries("progress.confirmed")
    assert entry.actor_id == scene.citizen.id and entry.subject_type == "commitment"
    assert entry.subject_id == scene.commitment.id
    assert entry.data == {"update_id": scene.update.id, "review_id": review.id}


def test_a_dispute_is_due_an_answer_within_the_groups_dispute_days(scene):
    scene.group.dispute_days = 10
    now = utcnow()
    review = scene.review(now=now)
    assert review.answer_due_on == site_date(now) + timedelta(days=10)
    [entry] = entries("progress.disputed")
    assert entry.data == {"update_id": scene.update.id, "review_id": review.id,
                          "due_on": review.answer_due_on.isoformat()}


def test_the_default_dispute_deadline_is_14_days(scene):
    now = utcnow()
    assert scene.review(now=now).answer_due_on == site_date(now) + timedelta(days=14)


def test_the_author_of_a_report_cannot_review_it(scene):
    with pytest.raises(NotAllowed):
        scene.review(reviewer=scene.contact)
    assert count_rows(Review) == 0


def test_a_participant_reviews_a_report_only_once(scene):
    scene.review(kind=ReviewKind.CONFIRM)
    with pytest.raises(services.AlreadyReviewed):
        scene.review(kind=ReviewKind.DISPUTE)
    assert count_rows(Review) == 1
    # Another report of the same commitment is another matter.
    other = progress(scene, scene.commitment, percent=40)
    assert scene.review(update=other).id


def test_a_comment_is_required(scene):
    with pytest.raises(DomainError) as caught:
        scene.review(comment="  \n ")
    assert caught.value.field == "comment"


@pytest.mark.parametrize("link", ["javascript:alert(1)", "ftp://example.org/x", "example.org",
                                  "https://", "https://exa mple.org", "https://x.org/" + "a" * 500])
def test_evidence_must_be_one_web_address(scene, link):
    with pytest.raises(DomainError) as caught:
        scene.review(evidence_url=link)
    assert caught.value.field == "evidence_url"
    assert count_rows(Review) == 0


# Answers


@pytest.mark.parametrize("who", ["other_contact", "lead_staff", "secretary", "chair",
                                 "citizen", "cso_holder"])
def test_only_a_contact_of_the_lead_agency_answers_a_dispute(scene, who):
    review = scene.review()
    with pytest.raises(NotAllowed):
        services.answer_dispute(review=review, actor=getattr(scene, who), answer="No.",
                                now=utcnow())
    assert review.answered_at is None


def test_the_lead_agency_answers_a_dispute_once_on_time(scene, make):
    review = scene.review()
    now = utcnow()
    services.answer_dispute(review=review, actor=scene.contact,
                            answer="The stations are back online since Monday.", now=now)
    assert review.answered_by_id == scene.contact.id and review.answered_at == now
    [entry] = entries("dispute.answered")
    assert entry.actor_id == scene.contact.id and entry.subject_id == scene.commitment.id
    assert entry.data == {"update_id": scene.update.id, "review_id": review.id, "on_time": True}
    another_contact = make.agency_contact(scene.lead)
    with pytest.raises(DomainError, match="already been answered"):
        services.answer_dispute(review=review, actor=another_contact, answer="Again.",
                                now=utcnow())


def test_a_dispute_answered_meanwhile_by_another_request_is_not_answered_again(scene, make):
    review = scene.review()
    db.session.commit()
    # Another request answers it: this session's copy of the review does not know.
    db.session.execute(
        sa.update(Review)
        .where(Review.id == review.id)
        .values(answer="First.", answered_by_id=scene.contact.id, answered_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    assert review.answered_at is None
    with pytest.raises(DomainError, match="already been answered"):
        services.answer_dispute(review=review, actor=make.agency_contact(scene.lead),
                                answer="Second.", now=utcnow())
    assert entries("dispute.answered") == []


def test_an_answer_after_the_deadline_is_logged_as_late(scene):
    review = scene.review(now=utcnow() - timedelta(days=20))
    services.answer_dispute(review=review, actor=scene.contact, answer="Sorry, late.",
                            now=utcnow())
    assert entries("dispute.answered")[0].data["on_time"] is False


def test_an_answer_needs_text_and_a_confirmation_gets_none(scene):
    dispute = scene.review()
    with pytest.raises(DomainError) as caught:
        services.answer_dispute(review=dispute, actor=scene.contact, answer=" ", now=utcnow())
    assert caught.value.field == "answer"
    confirmation = scene.review(reviewer=scene.cso_holder, kind=ReviewKind.CONFIRM)
    with pytest.raises(DomainError, match="Only a dispute"):
        services.answer_dispute(review=confirmation, actor=scene.contact, answer="Thanks.",
                                now=utcnow())


# Missed deadlines


def test_overdue_disputes_are_logged_once_each(scene, make):
    # Noon in Bangkok (UTC+7), so that an hour later is still the same day there.
    now = utcnow().replace(hour=5, minute=0, second=0, microsecond=0)
    late = scene.review(now=now - timedelta(days=20))  # due 6 days ago
    answered = scene.review(reviewer=scene.cso_holder, now=now - timedelta(days=20))
    services.answer_dispute(review=answered, actor=scene.contact, answer="Done.", now=now)
    due_today = scene.review(reviewer=scene.member, now=now - timedelta(days=14))
    confirmed = scene.review(reviewer=scene.chair, kind=ReviewKind.CONFIRM,
                             now=now - timedelta(days=30))
    assert services.record_overdue_disputes(now) == 1
    [entry] = entries("dispute.overdue")
    assert entry.actor_id is None and entry.subject_id == scene.commitment.id
    assert entry.data == {"update_id": scene.update.id, "review_id": late.id,
                          "due_on": late.answer_due_on.isoformat()}
    assert late.overdue_at == now
    assert due_today.overdue_at is None and confirmed.overdue_at is None
    assert services.record_overdue_disputes(now + timedelta(hours=1)) == 0
    # A day later the one due today is overdue too, and only it is written.
    assert services.record_overdue_disputes(now + timedelta(days=1)) == 1
    assert [e.data["review_id"] for e in entries("dispute.overdue")] == [late.id, due_today.id]


# The commitment page


def test_the_page_shows_each_review_and_where_each_dispute_stands(scene, client):
    now = utcnow()
    scene.review(reviewer=scene.cso_holder, kind=ReviewKind.CONFIRM,
                 comment="Seen the **portal** myself.", evidence_url="https://example.org/p")
    overdue = scene.review(now=now - timedelta(days=20), comment="Station 38t is offline.")
    scene.review(reviewer=scene.member, comment="The report is missing Mae Moh.")
    answered = scene.review(reviewer=scene.chair, comment="Numbers look too high.")
    services.answer_dispute(review=answered, actor=scene.contact,
                            answer="They were checked twice.", now=now)
    db.session.commit()
    text = client.get(f"/commitments/{scene.commitment.id}?lang=en").text
    assert "2 open disputes, 1 overdue" in text
    assert "1 confirmed" in text and "3 disputed" in text
    assert "<strong>portal</strong>" in text and 'href="https://example.org/p"' in text
    assert "Network Representative" in text
    assert "Not answered: overdue by 6 days" in text
    due = (site_date(now) + timedelta(days=14)).strftime("%B %-d, %Y")
    assert f"the lead agency is asked to answer by {due}." in text
    assert "They were checked twice." in text and "Answered by" in text
    assert f'id="review-{overdue.id}"' in text
    assert "Confirm or dispute this report" not in text  # a visitor


def test_no_dispute_banner_without_open_disputes(scene, client):
    scene.review(kind=ReviewKind.CONFIRM)
    db.session.commit()
    text = client.get(f"/commitments/{scene.commitment.id}?lang=en").text
    assert "open dispute" not in text and "1 confirmed" in text


def test_the_review_form_is_offered_to_others_than_the_author_until_they_review(scene, login):
    url = f"/commitments/{scene.commitment.id}?lang=en"
    assert "Confirm or dispute this report" in login(scene.citizen).get(url).text
    assert "Confirm or dispute this report" not in login(scene.contact).get(url).text
    scene.review(kind=ReviewKind.CONFIRM)
    db.session.commit()
    assert "Confirm or dispute this report" not in login(scene.citizen).get(url).text


def test_a_participant_disputes_a_report_through_the_form(scene, login):
    client = login(scene.citizen)
    response = client.post(f"/progress/{scene.update.id}/review", data={
        "kind": "dispute", "comment": "The portal shows no data for Mae Moh.",
        "evidence_url": "https://example.org/screenshot.png",
    })
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        f"/commitments/{scene.commitment.id}#update-{scene.update.id}")
    [review] = db.session.scalars(sa.select(Review)).all()
    assert review.kind == ReviewKind.DISPUTE and review.reviewer_id == scene.citizen.id
    text = client.get(f"/commitments/{scene.commitment.id}?lang=en").text
    assert "Your dispute is recorded. The lead agency is asked to answer by" in text
    assert "1 open dispute, 0 overdue" in text


def test_review_form_errors_are_shown_and_nothing_is_saved(scene, login):
    client = login(scene.citizen)
    url = f"/progress/{scene.update.id}/review"
    assert client.get(url).status_code == 200
    text = client.post(url, data={"kind": "maybe", "comment": "",
                                  "evidence_url": "javascript:alert(1)"}).text
    assert "Say why in a comment." in text
    assert "Give the evidence as one web address starting with http:// or https://." in text
    assert 'class="error"' in text and count_rows(Review) == 0
    scene.review(kind=ReviewKind.CONFIRM)
    db.session.commit()
    text = client.post(url, data={"kind": "dispute", "comment": "Changed my mind."}).text
    assert "You have already reviewed this progress report." in text
    assert count_rows(Review) == 1


def test_the_author_and_visitors_cannot_use_the_review_form(scene, login, client):
    url = f"/progress/{scene.update.id}/review"
    data = {"kind": "confirm", "comment": "All good."}
    assert client.post(url, data=data).status_code == 302  # to the login page
    assert login(scene.contact).post(url, data=data).status_code == 403
    assert client.get("/progress/987654/review").status_code == 404
    assert count_rows(Review) == 0


def test_the_lead_agency_answers_from_the_commitment_page(scene, login):
    review = scene.review()
    db.session.commit()
    page = f"/commitments/{scene.commitment.id}?lang=en"
    assert f'action="/reviews/{review.id}/answer"' not in login(scene.secretary).get(page).text
    client = login(scene.contact)
    assert f'action="/reviews/{review.id}/answer"' in client.get(page).text
    response = client.post(f"/reviews/{review.id}/answer",
                           data={"answer": "Station 38t was repaired on Monday."})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#review-{review.id}")
    text = client.get(page).text
    assert "Your answer to the dispute is published." in text
    assert "Station 38t was repaired on Monday." in text
    assert f'action="/reviews/{review.id}/answer"' not in text
    assert client.post(f"/reviews/{review.id}/answer", data={"answer": "Again"}).status_code == 403


def test_answer_form_errors_and_refusals(scene, login):
    review = scene.review()
    db.session.commit()
    url = f"/reviews/{review.id}/answer"
    assert login(scene.secretary).post(url, data={"answer": "Not mine."}).status_code == 403
    client = login(scene.contact)
    assert client.get(url).status_code == 200
    assert "Write the answer." in client.post(url, data={"answer": ""}).text
    assert review.answered_at is None
    confirmation = scene.review(reviewer=scene.cso_holder, kind=ReviewKind.CONFIRM)
    db.session.commit()
    assert client.post(f"/reviews/{confirmation.id}/answer",
                       data={"answer": "Thanks."}).status_code == 403
    assert client.get("/reviews/987654/answer").status_code == 404


@pytest.mark.parametrize("viewer", ["visitor", "citizen", "contact"])
def test_the_commitment_page_runs_a_fixed_number_of_queries(scene, make, client, viewer):
    commitment_id = scene.commitment.id
    url = f"/commitments/{commitment_id}"
    user = getattr(scene, viewer, None)
    browse_as(client, user.id if user else None)
    scene.review(reviewer=scene.cso_holder)
    contact_id, cso_id = scene.contact.id, scene.cso_holder.id
    db.session.commit()
    few, _ = page_queries(client, url)

    # The page forgot every row: load again what the services below need.
    commitment = db.session.get(Commitment, commitment_id)
    contact, cso_holder = db.session.get(User, contact_id), db.session.get(User, cso_id)
    now = utcnow()
    for n in range(6):
        update = commitments.post_progress(
            commitment=commitment, author=contact, reported_on=bangkok_today(),
            completion=Completion.LIMITED, percent=30 + n, status=CommitmentStatus.ON_TRACK,
            note=f"Report {n}", reason="", evidence=["https://example.org/r"], now=now,
        )
        for kind in (ReviewKind.CONFIRM, ReviewKind.DISPUTE):
            review = services.review_update(update=update, reviewer=make.user(), kind=kind,
                                            comment="Seen.", evidence_url="", now=now)
            if kind == ReviewKind.DISPUTE and n % 2:
                services.answer_dispute(review=review, actor=contact, answer="Checked.",
                                        now=now)
    for n in range(3):
        for author, kind in ((contact, AssessmentKind.SELF),
                             (cso_holder, AssessmentKind.INDEPENDENT)):
            services.record_assessment(
                commitment=commitment, author=author, kind=kind,
                assessed_on=bangkok_today() - timedelta(days=n),
                completion=Completion.LIMITED, opened_government=OpenedGovernment.MARGINAL,
                explanation="Some change.", now=now,
            )
    db.session.commit()
    many, text = page_queries(client, url)
    assert text.count("Reported by") == 7 and text.count('class="review-list"') == 7
    assert "Earlier assessments" in text
    # With the follow button's count and, signed in, the header's unread notifications and the
    # two-factor requirements (two-factor lane).
    assert many == few <= 13
