"""Republication credits and language editions on articles; extraction health on crawl runs.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("credited_outlet", sa.Text(), nullable=True))
        batch.add_column(sa.Column("credited_url", sa.Text(), nullable=True))
        batch.add_column(
            sa.Column("alternates", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
        )
        batch.create_index("ix_articles_credited_url", ["credited_url"])
    with op.batch_alter_table("crawl_runs") as batch:
        batch.add_column(
            sa.Column("health", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
        )
        batch.add_column(
            sa.Column("degraded", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.create_index("ix_crawl_runs_source_id", ["source_id"])


def downgrade() -> None:
    with op.batch_alter_table("crawl_runs") as batch:
        batch.drop_index("ix_crawl_runs_source_id")
        batch.drop_column("degraded")
        batch.drop_column("health")
    with op.batch_alter_table("articles") as batch:
        batch.drop_index("ix_articles_credited_url")
        batch.drop_column("alternates")
        batch.drop_column("credited_url")
        batch.drop_column("credited_outlet")
