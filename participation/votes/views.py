"""Ballots: open, vote, close, and the ballot page; the panel on the proposal page."""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import SQLAlchemyError

from participation.core.errors import DomainError
from participation.core.models import utcnow
from participation.core.security import safe_next
from participation.core.views import require, unit_of_work
from participation.decisions.models import Decision
from participation.extensions import db
from participation.groups.queries import default_quorum, seat_of, voting_seats
from participation.proposals.models import Proposal
from participation.votes import queries, services
from participation.votes.forms import (
    CloseBallotForm,
    OpenBallotForm,
    VoteForm,
    default_closing,
    from_site_time,
)
from participation.votes.models import Ballot, BallotStatus
from participation.votes.permissions import can_close_ballot, can_open_ballot, can_vote

bp = Blueprint("votes", __name__)
log = logging.getLogger(__name__)


def close_if_due_and_commit(ballot: Ballot | None) -> Decision | None:
    """Close a ballot whose time has passed when someone looks at it (the lazy close)."""
    if ballot is None or ballot.status != BallotStatus.OPEN or ballot.closes_at > utcnow():
        return None
    try:
        decision = services.close_if_due(ballot=ballot, now=utcnow())
        db.session.commit()
    except (DomainError, SQLAlchemyError):
        # Someone else closed it at the same moment, or the database was busy: the page still
        # shows the ballot, and the next visit or the scheduled command closes it.
        log.warning("lazy close of ballot %s failed", ballot.id, exc_info=True)
        db.session.rollback()
        return None
    return decision


def panel_state(proposal: Proposal, ballot: Ballot | None, decision: Decision | None) -> dict:
    """What the ballot panel on a proposal page shows to the current reader."""
    user = current_user if current_user.is_authenticated else None
    seat = seat_of(user, proposal.group_id) if user is not None else None
    is_open = ballot is not None and ballot.status == BallotStatus.OPEN
    state: dict[str, Any] = {
        "ballot": ballot,
        "decision": decision,
        "is_open": is_open,
        "can_open": can_open_ballot(user, proposal) and not is_open,
        "can_close": ballot is not None and can_close_ballot(user, ballot),
        "can_vote": ballot is not None and can_vote(user, ballot),
        "my_vote": None,
        "votes_cast": 0,
        "eligible": 0,
        "form": None,
    }
    if is_open:
        state["votes_cast"] = queries.votes_cast(ballot)
        state["eligible"] = len(voting_seats(ballot.group_id))
        if state["can_vote"]:
            state["my_vote"] = queries.vote_of(ballot, seat.id if seat else None)
            form = VoteForm(formdata=None)
            if state["my_vote"] is not None:
                form.choice.data = state["my_vote"].choice.value
            state["form"] = form
    return state


@bp.app_context_processor
def panel_helpers() -> dict[str, Any]:
    return {"ballot_panel": panel_state}


@bp.route("/proposals/<int:proposal_id>/ballot/new", methods=["GET", "POST"])
@login_required
def open_ballot(proposal_id: int):
    proposal = db.get_or_404(Proposal, proposal_id)
    require(can_open_ballot(current_user, proposal))
    form = OpenBallotForm()
    if request.method == "GET":
        form.closes_at.data = default_closing(utcnow())
    seats = len(voting_seats(proposal.group_id))
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            ballot = services.open_ballot(
                proposal=proposal,
                actor=current_user,
                closes_at=from_site_time(form.closes_at.data),
                quorum=form.quorum.data,
                now=utcnow(),
            )
        if work.ok:
            flash(_("The ballot is open. Voting members can now vote."))
            return redirect(url_for("votes.detail", ballot_id=ballot.id))
    return render_template(
        "votes/open.html",
        form=form,
        proposal=proposal,
        seats=seats,
        default_quorum=default_quorum(proposal.group_id),
    )


@bp.get("/ballots/<int:ballot_id>")
def detail(ballot_id: int):
    ballot = db.get_or_404(Ballot, ballot_id)
    close_if_due_and_commit(ballot)
    proposal = db.session.get(Proposal, ballot.proposal_id)
    decision = db.session.scalar(
        db.select(Decision).where(Decision.ballot_id == ballot.id)
    )
    state = panel_state(proposal, ballot, decision)
    closed = ballot.status == BallotStatus.CLOSED
    return render_template(
        "votes/detail.html",
        ballot=ballot,
        proposal=proposal,
        decision=decision,
        panel=state,
        roll_call=queries.roll_call(ballot) if closed else None,
        close_form=CloseBallotForm(formdata=None) if state["can_close"] else None,
    )


@bp.post("/ballots/<int:ballot_id>/vote")
@login_required
def cast(ballot_id: int):
    ballot = db.get_or_404(Ballot, ballot_id)
    back = safe_next(request.form.get("next")) or url_for("votes.detail", ballot_id=ballot.id)
    if ballot.status == BallotStatus.OPEN and not can_vote(current_user, ballot):
        abort(403)
    form = VoteForm()
    if not form.validate_on_submit():
        flash(_("Choose yes, no or abstain."), "error")
        return redirect(back)
    with unit_of_work() as work:
        vote = services.cast_vote(
            ballot=ballot, member=current_user, choice=form.choice.data, now=utcnow()
        )
    if work.ok:
        flash(_("Your vote is recorded: %(choice)s. You can change it until voting closes.",
                choice=vote.choice.label))
    return redirect(back)


@bp.post("/ballots/<int:ballot_id>/close")
@login_required
def close(ballot_id: int):
    ballot = db.get_or_404(Ballot, ballot_id)
    back = safe_next(request.form.get("next")) or url_for("votes.detail", ballot_id=ballot.id)
    if ballot.status == BallotStatus.OPEN and not can_close_ballot(current_user, ballot):
        abort(403)
    form = CloseBallotForm()
    if not form.validate_on_submit():
        flash(" ".join(form.resolution.errors) or _("The form could not be read."), "error")
        return redirect(back)
    with unit_of_work() as work:
        decision = services.close_ballot(
            ballot=ballot, actor=current_user, now=utcnow(), resolution=form.resolution.data or ""
        )
    if not work.ok:
        return redirect(back)
    flash(_("The ballot is closed. Result: %(result)s.", result=decision.result.label))
    return redirect(url_for("decisions.detail", decision_id=decision.id))
