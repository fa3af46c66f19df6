"""The unit of work every view uses: commit on success; on a refusal, roll back and say why."""

import sqlalchemy as sa
from flask import get_flashed_messages
from wtforms import StringField

from participation.accounts.models import Organisation, Sector
from participation.core.errors import DomainError
from participation.core.forms import FlaskForm
from participation.core.views import unit_of_work


class NameForm(FlaskForm):
    name = StringField()


def _organisations(db) -> int:
    return db.session.scalar(sa.select(sa.func.count(Organisation.id)))


def _add_organisation(db) -> None:
    db.session.add(Organisation(name_th="สำนักงานทดสอบ", sector=Sector.GOVERNMENT))
    db.session.flush()


def test_a_successful_unit_of_work_commits(app, db):
    with app.test_request_context(method="POST"):
        with unit_of_work() as work:
            _add_organisation(db)
        db.session.rollback()  # nothing left to undo: the unit committed
        assert work.ok and _organisations(db) == 1


def test_a_refusal_rolls_back_and_lands_beside_the_field_it_names(app, db):
    with app.test_request_context(method="POST"):
        form = NameForm(meta={"csrf": False})
        with unit_of_work(form) as work:
            _add_organisation(db)
            raise DomainError("That name is taken.", field="name")
        assert not work.ok and work.error.message == "That name is taken."
        assert form.name.errors == ["That name is taken."]
        assert _organisations(db) == 0


def test_a_refusal_naming_no_field_goes_above_the_form_or_to_the_fallback(app, db):
    with app.test_request_context(method="POST"):
        form = NameForm(meta={"csrf": False})
        with unit_of_work(form):
            raise DomainError("Not now.")
        assert form.form_errors == ["Not now."]
        with unit_of_work(form, fallback_field="name"):
            raise DomainError("Not here.")
        assert form.name.errors == ["Not here."]


def test_a_refusal_without_a_form_is_flashed(app, db):
    with app.test_request_context(method="POST"):
        with unit_of_work():
            raise DomainError("Closed.")
        assert get_flashed_messages(with_categories=True) == [("error", "Closed.")]
