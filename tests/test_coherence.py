"""Rows that hold together across foreign keys (issue #13, cross-table half), without a database: what the engine
keeps of each table for later ones (:func:`seeder.generate.retained.retained_columns`), fan-out shapes, agreement,
existence, copies, aggregates (as ``Dataset.updates``), times after the parent and history periods, the config
switches and determinism. The rates on real engines are measured in ``tests/test_coherence_pg.py``.
"""

from __future__ import annotations

from pathlib import Path

from seeder import api
from seeder.generate.retained import retained_columns
from tests.engines import schema_path

REPO = Path(__file__).resolve().parent.parent
SHOP = str(REPO / "examples" / "shop.sql")


def named(plan: api.Plan, name: str):  # type: ignore[name-defined, no-untyped-def]
    return next(n for n in plan.order if n.name == name)


def test_retained_columns_are_the_referenced_keys_and_what_rules_read() -> None:
    schema = api.read_schema(SHOP)
    plan = api.build_plan(schema, 50)
    # address.customer_id: an order's address is drawn among its customer's addresses (agreement path)
    assert retained_columns(schema, plan, named(plan, "address")) == {"address_id", "customer_id"}
    # product.price: copied into order_item.unit_price
    assert retained_columns(schema, plan, named(plan, "product")) == {"product_id", "price"}
    # customer.created_at: an order comes after its customer's creation
    assert retained_columns(schema, plan, named(plan, "customer")) == {"customer_id", "created_at"}
    # order_item: the review's (product, customer) pairs are taken from it (existence witness)
    assert retained_columns(schema, plan, named(plan, "order_item")) == {"order_id", "product_id"}
    # order.customer_id: the witness's customer is read through order_item.order_id -> order
    assert {"order_id", "customer_id", "ordered_at"} >= retained_columns(schema, plan, named(plan, "order")) \
        >= {"order_id", "customer_id"}


def test_retained_columns_of_an_aggregate_parent_include_what_its_update_recomputes() -> None:
    schema = api.read_schema(schema_path("adventureworks/postgres.sql"))
    plan = api.build_plan(schema, 20)
    header = next(n for n in plan.order if str(n) == "sales.salesorderheader")
    kept = retained_columns(schema, plan, header)
    assert {"salesorderid", "subtotal", "taxamt", "freight"} <= kept
