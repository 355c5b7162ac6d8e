"""reactions: "+1 setuju" on other people's ideas, and the switch to turn them off

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reaction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["idea_id"], ["idea.id"], name=op.f("fk_reaction_idea_id_idea")),
        sa.ForeignKeyConstraint(
            ["participant_id"], ["participant.id"], name=op.f("fk_reaction_participant_id_participant")
        ),
        sa.ForeignKeyConstraint(["session_id"], ["session.id"], name=op.f("fk_reaction_session_id_session")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reaction")),
        sa.UniqueConstraint("idea_id", "participant_id", name=op.f("uq_reaction_idea_id")),
    )
    with op.batch_alter_table("reaction", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reaction_participant_id"), ["participant_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reaction_session_id"), ["session_id"], unique=False)

    with op.batch_alter_table("idea", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reactions", sa.Integer(), nullable=False, server_default="0"))

    with op.batch_alter_table("session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reactions_enabled", sa.Boolean(), nullable=False, server_default=sa.true()))


def downgrade() -> None:
    with op.batch_alter_table("session", schema=None) as batch_op:
        batch_op.drop_column("reactions_enabled")

    with op.batch_alter_table("idea", schema=None) as batch_op:
        batch_op.drop_column("reactions")

    with op.batch_alter_table("reaction", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reaction_session_id"))
        batch_op.drop_index(batch_op.f("ix_reaction_participant_id"))

    op.drop_table("reaction")
