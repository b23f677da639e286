"""A small shop in SQLAlchemy 2.0 declarative style: what ``seeder`` reads with ``shop.models:Base``.

It exercises what the SQLAlchemy reader understands: a native/non-native ``Enum``, a self-reference (category
tree), a ``use_alter`` FK cycle (customer <-> address), a composite primary key, a partial unique index for
PostgreSQL and SQLite, CHECK constraints, a computed column, server defaults, JSON, comments and ``info`` hints.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class OrderStatus(enum.Enum):
    pending = "pending"
    paid = "paid"
    shipped = "shipped"
    cancelled = "cancelled"


class Category(Base):
    __tablename__ = "category"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(60), unique=True)
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("category.id"))


class Customer(Base):
    __tablename__ = "customer"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(120), unique=True, comment="login e-mail")
    full_name: Mapped[str] = mapped_column(sa.String(100), info={"hint": "a person's first and last name"})
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime, server_default=sa.func.current_timestamp())
    default_address_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("address.id", use_alter=True, name="fk_customer_default_address"))


class Address(Base):
    __tablename__ = "address"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(sa.ForeignKey("customer.id", ondelete="CASCADE"))
    street: Mapped[str] = mapped_column(sa.String(120))
    city: Mapped[str] = mapped_column(sa.String(60))
    postcode: Mapped[str] = mapped_column(sa.String(10))
    is_primary: Mapped[bool] = mapped_column(sa.Boolean, server_default=sa.false())

    __table_args__ = (
        # at most one primary address per customer
        sa.Index("one_primary_address", "customer_id", unique=True,
                 postgresql_where=sa.text("is_primary"), sqlite_where=sa.text("is_primary")),
    )


class Product(Base):
    __tablename__ = "product"

    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(sa.String(12), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    price: Mapped[decimal.Decimal] = mapped_column(sa.Numeric(10, 2))
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("category.id"))
    attributes: Mapped[dict | None] = mapped_column(sa.JSON)

    __table_args__ = (sa.CheckConstraint("price > 0", name="product_price_positive"),)


class Order(Base):
    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(sa.ForeignKey("customer.id"))
    status: Mapped[OrderStatus] = mapped_column(sa.Enum(OrderStatus, name="order_status"),
                                                server_default="pending")
    placed_at: Mapped[dt.datetime] = mapped_column(sa.DateTime)
    shipped_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime)

    __table_args__ = (
        sa.CheckConstraint("shipped_at IS NULL OR shipped_at >= placed_at", name="orders_shipped_after_placed"),
    )


class OrderItem(Base):
    __tablename__ = "order_item"

    order_id: Mapped[int] = mapped_column(sa.ForeignKey("orders.id", ondelete="CASCADE"), primary_key=True)
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("product.id"), primary_key=True)
    quantity: Mapped[int] = mapped_column(sa.Integer)
    unit_price: Mapped[decimal.Decimal] = mapped_column(sa.Numeric(10, 2))
    line_total: Mapped[decimal.Decimal | None] = mapped_column(
        sa.Numeric(12, 2), sa.Computed("quantity * unit_price", persisted=True))

    # a table-level CHECK: MariaDB rejects a named CHECK inside a column definition (SQLAlchemy writes a column's
    # named CheckConstraint there)
    __table_args__ = (sa.CheckConstraint("quantity BETWEEN 1 AND 100", name="order_item_quantity_range"),)
