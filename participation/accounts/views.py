"""Registration, login, logout, the account page, and the administration of people and
organisations."""

from __future__ import annotations

import re

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, logout_user

from participation.accounts import limits, permissions, queries, services
from participation.accounts.forms import (
    AgencyContactForm,
    LoginForm,
    OrganisationForm,
    ProfileForm,
    RegistrationForm,
    UserSearchForm,
)
from participation.accounts.login import finish_login
from participation.accounts.models import Organisation, Sector, User
from participation.core.errors import valid_id
from participation.core.i18n import current_language, with_names
from participation.core.models import utcnow
from participation.core.security import safe_next
from participation.core.views import me, page_number, require, unit_of_work
from participation.extensions import db, login_manager
from participation.groups.queries import seats_held_by
from participation.privacy.notices import current_notice_version

bp = Blueprint("accounts", __name__)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The person of a session, unless the session began before its version was raised. A
    bare id (a session from before versions existed) stands for version 0."""
    match = _SESSION_ID.fullmatch(user_id or "")
    if match is None or valid_id(int(match["id"])) is None:
        return None
    user = db.session.get(User, int(match["id"]))
    if user is None or user.session_version != int(match["version"] or 0):
        return None
    return user


_SESSION_ID = re.compile(r"(?P<id>[0-9]{1,10})(?::(?P<version>[0-9]{1,10}))?")


def _next_or(default: str) -> str:
    return safe_next(request.args.get("next")) or default


# Log-in, log-out, registration and the account page.


@bp.route("/login", methods=["GET", "POST"])
@limits.login_limits
def login():
    if current_user.is_authenticated:
        return redirect(_next_or(url_for("home.index")))
    form = LoginForm()
    if form.validate_on_submit():
        # Known address or not, the same waits and the same words: nothing tells them apart.
        wait = limits.login_wait(form.email.data)
        if wait:
            form.form_errors.append(" ".join((
                _("There have been too many failed attempts to log in with this e-mail "
                  "address."),
                limits.wait_message(wait),
            )))
            response = make_response(render_template("accounts/login.html", form=form), 429)
            response.headers["Retry-After"] = str(wait)
            return response
        user = services.authenticate(
            email=form.email.data, password=form.password.data, now=utcnow()
        )
        if user is not None:
            limits.forget_login_failures(form.email.data)
            return finish_login(
                user, remember=form.remember.data, next_url=_next_or(url_for("home.index"))
            )
        limits.record_login_failure(form.email.data)
        # One message whether the address is unknown or the password wrong.
        form.form_errors.append(_("The e-mail address or the password is not right."))
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
def logout():
    logout_user()
    flash(_("You have logged out."))
    return redirect(url_for("home.index"))


@bp.route("/register", methods=["GET", "POST"])
@limits.register_limit
def register():
    if current_user.is_authenticated:
        return redirect(url_for("accounts.account"))
    form = RegistrationForm()
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            services.register(
                email=form.email.data,
                password=form.password.data,
                display_name=form.display_name.data,
                sector=Sector(form.sector.data),
                organisation_name=form.organisation.data,
                now=utcnow(),
                # The box was ticked: they agree to the notice as it is now.
                privacy_version=current_notice_version(),
                # Their e-mails come in the language they registered in.
                language=current_language(),
            )
        if work.ok:
            # Nobody is logged in here, whether the address was new or already registered:
            # the answer must not tell which (the mail does, to the address's owner).
            return redirect(url_for("accounts.check_email", **{"for": "register"}))
    return render_template("accounts/register.html", form=form)


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    user = me()
    require(permissions.can_edit_profile(current_user, user))
    form = ProfileForm(
        data={
            "display_name": user.display_name,
            "sector": user.sector.value,
            "organisation": user.organisation.name if user.organisation else "",
        }
    )
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            services.update_profile(
                user=user,
                display_name=form.display_name.data,
                sector=Sector(form.sector.data),
                organisation_name=form.organisation.data,
                now=utcnow(),
            )
        if work.ok:
            flash(_("Your account has been updated."))
            return redirect(url_for("accounts.account"))
    return render_template(
        "accounts/account.html", form=form, user=user, seats=seats_held_by(user.id)
    )


# Administration of people.


@bp.get("/admin/users")
def admin_users():
    require(permissions.can_manage_users(current_user))
    search = UserSearchForm(request.args)
    query = search.q.data if search.validate() else ""
    page = queries.search_users(
        query,
        page=page_number(),
        per_page=current_app.config["PER_PAGE"],
    )
    return render_template("accounts/admin_users.html", search=search, page=page)


def _agency_contact_form(user: User) -> AgencyContactForm:
    form = AgencyContactForm(
        data={"organisation": user.organisation_id if user.is_agency_contact else 0}
    )
    form.organisation.choices = [(0, _("Not an agency contact"))] + [
        (organisation.id, organisation.name) for organisation in queries.all_organisations()
    ]
    return form


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
def admin_user(user_id: int):
    require(permissions.can_manage_users(current_user))
    user = db.get_or_404(User, user_id)
    form = _agency_contact_form(user)
    if form.validate_on_submit():
        organisation = (
            db.get_or_404(Organisation, form.organisation.data)
            if form.organisation.data
            else None
        )
        with unit_of_work(form) as work:
            services.set_agency_contact(
                user=user, organisation=organisation, actor=current_user, now=utcnow()
            )
        if work.ok:
            if organisation is None:
                flash(with_names(_l("%(name)s is not an agency contact."), name=user.display_name))
            else:
                flash(
                    _(
                        "%(name)s is now the agency contact of %(organisation)s.",
                        name=user.display_name,
                        organisation=organisation.name,
                    )
                )
            return redirect(url_for("accounts.admin_user", user_id=user.id))
    return render_template(
        "accounts/admin_user.html",
        user=user,
        form=form,
        seats=seats_held_by(user.id),
        can_change_admin=permissions.can_change_admin_role(current_user, user),
        can_change_moderator=permissions.can_change_moderator_role(current_user, user),
        blocked=permissions.is_blocked(user, utcnow()),
    )


@bp.post("/admin/users/<int:user_id>/admin")
def admin_set_admin(user_id: int):
    require(permissions.can_manage_users(current_user))
    user = db.get_or_404(User, user_id)
    wanted = request.form.get("is_admin")
    if wanted not in {"0", "1"}:
        abort(400)
    with unit_of_work() as work:
        services.set_admin(user=user, is_admin=wanted == "1", actor=current_user, now=utcnow())
    if work.ok:
        if user.is_admin:
            flash(with_names(_l("%(name)s is now an administrator."), name=user.display_name))
        else:
            flash(with_names(_l("%(name)s is no longer an administrator."), name=user.display_name))
    return redirect(_next_or(url_for("accounts.admin_user", user_id=user.id)))


@bp.post("/admin/users/<int:user_id>/moderator")
def admin_set_moderator(user_id: int):
    require(permissions.can_manage_users(current_user))
    user = db.get_or_404(User, user_id)
    require(permissions.can_change_moderator_role(current_user, user))
    wanted = request.form.get("is_moderator")
    if wanted not in {"0", "1"}:
        abort(400)
    with unit_of_work() as work:
        services.set_moderator(user=user, is_moderator=wanted == "1", actor=me(), now=utcnow())
    if work.ok:
        if user.is_moderator:
            flash(with_names(_l("%(name)s is now a moderator."), name=user.display_name))
        else:
            flash(with_names(_l("%(name)s is no longer a moderator."), name=user.display_name))
    return redirect(_next_or(url_for("accounts.admin_user", user_id=user.id)))


# Administration of organisations.


@bp.get("/admin/organisations")
def admin_organisations():
    require(permissions.can_manage_organisations(current_user))
    return render_template(
        "accounts/admin_organisations.html", organisations=queries.all_organisations()
    )


@bp.route("/admin/organisations/new", methods=["GET", "POST"])
def admin_organisation_new():
    require(permissions.can_manage_organisations(current_user))
    form = OrganisationForm()
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            organisation = services.create_organisation(
                name_th=form.name_th.data,
                name_en=form.name_en.data or "",
                sector=Sector(form.sector.data),
                actor=current_user,
                now=utcnow(),
            )
        if work.ok:
            flash(with_names(_l("Organisation %(name)s added."), name=organisation.name))
            return redirect(url_for("accounts.admin_organisations"))
    return render_template("accounts/admin_organisation_form.html", form=form, organisation=None)


@bp.route("/admin/organisations/<int:organisation_id>", methods=["GET", "POST"])
def admin_organisation_edit(organisation_id: int):
    require(permissions.can_manage_organisations(current_user))
    organisation = db.get_or_404(Organisation, organisation_id)
    form = OrganisationForm(
        data={
            "name_th": organisation.name_th,
            "name_en": organisation.name_en,
            "sector": organisation.sector.value,
        }
    )
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            services.update_organisation(
                organisation=organisation,
                name_th=form.name_th.data,
                name_en=form.name_en.data or "",
                sector=Sector(form.sector.data),
                actor=current_user,
                now=utcnow(),
            )
        if work.ok:
            flash(with_names(_l("Organisation %(name)s saved."), name=organisation.name))
            return redirect(url_for("accounts.admin_organisations"))
    return render_template(
        "accounts/admin_organisation_form.html", form=form, organisation=organisation
    )


import participation.accounts.two_factor_views  # noqa: E402,F401 - routes on this blueprint
from participation.accounts import email_views  # noqa: E402,F401 - routes on this blueprint
