"""The schema comes only from the migrations, and they produce exactly the models' schema."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app

from participation.core.db import include_object


def test_migrations_produce_exactly_the_models_schema(db):
    options = {"compare_type": True, "render_as_batch": True, "include_object": include_object}
    context = MigrationContext.configure(db.session.connection(), opts=options)
    assert compare_metadata(context, db.metadata) == []


def test_migrations_are_at_head(db):
    context = MigrationContext.configure(db.session.connection())
    scripts = ScriptDirectory(current_app.extensions["migrate"].directory)
    assert context.get_current_revision() == scripts.get_current_head()
