"""OGP assessments: the lead agency's self-assessment and civil society's independent one,
recorded by the right people and shown side by side."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from participation.commitments.models import Completion
from participation.core.errors import DomainError, NotAllowed
from participation.core.models import utcnow
from participation.evaluations import services
from participation.evaluations.models import Assessment, AssessmentKind, OpenedGovernment
from participation.evaluations.permissions import assessment_kinds
from participation.extensions import db
from tests.commitments.scene import bangkok_today, entries
from tests.evaluations.scene import EvaluationScene
from tests.rows import count_rows


@pytest.fixture
def scene(make) -> EvaluationScene:
    return EvaluationScene(make)


def assess(scene, *, author=None, kind=AssessmentKind.SELF, days_ago=0, **overrides):
    arguments = dict(
        commitment=scene.commitment, author=author or scene.contact, kind=kind,
        assessed_on=bangkok_today() - timedelta(days=days_ago),
        completion=Completion.SUBSTANTIAL, opened_government=OpenedGovernment.MAJOR,
        explanation="Hourly data for **every** station is now public.", now=utcnow(),
    )
    arguments.update(overrides)
    return services.record_assessment(**arguments)


@pytest.mark.parametrize(
    ("who", "kinds"),
    [
        ("contact", [AssessmentKind.SELF]),
        ("cso_holder", [AssessmentKind.INDEPENDENT]),
        ("cso_deputy", [AssessmentKind.INDEPENDENT]),
        ("other_contact", []),
        ("lead_staff", []),
        ("member", []),  # holds a government seat of the group
        ("secretary", []),
        ("citizen", []),
        (None, []),
    ],
)
def test_who_may_record_which_assessment(scene, who, kinds):
    user = getattr(scene, who) if who else None
    assert assessment_kinds(user, scene.commitment) == kinds


def test_a_civil_society_seat_of_another_group_gives_no_right(scene, make):
    other_group = make.group()
    outsider = make.user()
    make.seat(other_group, holder=outsider, sector=scene.cso_seat.sector)
    assert assessment_kinds(outsider, scene.commitment) == []


def test_the_lead_agency_records_its_self_assessment_and_it_is_logged(scene):
    assessment = assess(scene)
    assert assessment.kind == AssessmentKind.SELF
    assert assessment.organisation_id == scene.lead.id and assessment.author_id == scene.contact.id
    [entry] = entries("assessment.recorded")
    assert entry.actor_id == scene.contact.id and entry.subject_id == scene.commitment.id
    assert entry.data == {
        "assessment_id": assessment.id, "kind": "self", "completion": "substantial",
        "opened_government": "major", "assessed_on": bangkok_today().isoformat(),
    }


@pytest.mark.parametrize("who", ["cso_holder", "cso_deputy"])
def test_civil_society_records_an_independent_assessment(scene, who):
    assessment = assess(scene, author=getattr(scene, who), kind=AssessmentKind.INDEPENDENT,
                        completion=Completion.LIMITED,
                        opened_government=OpenedGovernment.MARGINAL)
    assert assessment.kind == AssessmentKind.INDEPENDENT
    assert assessment.organisation_id == scene.civil_society.id
    assert entries("assessment.recorded")[0].data["kind"] == "independent"


@pytest.mark.parametrize(
    ("who", "kind"),
    [("contact", AssessmentKind.INDEPENDENT), ("cso_holder", AssessmentKind.SELF),
     ("member", AssessmentKind.INDEPENDENT), ("citizen", AssessmentKind.SELF),
     ("other_contact", AssessmentKind.SELF)],
)
def test_nobody_records_an_assessment_of_a_kind_not_theirs(scene, who, kind):
    with pytest.raises(NotAllowed):
        assess(scene, author=getattr(scene, who), kind=kind)
    assert count_rows(Assessment) == 0


def test_an_assessment_cannot_be_dated_in_the_future(scene):
    with pytest.raises(DomainError) as caught:
        assess(scene, days_ago=-1)
    assert caught.value.field == "assessed_on"


def test_an_explanation_is_required(scene):
    with pytest.raises(DomainError) as caught:
        assess(scene, explanation="\n  ")
    assert caught.value.field == "explanation"


def test_unknown_levels_are_refused(scene):
    with pytest.raises(DomainError) as caught:
        assess(scene, opened_government="amazing")
    assert caught.value.field == "opened_government"
    with pytest.raises(DomainError) as caught:
        assess(scene, completion="half")
    assert caught.value.field == "completion"


def test_one_assessment_per_author_kind_and_date(scene):
    assess(scene)
    with pytest.raises(services.AlreadyAssessed) as caught:
        assess(scene, completion=Completion.COMPLETE)
    assert caught.value.field == "assessed_on"
    assert "already recorded" in caught.value.message
    assert assess(scene, days_ago=1).id  # another day
    assert assess(scene, author=scene.cso_holder, kind=AssessmentKind.INDEPENDENT).id
    assert count_rows(Assessment) == 3


# Pages


def test_the_latest_assessments_are_compared_side_by_side_and_earlier_ones_listed(scene,
                                                                                  client):
    assess(scene, days_ago=40, explanation="Only a plan so far.",
           completion=Completion.LIMITED, opened_government=OpenedGovernment.DID_NOT_CHANGE)
    assess(scene, days_ago=2, explanation="The portal is online.")
    assess(scene, author=scene.cso_holder, kind=AssessmentKind.INDEPENDENT, days_ago=1,
           completion=Completion.LIMITED, opened_government=OpenedGovernment.MARGINAL,
           explanation="Three stations still publish nothing.")
    db.session.commit()
    text = client.get(f"/commitments/{scene.commitment.id}?lang=en").text
    table = text[text.index('class="assessment-comparison"'):text.index("</table>",
                                                                       text.index("assessment-comparison"))]
    assert "Self-assessment by the lead agency" in table
    assert "Independent assessment by civil society" in table
    assert "Did it open government?" in table
    assert "The portal is online." in table and "Three stations still publish nothing." in table
    assert "badge-major" in table and "badge-marginal" in table
    assert "Network Representative (Clean Air Network)" in table
    assert "Only a plan so far." not in table
    earlier = text[text.index("Earlier assessments"):]
    assert "Only a plan so far." in earlier and "Did not change" in earlier
    assert "Record an assessment" not in text  # a visitor


def test_a_missing_side_says_so(scene, client):
    assess(scene)
    db.session.commit()
    text = client.get(f"/commitments/{scene.commitment.id}?lang=en").text
    assert "Not assessed yet" in text and "Earlier assessments" not in text


def test_civil_society_records_an_assessment_through_the_form(scene, login):
    client = login(scene.cso_deputy)
    page = client.get(f"/commitments/{scene.commitment.id}?lang=en").text
    assert "Record an assessment" in page
    url = f"/commitments/{scene.commitment.id}/assessments/new"
    form = client.get(url + "?lang=en").text
    assert 'value="independent"' in form and 'value="self"' not in form
    response = client.post(url, data={
        "kind": "independent", "assessed_on": bangkok_today().isoformat(),
        "completion": "limited", "opened_government": "marginal",
        "explanation": "Villages still lack warnings.",
    })
    assert response.status_code == 302
    assert response.headers["Location"].endswith("#assessments")
    [assessment] = db.session.scalars(sa.select(Assessment)).all()
    assert assessment.author_id == scene.cso_deputy.id
    assert "The assessment is published." in client.get(
        f"/commitments/{scene.commitment.id}").text


def test_assessment_form_shows_errors_and_the_duplicate(scene, login):
    client = login(scene.contact)
    url = f"/commitments/{scene.commitment.id}/assessments/new"
    text = client.post(url, data={
        "kind": "independent", "assessed_on": (bangkok_today() + timedelta(days=3)).isoformat(),
        "completion": "limited", "opened_government": "amazing", "explanation": "",
    }).text
    assert "Not a valid choice" in text
    assert "Explain the assessment." in text
    assert count_rows(Assessment) == 0
    text = client.post(url, data={
        "kind": "self", "assessed_on": (bangkok_today() + timedelta(days=3)).isoformat(),
        "completion": "limited", "opened_government": "major", "explanation": "Fine.",
    }).text
    assert "The assessment date cannot be in the future." in text
    assess(scene)
    db.session.commit()
    text = client.post(url, data={
        "kind": "self", "assessed_on": bangkok_today().isoformat(),
        "completion": "complete", "opened_government": "major", "explanation": "Again.",
    }).text
    assert "You have already recorded this kind of assessment of this commitment on that " \
           "date." in text
    assert count_rows(Assessment) == 1


@pytest.mark.parametrize("who", ["member", "secretary", "citizen", "other_contact"])
def test_the_assessment_form_is_refused_to_others(scene, login, who):
    url = f"/commitments/{scene.commitment.id}/assessments/new"
    client = login(getattr(scene, who))
    assert client.get(url).status_code == 403
    assert client.post(url, data={"kind": "self"}).status_code == 403
    assert "Record an assessment" not in client.get(f"/commitments/{scene.commitment.id}").text
