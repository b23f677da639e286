"""The foreign-key dependency graph of a schema (networkx) and the constraints each seeded table really carries.

Partitions and ``INHERITS`` children are not seeded on their own: their rows go in through the parent. PostgreSQL
dumps often declare a partitioned table's foreign keys, CHECKs and unique indexes on the partitions only (pagila's
``payment``), so a row inserted through the parent must satisfy the constraints of whichever partition receives it.
:func:`effective_table` lifts those constraints onto the parent, which is conservative and therefore always correct.
"""

from __future__ import annotations

from dataclasses import replace

import networkx as nx

from seeder.plan.infer_triggers import copy_for
from seeder.schema import Schema, Table, TableName


def skip_reason(schema: Schema, table: Table) -> str | None:
    """Why ``table`` gets no rows of its own (a partition, or a table an INSERT trigger fills), or ``None`` if it is
    seeded. An INHERITS child is seeded as a table of its own (with the inherited columns): its rows are rows of
    the parent too, but no row inserted into the parent ever lands in the child."""
    if table.partition_of is not None:
        return f"partition of {table.partition_of}: rows go in through the parent"
    for fill in schema.trigger_fills:
        if fill.target == table.name and not _referenced(schema, table.name):
            return f"filled by trigger {fill.trigger} on {fill.table}"
    for eq in schema.trigger_equalities:
        if eq.table == table.name and copy_for(table, eq) is None:
            # a copy of a parent row's column that is also a key of another table (or not reached through a
            # foreign key): the engine cannot choose both together (seeder.plan.infer_triggers)
            return (f"trigger {eq.trigger} requires {eq.column} = {eq.ref_table}.{eq.ref_column} of the row "
                    f"{eq.via} points at, which seeder cannot generate yet")
    return None


def _referenced(schema: Schema, name: TableName) -> bool:
    """Whether another table has a foreign key to ``name``. Such a trigger target is seeded all the same: its rows
    are needed as parents before the trigger would write any (MusicBrainz's ``a_ins_instrument`` adds a
    ``link_attribute_type`` row per instrument, and a dozen tables reference ``link_attribute_type``)."""
    return any(fk.ref_table == name for t in schema.tables if t.name != name for fk in t.foreign_keys)


def _children(schema: Schema, parent: TableName) -> list[Table]:
    return [t for t in schema.tables if t.partition_of == parent]


def effective_table(schema: Schema, table: Table) -> Table:
    """``table`` with the FKs, CHECKs and unique constraints of its partitions (recursively) lifted onto it.

    Lifted constraints are de-duplicated by their content (columns and target), keeping the table's own first.
    A table with no partitions is returned unchanged.
    """
    parts = _children(schema, table.name)
    if not parts:
        return table
    fks = list(table.foreign_keys)
    seen_fk = {(fk.columns, fk.ref_table, fk.ref_columns) for fk in fks}
    checks = list(table.checks)
    seen_check = {c.sql for c in checks}
    uniques = list(table.uniques)
    seen_unique = {(u.columns, tuple(e.sql() for e in u.expressions)) for u in uniques}
    for part in parts:
        part = effective_table(schema, part)
        for fk in part.foreign_keys:
            key = (fk.columns, fk.ref_table, fk.ref_columns)
            if key not in seen_fk:
                seen_fk.add(key)
                fks.append(fk)
        for check in part.checks:
            if check.sql not in seen_check:
                seen_check.add(check.sql)
                checks.append(check)
        for uq in part.uniques:
            key_u = (uq.columns, tuple(e.sql() for e in uq.expressions))
            if key_u not in seen_unique:
                seen_unique.add(key_u)
                uniques.append(uq)
    return replace(table, foreign_keys=tuple(fks), checks=tuple(checks), uniques=tuple(uniques))


def seeded_tables(schema: Schema) -> list[Table]:
    """The tables that get rows of their own, as effective tables (see :func:`effective_table`), in source order."""
    return [effective_table(schema, t) for t in schema.tables if skip_reason(schema, t) is None]


def dependency_graph(tables: list[Table]) -> nx.MultiDiGraph:
    """A multigraph with an edge ``parent -> child`` per foreign key (keyed by the FK's index in ``child``).

    Self-references are left out (they never constrain the order between tables); FKs to tables not in ``tables``
    (skipped tables) are left out too. Node attribute ``index`` is the table's position in ``tables``.
    """
    graph = nx.MultiDiGraph()
    names = {t.name for t in tables}
    for i, t in enumerate(tables):
        graph.add_node(t.name, index=i)
    for t in tables:
        for k, fk in enumerate(t.foreign_keys):
            if fk.ref_table != t.name and fk.ref_table in names:
                graph.add_edge(fk.ref_table, t.name, key=k, fk=fk)
    return graph


def fk_cycles(graph: nx.MultiDiGraph) -> list[tuple[TableName, ...]]:
    """Strongly connected components of more than one table, each sorted, the list sorted."""
    comps = [tuple(sorted(c)) for c in nx.strongly_connected_components(graph) if len(c) > 1]
    return sorted(comps)
