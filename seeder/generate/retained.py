"""Which columns of a generated table later tables read (engine design, section 2).

The streamed engine keeps, per generated table, only these columns. Until the cross-table rules land here, that is
the columns other generated tables' foreign keys reference and the parent columns pin expressions read.
"""

from __future__ import annotations

from functools import cache

import sqlglot
from sqlglot import exp

from seeder.plan.graph import effective_table
from seeder.plan.model import Plan
from seeder.plan.rules import Pin
from seeder.schema import Schema, TableName


def retained_columns(schema: Schema, plan: Plan, table: TableName) -> frozenset[str]:
    """The columns of ``table`` that generating the tables after it reads: the columns any foreign key of a
    generated table references (they may include columns ``table`` does not write; the caller keeps what it has)."""
    out: set[str] = set()
    generated = set(plan.order)
    for other in schema.tables:
        if other.name not in generated:
            continue
        # a partitioned table's FKs may be declared on its partitions: the effective table has them
        for fk in effective_table(schema, other).foreign_keys:
            if fk.ref_table == table:
                out.update(fk.ref_columns)
    for rule in plan.rules:
        if isinstance(rule, Pin) and rule.expression:
            out.update(col for qualifier, col in _qualified_columns(rule.expression)
                       if qualifier.lower() in (table.name.lower(), str(table).lower()))
    return frozenset(out)


@cache
def _qualified_columns(expression: str) -> tuple[tuple[str, str], ...]:
    try:
        tree = sqlglot.parse_one(expression)
    except sqlglot.errors.ParseError:
        return ()
    return tuple((node.table or "", node.name) for node in tree.find_all(exp.Column))
