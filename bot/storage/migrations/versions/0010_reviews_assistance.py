"""report reviews (validado, observado, corregido) and the technical-assistance log

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "report_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("instancia_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("actor_id", sa.BigInteger(), nullable=True),
        sa.Column("observation_id", sa.Integer(), nullable=True),
        sa.Column("broadcast_id", sa.Integer(), nullable=True),
        sa.Column("request_key", sa.String(length=64), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["report_id"], ["reports.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["instancia_id"], ["instancias.id"]),
        sa.ForeignKeyConstraint(
            ["observation_id"], ["report_reviews.id"], ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(["broadcast_id"], ["broadcasts.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("request_key"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("report_reviews", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_reviews_report_id"), ["report_id"])
        batch_op.create_index(batch_op.f("ix_report_reviews_instancia_id"), ["instancia_id"])
    op.create_table(
        "assistance_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("place_id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=10), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("modality", sa.String(length=12), nullable=False),
        sa.Column("topic", sa.String(length=300), nullable=False),
        sa.Column("participants", sa.String(length=500), nullable=False),
        sa.Column("next_step", sa.String(length=500), nullable=False),
        sa.Column("author_id", sa.BigInteger(), nullable=False),
        sa.Column("request_key", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["place_id"], ["places.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("request_key"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("assistance_actions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assistance_actions_place_id"), ["place_id"])
        batch_op.create_index(batch_op.f("ix_assistance_actions_day"), ["day"])


def downgrade() -> None:
    with op.batch_alter_table("assistance_actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assistance_actions_day"))
        batch_op.drop_index(batch_op.f("ix_assistance_actions_place_id"))
    op.drop_table("assistance_actions")
    with op.batch_alter_table("report_reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_reviews_instancia_id"))
        batch_op.drop_index(batch_op.f("ix_report_reviews_report_id"))
    op.drop_table("report_reviews")
