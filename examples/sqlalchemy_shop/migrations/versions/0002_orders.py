"""orders

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 11:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

order_status = sa.Enum("pending", "paid", "shipped", "cancelled", name="order_status")


def upgrade() -> None:
    op.create_table(
        "orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("status", order_status, server_default="pending", nullable=False),
        sa.Column("placed_at", sa.DateTime(), nullable=False),
        sa.Column("shipped_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("shipped_at IS NULL OR shipped_at >= placed_at", name="orders_shipped_after_placed"),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "order_item",
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price", sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column("line_total", sa.Numeric(precision=12, scale=2),
                  sa.Computed("quantity * unit_price", persisted=True), nullable=True),
        sa.CheckConstraint("quantity BETWEEN 1 AND 100", name="order_item_quantity_range"),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["product_id"], ["product.id"]),
        sa.PrimaryKeyConstraint("order_id", "product_id"),
    )


def downgrade() -> None:
    op.drop_table("order_item")
    op.drop_table("orders")
    order_status.drop(op.get_bind(), checkfirst=True)
