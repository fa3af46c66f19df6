"""Moderation pages: reporting a contribution, the moderators' queue, hiding, restoring and
dismissing; blocks and the public moderation page register their routes on the same blueprint
from their own modules."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from participation.accounts.permissions import can_moderate
from participation.accounts.verification import take_part_required
from participation.comments.models import Comment
from participation.core.models import utcnow
from participation.core.views import me, page_number, require, unit_of_work
from participation.extensions import db
from participation.moderation import permissions, queries, services
from participation.moderation.forms import HideForm, ReportForm, hide_reasons
from participation.moderation.models import ContentKind
from participation.moderation.notices import hidden_notice, shown_title
from participation.moderation.permissions import Content, can_report, is_content_author
from participation.proposals.models import Proposal
from participation.proposals.views import visible_or_404

bp = Blueprint("moderation", __name__)

KINDS = "any(proposal, comment)"


@bp.app_template_global()
def may_report(kind: str, content: Content) -> bool:
    """Whether the reader may report this proposal or comment (for its Report link)."""
    return can_report(current_user, kind, content)


@bp.app_template_global()
def may_moderate() -> bool:
    """Whether the reader is a moderator (or an administrator)."""
    return can_moderate(current_user)


# "Hidden by a moderator: <reason>" for the thread, the proposal page and the queue; a
# proposal's title, or that notice, wherever a page names a proposal.
bp.add_app_template_global(hidden_notice)
bp.add_app_template_global(shown_title)


def _content_or_404(kind: ContentKind, content_id: int) -> tuple[Content, Proposal]:
    """The proposal or comment, and the proposal it is (on); 404 when missing, or when the
    proposal is a draft the reader may not see."""
    if kind == ContentKind.PROPOSAL:
        proposal = visible_or_404(content_id)
        return proposal, proposal
    comment = db.get_or_404(Comment, content_id)
    return comment, visible_or_404(comment.proposal_id)


def content_url(kind: ContentKind, content: Content, proposal: Proposal) -> str:
    """The proposal's page, at the comment for a comment."""
    if kind == ContentKind.COMMENT:
        return url_for("comments.permalink", comment_id=content.id)
    return url_for("proposals.detail", proposal_id=proposal.id)


@bp.route(f"/report/<{KINDS}:kind>/<int:content_id>", methods=["GET", "POST"])
@login_required
@take_part_required
def report(kind: str, content_id: int):
    kind = ContentKind(kind)
    content, proposal = _content_or_404(kind, content_id)
    require(not is_content_author(current_user, content))
    back = content_url(kind, content, proposal)
    refusal = services.report_refusal(reporter=me(), kind=kind, content=content)
    if refusal is not None and request.method == "POST":
        flash(refusal, "error")
        return redirect(back)
    form = ReportForm()
    if refusal is None and form.validate_on_submit():
        with unit_of_work(form) as work:
            services.report(
                reporter=me(), kind=kind, content=content, reason=form.reason_value(),
                note=form.note.data or "", now=utcnow(),
            )
        if work.ok:
            flash(_("Thank you: a moderator will look at it."))
            return redirect(back)
    return render_template(
        "moderation/report.html", form=form, kind=kind, content=content, proposal=proposal,
        refusal=refusal, back=back,
    )


@bp.get("/moderation/queue")
@login_required
def queue():
    require(can_moderate(current_user))
    tab = "hidden" if request.args.get("show") == "hidden" else "reports"
    pages = {"reports": queries.queue_page, "hidden": queries.hidden_page}
    page = pages[tab](page=page_number(), per_page=current_app.config["PER_PAGE"])
    return render_template(
        "moderation/queue.html", tab=tab, page=page, reasons=hide_reasons(),
        perm=permissions, content_url=content_url,
    )


def _moderated(kind: str, content_id: int) -> tuple[ContentKind, Content, Proposal]:
    """Refuse anyone but a moderator (403), then load the contribution."""
    require(can_moderate(current_user))
    kind = ContentKind(kind)
    content, proposal = _content_or_404(kind, content_id)
    return kind, content, proposal


def _back(kind: ContentKind, content: Content, proposal: Proposal, *, tab: str = "reports"):
    # Only two places to go back to, so the address cannot send anyone elsewhere.
    if request.args.get("back") == "content":
        return redirect(content_url(kind, content, proposal))
    return redirect(url_for(".queue", show="hidden") if tab == "hidden" else url_for(".queue"))


@bp.post(f"/moderation/<{KINDS}:kind>/<int:content_id>/hide")
@login_required
def hide(kind: str, content_id: int):
    kind, content, proposal = _moderated(kind, content_id)
    form = HideForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return _back(kind, content, proposal)
    with unit_of_work() as work:
        closed = services.hide(
            moderator=me(), kind=kind, content=content, reason=form.reason_value(), now=utcnow(),
        )
    if work.ok:
        flash(ngettext(
            "Hidden: readers now see the reason instead of the text; %(num)d report was closed.",
            "Hidden: readers now see the reason instead of the text; %(num)d reports were "
            "closed.", closed,
        ))
    return _back(kind, content, proposal)


@bp.post(f"/moderation/<{KINDS}:kind>/<int:content_id>/restore")
@login_required
def restore(kind: str, content_id: int):
    kind, content, proposal = _moderated(kind, content_id)
    with unit_of_work() as work:
        services.restore(moderator=me(), kind=kind, content=content, now=utcnow())
    if work.ok:
        flash(_("Restored: everyone can read it again, and its author is told."))
    return _back(kind, content, proposal, tab="hidden")


@bp.post(f"/moderation/<{KINDS}:kind>/<int:content_id>/dismiss")
@login_required
def dismiss(kind: str, content_id: int):
    kind, content, proposal = _moderated(kind, content_id)
    with unit_of_work() as work:
        dismissed = services.dismiss(moderator=me(), kind=kind, content=content, now=utcnow())
    if work.ok:
        flash(ngettext(
            "%(num)d report was dismissed; the contribution stays as it is.",
            "%(num)d reports were dismissed; the contribution stays as it is.", dismissed,
        ))
    return _back(kind, content, proposal)


# Routes kept in their own modules, registered on `bp` when imported.
from participation.moderation import block_views, public_views  # noqa: E402, F401
