"""Every evaluation page and form renders in Thai as well as English, with its data."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from participation.commitments import services as commitments
from participation.commitments.models import Completion
from participation.core.models import utcnow
from participation.evaluations import services
from participation.evaluations.models import AssessmentKind, OpenedGovernment, ReviewKind
from participation.extensions import db
from tests.commitments.scene import bangkok_today
from tests.evaluations.scene import EvaluationScene


@pytest.fixture
def scene(make) -> EvaluationScene:
    return EvaluationScene(make)


@pytest.mark.parametrize("lang", ["th", "en"])
def test_every_page_renders_with_weights_reviews_and_assessments(scene, login, lang):
    today = bangkok_today()
    for title, days in (("ระบบพยากรณ์พร้อมใช้", 10), ("รายงานประจำเดือน", -3)):
        commitments.add_milestone(commitment=scene.commitment, actor=scene.secretary,
                                  title=title, due_date=today + timedelta(days=days),
                                  now=utcnow())
    first, second = scene.commitment.milestones
    commitments.set_weights(commitment=scene.commitment, actor=scene.secretary,
                            weights={first.id: Decimal("0.75"), second.id: Decimal("0.25")},
                            now=utcnow())
    dispute = scene.review(now=utcnow() - timedelta(days=20))
    scene.review(reviewer=scene.cso_holder, kind=ReviewKind.CONFIRM)
    services.record_assessment(
        commitment=scene.commitment, author=scene.cso_holder, kind=AssessmentKind.INDEPENDENT,
        assessed_on=today, completion=Completion.LIMITED,
        opened_government=OpenedGovernment.DID_NOT_CHANGE, explanation="ยังไม่ครบทุกอำเภอ",
        now=utcnow(),
    )
    db.session.commit()
    commitment_id, update_id = scene.commitment.id, scene.update.id
    pages = {
        scene.contact: [f"/commitments/{commitment_id}", f"/reviews/{dispute.id}/answer",
                        f"/commitments/{commitment_id}/assessments/new",
                        f"/milestones/{first.id}/completion",
                        f"/commitments/{commitment_id}/progress/new"],
        scene.secretary: [f"/commitments/{commitment_id}/weights",
                          f"/commitments/{commitment_id}/milestones/new", "/commitments"],
        scene.citizen: [f"/progress/{update_id}/review", f"/commitments/{commitment_id}"],
    }
    for user, urls in pages.items():
        client = login(user)
        for url in urls:
            response = client.get(f"{url}?lang={lang}")
            assert response.status_code == 200, url
    text = login(scene.citizen).get(f"/commitments/{commitment_id}?lang={lang}").text
    # The overdue milestone (due three days ago) comes first, weighed 0.75.
    assert "0.75 × 0% + 0.25 × 0% = 0%" in text
    assert "ยังไม่ครบทุกอำเภอ" in text
    if lang == "en":
        assert "Overdue by 3 days" in text and "1 open dispute, 1 overdue" in text
