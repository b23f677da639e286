"""catalogue and customers

Revision ID: 0001
Revises:
Create Date: 2026-12-01 10:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "category",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["parent_id"], ["category.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    # customer <-> address is a cycle: SQLite accepts the forward reference inline (and cannot ALTER constraints),
    # other databases get the FK once both tables exist (the model's use_alter=True).
    sqlite = op.get_context().dialect.name == "sqlite"
    op.create_table(
        "customer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=120), nullable=False, comment="login e-mail"),
        sa.Column("full_name", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("default_address_id", sa.Integer(), nullable=True),
        *([sa.ForeignKeyConstraint(["default_address_id"], ["address.id"], name="fk_customer_default_address")]
          if sqlite else []),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email"),
    )
    op.create_table(
        "address",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("street", sa.String(length=120), nullable=False),
        sa.Column("city", sa.String(length=60), nullable=False),
        sa.Column("postcode", sa.String(length=10), nullable=False),
        sa.Column("is_primary", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("one_primary_address", "address", ["customer_id"], unique=True,
                    postgresql_where=sa.text("is_primary"), sqlite_where=sa.text("is_primary"))
    if not sqlite:
        op.create_foreign_key("fk_customer_default_address", "customer", "address", ["default_address_id"], ["id"])
    op.create_table(
        "product",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("price", sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("attributes", sa.JSON(), nullable=True),
        sa.CheckConstraint("price > 0", name="product_price_positive"),
        sa.ForeignKeyConstraint(["category_id"], ["category.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("sku"),
    )


def downgrade() -> None:
    op.drop_table("product")
    if op.get_context().dialect.name != "sqlite":
        op.drop_constraint("fk_customer_default_address", "customer", type_="foreignkey")
    op.drop_index("one_primary_address", table_name="address")
    op.drop_table("address")
    op.drop_table("customer")
    op.drop_table("category")
