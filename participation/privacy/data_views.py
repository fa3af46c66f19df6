"""Downloading all one's data (JSON) and erasing one's account: routes on the privacy
blueprint."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required, logout_user

from participation.accounts.models import pseudonym
from participation.accounts.two_factor import is_enabled
from participation.core.i18n import site_date
from participation.core.models import utcnow
from participation.core.views import me, unit_of_work
from participation.privacy import erasure
from participation.privacy.data_forms import EraseAccountForm
from participation.privacy.export import personal_data
from participation.privacy.views import bp


@bp.get("/account/data")
@login_required
def my_data():
    return render_template("privacy/my_data.html")


@bp.get("/account/data.json")
@login_required
def export():
    """The person's own data as a JSON file; never kept by a browser or proxy cache."""
    now = utcnow()
    document = personal_data(me(), now=now)
    body = current_app.json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False)
    response = current_app.response_class(body + "\n", mimetype="application/json")
    response.headers["Content-Disposition"] = (
        f"attachment; filename=ruam-my-data-{site_date(now).isoformat()}.json"
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
def erase():
    user = me()
    form = EraseAccountForm()
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            erasure.erase_account(user=user, password=form.password.data, now=utcnow())
        if work.ok:
            # Every session has ended already; this browser's ends now too.
            logout_user()
            flash(_("Your account has been deleted. What you contributed stays on the site "
                    "under the name “%(name)s”.", name=user.display_name))
            return redirect(url_for("home.index"))
    return render_template(
        "privacy/erase.html",
        form=form,
        refusal=erasure.refusal(user),
        two_factor=is_enabled(user),
        pseudonym=pseudonym(user.id),
    )
