"""A person's e-mail settings, and unsubscribing from the link in every e-mail."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from participation.accounts.models import EmailMode, User
from participation.core.models import utcnow
from participation.core.views import me, unit_of_work
from participation.extensions import csrf, db
from participation.mail import services
from participation.mail.forms import PreferencesForm
from participation.mail.tokens import user_id_from_token

bp = Blueprint("mail", __name__)


@bp.route("/account/notifications", methods=["GET", "POST"])
@login_required
def preferences():
    user = me()
    form = PreferencesForm(data={"email_mode": user.email_mode.value, "language": user.language})
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            services.set_preferences(
                user=user,
                email_mode=EmailMode(form.email_mode.data),
                language=form.language.data,
                now=utcnow(),
            )
        if work.ok:
            flash(_("Your e-mail settings have been saved."))
            return redirect(url_for("mail.preferences"))
    return render_template("mail/preferences.html", form=form, user=user)


def _token_holder(token: str) -> User | None:
    user_id = user_id_from_token(token)
    return db.session.get(User, user_id) if user_id is not None else None


def _bad_link():
    return (
        render_template(
            "errors/error.html",
            code=404,
            title=_("This unsubscribe link does not work"),
            message=_(
                "The link may have been cut off when it was copied. Open it from the e-mail "
                "again, or log in and change your e-mail settings."
            ),
            back=None,
        ),
        404,
    )


def _masked(email: str) -> str:
    """The address as the page shows it to whoever holds the link: enough to recognise."""
    local, _at, domain = email.partition("@")
    return f"{local[:2]}…@{domain}"


@bp.get("/unsubscribe/<token>")
def unsubscribe_page(token: str):
    # Opening the link changes nothing: mail scanners and previews follow links by themselves.
    user = _token_holder(token)
    if user is None:
        return _bad_link()
    return render_template(
        "mail/unsubscribe.html", token=token, address=_masked(user.email),
        already=user.email_mode == EmailMode.OFF,
    )


# Exempt from CSRF on purpose, and only this view: mail programs send the one-click
# unsubscribe of RFC 8058 (List-Unsubscribe-Post) as a POST with no session and no form token.
# The signed token in the address is the credential, and the worst a forged request can do is
# stop the e-mails of the person the link was sent to.
@bp.post("/unsubscribe/<token>")
@csrf.exempt
def unsubscribe(token: str):
    user = _token_holder(token)
    if user is None:
        return _bad_link()
    with unit_of_work():
        services.unsubscribe(user=user, now=utcnow())
    signed_in_as_them = current_user.is_authenticated and current_user.id == user.id
    return render_template(
        "mail/unsubscribed.html", address=_masked(user.email), signed_in=signed_in_as_them
    )
