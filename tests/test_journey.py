"""The whole loop, through the web pages only, as people live it: in Thai and in English."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from participation.accounts.models import Sector, User
from participation.accounts.tokens import verification_token
from participation.commitments.models import Milestone
from participation.core.models import utcnow
from participation.decisions.models import Decision
from participation.extensions import db as _db
from participation.groups.models import SeatRole
from participation.proposals.models import Proposal
from participation.votes.models import Ballot
from tests.factories import PASSWORD

WORDS = {
    "th": {"adopted": "เห็นชอบ", "yes": "เห็นด้วย", "roll_call": "ผลการลงคะแนนรายบุคคล"},
    "en": {"adopted": "Adopted", "yes": "Yes", "roll_call": "Roll-call"},
}


def log_in(client, user: User, password: str = PASSWORD) -> None:
    client.post("/logout")
    response = client.post("/login", data={"email": user.email, "password": password})
    assert response.status_code == 302, response.text


@pytest.mark.parametrize("lang", ["th", "en"])
def test_a_measure_goes_from_proposal_to_tracked_commitment(app, client, make, db, runner, lang):
    group = make.group()
    chair = make.member(group, role=SeatRole.CHAIR)
    members = [make.member(group) for _ in range(3)]
    secretary = make.member(group, role=SeatRole.SECRETARY)
    lead = make.organisation(name_th="สำนักงานทรัพยากรธรรมชาติและสิ่งแวดล้อมจังหวัดลำปาง")
    contact = make.agency_contact(lead)
    category = make.category()
    db.session.commit()
    words = WORDS[lang]
    assert client.get(f"/?lang={lang}").status_code == 200

    # A citizen registers.
    response = client.post("/register", data={
        "email": "somchai@example.org", "display_name": "สมชาย ใจดี",
        "password": "a long enough password", "confirm": "a long enough password",
        "sector": Sector.CITIZEN.value, "consent": "y",
    })
    assert response.status_code == 302
    citizen = db.session.scalar(sa.select(User).where(User.email == "somchai@example.org"))
    # They confirm their address with the link of the mail the site sends them.
    assert client.get(f"/verify/{verification_token(citizen, now=utcnow())}").status_code == 200

    # A member proposes a measure and submits it for comment.
    log_in(client, members[0])
    response = client.post("/proposals/new", data={
        "title": "ประกาศค่าฝุ่นรายวันทุกอำเภอ", "body": "ให้ทุกอำเภอ**ประกาศ**ค่า PM2.5 ทุกเช้า",
        "category": category.id, "group": group.id, "submit_for_comment": "1",
    })
    assert response.status_code == 302
    proposal = db.session.scalar(sa.select(Proposal).where(Proposal.title.startswith("ประกาศ")))

    # The citizen comments and supports it.
    log_in(client, citizen, "a long enough password")
    client.post(f"/proposals/{proposal.id}/comments", data={"body": "เห็นด้วยครับ", "stance": "for"})
    client.post(f"/proposals/{proposal.id}/support")
    page = client.get(f"/proposals/{proposal.id}").text
    assert "เห็นด้วยครับ" in page and "<strong>ประกาศ</strong>" in page

    # The secretary puts it under consideration and opens a ballot.
    log_in(client, secretary)
    assert client.post(f"/proposals/{proposal.id}/consider").status_code == 302
    closes = (utcnow() + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(f"/proposals/{proposal.id}/ballot/new", data={"closes_at": closes})
    assert response.status_code == 302, response.text
    ballot = db.session.scalar(sa.select(Ballot).where(Ballot.proposal_id == proposal.id))

    # Three members vote; the chair does not.
    for member in members:
        log_in(client, member)
        assert client.post(f"/ballots/{ballot.id}/vote", data={"choice": "yes"}).status_code == 302

    # The secretary closes the ballot with the resolution.
    log_in(client, secretary)
    response = client.post(f"/ballots/{ballot.id}/close", data={"resolution": "ที่ประชุมมีมติเห็นชอบ"})
    assert response.status_code == 302
    decision = db.session.scalar(sa.select(Decision).where(Decision.ballot_id == ballot.id))
    assert (decision.yes_count, decision.no_count, decision.abstain_count) == (3, 0, 0)

    # The secretary turns the decision into a commitment with a milestone.
    today = utcnow().date()
    response = client.post(f"/decisions/{decision.id}/commitment/new", data={
        "title": "ประกาศค่าฝุ่นรายวัน", "description": "ทุกอำเภอ", "lead_organisation": lead.id,
        "start_date": today.isoformat(), "due_date": (today + timedelta(days=90)).isoformat(),
        "milestones-0-title": "ระบบประกาศพร้อมใช้",
        "milestones-0-due_date": (today + timedelta(days=30)).isoformat(),
    })
    assert response.status_code == 302, response.text
    commitment_url = response.headers["Location"]

    # The lead agency brings the milestone forward, then posts progress: the commitment's
    # percent is rolled up from its one milestone (substantial: two thirds).
    log_in(client, contact)
    milestone = db.session.scalar(sa.select(Milestone).where(Milestone.title == "ระบบประกาศพร้อมใช้"))
    response = client.post(f"/milestones/{milestone.id}/completion",
                           data={"completion": "substantial"})
    assert response.status_code == 302, response.text
    response = client.post(f"{commitment_url}/progress/new", data={
        "reported_on": today.isoformat(), "completion": "limited", "status": "on_track",
        "note": "เริ่มประกาศแล้ว 5 อำเภอ", "evidence": "https://example.org/evidence",
    })
    assert response.status_code == 302, response.text

    # A visitor reads the decision with its roll-call, the commitment and the log head.
    client.post("/logout")
    page = client.get(f"/decisions/{decision.id}").text
    assert words["adopted"] in page and words["roll_call"] in page
    assert all(member.display_name in page for member in members)
    assert chair.display_name in page  # listed as not having voted
    page = client.get(commitment_url).text
    assert "เริ่มประกาศแล้ว 5 อำเภอ" in page and "67%" in page
    assert milestone.commitment.percent == 67
    assert re.search(r"<html lang=\"" + lang, page)
    head = client.get("/log/head.json").get_json()
    assert head["entries"] >= 8
    assert head["head"] in client.get("/log").text
    result = runner.invoke(args=["verify-log"])
    assert result.exit_code == 0 and head["head"] in result.output
    _db.session.expire_all()
