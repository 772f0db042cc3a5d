"""proposals to the knowledge base, and the unanswered questions they resolve

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kb_proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("entry_id", sa.String(length=80), nullable=False),
        sa.Column("question", sa.String(length=300), nullable=False),
        sa.Column("category", sa.String(length=80), nullable=True),
        sa.Column("titulo", sa.String(length=200), nullable=True),
        sa.Column("preguntas", sa.Text(), nullable=True),
        sa.Column("respuesta", sa.Text(), nullable=True),
        sa.Column("fuente_norma", sa.String(length=200), nullable=True),
        sa.Column("fuente_articulo", sa.String(length=100), nullable=True),
        sa.Column("fuente_numeracion", sa.String(length=12), nullable=True),
        sa.Column("fuente_url", sa.String(length=500), nullable=True),
        sa.Column("proposed_by", sa.BigInteger(), nullable=False),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.BigInteger(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("problems", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("kb_proposals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kb_proposals_status"), ["status"])
    with op.batch_alter_table("unanswered_questions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("proposal_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_unanswered_questions_proposal_id"), ["proposal_id"]
        )
        batch_op.create_foreign_key(
            "fk_unanswered_questions_proposal_id_kb_proposals",
            "kb_proposals",
            ["proposal_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("unanswered_questions", schema=None) as batch_op:
        batch_op.drop_constraint(
            "fk_unanswered_questions_proposal_id_kb_proposals", type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_unanswered_questions_proposal_id"))
        batch_op.drop_column("resolved_at")
        batch_op.drop_column("proposal_id")
    with op.batch_alter_table("kb_proposals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kb_proposals_status"))
    op.drop_table("kb_proposals")
