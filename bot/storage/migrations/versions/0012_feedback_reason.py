"""why an answer was rated 👎, and an officer's opposition to MIMP's messages (Ley 29733)

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # One of no_respondio, incorrecta, muy_largo, otro; NULL when none was chosen.
    op.add_column("answer_feedback", sa.Column("reason", sa.String(length=20), nullable=True))
    op.add_column(
        "officers",
        sa.Column(
            "messages_opt_out", sa.Boolean(), nullable=False, server_default=sa.false()
        ),
    )


def downgrade() -> None:
    with op.batch_alter_table("officers") as batch:
        batch.drop_column("messages_opt_out")
    with op.batch_alter_table("answer_feedback") as batch:
        batch.drop_column("reason")
