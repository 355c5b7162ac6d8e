"""personal data: the join page's notice and how long names are kept (per workshop),
when a session closed, erased participants and accounts, and the audit log

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 10:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("workshop", schema=None) as batch_op:
        batch_op.add_column(sa.Column("privacy_notice", sa.Text(), nullable=True))
        # Workshops made before retention existed get the default too (names erased 90
        # days after their last session closed): what the law asks of every workshop.
        batch_op.add_column(sa.Column("retention_days", sa.Integer(), nullable=True, server_default="90"))
        batch_op.add_column(sa.Column("names_erased_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))

    with op.batch_alter_table("session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("closed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    # Sessions closed before this revision count as closed now: retention starts with the
    # upgrade, so an operator sees the date on the workshop page and can keep the names
    # (or export the archive) before anything is erased, instead of losing months-old
    # workshops' names at the first start.
    op.execute("UPDATE session SET closed_at = CURRENT_TIMESTAMP WHERE phase = 'closed'")

    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.add_column(sa.Column("erased_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))

    with op.batch_alter_table("facilitator", schema=None) as batch_op:
        batch_op.add_column(sa.Column("erased_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))

    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=True),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("target", sqlmodel.sql.sqltypes.AutoString(length=240), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entry")),
    )
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_entry_workshop_id"), ["workshop_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_entry_actor_id"), ["actor_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_entry_actor_id"))
        batch_op.drop_index(batch_op.f("ix_audit_entry_workshop_id"))
    op.drop_table("audit_entry")

    with op.batch_alter_table("facilitator", schema=None) as batch_op:
        batch_op.drop_column("erased_at")

    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.drop_column("erased_at")

    with op.batch_alter_table("session", schema=None) as batch_op:
        batch_op.drop_column("closed_at")

    with op.batch_alter_table("workshop", schema=None) as batch_op:
        batch_op.drop_column("names_erased_at")
        batch_op.drop_column("retention_days")
        batch_op.drop_column("privacy_notice")
