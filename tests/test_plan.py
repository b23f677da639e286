"""The planner: topological order, cycle breaks, row limits, config overrides (on hand-built schema models)."""

from __future__ import annotations

import pytest

from seeder.errors import ConfigError
from seeder.plan.planner import build_plan, resolve_table_name
from seeder.schema import Column, ColumnType, ForeignKey, PrimaryKey, Schema, Table, TableName, UniqueConstraint

INT = ColumnType(kind="integer", sql="INT")


def col(name: str, nullable: bool = True, kind: str = "integer", values: tuple[str, ...] = ()) -> Column:
    return Column(name=name, type=ColumnType(kind=kind, sql=kind.upper(), values=values), nullable=nullable)


def table(name: str, columns: list[Column], pk: tuple[str, ...] = ("id",), fks: tuple[ForeignKey, ...] = (),
          uniques: tuple[UniqueConstraint, ...] = (), **kw: object) -> Table:
    return Table(name=TableName(None, name), columns=tuple(columns), primary_key=PrimaryKey(pk) if pk else None,
                 foreign_keys=fks, uniques=uniques, **kw)  # type: ignore[arg-type]


def fk(cols: tuple[str, ...], ref: str, ref_cols: tuple[str, ...] = ("id",), deferrable: bool = False,
       name: str | None = None) -> ForeignKey:
    return ForeignKey(columns=cols, ref_table=TableName(None, ref), ref_columns=ref_cols, deferrable=deferrable,
                      name=name)


def names(seq: tuple[TableName, ...]) -> list[str]:
    return [str(n) for n in seq]


def test_parents_come_before_children_in_source_order_ties():
    schema = Schema(dialect="postgres", tables=(
        table("child", [col("id", False), col("a_id", False), col("b_id", False)],
              fks=(fk(("a_id",), "a"), fk(("b_id",), "b"))),
        table("b", [col("id", False)]),
        table("a", [col("id", False)]),
    ))
    plan = build_plan(schema, rows=5)
    assert names(plan.order) == ["b", "a", "child"]
    assert [names(g) for g in plan.generations] == [["b", "a"], ["child"]]
    assert plan.cycle_breaks == ()


def test_nullable_fk_is_the_one_broken_in_a_cycle():
    # sakila-like: store.manager_staff_id NOT NULL, staff.store_id nullable -> break staff.store_id
    schema = Schema(dialect="postgres", tables=(
        table("store", [col("id", False), col("manager_staff_id", False)], fks=(fk(("manager_staff_id",), "staff"),)),
        table("staff", [col("id", False), col("store_id", True)], fks=(fk(("store_id",), "store"),)),
    ))
    plan = build_plan(schema, rows=3)
    assert len(plan.cycle_breaks) == 1
    br = plan.cycle_breaks[0]
    assert str(br.table) == "staff" and br.nullable and br.foreign_key.columns == ("store_id",)
    assert names(plan.order) == ["staff", "store"]
    assert names(plan.cycles[0]) == ["staff", "store"]


def test_not_null_cycle_prefers_deferrable_and_reports_strategy():
    schema = Schema(dialect="postgres", tables=(
        table("a", [col("id", False), col("b_id", False)], fks=(fk(("b_id",), "b"),)),
        table("b", [col("id", False), col("a_id", False)], fks=(fk(("a_id",), "a", deferrable=True),)),
    ))
    plan = build_plan(schema, rows=3)
    (br,) = plan.cycle_breaks
    assert str(br.table) == "b" and br.deferrable and not br.nullable
    assert names(plan.order) == ["b", "a"]


def test_all_not_null_non_deferrable_cycle_still_plans():
    schema = Schema(dialect="postgres", tables=(
        table("store", [col("id", False), col("manager_staff_id", False)], fks=(fk(("manager_staff_id",), "staff"),)),
        table("staff", [col("id", False), col("store_id", False)], fks=(fk(("store_id",), "store"),)),
    ))
    plan = build_plan(schema, rows=4)
    (br,) = plan.cycle_breaks
    assert not br.nullable and not br.deferrable
    assert plan.rows(TableName(None, "store")) == 4 and plan.rows(TableName(None, "staff")) == 4


def test_self_reference_does_not_count_as_cycle():
    schema = Schema(dialect="postgres", tables=(
        table("employee", [col("id", False), col("reports_to")], fks=(fk(("reports_to",), "employee"),)),
    ))
    plan = build_plan(schema, rows=7)
    assert plan.cycles == () and plan.cycle_breaks == ()
    assert len(plan.self_references) == 1
    assert plan.rows(TableName(None, "employee")) == 7


def test_one_to_one_fk_limits_rows_and_says_why():
    schema = Schema(dialect="postgres", tables=(
        table("country", [col("id", False)]),
        table("capital", [col("id", False), col("country_id", False)], fks=(fk(("country_id",), "country"),),
              uniques=(UniqueConstraint(("country_id",)),)),
    ))
    plan = build_plan(schema, rows=10, overrides={"country": 4})
    tp = plan.tables[TableName(None, "capital")]
    assert tp.rows == 4 and tp.requested == 10
    assert "country_id" in (tp.limit or "")


def test_pk_over_enum_and_fk_limited_to_product():
    schema = Schema(dialect="postgres", tables=(
        table("film", [col("id", False)]),
        table("film_rating", [col("film_id", False), col("rating", False, "enum", ("G", "PG", "R"))],
              pk=("film_id", "rating"), fks=(fk(("film_id",), "film"),)),
    ))
    plan = build_plan(schema, rows=20, overrides={"film": 2})
    assert plan.rows(TableName(None, "film_rating")) == 6


def test_not_null_fk_to_empty_table_gives_zero_rows():
    schema = Schema(dialect="postgres", tables=(
        table("a", [col("id", False)]),
        table("b", [col("id", False), col("a_id", False)], fks=(fk(("a_id",), "a"),)),
    ))
    plan = build_plan(schema, rows=5, overrides={"a": 0})
    tp = plan.tables[TableName(None, "b")]
    assert tp.rows == 0 and "no rows" in (tp.limit or "")


def test_partitions_are_skipped_and_inherits_children_seeded():
    parent = TableName(None, "payment")
    schema = Schema(dialect="postgres", tables=(
        table("payment", [col("id", False)]),
        table("payment_2020", [col("id", False)], partition_of=parent),
        table("payment_old", [col("id", False)], inherits=(parent,)),
    ))
    plan = build_plan(schema, rows=5)
    assert names(plan.order) == ["payment", "payment_old"]  # a child's rows never come through its parent
    assert "partition of payment" in (plan.tables[TableName(None, "payment_2020")].skipped or "")
    assert plan.rows(TableName(None, "payment_old")) == 5


@pytest.mark.parametrize("rows", [-1, 10**12])
def test_bad_row_counts_are_config_errors(rows: int):
    schema = Schema(dialect="postgres", tables=(table("a", [col("id", False)]),))
    with pytest.raises(ConfigError, match="rows"):
        build_plan(schema, rows=rows)


def test_unknown_table_in_overrides_suggests_closest():
    schema = Schema(dialect="postgres", tables=(table("customer", [col("id", False)]),))
    with pytest.raises(ConfigError, match=r"unknown table 'custmer'.*did you mean customer"):
        build_plan(schema, rows=1, overrides={"custmer": 3})


def test_override_names_resolve_with_schema_prefix_and_case():
    schema = Schema(dialect="postgres", tables=(
        Table(name=TableName("public", "Film"), columns=(col("id", False),), primary_key=PrimaryKey(("id",))),
    ))
    assert resolve_table_name(schema, "public.Film") == TableName("public", "Film")
    assert resolve_table_name(schema, "film") == TableName("public", "Film")


def test_table_filled_by_an_insert_trigger_is_left_to_the_trigger():
    from seeder.readers.ddl import read_ddl

    schema = read_ddl("""
        CREATE TABLE film (film_id int PRIMARY KEY, title varchar(50) NOT NULL);
        CREATE TABLE film_text (film_id int PRIMARY KEY, title varchar(50));
        DELIMITER ;;
        CREATE TRIGGER `ins_film` AFTER INSERT ON `film` FOR EACH ROW BEGIN
            INSERT INTO film_text (film_id, title) VALUES (new.film_id, new.title);
        END;;
        DELIMITER ;
    """, "mysql")
    plan = build_plan(schema, rows=5)
    assert names(plan.order) == ["film"]
    assert plan.tables[TableName(None, "film_text")].skipped == "filled by trigger ins_film on film"
