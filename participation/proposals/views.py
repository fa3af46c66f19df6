"""Proposal pages: the list, one proposal, drafting and editing, history, the state machine's
buttons, supports, and the category administration."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from participation.accounts import limits
from participation.accounts.models import Organisation, Sector
from participation.accounts.verification import take_part_required
from participation.answers import permissions as answer_permissions
from participation.answers import queries as answer_queries
from participation.answers.forms import ANSWER_PREFIX, NONE_CHOSEN, AnswerForm
from participation.comments import permissions as comment_permissions
from participation.comments import queries as comment_queries
from participation.comments.forms import CommentForm, stance_choices
from participation.comments.models import Stance
from participation.comments.permissions import can_comment, closed_reason
from participation.core.forms import choice
from participation.core.models import utcnow
from participation.core.pagination import paginate
from participation.core.views import me, page_number, require, unit_of_work
from participation.decisions.queries import latest_for_proposal
from participation.extensions import db
from participation.proposals import permissions, queries, services
from participation.proposals.forms import (
    SECRETARIAT,
    AgencyForm,
    CategoryForm,
    EditProposalForm,
    MergeForm,
    ProposalForm,
)
from participation.proposals.models import Category, Proposal
from participation.votes.queries import latest_ballot
from participation.votes.views import close_if_due_and_commit

bp = Blueprint("proposals", __name__)


def visible_or_404(proposal_id: int) -> Proposal:
    """Load a proposal the current reader may see; 404 when it is missing or hidden."""
    proposal = queries.get_proposal_or_404(proposal_id)
    if not permissions.can_view(current_user, proposal):
        abort(404)
    return proposal


@bp.get("/proposals")
def index():
    categories = queries.categories()
    filters = queries.ListFilters.from_args(request.args, categories)
    page = paginate(
        queries.list_statement(filters),
        page=page_number(),
        per_page=current_app.config["PER_PAGE"],
    )
    return render_template(
        "proposals/index.html",
        page=page,
        filters=filters,
        categories=categories,
        drafts=queries.drafts_of(current_user),
        listed_states=queries.LISTED_STATES,
        sectors=list(Sector),
        sorts=[
            ("newest", _("Newest")),
            ("supported", _("Most supported")),
            ("discussed", _("Most discussed")),
        ],
    )


def agency_choices(form: AgencyForm) -> list[Organisation]:
    """Offer the secretariat and every organisation; return the organisations."""
    organisations = answer_queries.organisations()
    form.agency.choices = [
        (SECRETARIAT, _("The secretariat of the working group")),
        *[choice(org.id, org.name) for org in organisations],
    ]
    return organisations


def answer_choices(form: AnswerForm, proposal: Proposal) -> tuple[list[Organisation],
                                                                   list[Proposal]]:
    """Offer every organisation to refer to and the group's proposals to merge with; return
    them."""
    organisations = answer_queries.organisations()
    targets = answer_queries.merge_targets(proposal)
    form.referred_to.choices = [
        (NONE_CHOSEN, _("No referral")), *[choice(org.id, org.name) for org in organisations]
    ]
    form.merged_into.choices = [
        (NONE_CHOSEN, _("Not merged")),
        *[choice(p.id, _("#%(id)d %(title)s", id=p.id, title=p.title)) for p in targets],
    ]
    return organisations, targets


def render_detail(proposal: Proposal, *, comment_form: CommentForm | None = None,
                  answer_form: AnswerForm | None = None, agency_form: AgencyForm | None = None,
                  status: int = 200):
    """Render a proposal's page; the comment, answer and agency views reuse it to show a form
    with its errors. A proposal a moderator hid shows the notice alone."""
    if proposal.is_hidden:
        return render_template("moderation/hidden_proposal.html", proposal=proposal), status
    user = current_user
    ballot = latest_ballot(proposal.id)
    # The lazy close: a ballot whose time has passed closes when someone looks at it, before
    # anything on the page (the state badge included) is shown.
    close_if_due_and_commit(ballot)
    reply_form = None
    if comment_form is not None and comment_form.parent_value() is not None:
        reply_form, comment_form = comment_form, None
    answer = answer_queries.answer_for(proposal.id)
    if agency_form is None and permissions.can_assign_agency(
        user, proposal, answered=answer is not None
    ):
        agency_form = AgencyForm(formdata=None, agency=proposal.agency_id or SECRETARIAT)
    if agency_form is not None:
        agency_choices(agency_form)
    if answer_form is None and answer_permissions.can_answer(user, proposal, answer):
        answer_form = AnswerForm(formdata=None, prefix=ANSWER_PREFIX)
    if answer_form is not None:
        answer_choices(answer_form, proposal)
    may_comment = can_comment(user, proposal)
    if comment_form is None and may_comment:
        # Only for those who may comment: a form makes a CSRF token, which would keep a
        # visitor's page out of shared caches (participation.core.caching).
        comment_form = CommentForm(formdata=None)
    return render_template(
        "proposals/detail.html",
        proposal=proposal,
        ballot=ballot,
        decision=latest_for_proposal(proposal.id),
        thread=comment_queries.thread(proposal.id, page=request.args.get("page", 1, type=int)),
        stances=comment_queries.stance_counts(proposal.id),
        stances_by_sector=comment_queries.stances_by_sector(proposal.id),
        supports_by_sector=queries.supports_by_sector(proposal.id),
        answer=answer,
        deadline=answer_queries.deadline(proposal, answer, answer_queries.today()),
        answer_form=answer_form,
        agency_form=agency_form,
        stance_labels=[(stance.value, stance.label) for stance in Stance],
        supported=queries.has_supported(user, proposal.id),
        comment_form=comment_form,
        reply_form=reply_form,
        stance_choices=stance_choices(),
        comment_permissions=comment_permissions,
        may_comment=may_comment,
        closed_reason=closed_reason(proposal),
        perm=permissions,
    ), status


@bp.get("/proposals/<int:proposal_id>")
def detail(proposal_id: int):
    return render_detail(visible_or_404(proposal_id))


def _choices(form, groups, categories) -> None:
    if hasattr(form, "group"):
        form.group.choices = [(group.id, group.name) for group in groups]
    form.category.choices = [(category.id, category.name) for category in categories]


@bp.route("/proposals/new", methods=["GET", "POST"])
@login_required
@take_part_required
@limits.proposal_limit
def new():
    groups, categories = queries.groups(), queries.categories()
    form = ProposalForm()
    _choices(form, groups, categories)
    if request.method == "GET" and groups:
        form.group.data = groups[0].id
    if groups and categories and form.validate_on_submit():
        group = next(each for each in groups if each.id == form.group.data)
        category = next(c for c in categories if c.id == form.category.data)
        submit = bool(form.submit_for_comment.data)
        with unit_of_work(form) as work:
            proposal = services.create_proposal(
                author=me(), group=group, title=form.title.data, body=form.body.data,
                category=category, submit=submit, now=utcnow(),
            )
        if work.ok:
            flash(_("Your proposal is open for comment.") if submit
                  else _("Your draft is saved. Only you can see it until you submit it."))
            return redirect(url_for(".detail", proposal_id=proposal.id))
    return render_template(
        "proposals/form.html", form=form, proposal=None, groups=groups, categories=categories,
    )


@bp.route("/proposals/<int:proposal_id>/edit", methods=["GET", "POST"])
@login_required
def edit(proposal_id: int):
    proposal = visible_or_404(proposal_id)
    require(permissions.is_author(current_user, proposal))
    if not permissions.can_edit(current_user, proposal):
        flash(_("A proposal can be edited only while it is a draft or open for comment."),
              "error")
        return redirect(url_for(".detail", proposal_id=proposal.id))
    categories = queries.categories()
    form = EditProposalForm(obj=proposal if request.method == "GET" else None)
    _choices(form, [], categories)
    if request.method == "GET":
        form.category.data = proposal.category_id
    if form.validate_on_submit():
        category = next(c for c in categories if c.id == form.category.data)
        with unit_of_work(form) as work:
            revision = services.edit_proposal(
                proposal=proposal, editor=me(), title=form.title.data, body=form.body.data,
                category=category, now=utcnow(),
            )
        if work.ok:
            if revision is None:
                flash(_("Nothing was changed."))
            else:
                flash(_("Your changes are saved as version %(number)d.",
                        number=revision.number))
            return redirect(url_for(".detail", proposal_id=proposal.id))
    return render_template(
        "proposals/form.html", form=form, proposal=proposal, groups=[], categories=categories,
    )


@bp.get("/proposals/<int:proposal_id>/history")
def history(proposal_id: int):
    proposal = visible_or_404(proposal_id)
    if proposal.is_hidden:
        return render_template("moderation/hidden_proposal.html", proposal=proposal)
    return render_template(
        "proposals/history.html", proposal=proposal, revisions=queries.revisions(proposal.id)
    )


@bp.get("/proposals/<int:proposal_id>/history/<int:number>")
def revision(proposal_id: int, number: int):
    proposal = visible_or_404(proposal_id)
    if proposal.is_hidden:
        return render_template("moderation/hidden_proposal.html", proposal=proposal)
    return render_template(
        "proposals/revision.html", proposal=proposal,
        revision=queries.revision_or_404(proposal.id, number),
    )


def _transition(proposal_id: int, *, allowed, service, done: str):
    """Guard by role (403), run one state change, and report a refusal as a message."""
    proposal = db.get_or_404(Proposal, proposal_id)
    require(allowed(current_user, proposal))
    with unit_of_work() as work:
        service(proposal=proposal, actor=me(), now=utcnow())
    if work.ok:
        flash(done)
    return redirect(url_for(".detail", proposal_id=proposal_id))


@bp.post("/proposals/<int:proposal_id>/open")
@login_required
def open_for_comment(proposal_id: int):
    return _transition(
        proposal_id, allowed=permissions.is_author, service=services.open_for_comment,
        done=_("The proposal is now open for comment."),
    )


@bp.post("/proposals/<int:proposal_id>/consider")
@login_required
def start_consideration(proposal_id: int):
    return _transition(
        proposal_id, allowed=permissions.can_manage, service=services.start_consideration,
        done=_("The proposal is now under consideration by the working group."),
    )


@bp.post("/proposals/<int:proposal_id>/withdraw")
@login_required
def withdraw(proposal_id: int):
    return _transition(
        proposal_id, allowed=permissions.is_author, service=services.withdraw,
        done=_("The proposal was withdrawn."),
    )


@bp.route("/proposals/<int:proposal_id>/merge", methods=["GET", "POST"])
@login_required
def merge(proposal_id: int):
    proposal = queries.get_proposal_or_404(proposal_id)
    require(permissions.can_manage(current_user, proposal))
    if not permissions.can_merge(current_user, proposal):
        flash(_("Only a proposal that is open for comment or under consideration can be "
                "merged."), "error")
        return redirect(url_for(".detail", proposal_id=proposal.id))
    candidates = queries.merge_candidates(proposal)
    form = MergeForm()
    form.into.choices = [
        (c.id, _("#%(id)d %(title)s (%(state)s)", id=c.id, title=c.title, state=c.state.label))
        for c in candidates
    ]
    if candidates and form.validate_on_submit():
        into = next(c for c in candidates if c.id == form.into.data)
        with unit_of_work(form) as work:
            services.merge(proposal=proposal, into=into, actor=me(), now=utcnow())
        if work.ok:
            flash(_("The proposal was merged into #%(id)d.", id=into.id))
            return redirect(url_for(".detail", proposal_id=proposal.id))
    return render_template(
        "proposals/merge.html", proposal=proposal, form=form, candidates=candidates
    )


@bp.post("/proposals/<int:proposal_id>/agency")
@login_required
def assign_agency(proposal_id: int):
    proposal = visible_or_404(proposal_id)
    require(permissions.can_manage(current_user, proposal))
    form = AgencyForm()
    organisations = agency_choices(form)
    if not form.validate_on_submit():
        return render_detail(proposal, agency_form=form)
    agency = next((org for org in organisations if org.id == form.agency.data), None)
    with unit_of_work() as work:
        changed = services.assign_agency(
            proposal=proposal, agency=agency, actor=me(), now=utcnow()
        )
    if work.ok:
        if not changed:
            flash(_("Nothing was changed."))
        elif agency is None:
            flash(_("The secretariat of the working group will answer this proposal."))
        else:
            flash(_("%(agency)s is now responsible for answering this proposal.",
                    agency=agency.name))
    return redirect(url_for(".detail", proposal_id=proposal.id, _anchor="answer"))


@bp.post("/proposals/<int:proposal_id>/support")
@login_required
@take_part_required
def support(proposal_id: int):
    proposal = visible_or_404(proposal_id)
    with unit_of_work() as work:
        added = services.support(proposal=proposal, user=me(), now=utcnow())
    if work.ok:
        flash(_("Thank you: your support is counted.") if added
              else _("You already support this proposal."))
    return redirect(url_for(".detail", proposal_id=proposal_id))


@bp.post("/proposals/<int:proposal_id>/unsupport")
@login_required
def withdraw_support(proposal_id: int):
    proposal = visible_or_404(proposal_id)
    with unit_of_work() as work:
        removed = services.withdraw_support(proposal=proposal, user=me())
    if work.ok:
        flash(_("Your support was withdrawn.") if removed
              else _("You were not supporting this proposal."))
    return redirect(url_for(".detail", proposal_id=proposal_id))


@bp.get("/admin/categories")
@login_required
def categories():
    require(permissions.can_manage_categories(current_user))
    return render_template("proposals/categories.html", categories=queries.categories())


@bp.route("/admin/categories/new", methods=["GET", "POST"])
@login_required
def category_new():
    require(permissions.can_manage_categories(current_user))
    form = CategoryForm()
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            services.create_category(
                actor=me(), name_th=form.name_th.data, name_en=form.name_en.data or "",
                position=form.position.data or 0, now=utcnow(),
            )
        if work.ok:
            flash(_("The category was added."))
            return redirect(url_for(".categories"))
    return render_template("proposals/category_form.html", form=form, category=None)


@bp.route("/admin/categories/<int:category_id>/edit", methods=["GET", "POST"])
@login_required
def category_edit(category_id: int):
    require(permissions.can_manage_categories(current_user))
    category = db.get_or_404(Category, category_id)
    form = CategoryForm(obj=category)
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            services.update_category(
                category=category, actor=me(), name_th=form.name_th.data,
                name_en=form.name_en.data or "", position=form.position.data or 0,
                now=utcnow(),
            )
        if work.ok:
            flash(_("The category was saved."))
            return redirect(url_for(".categories"))
    return render_template("proposals/category_form.html", form=form, category=category)
