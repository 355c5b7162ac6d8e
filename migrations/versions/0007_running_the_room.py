"""running the room: input lock, board view and reveal, join panel, timer, focus

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 23:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("input_locked", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("board_hidden", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("board_view", sa.String(length=20), nullable=False, server_default="columns"))
        batch_op.add_column(sa.Column("show_join_panel", sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column("lock_when_timer_ends", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("timer_state", sa.String(length=10), nullable=False, server_default="stopped"))
        batch_op.add_column(sa.Column("timer_ends_at_ms", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("timer_remaining_ms", sa.BigInteger(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("timer_duration_ms", sa.BigInteger(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("focus_group_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("focus_idea_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("session", schema=None) as batch_op:
        for column in (
            "focus_idea_id",
            "focus_group_id",
            "timer_duration_ms",
            "timer_remaining_ms",
            "timer_ends_at_ms",
            "timer_state",
            "lock_when_timer_ends",
            "show_join_panel",
            "board_view",
            "board_hidden",
            "input_locked",
        ):
            batch_op.drop_column(column)
