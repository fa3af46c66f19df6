"""Two-factor authentication pages: set-up, recovery codes, the code at log-in, the roles an
administrator requires it of, and the guard that sends those who must set it up there."""

from __future__ import annotations

from flask import flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from participation.accounts import permissions, two_factor
from participation.accounts.login import complete_pending_login, pending_login, pending_user
from participation.accounts.models import TwoFactorRole
from participation.accounts.two_factor_forms import (
    TwoFactorLoginForm,
    TwoFactorProofForm,
    TwoFactorRequirementForm,
    TwoFactorSetupForm,
)
from participation.accounts.views import bp
from participation.core.models import utcnow
from participation.core.views import me, require, unit_of_work

# What a person who must set up two-factor authentication may still reach.
OPEN_WHILE_REQUIRED = frozenset({"static", "accounts.two_factor_setup", "accounts.logout"})


@bp.before_app_request
def require_two_factor_set_up():
    """Send a signed-in person whose role requires two-factor authentication, and who has not
    turned it on, to its set-up page."""
    if request.endpoint is None or request.endpoint in OPEN_WHILE_REQUIRED:
        return None
    if not current_user.is_authenticated or current_user.totp_enabled_at is not None:
        return None
    if not two_factor.is_required_for(current_user):
        return None
    flash(_("Your role requires two-factor authentication. Set it up to go on using the site."),
          "error")
    return redirect(url_for("accounts.two_factor_setup"))


def _not_stored(html: str) -> Response:
    """A page with a secret on it: no browser or proxy keeps a copy."""
    response = make_response(html)
    response.headers["Cache-Control"] = "no-store"
    return response


def _show_codes(codes: list[str]) -> Response:
    # Shown in the answer itself, never stored where it could be read again.
    return _not_stored(render_template("accounts/two_factor_recovery_codes.html", codes=codes))


@bp.route("/account/two-factor", methods=["GET", "POST"])
@login_required
def two_factor_setup():
    user = me()
    if two_factor.is_enabled(user):
        if request.method == "POST":
            flash(_("Two-factor authentication is already on."), "error")
            return redirect(url_for("accounts.two_factor_setup"))
        return _manage_again(user)
    form = TwoFactorSetupForm()
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            secret = two_factor.secret_of_setup(user, form.token.data)
            codes = two_factor.enable(user=user, secret=secret, code=form.code.data, now=utcnow())
        if work.ok:
            flash(_("Two-factor authentication is on. Keep your recovery codes safe."))
            return _show_codes(codes)
    # A form sent back keeps its secret while it is good, so the app's codes still fit it.
    secret = _carried_secret(user, form.token.data) if form.is_submitted() else None
    secret = secret or two_factor.new_secret()
    form.token.data = two_factor.setup_token(user.id, secret)
    form.code.data = ""
    uri = two_factor.provisioning_uri(user, secret)
    return _not_stored(render_template(
        "accounts/two_factor_setup.html",
        form=form,
        secret=two_factor.grouped(secret),
        qr=two_factor.qr_svg(uri, label=_("QR code to scan with your authenticator app")),
        required=two_factor.is_required_for(user),
    ))


def _carried_secret(user, token: str | None) -> str | None:
    try:
        return two_factor.secret_of_setup(user, token or "")
    except two_factor.SetupExpired:
        return None


@bp.post("/account/two-factor/recovery-codes")
@login_required
def two_factor_recovery_codes():
    user = me()
    form = TwoFactorProofForm(prefix="regenerate")
    if not two_factor.is_enabled(user):
        flash(_("Two-factor authentication is off for this account."), "error")
        return redirect(url_for("accounts.two_factor_setup"))
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            two_factor.confirm_identity(
                user=user, code=form.code.data, password=form.password.data, now=utcnow()
            )
            codes = two_factor.regenerate_recovery_codes(user=user, now=utcnow())
        if work.ok:
            flash(_("New recovery codes: the old ones no longer work."))
            return _show_codes(codes)
    return _manage_again(user, regenerate_form=form)


@bp.post("/account/two-factor/disable")
@login_required
def two_factor_disable():
    user = me()
    form = TwoFactorProofForm(prefix="disable")
    if not two_factor.is_enabled(user):
        flash(_("Two-factor authentication is off for this account."), "error")
        return redirect(url_for("accounts.two_factor_setup"))
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            two_factor.confirm_identity(
                user=user, code=form.code.data, password=form.password.data, now=utcnow()
            )
            two_factor.disable(user=user, now=utcnow())
        if work.ok:
            flash(_("Two-factor authentication is off."))
            return redirect(url_for("accounts.account"))
    return _manage_again(user, disable_form=form)


def _manage_again(user, **forms):
    """The management page, with a refused form's errors when there is one."""
    return render_template(
        "accounts/two_factor_manage.html",
        user=user,
        unused=two_factor.unused_recovery_codes(user),
        required=two_factor.is_required_for(user),
        regenerate_form=forms.get("regenerate_form") or TwoFactorProofForm(
            prefix="regenerate", formdata=None),
        disable_form=forms.get("disable_form") or TwoFactorProofForm(
            prefix="disable", formdata=None),
    )


@bp.route("/login/two-factor", methods=["GET", "POST"])
def two_factor_login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    pending = pending_login()
    user = pending_user(pending) if pending is not None else None
    if user is None or not two_factor.is_enabled(user):
        flash(_("Your log-in has expired. Enter your e-mail address and password again."),
              "error")
        return redirect(url_for("accounts.login"))
    form = TwoFactorLoginForm()
    if form.validate_on_submit():
        now = utcnow()
        with unit_of_work(form) as work:
            used = two_factor.second_factor(user=user, code=form.code.data, now=now)
            user.last_login_at = now
        if work.ok:
            if used == "recovery_code":
                left = two_factor.unused_recovery_codes(user)
                flash(ngettext(
                    "You used a recovery code: %(num)d is left. Make new ones on your account.",
                    "You used a recovery code: %(num)d are left. Make new ones on your account.",
                    left,
                ), "error" if left <= 2 else "message")
            return complete_pending_login(user, pending)
    return render_template("accounts/two_factor_login.html", form=form)


@bp.route("/admin/two-factor", methods=["GET", "POST"])
def admin_two_factor():
    require(permissions.can_manage_users(current_user))
    required = two_factor.required_roles()
    form = TwoFactorRequirementForm(data={"roles": [role.value for role in required]})
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            changes = two_factor.set_required_roles(
                roles={TwoFactorRole(value) for value in form.roles.data or []},
                actor=me(),
                now=utcnow(),
            )
        if work.ok:
            flash(_("Saved.") if changes else _("Nothing changed."))
            return redirect(url_for("accounts.admin_two_factor"))
    return render_template("accounts/two_factor_admin.html", form=form, required=required)
