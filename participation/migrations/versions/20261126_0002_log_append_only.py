"""Make the accountability log append-only in the database itself.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE FUNCTION log_entries_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'the accountability log is append-only';
            END;
            $$ LANGUAGE plpgsql
            """
        )
        op.execute(
            "CREATE TRIGGER log_entries_append_only BEFORE UPDATE OR DELETE ON log_entries "
            "FOR EACH ROW EXECUTE FUNCTION log_entries_append_only()"
        )
    else:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER log_entries_no_{action.lower()} BEFORE {action} ON log_entries "
                "BEGIN SELECT RAISE(ABORT, 'the accountability log is append-only'); END"
            )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER log_entries_append_only ON log_entries")
        op.execute("DROP FUNCTION log_entries_append_only()")
    else:
        op.execute("DROP TRIGGER log_entries_no_update")
        op.execute("DROP TRIGGER log_entries_no_delete")
