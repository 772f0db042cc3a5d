"""handled steps of updates, so a replayed update is not acted on twice

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "handled_steps",
        sa.Column("update_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("step", sa.String(length=40), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("update_id", "step"),
    )
    op.create_index("ix_handled_steps_at", "handled_steps", ["at"])


def downgrade() -> None:
    op.drop_index("ix_handled_steps_at", table_name="handled_steps")
    op.drop_table("handled_steps")
