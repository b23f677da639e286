"""The engine next to existing rows (engine design section 5), pinned without a database.

:class:`Rows` is an in-memory :class:`~seeder.plan.existing.ExistingTable` over a list of row dicts, so each rule of
section 5 can be checked against exactly known existing rows: integer keys start past the largest key, other unique
values take ranks offset by the row count and re-rank what ``taken()`` reports, foreign keys mix the existing key
sample with new rows in proportion to the row counts, one-to-one foreign keys and joint unique groups skip taken
tuples, the planner subtracts existing rows from what a table's constraints allow, and the same existing rows and seed
always give the same data.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from seeder import api
from seeder.errors import ConfigError
from seeder.plan.existing import ExistingTable
from seeder.readers.ddl import read_ddl
from seeder.schema import TableName

SHOP = """
CREATE TABLE customer (id integer PRIMARY KEY, email varchar(80) NOT NULL UNIQUE, name text NOT NULL);
CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer NOT NULL REFERENCES customer (id), total int);
CREATE TABLE profile (customer_id integer PRIMARY KEY REFERENCES customer (id), bio text);
CREATE TABLE tag (id integer PRIMARY KEY, label varchar(20) NOT NULL UNIQUE);
CREATE TABLE customer_tag (customer_id integer NOT NULL REFERENCES customer (id),
                           tag_id integer NOT NULL REFERENCES tag (id), PRIMARY KEY (customer_id, tag_id));
CREATE TABLE flag (kind boolean PRIMARY KEY);
"""
T = {name: TableName(None, name) for name in ("customer", "orders", "profile", "tag", "customer_tag", "flag")}


class Rows:
    """An :class:`ExistingTable` over rows held in memory (what the engine may ask, and how often it asked)."""

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows
        self.row_count = len(rows)
        self.taken_calls = 0

    def key_sample(self, columns: tuple[str, ...], limit: int) -> list[tuple[Any, ...]]:
        keys = sorted({tuple(r[c] for c in columns) for r in self.rows if all(r[c] is not None for c in columns)})
        return keys[:limit]

    def max_value(self, column: str) -> Any | None:
        values = [r[column] for r in self.rows if r[column] is not None]
        return max(values) if values else None

    def taken(self, columns: tuple[str, ...], candidates: Sequence[tuple[Any, ...]]) -> set[tuple[Any, ...]]:
        self.taken_calls += 1
        held = {tuple(r[c] for c in columns) for r in self.rows}
        return {c for c in candidates if c in held and None not in c}


def schema():
    return read_ddl(SHOP, "postgres")


def run(existing: dict[TableName, Rows], rows: int = 30, seed: int = 1, **plan_options: Any):
    s = schema()
    plan = api.build_plan(s, rows, existing=existing, **plan_options)
    return plan, api.generate(s, plan, seed=seed, existing=existing)


def customers(n: int, start: int = 1) -> Rows:
    return Rows([{"id": i, "email": f"c{i}@old.example", "name": f"old {i}"} for i in range(start, start + n)])


def column(data: Any, table: str, name: str) -> list[Any]:
    return data.table_data(T[table]).column_values(name)


def test_the_protocol_is_what_the_in_memory_rows_implement() -> None:
    assert isinstance(customers(1), ExistingTable)


def test_no_existing_rows_gives_exactly_the_data_of_a_plain_run() -> None:
    s = schema()
    plain = api.generate(s, api.build_plan(s, 30), seed=1)
    _, empty = run({T["customer"]: Rows([])})
    for td in plain.tables:
        assert empty.table_data(td.table.name).values == td.values


def test_integer_keys_start_past_the_largest_existing_key() -> None:
    _, data = run({T["customer"]: customers(5, start=100)})
    ids = column(data, "customer", "id")
    assert min(ids) == 105 and len(set(ids)) == 30


def test_unique_text_values_skip_what_existing_rows_hold() -> None:
    s = schema()
    fresh = api.generate(s, api.build_plan(s, 30), seed=1)
    # existing rows hold the very labels a run would make at ranks 0..29: every candidate collides at first
    held = Rows([{"id": 1000 + i, "label": v} for i, v in enumerate(column(fresh, "tag", "label"))])
    _, data = run({T["tag"]: held})
    labels = column(data, "tag", "label")
    assert len(set(labels)) == 30 and not set(labels) & {r["label"] for r in held.rows}
    assert held.taken_calls <= 2  # ranks start past the row count; one check (and at most one re-rank) per column


def test_foreign_keys_mix_existing_and_new_parents_by_row_count() -> None:
    old = customers(90)
    _, data = run({T["customer"]: old}, rows=10)  # 90 old customers, 10 new: about 9 in 10 orders pick an old one
    new_ids = set(column(data, "customer", "id"))
    picks = column(data, "orders", "customer_id")
    from_old = sum(1 for p in picks if p <= 90)
    assert set(picks) <= new_ids | {r["id"] for r in old.rows}
    assert 5 <= from_old <= 10


def test_a_left_out_parent_with_rows_is_the_only_target() -> None:
    plan, data = run({T["customer"]: customers(3)}, only=["orders"])
    assert plan.order == (T["orders"],) and plan.tables[T["customer"]].skipped.startswith("not selected")
    assert set(column(data, "orders", "customer_id")) <= {1, 2, 3}


def test_a_left_out_empty_parent_is_an_error_naming_it() -> None:
    with pytest.raises(ConfigError, match=r"customer \(needed by orders\); add it to the run \(--only customer\)"):
        api.build_plan(schema(), 10, only=["orders"])
    with pytest.raises(ConfigError, match="--only 'ordrs' matches no table; did you mean orders"):
        api.build_plan(schema(), 10, only=["ordrs"])


def test_only_and_exclude_take_globs() -> None:
    plan = api.build_plan(schema(), 5, only=["cust*", "tag"], exclude=["customer_tag"])
    assert set(plan.order) == {T["customer"], T["tag"]}
    assert plan.tables[T["customer_tag"]].skipped == "excluded (--exclude): existing rows only"


def test_one_to_one_foreign_keys_skip_parents_that_have_a_child() -> None:
    old = customers(10)
    profiles = Rows([{"customer_id": i, "bio": "x"} for i in range(1, 8)])  # customers 1..7 have a profile
    _, data = run({T["customer"]: old, T["profile"]: profiles}, rows=5)
    owners = column(data, "profile", "customer_id")
    assert len(set(owners)) == 5 and not set(owners) & set(range(1, 8))


def test_joint_unique_groups_skip_existing_tuples() -> None:
    old_customers, old_tags = customers(3), Rows([{"id": i, "label": f"t{i}"} for i in (1, 2)])
    links = Rows([{"customer_id": c, "tag_id": t} for c in (1, 2, 3) for t in (1, 2)])  # every old pair is taken
    plan, data = run({T["customer"]: old_customers, T["tag"]: old_tags, T["customer_tag"]: links}, rows=4)
    pairs = list(zip(column(data, "customer_tag", "customer_id"), column(data, "customer_tag", "tag_id"),
                     strict=True))
    assert len(set(pairs)) == len(pairs) == plan.rows(T["customer_tag"])
    assert not set(pairs) & {(r["customer_id"], r["tag_id"]) for r in links.rows}


def test_the_planner_counts_existing_rows_against_capacity() -> None:
    full = Rows([{"kind": True}, {"kind": False}])
    plan = api.build_plan(schema(), 10, existing={T["flag"]: full})
    flag = plan.tables[T["flag"]]
    assert (flag.rows, flag.existing) == (0, 2)
    assert flag.limit == "already full: 2 existing rows use the 2 distinct values unique (kind) allows"
    half = api.build_plan(schema(), 10, existing={T["flag"]: Rows([{"kind": True}])}).tables[T["flag"]]
    assert half.rows == 1 and "1 of them taken by existing rows" in half.limit


def test_same_existing_rows_and_seed_give_the_same_data() -> None:
    def once() -> list[Any]:
        _, data = run({T["customer"]: customers(7), T["tag"]: Rows([{"id": 3, "label": "x"}])}, seed=4)
        return [td.values for td in data.tables]

    assert once() == once()


def test_collisions_the_database_sees_under_its_collation(mysql_url: str) -> None:
    """MariaDB's default collation finds 'ALPHA' and 'alpha ' equal to an existing 'Alpha': taken() reports them
    (its IN query matched them), so a unique column never gets a value the database would reject."""
    from tests.engines import mysql_query

    mysql_query(mysql_url, "CREATE TABLE tag (id int PRIMARY KEY, label varchar(20) NOT NULL UNIQUE)")
    mysql_query(mysql_url, "INSERT INTO tag VALUES (1, 'Alpha'), (2, 'beta')")
    schema = read_ddl("CREATE TABLE tag (id int PRIMARY KEY, label varchar(20) NOT NULL UNIQUE);", "mysql")
    with api.existing_rows(mysql_url, schema) as existing:
        rows = next(iter(existing.values()))
        taken = rows.taken(("label",), [("ALPHA",), ("alpha ",), ("Beta",), ("gamma",)])
    assert taken == {("ALPHA",), ("alpha ",), ("Beta",)}
