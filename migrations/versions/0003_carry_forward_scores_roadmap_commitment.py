"""carry forward, swot, scores, roadmap, commitment

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 19:50:08.170455
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing rows get the defaults (dimensions layout, threshold 3.5, nothing flagged)
    # through server_default.
    op.create_table(
        "commitment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("position", sqlmodel.sql.sqltypes.AutoString(length=160), nullable=False),
        sa.Column("organization", sqlmodel.sql.sqltypes.AutoString(length=160), nullable=False),
        sa.Column("signed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"], ["participant.id"], name=op.f("fk_commitment_participant_id_participant")
        ),
        sa.ForeignKeyConstraint(["session_id"], ["session.id"], name=op.f("fk_commitment_session_id_session")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitment")),
        sa.UniqueConstraint("session_id", "participant_id", name=op.f("uq_commitment_session_id")),
    )
    with op.batch_alter_table("commitment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_commitment_session_id"), ["session_id"], unique=False)

    op.create_table(
        "score",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("impact", sa.Integer(), nullable=False),
        sa.Column("feasibility", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["group_id"], ["idea_group.id"], name=op.f("fk_score_group_id_idea_group")),
        sa.ForeignKeyConstraint(
            ["participant_id"], ["participant.id"], name=op.f("fk_score_participant_id_participant")
        ),
        sa.ForeignKeyConstraint(["session_id"], ["session.id"], name=op.f("fk_score_session_id_session")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_score")),
        sa.UniqueConstraint("group_id", "participant_id", name=op.f("uq_score_group_id")),
    )
    with op.batch_alter_table("score", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_score_group_id"), ["group_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_score_participant_id"), ["participant_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_score_session_id"), ["session_id"], unique=False)

    with op.batch_alter_table("idea", schema=None) as batch_op:
        batch_op.add_column(sa.Column("swot", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True))
        batch_op.add_column(sa.Column("source_idea_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_idea_source_idea_id_idea"), "idea", ["source_idea_id"], ["id"])

    with op.batch_alter_table("idea_group", schema=None) as batch_op:
        batch_op.add_column(sa.Column("swot", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True))
        batch_op.add_column(sa.Column("sub_element", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True))
        batch_op.add_column(sa.Column("horizon", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True))
        batch_op.add_column(sa.Column("owner", sqlmodel.sql.sqltypes.AutoString(length=160), nullable=True))
        batch_op.add_column(sa.Column("budget_source", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True))
        batch_op.add_column(sa.Column("quick_win", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("source_group_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("source_session_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("source_votes", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_idea_group_source_group_id"), ["source_group_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_idea_group_source_group_id_idea_group"), "idea_group", ["source_group_id"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_idea_group_source_session_id_session"), "session", ["source_session_id"], ["id"]
        )

    with op.batch_alter_table("session", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "layout", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False, server_default="dimensions"
            )
        )
        batch_op.add_column(sa.Column("quick_win_threshold", sa.Float(), nullable=False, server_default="3.5"))
        batch_op.add_column(sa.Column("commitment_open", sa.Boolean(), nullable=False, server_default=sa.false()))

    # ### end Alembic commands ###


def downgrade() -> None:
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table("session", schema=None) as batch_op:
        batch_op.drop_column("commitment_open")
        batch_op.drop_column("quick_win_threshold")
        batch_op.drop_column("layout")

    with op.batch_alter_table("idea_group", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_idea_group_source_session_id_session"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_idea_group_source_group_id_idea_group"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_idea_group_source_group_id"))
        batch_op.drop_column("source_votes")
        batch_op.drop_column("source_session_id")
        batch_op.drop_column("source_group_id")
        batch_op.drop_column("quick_win")
        batch_op.drop_column("budget_source")
        batch_op.drop_column("owner")
        batch_op.drop_column("horizon")
        batch_op.drop_column("sub_element")
        batch_op.drop_column("swot")

    with op.batch_alter_table("idea", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_idea_source_idea_id_idea"), type_="foreignkey")
        batch_op.drop_column("source_idea_id")
        batch_op.drop_column("swot")

    with op.batch_alter_table("score", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_score_session_id"))
        batch_op.drop_index(batch_op.f("ix_score_participant_id"))
        batch_op.drop_index(batch_op.f("ix_score_group_id"))

    op.drop_table("score")
    with op.batch_alter_table("commitment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commitment_session_id"))

    op.drop_table("commitment")
    # ### end Alembic commands ###
