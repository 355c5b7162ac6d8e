"""session content seq

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 23:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("content_seq", sa.Integer(), nullable=False, server_default="0"))
    # Safe for sessions that already have events: "changed at the newest seq".
    op.execute("UPDATE session SET content_seq = last_seq")


def downgrade() -> None:
    with op.batch_alter_table("session", schema=None) as batch_op:
        batch_op.drop_column("content_seq")
