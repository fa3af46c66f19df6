"""Working groups: public pages, and their administration with seats and holders."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from participation.accounts.models import Organisation, Sector
from participation.accounts.queries import (
    all_organisations,
    count_organisations,
    count_users,
    user_by_email,
)
from participation.core.i18n import with_names
from participation.core.models import utcnow
from participation.core.views import require, unit_of_work
from participation.extensions import db
from participation.groups import queries, services
from participation.groups.forms import DeputyForm, GroupForm, HolderForm, SeatForm
from participation.groups.models import Seat, SeatRole, WorkingGroup
from participation.groups.permissions import can_administer_groups, is_admin

bp = Blueprint("groups", __name__)


def _group_or_404(group_id: int) -> WorkingGroup:
    group = queries.group_with_seats(group_id)
    if group is None:
        abort(404)
    return group


# Public pages.


@bp.get("/groups")
def index():
    return render_template("groups/index.html", groups=queries.list_groups())


@bp.get("/groups/<int:group_id>")
def detail(group_id: int):
    return render_template("groups/detail.html", group=_group_or_404(group_id))


# Administration.


@bp.get("/admin")
def admin_index():
    require(is_admin(current_user))
    return render_template(
        "groups/admin_index.html",
        group_count=queries.count_groups(),
        user_count=count_users(),
        organisation_count=count_organisations(),
    )


@bp.get("/admin/groups")
def admin_groups():
    require(can_administer_groups(current_user))
    return render_template("groups/admin_groups.html", groups=queries.list_groups())


def _group_values(form: GroupForm) -> dict[str, Any]:
    """The group form's answers as the keyword arguments of create_group and update_group."""
    return {
        "name_th": form.name_th.data,
        "name_en": form.name_en.data or "",
        "description": form.description.data or "",
        "answer_days": form.answer_days.data,
        "dispute_days": form.dispute_days.data,
        "reminder_hours": form.reminder_hours.data,
    }


@bp.route("/admin/groups/new", methods=["GET", "POST"])
def admin_group_new():
    require(can_administer_groups(current_user))
    form = GroupForm()
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            group = services.create_group(
                **_group_values(form), actor=current_user, now=utcnow()
            )
        if work.ok:
            flash(with_names(
                _l("Working group %(name)s created. Add its seats now."), name=group.name
            ))
            return redirect(url_for("groups.admin_seats", group_id=group.id))
    return render_template("groups/admin_group_form.html", form=form, group=None)


@bp.route("/admin/groups/<int:group_id>/edit", methods=["GET", "POST"])
def admin_group_edit(group_id: int):
    require(can_administer_groups(current_user))
    group = db.get_or_404(WorkingGroup, group_id)
    form = GroupForm(
        data={"name_th": group.name_th, "name_en": group.name_en, "description": group.description,
              "answer_days": group.answer_days, "dispute_days": group.dispute_days,
              "reminder_hours": group.reminder_hours}
    )
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            services.update_group(
                group=group, **_group_values(form), actor=current_user, now=utcnow()
            )
        if work.ok:
            flash(with_names(_l("Working group %(name)s saved."), name=group.name))
            return redirect(url_for("groups.admin_groups"))
    return render_template("groups/admin_group_form.html", form=form, group=group)


def _seat_form(seat: Seat | None = None, *, submitted: bool = True) -> SeatForm:
    """The seat form, prefilled from the seat; read from the request only if it was the form
    submitted."""
    data = None
    if seat is not None:
        data = {
            "role": seat.role.value,
            "organisation": seat.organisation_id or 0,
            "sector": seat.sector.value,
            "voting": seat.voting,
            "position": seat.position,
        }
    form = SeatForm(data=data) if submitted else SeatForm(formdata=None, data=data)
    form.organisation.choices = [(0, _("No organisation"))] + [
        (organisation.id, organisation.name) for organisation in all_organisations()
    ]
    return form


def _seat_values(form: SeatForm) -> dict[str, Any]:
    """The seat form's answers as the keyword arguments of add_seat and update_seat."""
    organisation_id = form.organisation.data
    return {
        "role": SeatRole(form.role.data),
        "organisation": db.get_or_404(Organisation, organisation_id) if organisation_id else None,
        "sector": Sector(form.sector.data),
        "voting": form.voting.data,
        "position": form.position.data,
    }


@bp.get("/admin/groups/<int:group_id>/seats")
def admin_seats(group_id: int):
    require(can_administer_groups(current_user))
    group = _group_or_404(group_id)
    return render_template(
        "groups/admin_seats.html",
        group=group,
        seats_with_votes=queries.seat_ids_with_votes(group.id),
    )


@bp.route("/admin/groups/<int:group_id>/seats/new", methods=["GET", "POST"])
def admin_seat_new(group_id: int):
    require(can_administer_groups(current_user))
    group = db.get_or_404(WorkingGroup, group_id)
    form = _seat_form()
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            services.add_seat(group=group, **_seat_values(form), actor=current_user, now=utcnow())
        if work.ok:
            flash(with_names(_l("Seat added to %(name)s."), name=group.name))
            return redirect(url_for("groups.admin_seats", group_id=group.id))
    return render_template("groups/admin_seat_new.html", form=form, group=group)


def _holder_form(seat: Seat) -> HolderForm:
    return HolderForm(
        formdata=None, prefix="holder", data={"email": seat.holder.email if seat.holder else ""}
    )


def _deputy_form(seat: Seat) -> DeputyForm:
    return DeputyForm(
        formdata=None, prefix="deputy", data={"email": seat.deputy.email if seat.deputy else ""}
    )


def _render_seat(
    seat: Seat,
    form: SeatForm,
    holder_form: HolderForm | None = None,
    deputy_form: DeputyForm | None = None,
):
    return render_template(
        "groups/admin_seat.html",
        seat=seat,
        group=seat.group,
        form=form,
        holder_form=holder_form or _holder_form(seat),
        deputy_form=deputy_form or _deputy_form(seat),
        has_votes=queries.seat_has_votes(seat.id),
    )


@bp.route("/admin/seats/<int:seat_id>", methods=["GET", "POST"])
def admin_seat_edit(seat_id: int):
    require(can_administer_groups(current_user))
    seat = db.get_or_404(Seat, seat_id)
    form = _seat_form(seat)
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            services.update_seat(seat=seat, **_seat_values(form), actor=current_user, now=utcnow())
        if work.ok:
            flash(_("Seat saved."))
            return redirect(url_for("groups.admin_seats", group_id=seat.group_id))
    return _render_seat(seat, form)


@bp.post("/admin/seats/<int:seat_id>/holder")
def admin_seat_holder(seat_id: int):
    require(can_administer_groups(current_user))
    seat = db.get_or_404(Seat, seat_id)
    holder_form = HolderForm(prefix="holder")
    if holder_form.validate_on_submit():
        email = (holder_form.email.data or "").strip()
        holder = user_by_email(email) if email else None
        if email and holder is None:
            holder_form.email.errors = [_("No account uses this e-mail address.")]
        else:
            with unit_of_work(holder_form) as work:
                services.assign_holder(seat=seat, holder=holder, actor=current_user, now=utcnow())
            if work.ok:
                if holder is None:
                    flash(_("The seat is now vacant."))
                else:
                    flash(with_names(_l("%(name)s now holds the seat."), name=holder.display_name))
                return redirect(url_for("groups.admin_seats", group_id=seat.group_id))
    return _render_seat(seat, _seat_form(seat, submitted=False), holder_form=holder_form)


@bp.post("/admin/seats/<int:seat_id>/deputy")
def admin_seat_deputy(seat_id: int):
    require(can_administer_groups(current_user))
    seat = db.get_or_404(Seat, seat_id)
    deputy_form = DeputyForm(prefix="deputy")
    if deputy_form.validate_on_submit():
        email = (deputy_form.email.data or "").strip()
        deputy = user_by_email(email) if email else None
        if email and deputy is None:
            deputy_form.email.errors = [_("No account uses this e-mail address.")]
        else:
            with unit_of_work(deputy_form) as work:
                services.name_deputy(seat=seat, deputy=deputy, actor=current_user, now=utcnow())
            if work.ok:
                if deputy is None:
                    flash(_("The seat has no deputy now."))
                else:
                    flash(with_names(
                        _l("%(name)s is now the deputy of the seat."), name=deputy.display_name
                    ))
                return redirect(url_for("groups.admin_seats", group_id=seat.group_id))
    return _render_seat(seat, _seat_form(seat, submitted=False), deputy_form=deputy_form)


@bp.post("/admin/seats/<int:seat_id>/remove")
def admin_seat_remove(seat_id: int):
    require(can_administer_groups(current_user))
    seat = db.get_or_404(Seat, seat_id)
    group_id = seat.group_id
    with unit_of_work() as work:
        services.remove_seat(seat=seat, actor=current_user, now=utcnow())
    if not work.ok:
        return redirect(url_for("groups.admin_seat_edit", seat_id=seat_id))
    flash(_("Seat removed."))
    return redirect(url_for("groups.admin_seats", group_id=group_id))
