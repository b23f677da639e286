"""INHERITS children: their rows are rows of the parent too, so the parent's key stays unique across the hierarchy.

PostgreSQL does not inherit a primary key (``CREATE TABLE`` reference page, "INHERITS": "unique, primary key, and
foreign key constraints are not inherited"), but ``SELECT ... FROM parent`` returns the children's rows, and a
serial key's sequence is shared: an application expects one key per row across parent and children (sakila's
``payment`` and its ``payment_p2007_*`` children). So a child generates the parent's key columns as unique, and an
integer key starts past the largest value the parent and the children generated before it hold (the planner orders
a child after its parent and after its earlier siblings).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from seeder.generate.spec import ValueSpec
from seeder.schema import Schema, Table, TableName, UniqueConstraint
from seeder.types import INTEGER_KINDS

if TYPE_CHECKING:
    from seeder.generate.context import GenerationContext


def _key_columns(schema: Schema, table: Table) -> tuple[tuple[str, ...], list[TableName]]:
    """The first INHERITS parent's primary-key columns (when the child has them) and that parent's family: the
    parent and its children, in schema order."""
    for parent_name in table.inherits:
        try:
            parent = schema.table(parent_name)
        except KeyError:
            continue
        if parent.primary_key and set(parent.primary_key.columns) <= set(table.column_names):
            family = [parent.name, *(t.name for t in schema.tables if parent.name in t.inherits)]
            return parent.primary_key.columns, family
    return (), []


def family_key_reads(schema: Schema, child: Table, table: TableName) -> tuple[str, ...]:
    """The key columns of ``table`` that generating INHERITS child ``child`` reads (``table`` is its parent or a
    sibling): what :func:`seeder.generate.retained.retained_columns` keeps for it."""
    columns, family = _key_columns(schema, child)
    return columns if len(columns) == 1 and table in family else ()


def with_parent_key(schema: Schema, table: Table) -> Table:
    """``table`` with its first INHERITS parent's primary key as a unique constraint (for generation only)."""
    columns, _ = _key_columns(schema, table)
    if not columns or any(u.columns == columns for u in table.uniques) or (
            table.primary_key and table.primary_key.columns == columns):
        return table
    inherited = UniqueConstraint(columns, name=f"{table.name.name} (inherited key)")
    return replace(table, uniques=(*table.uniques, inherited))


def shift_past_family(ctx: GenerationContext, table: Table, specs: dict[str, ValueSpec],
                      unique_columns: list[str]) -> None:
    """Raise an inherited integer key's lower bound past what the parent and the siblings generated before hold."""
    columns, family = _key_columns(ctx.schema, table)
    if len(columns) != 1 or columns[0] not in unique_columns:
        return
    col = columns[0]
    spec = specs.get(col)
    if spec is None or spec.column.type.kind not in INTEGER_KINDS or spec.fixed is not None or spec.choices:
        return
    top: int | None = None
    for name in family:
        if name == table.name or not ctx.has_rows_of(name):
            continue
        values = [v for v in ctx.parent_column(name, col) if isinstance(v, int) and not isinstance(v, bool)]
        if values:
            top = max(values) if top is None else max(top, max(values))
    if top is not None and (spec.lower is None or spec.lower <= top):
        specs[col] = replace(spec, lower=top + 1, lower_exclusive=False)
