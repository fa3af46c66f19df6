"""The evaluation tests' scene: the commitments scene plus a citizen, the holder and the deputy
of a civil-society seat of the group, a commitment due in the future and a progress report by
the lead agency's contact."""

from __future__ import annotations

from datetime import datetime, timedelta

from participation.accounts.models import Sector
from participation.commitments.models import Commitment, ProgressUpdate
from participation.core.models import utcnow
from participation.evaluations import services
from participation.evaluations.models import ReviewKind
from participation.extensions import db
from participation.groups.models import Seat
from tests.commitments.scene import Scene, bangkok_today, progress


class EvaluationScene(Scene):
    def __init__(self, make):
        super().__init__(make)
        self.citizen = make.user(display_name="Lampang Citizen")
        self.civil_society = make.organisation(name_en="Clean Air Network",
                                               sector=Sector.CIVIL_SOCIETY)
        self.cso_holder = make.user(display_name="Network Representative",
                                    sector=Sector.CIVIL_SOCIETY, organisation=self.civil_society)
        self.cso_deputy = make.user(display_name="Network Deputy", sector=Sector.CIVIL_SOCIETY,
                                    organisation=self.civil_society)
        self.cso_seat = make.seat(self.group, holder=self.cso_holder, sector=Sector.CIVIL_SOCIETY,
                                  organisation=self.civil_society)
        self.cso_seat.deputy_id = self.cso_deputy.id
        # A government member's seat: holding it gives no right to an independent assessment.
        self.government_seat: Seat = next(s for s in self.group.seats
                                          if s.holder_id == self.member.id)
        today = bangkok_today()
        self.commitment: Commitment = self.commit_to(
            start_date=today - timedelta(days=30), due_date=today + timedelta(days=200),
            milestones=[],
        )
        self.update: ProgressUpdate = progress(self, self.commitment, percent=30)
        db.session.commit()

    def review(self, *, reviewer=None, kind=ReviewKind.DISPUTE, comment="Two stations are "
               "still offline.", evidence_url="", update=None, now: datetime | None = None):
        return services.review_update(
            update=update or self.update, reviewer=reviewer or self.citizen, kind=kind,
            comment=comment, evidence_url=evidence_url, now=now or utcnow(),
        )
