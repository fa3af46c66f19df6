"""Indexes for deep list pages and sector tallies: one per sort of the public proposal list,
ending with the columns its filters read, and the log's filter indexes ending with the id the
log page sorts by, so that the keys of any page, however deep, come from an index alone; and
the columns the tallies by sector read from comments and users, so that a proposal's page and
the proposals dataset count them from indexes. Only indexes change, and on PostgreSQL each
index of a table that holds rows is built and dropped CONCURRENTLY, outside a transaction:
application servers still running the previous release go on reading and writing these tables
while this runs, however large they are. (A concurrent build waits for every transaction open in
the database; an empty table's index is built at once without it.) The new log indexes are
built before the ones they replace are dropped.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27 07:47:35.358766

"""
import contextlib

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

NEW_INDEXES = [
    ('ix_comments_tally', 'comments',
     ['proposal_id', 'deleted_at', 'hidden_at', 'stance', 'author_id']),
    ('ix_log_entries_by_subject', 'log_entries', ['subject_type', 'subject_id', 'id']),
    ('ix_log_entries_by_verb', 'log_entries', ['verb', 'id']),
    ('ix_proposals_list_discussed', 'proposals',
     ['comment_count', 'created_at', 'id', 'state', 'hidden_at', 'category_id', 'sector']),
    ('ix_proposals_list_newest', 'proposals',
     ['created_at', 'id', 'state', 'hidden_at', 'category_id', 'sector']),
    ('ix_proposals_list_supported', 'proposals',
     ['support_count', 'created_at', 'id', 'state', 'hidden_at', 'category_id', 'sector']),
    ('ix_users_id_sector', 'users', ['id', 'sector']),
]
REPLACED_INDEXES = [
    ('ix_log_entries_subject', 'log_entries', ['subject_type', 'subject_id']),
    ('ix_log_entries_verb', 'log_entries', ['verb']),
]


def _outside_transaction():
    """PostgreSQL builds an index CONCURRENTLY only outside a transaction."""
    if op.get_context().dialect.name == 'postgresql':
        return op.get_context().autocommit_block()
    return contextlib.nullcontext()


def _has_rows(table):
    """Whether building the table's index could hold up its writers for long."""
    return op.get_bind().scalar(sa.text(f'SELECT EXISTS (SELECT 1 FROM {table})'))


def _create(indexes):
    for name, table, columns in indexes:
        with _outside_transaction():
            concurrently = _has_rows(table)
            # A run that was interrupted leaves the index behind (an invalid one after a
            # failed concurrent build): build it again.
            op.drop_index(name, table_name=table, if_exists=True,
                          postgresql_concurrently=concurrently)
            op.create_index(name, table, columns, postgresql_concurrently=concurrently)


def _drop(indexes):
    for name, table, _columns in indexes:
        with _outside_transaction():
            op.drop_index(name, table_name=table, if_exists=True,
                          postgresql_concurrently=_has_rows(table))


def upgrade():
    _create(NEW_INDEXES)
    _drop(REPLACED_INDEXES)


def downgrade():
    _create(REPLACED_INDEXES)
    _drop(NEW_INDEXES)
