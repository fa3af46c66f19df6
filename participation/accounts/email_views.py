"""Confirming an e-mail address, resetting a forgotten password, changing the address, and
ending every session: routes on the accounts blueprint."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from participation.accounts import limits, permissions, services
from participation.accounts.email_forms import (
    ChangeEmailForm,
    ForgotPasswordForm,
    ResetPasswordForm,
)
from participation.accounts.views import bp
from participation.core.models import utcnow
from participation.core.views import me, require, unit_of_work
from participation.extensions import db

# What the "check your e-mail" page says, by what was asked for.
CHECK_EMAIL_REASONS = ("register", "reset")
MAX_TOKEN_LENGTH = 500


def _token_or_404(token: str) -> str:
    # A real token is about 100 characters; a huge one is not worth verifying.
    if len(token) > MAX_TOKEN_LENGTH:
        abort(404)
    return token


@bp.get("/check-email")
def check_email():
    reason = request.args.get("for")
    if reason not in CHECK_EMAIL_REASONS:
        reason = "register"
    return render_template("accounts/check_email.html", reason=reason)


@bp.get("/verify/<token>")
def verify_email(token: str):
    """Opening the mailed link confirms the address; opening it again changes nothing."""
    with unit_of_work() as work:
        user, newly = services.verify_email(token=_token_or_404(token), now=utcnow())
    if not work.ok:
        return render_template("accounts/verify.html", error=work.error.message), 400
    return render_template("accounts/verify.html", error=None, user=user, newly=newly)


@bp.post("/account/verify/resend")
@login_required
def resend_verification():
    with unit_of_work() as work:
        services.resend_verification(user=me(), now=utcnow())
    if work.ok:
        if current_user.email_verified_at is None:
            flash(_("We sent the link again to %(email)s. It works for three days.",
                    email=current_user.email))
        else:
            flash(_("Your e-mail address is already confirmed."))
    return redirect(url_for("accounts.account"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limits.reset_limits
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            services.request_password_reset(email=form.email.data, now=utcnow())
        if work.ok:
            # The same answer whether or not an account has this address.
            return redirect(url_for("accounts.check_email", **{"for": "reset"}))
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    token = _token_or_404(token)
    try:
        services.user_for_reset(token=token, now=utcnow())
    except services.InvalidLink as error:
        return render_template(
            "accounts/reset_password.html", form=None, error=error.message
        ), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            services.reset_password(token=token, password=form.password.data, now=utcnow())
        if work.ok:
            # Every session ended, this browser's too: the person logs in with the new one.
            logout_user()
            flash(_("Your password is changed and you are logged out everywhere. "
                    "Log in with your new password."))
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form, error=None)


@bp.route("/account/email", methods=["GET", "POST"])
@login_required
def change_email():
    user = me()
    require(permissions.can_edit_profile(current_user, user))
    form = ChangeEmailForm()
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            changed = services.change_email(
                user=user, password=form.password.data, new_email=form.email.data,
                now=utcnow(),
            )
        if work.ok:
            if changed:
                flash(_("Your e-mail address is now %(email)s. Open the link we sent there to "
                        "confirm it.", email=user.email))
            else:
                flash(_("This is already your e-mail address."))
            return redirect(url_for("accounts.account"))
    return render_template("accounts/change_email.html", form=form, user=user)


@bp.post("/account/sessions/end")
@login_required
def end_sessions():
    """Log out on every other device; this browser starts a new session."""
    user = me()
    with unit_of_work() as work:
        services.end_sessions(user=user)
    if work.ok:
        db.session.refresh(user)
        login_user(user)
        flash(_("You are logged out on every other device."))
    return redirect(url_for("accounts.account"))
