"""Following foreign-key paths through already generated parents (for agreement and existence rules).

A path (:data:`~seeder.plan.rules.FkPath`) is a list of hops; from a row's values of the first hop's FK columns,
each further hop finds the parent row by the previous hop's referenced columns and reads its own FK columns. Parents
are read only through :meth:`GenerationContext.parent_column` (engine design, section 1).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from seeder.plan.rules import FkHop, FkPath
from seeder.schema import TableName

if TYPE_CHECKING:
    from seeder.generate.context import GenerationContext

#: A row's key tuple (``None``: a NULL in it, or a row this run did not generate).
Key = tuple[Any, ...] | None


def key_tuples(columns: Sequence[Sequence[Any]]) -> list[Key]:
    """Row-wise tuples of ``columns`` (``None`` where any value is NULL)."""
    if len(columns) == 1:  # the common case, without a generator per row
        return [None if v is None else (v,) for v in columns[0]]
    return [None if any(v is None for v in row) else tuple(row) for row in zip(*columns, strict=True)]


def row_index(ctx: GenerationContext, table: TableName, columns: tuple[str, ...]) -> dict[tuple[Any, ...], int]:
    """Key tuple of ``columns`` -> row number, over the rows this run generated for ``table`` (first row wins);
    made once per table and columns while the generated tables stay as they are."""

    def make() -> dict[tuple[Any, ...], int]:
        index: dict[tuple[Any, ...], int] = {}
        for i, key in enumerate(key_tuples([ctx.parent_column(table, c) for c in columns])):
            if key is not None:
                index.setdefault(key, i)
        return index

    return ctx.remember(("row_index", table, columns), make)


def can_follow(ctx: GenerationContext, hops: Sequence[FkHop]) -> bool:
    """Whether every table the hops read from has been generated in this run."""
    return all(ctx.has_rows_of(hop.table) for hop in hops)


def follow(ctx: GenerationContext, keys: list[Key], hops: Sequence[FkHop], via: tuple[str, ...]) -> list[Key]:
    """Step ``keys`` (values of columns that reference ``hops[0].table`` by its columns ``via``) along ``hops``.

    Returns, per key, the values of the last hop's FK columns (a key of the last hop's ``ref_table``); ``None`` where
    a key is ``None``, matches no generated row, or a hop's FK is NULL.
    """
    for hop in hops:
        index = row_index(ctx, hop.table, via)
        step = key_tuples([ctx.parent_column(hop.table, c) for c in hop.columns])
        keys = [None if k is None or (i := index.get(k)) is None else step[i] for k in keys]
        via = hop.ref_columns
    return keys


def resolved(ctx: GenerationContext, path: FkPath) -> FkPath:
    """``path`` with every hop's ``ref_columns`` filled in from the schema's FK (a hop written in the config as a
    dict may leave them out)."""
    out: list[FkHop] = []
    for hop in path:
        if not hop.ref_columns:
            fk = next((f for f in ctx.schema.table(hop.table).foreign_keys if f.columns == hop.columns), None)
            if fk is not None:
                hop = FkHop(hop.table, hop.columns, hop.ref_table, fk.ref_columns)
        out.append(hop)
    return tuple(out)


def ancestor_keys(ctx: GenerationContext, values: dict[str, list[Any]], path: FkPath) -> list[Key]:
    """The key of the path's ancestor that each row of ``values`` (the path's own table) reaches."""
    first = path[0]
    keys = key_tuples([values[c] for c in first.columns])
    return follow(ctx, keys, path[1:], first.ref_columns)


def end_columns(path: FkPath) -> tuple[str, ...]:
    """The ancestor's columns the path's keys refer to."""
    return path[-1].ref_columns
