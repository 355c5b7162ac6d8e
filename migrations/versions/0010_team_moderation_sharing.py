"""a workshop's team and its reach: member roles, the word filter, moderation, ideas
entered by a scribe, ideas sent after the room session, read-only links

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 08:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("workshop_member", schema=None) as batch_op:
        # Members added before roles existed were co-facilitators.
        batch_op.add_column(
            sa.Column(
                "role", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False, server_default="co_facilitator"
            )
        )

    with op.batch_alter_table("workshop", schema=None) as batch_op:
        batch_op.add_column(sa.Column("word_filter", sa.Text(), nullable=True))

    with op.batch_alter_table("session", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("moderation", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False, server_default="off")
        )
        batch_op.add_column(sa.Column("open_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))

    with op.batch_alter_table("idea", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pending", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("held_for", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True))
        batch_op.add_column(sa.Column("entered_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("after_session", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.create_foreign_key(
            batch_op.f("fk_idea_entered_by_id_facilitator"), "facilitator", ["entered_by_id"], ["id"]
        )

    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.add_column(sa.Column("entered_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_participant_entered_by_id_facilitator"), "facilitator", ["entered_by_id"], ["id"]
        )

    op.create_table(
        "session_share",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("revoked_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["facilitator.id"], name=op.f("fk_session_share_created_by_id_facilitator")
        ),
        sa.ForeignKeyConstraint(["session_id"], ["session.id"], name=op.f("fk_session_share_session_id_session")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_share")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_session_share_token_hash")),
    )
    with op.batch_alter_table("session_share", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_session_share_session_id"), ["session_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("session_share", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_session_share_session_id"))
    op.drop_table("session_share")

    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_participant_entered_by_id_facilitator"), type_="foreignkey")
        batch_op.drop_column("entered_by_id")

    with op.batch_alter_table("idea", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_idea_entered_by_id_facilitator"), type_="foreignkey")
        batch_op.drop_column("after_session")
        batch_op.drop_column("entered_by_id")
        batch_op.drop_column("held_for")
        batch_op.drop_column("pending")

    with op.batch_alter_table("session", schema=None) as batch_op:
        batch_op.drop_column("open_until")
        batch_op.drop_column("moderation")

    with op.batch_alter_table("workshop", schema=None) as batch_op:
        batch_op.drop_column("word_filter")

    with op.batch_alter_table("workshop_member", schema=None) as batch_op:
        batch_op.drop_column("role")
