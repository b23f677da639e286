"""Rows that hold together across foreign keys (issue #13, cross-table half), without a database: what the engine
keeps of each table for later ones (:func:`seeder.generate.retained.retained_columns`), fan-out shapes, agreement,
existence, copies, aggregates (as ``Dataset.updates``), times after the parent and history periods, the config
switches and determinism. The rates on real engines are measured in ``tests/test_coherence_pg.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

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


def shop_data(tmp_path: Path, toml: str = "", rows: int = 60, seed: int = 5):  # type: ignore[no-untyped-def]
    from seeder.config import load_config

    schema = api.read_schema(SHOP)
    if toml:
        config = tmp_path / "seeder.toml"
        config.write_text(toml, encoding="utf-8")
        cfg = load_config(config)
        plan = api.build_plan(schema, rows, rules=cfg.rules, columns=cfg.columns)
    else:
        plan = api.build_plan(schema, rows)
    return api.generate(schema, plan, seed=seed)


def columns_of(data, table: str, *names: str) -> list[tuple]:  # type: ignore[no-untyped-def]
    td = next(t for t in data.final_tables() if t.table.name.name == table)
    return list(zip(*(td.column_values(c) for c in names), strict=True))


def address_disagreement(data) -> float:  # type: ignore[no-untyped-def]
    owner = dict(columns_of(data, "address", "address_id", "customer_id"))
    orders = columns_of(data, "order", "customer_id", "address_id")
    return sum(owner[a] != c for c, a in orders) / len(orders)


def test_shop_rows_hold_together_in_the_dataset(tmp_path: Path) -> None:
    data = shop_data(tmp_path)
    assert address_disagreement(data) == 0.0
    lines = columns_of(data, "order_item", "order_id", "product_id", "unit_price")
    assert {o for o, _, _ in lines} == {o for (o,) in columns_of(data, "order", "order_id")}  # no order without lines
    price = dict(columns_of(data, "product", "product_id", "price"))
    assert sum(p == price[prod] for _, prod, p in lines) / len(lines) >= 0.9
    buyer = dict(columns_of(data, "order", "order_id", "customer_id"))
    bought = {(prod, buyer[o]) for o, prod, _ in lines}
    reviews = columns_of(data, "review", "product_id", "customer_id")
    assert all(r in bought for r in reviews)
    created = dict(columns_of(data, "customer", "customer_id", "created_at"))
    assert all(at >= created[c] for c, at in columns_of(data, "order", "customer_id", "ordered_at"))


def test_a_switched_off_agreement_and_existence_draw_independently(tmp_path: Path) -> None:
    data = shop_data(tmp_path, """
[rules."agree:order.address_id"]
enabled = false

[rules."exists:review.product_id+customer_id"]
enabled = false
""")
    assert address_disagreement(data) > 0.5
    assert "agree:order.address_id" in data.plan.rules.switched_off


def test_an_aggregate_added_by_hand_arrives_as_an_update(tmp_path: Path) -> None:
    data = shop_data(tmp_path, """
[rules."aggregate:product.stock"]
child = "order_item"
child_fk = ["product_id"]
expression = "quantity"
""")
    assert [(u.table.name, u.set_columns) for u in data.updates] == [("product", ("stock",))]
    sold: dict[int, int] = {}
    for product, quantity in columns_of(data, "order_item", "product_id", "quantity"):
        sold[product] = sold.get(product, 0) + quantity
    stock = dict(columns_of(data, "product", "product_id", "stock"))  # final_tables() applies the update
    assert sold and all(stock[p] == q for p, q in sold.items())
    raw = dict(zip(data.table_data(data.updates[0].table).column_values("product_id"),
                   data.table_data(data.updates[0].table).column_values("stock"), strict=True))
    assert any(raw[p] != q for p, q in sold.items())  # the inserted rows hold the drawn values until the UPDATE


def test_aggregates_reach_sql_scripts_as_updates_and_csv_files_as_final_values(tmp_path: Path) -> None:
    schema = api.read_schema(schema_path("chinook/postgres.sql"))
    data = api.generate(schema, api.build_plan(schema, 30), seed=2)
    (update,) = data.updates
    assert update.set_columns == ("total",) and update.row_count > 0
    script = tmp_path / "data.sql"
    api.write_sql(data, script, "postgres")
    text = script.read_text(encoding="utf-8")
    assert "-- Aggregates: set the values computed over child rows inserted above" in text
    assert text.index('UPDATE "invoice"') > text.rindex('INSERT INTO "invoice_line"')
    paths = api.write_csv(data, tmp_path / "csv")
    invoice = next(p for p in paths if p.name.startswith("invoice."))
    import csv

    with invoice.open(encoding="utf-8") as f:
        totals = {int(r["invoice_id"]): r["total"] for r in csv.DictReader(f)}
    first = update.key_values[0][0]
    assert totals[first] == str(update.set_values[0][0])


def test_same_seed_same_script_and_another_seed_another(tmp_path: Path) -> None:
    schema = api.read_schema(SHOP)
    plan = api.build_plan(schema, 40)
    texts = []
    for i, seed in enumerate((7, 7, 8)):
        out = tmp_path / f"{i}.sql"
        api.write_sql(api.generate(schema, plan, seed=seed), out, "postgres")
        texts.append(out.read_bytes())
    assert texts[0] == texts[1] and texts[0] != texts[2]


@pytest.mark.parametrize("source", [SHOP, "pagila/postgres.sql", "chinook/postgres.sql", "employees/mysql.sql",
                                    "adventureworks/postgres.sql", "northwind/postgres.sql"])
def test_generation_reads_parents_only_through_retained_columns(source: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The streamed engine keeps only ``retained_columns`` of each table: every parent read of the cross-table rules
    goes through ``GenerationContext.parent_column`` and asks for one of them."""
    from seeder.generate.context import GenerationContext

    schema = api.read_schema(source if source == SHOP else schema_path(source))
    plan = api.build_plan(schema, 30)
    read: set[tuple[object, str]] = set()
    original = GenerationContext.parent_column

    def recording(self, table, column):  # type: ignore[no-untyped-def]
        read.add((table, column))
        return original(self, table, column)

    monkeypatch.setattr(GenerationContext, "parent_column", recording)
    api.generate(schema, plan, seed=1)
    assert read
    missing = {(str(t), c) for t, c in read if c not in retained_columns(schema, plan, t)}
    assert not missing


@pytest.mark.parametrize(("rule", "parents", "children"), [
    ("lines", 200, 600), ("lines", 200, 150), ("orders", 200, 200), ("orders", 100, 300), ("capped", 10, 100)])
def test_fan_out_allocations_cover_parents_and_index_by_row(rule: str, parents: int, children: int) -> None:
    import numpy as np

    from seeder.generate.fanout import allocate
    from seeder.plan.rules import FanOut
    from seeder.schema import TableName

    shapes = {"lines": FanOut(table=TableName(None, "line"), fk=("order_id",), ref_table=TableName(None, "order"),
                              min=1, distribution="lognormal", skew=0.5),
              "orders": FanOut(table=TableName(None, "order"), fk=("customer_id",),
                               ref_table=TableName(None, "customer"), distribution="zipf", skew=1.1),
              "capped": FanOut(table=TableName(None, "x"), fk=("p",), ref_table=TableName(None, "p"), max=3)}
    alloc = allocate(shapes[rule], parents, children, np.random.default_rng(4))
    assert int(alloc.counts.sum()) == children
    whole = alloc.parents(0, children)
    assert np.array_equal(np.concatenate([alloc.parents(0, 7), alloc.parents(7, children)]), whole)  # any range
    assert np.array_equal(np.bincount(whole, minlength=parents), alloc.counts)
    childless = float((alloc.counts == 0).mean())
    if children >= 3 * parents or rule == "lines":
        assert childless <= max(0.0, 1 - children / parents) + 1e-9  # every parent a child, as far as rows allow
    if rule == "orders" and children == parents:
        top = np.sort(alloc.counts)[::-1][: parents // 10].sum()
        assert top / children >= 0.4  # a few customers hold many orders
