"""Which columns of a generated table later tables read (engine design, section 2).

The streamed engine keeps, per generated table, only the columns that later tables need: the keys other tables'
foreign keys point at, and every column a cross-table rule reads from a parent (an agreement's path through a
parent, an existence witness, a copied price, a parent's creation time, a pin expression's ``parent.column``, the key
and inputs an aggregate's UPDATE needs). :func:`retained_columns` is the one place that says so; every rule that
reads a parent column is visible here through its rule object (:mod:`seeder.plan.rules`).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from itertools import pairwise

import sqlglot
from sqlglot import exp

from seeder.generate.inheritance import family_key_reads
from seeder.plan.graph import effective_table
from seeder.plan.model import Plan
from seeder.plan.rules import (
    AfterParent,
    Aggregate,
    Agreement,
    Copy,
    Existence,
    FkPath,
    Pin,
    RowExpression,
    Rule,
)
from seeder.schema import Schema, TableName


def retained_columns(schema: Schema, plan: Plan, table: TableName) -> frozenset[str]:
    """The columns of ``table`` that generating the tables after it reads.

    Args:
        schema: the schema model the plan was built from.
        plan: the plan (its ``rules`` are the active semantic rules).
        table: a table of the plan.

    Returns:
        Column names of ``table``: the columns any foreign key of a generated table references, plus every column
        a rule of ``plan.rules`` reads from ``table`` as a parent (see the module docstring). Columns of ``table``
        that it does not write may be named (a generated column a FK points at); the caller keeps what it has.
    """
    out: set[str] = set()
    generated = set(plan.order)
    for other in schema.tables:
        if other.name not in generated:
            continue
        # a partitioned table's FKs may be declared on its partitions: the effective table has them
        for fk in effective_table(schema, other).foreign_keys:
            if fk.ref_table == table:
                out.update(fk.ref_columns)
    # an INHERITS child continues its family's key past the parent's and its earlier siblings' (generate/inheritance)
    for other in schema.tables:
        if other.name in generated and other.name != table:
            out.update(family_key_reads(schema, other, table))
    for rule in plan.rules:
        out.update(_read_from(rule, table))
        if isinstance(rule, Aggregate) and rule.table == table:
            # the UPDATE finds the row by its primary key and recomputes the expressions over the aggregate
            out.add(rule.column)  # its inserted values stay where the aggregate would break a CHECK
            found = schema.table(table)
            if found.primary_key:
                out.update(found.primary_key.columns)
            for dependent in aggregate_dependents(plan.rules, rule):
                out.update(expression_inputs(dependent.expression))
                out.add(dependent.column)
    return frozenset(out)


def _path_reads(path: FkPath, table: TableName) -> Iterable[str]:
    """Columns of ``table`` read while following ``path`` (every hop after the first starts in a parent: its key,
    to find the row, and its FK columns, to step on)."""
    for before, hop in pairwise(path):
        if hop.table == table:
            yield from before.ref_columns
            yield from hop.columns


def _read_from(rule: Rule, table: TableName) -> set[str]:
    """Columns of ``table`` that ``rule`` reads as a parent (or witness) of the rule's own table."""
    out: set[str] = set()
    if isinstance(rule, Agreement):
        for path in (rule.first, rule.second):
            out.update(_path_reads(path, table))
    elif isinstance(rule, Existence):
        if rule.witness == table:
            for source in rule.sources:
                out.update(source.path[0].columns if source.path else (source.column,))
        for source in rule.sources:
            out.update(_path_reads(source.path, table))
            if source.path and source.path[-1].ref_table == table:
                out.update(source.path[-1].ref_columns)
                out.add(source.column)
    elif isinstance(rule, (Copy, AfterParent)):
        if rule.ref_table == table:
            out.add(rule.parent_column)
    elif isinstance(rule, Pin) and rule.expression:
        out.update(col for qualifier, col in _qualified_columns(rule.expression)
                   if qualifier.lower() in (table.name.lower(), str(table).lower()))
    return out


def expression_inputs(expression: str) -> set[str]:
    """Unqualified column names an SQL expression reads (``subtotal + taxamt + freight``: all three)."""
    return {col for qualifier, col in _qualified_columns(expression) if not qualifier}


def aggregate_dependents(rules: Iterable[Rule], aggregate: Aggregate) -> list[RowExpression]:
    """The same-row expressions of the aggregate's table that read its column (directly or through another such
    expression), in rule order: they are recomputed when the aggregate's UPDATE sets the column."""
    mine = [r for r in rules if isinstance(r, RowExpression) and r.table == aggregate.table]
    changed = {aggregate.column}
    out: list[RowExpression] = []
    grew = True
    while grew:
        grew = False
        for r in mine:
            if r not in out and expression_inputs(r.expression) & changed:
                out.append(r)
                changed.add(r.column)
                grew = True
    return [r for r in mine if r in out]


@cache
def _qualified_columns(expression: str) -> tuple[tuple[str, str], ...]:
    try:
        tree = sqlglot.parse_one(expression)
    except sqlglot.errors.ParseError:
        return ()
    return tuple((node.table or "", node.name) for node in tree.find_all(exp.Column))
