"""Infer the semantic rules of a schema (see :mod:`seeder.plan.rules`).

:func:`infer_rules` runs the inference modules in a fixed order (shapes, cross-table links, row-level rules,
values), so the same schema always gives the same rules in the same order. Nothing here does I/O or calls a model;
the LLM plan review (:mod:`seeder.llm.review`) proposes additions separately.
"""

from __future__ import annotations

from dataclasses import replace

from seeder.domains import domain_size
from seeder.plan.facts import SchemaFacts
from seeder.plan.infer_links import infer_links
from seeder.plan.infer_rows import infer_row_rules
from seeder.plan.infer_shapes import infer_shapes
from seeder.plan.infer_values import infer_values
from seeder.plan.rules import (
    Agreement,
    Copy,
    Existence,
    FanOut,
    NullRate,
    Periods,
    Rule,
    TableRole,
    TimeOrder,
    Vocabulary,
)
from seeder.schema import Table


def infer_rules(tables: list[Table]) -> list[Rule]:
    """Every rule inferred for ``tables`` (the seeded, effective tables of a schema), ids unique.

    Returns:
        Rules in a fixed order: table roles, fan-outs and NULL rates; agreements, existence, copies, aggregates,
        child-after-parent times and periods; status timelines, time orders, linked records and row expressions;
        vocabularies and magnitudes. Where two rules would decide the same column, the earlier family wins
        (a copied or aggregated column gets no row expression or magnitude; a history period gets no time order,
        the engine lays the periods out).
    """
    facts = SchemaFacts(tables)
    shapes = infer_shapes(facts)
    roles = {r.table: r.role for r in shapes if isinstance(r, TableRole)}
    links = infer_links(facts, roles)
    # an FK drawn by an agreement or an existence rule takes no fan-out shape of its own
    steered = {(r.table, r.second[0].columns) for r in links if isinstance(r, Agreement)}
    steered |= {(r.table, (c,)) for r in links if isinstance(r, Existence) for c in r.members}
    shapes = [r for r in shapes if not (isinstance(r, FanOut) and (r.table, r.fk) in steered)]
    shapes = _cover_owned(facts, shapes, [r for r in links if isinstance(r, Agreement)], steered)
    shapes = _copied_are_set(facts, shapes, [r for r in links if isinstance(r, Copy)])
    decided = {(r.table, c) for r in links if r.kind in ("copy", "aggregate") for c in r.columns}
    periods = {(r.table, r.start, r.end) for r in links if isinstance(r, Periods)}
    rows = [r for r in infer_row_rules(facts)
            if not (r.kind == "expr" and any((r.table, c) in decided for c in r.columns))
            and not (isinstance(r, TimeOrder) and (r.table, r.earlier, r.later) in periods)]
    decided |= {(r.table, c) for r in rows if r.kind == "expr" for c in r.columns}
    values = [r for r in infer_values(facts)
              if not (r.kind == "magnitude" and any((r.table, c) in decided for c in r.columns))]
    shapes = [_fit_lookup(r, values) if isinstance(r, TableRole) else r for r in shapes]
    out: list[Rule] = []
    seen: set[str] = set()
    for rule in [*shapes, *links, *rows, *values]:
        if rule.id not in seen:
            seen.add(rule.id)
            out.append(rule)
    return out


def _cover_owned(facts: SchemaFacts, shapes: list[Rule], agreements: list[Agreement],
                 steered: set[tuple[object, tuple[str, ...]]]) -> list[Rule]:
    """Every ancestor row owns at least one row of the table an agreement draws from (every customer has an
    address, every store has staff), so that the agreeing parent exists: the owning FK (the second path's second
    hop) gets a fan-out of at least one per parent (a nullable one still leaves its NULL share)."""
    out = list(shapes)
    for rule in agreements:
        if len(rule.second) < 2:
            continue
        hop = rule.second[1]
        table = facts.table(hop.table)
        if (hop.table, hop.columns) in steered or not all(c in table.column_names for c in hop.columns):
            continue
        why = (f"every {hop.ref_table.name} has a {hop.table.name}: a {rule.table.name}'s "
               f"{'+'.join(rule.second[0].columns)} is one of its {hop.ref_table.name}'s")
        at = next((i for i, r in enumerate(out) if isinstance(r, FanOut) and r.table == hop.table
                   and r.fk == hop.columns), None)
        if at is None:
            out.append(FanOut(table=hop.table, fk=hop.columns, ref_table=hop.ref_table, min=1,
                              distribution="lognormal", skew=0.5, why=why))
        elif out[at].min < 1:  # type: ignore[attr-defined]
            out[at] = replace(out[at], min=1, why=f"{out[at].why}; {why}")
    return out


def _copied_are_set(facts: SchemaFacts, shapes: list[Rule], copies: list[Copy]) -> list[Rule]:
    """A parent column that children copy (a product's price) is set on every row: its NULL rate becomes 0."""
    out = list(shapes)
    for rule in copies:
        column = facts.table(rule.ref_table).column(rule.parent_column)
        if not column.nullable:
            continue
        why = f"copied into {rule.table.name}.{rule.column}"
        out = [r for r in out if not (isinstance(r, NullRate) and r.table == rule.ref_table
                                      and r.column == rule.parent_column)]
        out.append(NullRate(table=rule.ref_table, column=rule.parent_column, rate=0.0, why=why))
    return out


def _fit_lookup(role: TableRole, values: list[Rule]) -> TableRole:
    """A lookup table whose label has a listed vocabulary gets at most as many rows as the list has values, so its
    names never need number suffixes (9 departments, not 50 numbered ones)."""
    if role.role != "lookup" or role.max_rows is None:
        return role
    sizes = [domain_size(r.domain) for r in values if isinstance(r, Vocabulary) and r.table == role.table]
    known = [s for s in sizes if s]
    if not known or min(known) >= role.max_rows:
        return role
    return replace(role, max_rows=min(known), why=f"{role.why}; as many rows as its vocabulary lists")

