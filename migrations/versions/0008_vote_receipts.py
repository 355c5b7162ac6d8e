"""vote receipts: a tap sent again with the same Idempotency-Key gives no second dot

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 02:46:11
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "vote_receipt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("my_votes_on_group", sa.Integer(), nullable=False),
        sa.Column("votes_left", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"], ["participant.id"], name=op.f("fk_vote_receipt_participant_id_participant")
        ),
        sa.ForeignKeyConstraint(["session_id"], ["session.id"], name=op.f("fk_vote_receipt_session_id_session")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vote_receipt")),
        sa.UniqueConstraint("participant_id", "key", name=op.f("uq_vote_receipt_participant_id")),
    )
    with op.batch_alter_table("vote_receipt", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_vote_receipt_session_id"), ["session_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("vote_receipt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_vote_receipt_session_id"))

    op.drop_table("vote_receipt")
