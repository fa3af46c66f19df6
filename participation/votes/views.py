"""Ballots: open, vote, close, and the ballot page; the panel on the proposal page."""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import SQLAlchemyError

from participation.accounts.models import Sector
from participation.core.errors import DomainError, valid_id
from participation.core.i18n import from_site_time
from participation.core.models import utcnow
from participation.core.security import safe_next
from participation.core.views import require, unit_of_work
from participation.decisions.models import Decision
from participation.extensions import db
from participation.groups.queries import (
    default_quorum,
    loaded_voting_seats,
    voting_seat_of,
    voting_seats,
)
from participation.meetings.models import AgendaItem
from participation.proposals.models import Proposal
from participation.votes import queries, services
from participation.votes.forms import (
    CloseBallotForm,
    OpenBallotForm,
    ballot_choices,
    default_closing,
    vote_form,
)
from participation.votes.models import (
    Ballot,
    BallotKind,
    BallotStatus,
    ReasonRule,
    choice_label,
)
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


def panel_state(
    proposal: Proposal, ballot: Ballot | None, decision: Decision | None, form: Any = None
) -> dict:
    """What the ballot panel on a proposal page shows to the current reader; `form` is a vote
    form the reader submitted and must correct."""
    user = current_user if current_user.is_authenticated else None
    seat = voting_seat_of(user, proposal.group_id)
    is_open = ballot is not None and ballot.status == BallotStatus.OPEN
    state: dict[str, Any] = {
        "ballot": ballot,
        "decision": decision,
        "is_open": is_open,
        "can_open": can_open_ballot(user, proposal) and not is_open,
        "can_close": ballot is not None and can_close_ballot(user, ballot),
        "can_vote": ballot is not None and can_vote(user, ballot),
        "as_deputy": seat is not None and seat.holder_id != user.id,
        "seat": seat,
        "holder_voted": False,
        "my_vote": None,
        "votes_cast": 0,
        "eligible": 0,
        "form": None,
        # While voting runs the count is public unless the ballot hides it (a secret one does).
        "show_count": is_open and not (ballot.hide_results or ballot.secret),
        "counts": None,
        "by_sector": None,
    }
    if is_open:
        state["votes_cast"] = queries.votes_cast(ballot)
        state["eligible"] = len(voting_seats(ballot.group_id))
        if state["show_count"]:
            state["by_sector"] = queries.tally_by_sector(ballot)
            state["counts"] = queries.totals(state["by_sector"])
        if state["can_vote"]:
            my_vote = queries.vote_of(ballot, seat.id if seat else None)
            state["my_vote"] = my_vote
            state["holder_voted"] = (
                state["as_deputy"] and my_vote is not None and my_vote.voter_id == seat.holder_id
            )
            if not state["holder_voted"] and form is None:
                form = vote_form(ballot, formdata=None)
                if my_vote is not None:
                    form.choice.data = my_vote.choice.value
                    form.reason.data = my_vote.reason
            state["form"] = None if state["holder_voted"] else form
    return state


def vote_reminders() -> list[queries.Reminder]:
    """The reader's open ballots closing soon on which their seat has not voted. Nothing for
    visitors; for a signed-in person at most one query: none when the page has read their
    seats already and none of them votes."""
    if not current_user.is_authenticated:
        return []
    if "_vote_reminders" not in g:
        try:
            seats = loaded_voting_seats(current_user)
            if seats is None:
                reminders = queries.reminders_for(user_id=current_user.id, now=utcnow())
            else:
                reminders = queries.reminders_for(seat_ids=[s.id for s in seats], now=utcnow())
            g._vote_reminders = reminders
        except SQLAlchemyError:
            # An error page after a failed transaction still renders, without reminders.
            log.warning("vote reminders could not be read", exc_info=True)
            g._vote_reminders = []
    return g._vote_reminders


@bp.app_context_processor
def panel_helpers() -> dict[str, Any]:
    return {"ballot_panel": panel_state, "vote_reminders": vote_reminders}


# Globals, so that imported macros (templates/votes/_macros.html) can use them too.
bp.add_app_template_global(choice_label)
bp.add_app_template_global(ballot_choices)


@bp.app_template_global()
def sector_label(value: str) -> str:
    """The translated name of a sector stored by value."""
    return Sector(value).label


def _agenda_item() -> AgendaItem | None:
    """The meeting's agenda item a ballot is opened from (?agenda_item=), if any."""
    if "agenda_item" not in request.args:
        return None
    item_id = valid_id(request.args.get("agenda_item", type=int))
    item = db.session.get(AgendaItem, item_id) if item_id is not None else None
    if item is None:
        abort(404)
    return item


@bp.route("/proposals/<int:proposal_id>/ballot/new", methods=["GET", "POST"])
@login_required
def open_ballot(proposal_id: int):
    proposal = db.get_or_404(Proposal, proposal_id)
    require(can_open_ballot(current_user, proposal))
    agenda_item = _agenda_item()
    form = OpenBallotForm()
    if request.method == "GET":
        form.closes_at.data = default_closing(utcnow())
    seats = voting_seats(proposal.group_id)
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            ballot = services.open_ballot(
                proposal=proposal,
                actor=current_user,
                closes_at=from_site_time(form.closes_at.data),
                quorum=form.quorum.data,
                kind=BallotKind(form.kind.data),
                reasons=ReasonRule(form.reasons.data),
                hide_results=form.hide_results.data,
                secret=form.secret.data,
                sector_quorum=form.sector_quorum(),
                agenda_item=agenda_item,
                now=utcnow(),
            )
        if work.ok:
            flash(_("The ballot is open. Voting members can now vote."))
            return redirect(url_for("votes.detail", ballot_id=ballot.id))
    return render_template(
        "votes/open.html",
        form=form,
        proposal=proposal,
        seats=len(seats),
        sector_seats=Counter(seat.sector.value for seat in seats),
        default_quorum=default_quorum(proposal.group_id),
        agenda_item=agenda_item,
    )


@bp.get("/ballots/<int:ballot_id>")
def detail(ballot_id: int):
    ballot = db.get_or_404(Ballot, ballot_id)
    close_if_due_and_commit(ballot)
    return _ballot_page(ballot)


def _ballot_page(ballot: Ballot, vote_form: Any = None):
    proposal = db.session.get(Proposal, ballot.proposal_id)
    decision = db.session.scalar(
        db.select(Decision).where(Decision.ballot_id == ballot.id)
    )
    state = panel_state(proposal, ballot, decision, form=vote_form)
    closed = ballot.status == BallotStatus.CLOSED
    roll_call = queries.roll_call(ballot) if closed or state["show_count"] else None
    return render_template(
        "votes/detail.html",
        ballot=ballot,
        proposal=proposal,
        decision=decision,
        panel=state,
        roll_call=roll_call,
        turnout=queries.turnout_by_sector(roll_call) if roll_call is not None else None,
        close_form=CloseBallotForm(formdata=None) if state["can_close"] else None,
    )


@bp.post("/ballots/<int:ballot_id>/vote")
@login_required
def cast(ballot_id: int):
    ballot = db.get_or_404(Ballot, ballot_id)
    back = safe_next(request.form.get("next")) or url_for("votes.detail", ballot_id=ballot.id)
    if ballot.status == BallotStatus.OPEN and not can_vote(current_user, ballot):
        abort(403)
    form = vote_form(ballot)
    if not form.validate_on_submit():
        # Shown again on the ballot page, the errors beside their fields.
        return _ballot_page(ballot, vote_form=form)
    with unit_of_work(form) as work:
        vote = services.cast_vote(
            ballot=ballot,
            member=current_user,
            choice=form.choice.data,
            reason=form.reason.data or "",
            now=utcnow(),
        )
    if not work.ok:
        if form.form_errors:
            # A refusal about the ballot or the seat, not a field: said where the vote came from.
            flash(" ".join(form.form_errors), "error")
            return redirect(back)
        return _ballot_page(ballot, vote_form=form)
    flash(_("Your vote is recorded: %(choice)s. You can change it until voting closes.",
            choice=choice_label(ballot.kind, vote.choice)))
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
