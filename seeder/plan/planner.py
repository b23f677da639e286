"""Build a :class:`~seeder.plan.model.Plan`: topological order, row counts, FK cycle breaks.

Cycle breaking picks, on each remaining cycle, the cheapest foreign key to fill in after the fact: a nullable FK
(insert NULL, UPDATE later) before a deferrable one (``SET CONSTRAINTS ... DEFERRED``) before a NOT NULL,
non-deferrable one (loaded with its check suspended by the target dialect's means) before one through a primary-key
column (whose NOT NULL PostgreSQL cannot suspend). Ties go to the FK declared on the
table that comes later in the source, so the result does not depend on hash order.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping, Sequence
from typing import Any

import networkx as nx
from sqlglot import exp

from seeder.errors import ConfigError
from seeder.plan.existing import Existing, existing_count
from seeder.plan.graph import dependency_graph, fk_cycles, seeded_tables, skip_reason
from seeder.plan.infer import infer_rules
from seeder.plan.infer_triggers import trigger_copies
from seeder.plan.model import CycleBreak, Plan, TablePlan
from seeder.plan.rule_config import pins_from_columns, pins_from_sets, rules_from_config
from seeder.plan.rules import Existence, Rule, RuleSet, TableRole, merge_rules
from seeder.plan.selection import unselected_tables
from seeder.schema import ForeignKey, Schema, Table, TableName

#: Upper bound for ``--rows`` and per-table overrides; above this a typo is more likely than intent.
MAX_ROWS = 1_000_000_000


def validate_row_count(rows: int, what: str = "--rows") -> int:
    """Return ``rows`` if it is a sensible row count; raise :class:`ConfigError` otherwise (negative or > 1e9)."""
    if isinstance(rows, bool) or not isinstance(rows, int):
        raise ConfigError(f"{what} must be a whole number, got {rows!r}")
    if rows < 0:
        raise ConfigError(f"{what} must be 0 or more, got {rows}")
    if rows > MAX_ROWS:
        raise ConfigError(f"{what} is {rows:,}; the most seeder accepts is {MAX_ROWS:,}")
    return rows


def _fk_nullable(table: Table, fk: ForeignKey) -> bool:
    return all(table.column(c).nullable for c in fk.columns)


def _break_cost(table: Table, fk: ForeignKey) -> int:
    if _fk_nullable(table, fk):
        return 0
    if fk.deferrable:
        return 1
    # PostgreSQL suspends such an FK by dropping its column's NOT NULL, which a primary-key column cannot lose:
    # break the cycle elsewhere when the cycle offers another FK.
    pk = set(table.primary_key.columns) if table.primary_key else set()
    return 3 if pk.intersection(fk.columns) else 2


def _break_cycles(graph: nx.MultiDiGraph, tables: dict[TableName, Table]) -> list[CycleBreak]:
    work = graph.copy()
    breaks: list[CycleBreak] = []
    index = nx.get_node_attributes(graph, "index")
    while True:
        try:
            cycle = nx.find_cycle(work)
        except nx.NetworkXNoCycle:
            return breaks
        candidates = []
        for parent, child, _key in cycle:
            # a cycle edge may stand for several parallel FKs between the same two tables: consider them all
            for k, data in work.get_edge_data(parent, child).items():
                fk = data["fk"]
                cost = _break_cost(tables[child], fk)
                candidates.append((cost, -index[child], -index[parent], k, parent, child, fk))
        cost, _, _, _key, parent, child, fk = min(candidates, key=lambda c: c[:4])
        # removing one of several parallel FKs does not break the cycle: break every FK on that pair
        for k, data in list(work.get_edge_data(parent, child).items()):
            fk = data["fk"]
            table = tables[child]
            breaks.append(CycleBreak(table=child, foreign_key=fk, nullable=_fk_nullable(table, fk),
                                     deferrable=fk.deferrable))
            work.remove_edge(parent, child, key=k)


def _unique_sets(table: Table) -> list[tuple[str, ...]]:
    sets: list[tuple[str, ...]] = []
    if table.primary_key:
        sets.append(table.primary_key.columns)
    for uq in table.uniques:
        if uq.columns and not uq.expressions and uq.where is None:
            sets.append(uq.columns)
    return sets


def _column_capacity(table: Table, name: str) -> int | None:
    col = table.column(name)
    kind = col.type.kind
    if kind == "boolean":
        return 2
    if kind == "enum" and col.type.values:
        return len(col.type.values)
    if kind == "set" and col.type.values:
        return 2 ** len(col.type.values)
    pinned = [n for check in col.checks if (n := _listed_values(check.expression, name)) is not None]
    return min(pinned) if pinned else None


def _listed_values(node: exp.Expression, name: str) -> int | None:
    """How many values ``CHECK (col = 'X')`` / ``CHECK (col IN (...))`` (alone or in an AND) leaves ``name``
    (Synapse's singleton ``lock`` tables), else ``None``."""
    while isinstance(node, exp.Paren):
        node = node.this
    if isinstance(node, exp.And):
        found = [n for n in (_listed_values(node.this, name), _listed_values(node.expression, name)) if n is not None]
        return min(found) if found else None

    def is_column(side: exp.Expression) -> bool:
        while isinstance(side, (exp.Cast, exp.Paren)):
            side = side.this
        return isinstance(side, exp.Column) and side.name == name

    def is_literal(side: exp.Expression) -> bool:
        while isinstance(side, (exp.Cast, exp.Paren)):
            side = side.this
        return isinstance(side, exp.Literal)

    if isinstance(node, exp.EQ) and ((is_column(node.this) and is_literal(node.expression))
                                     or (is_column(node.expression) and is_literal(node.this))):
        return 1
    if isinstance(node, exp.In) and is_column(node.this) and node.expressions and all(
            is_literal(e) for e in node.expressions):
        return len({e.sql() for e in node.expressions})
    return None


def _unique_capacity(table: Table, columns: tuple[str, ...], planned: Mapping[TableName, int]) -> int | None:
    """How many distinct tuples the columns of one unique constraint can take, or None if unbounded."""
    remaining = set(columns)
    factors: list[int] = []
    for fk in table.foreign_keys:
        if set(fk.columns) <= remaining and not _fk_nullable(table, fk):
            if fk.ref_table == table.name:
                return None  # a self-reference grows with the table itself
            factors.append(planned.get(fk.ref_table, 0))
            remaining -= set(fk.columns)
    for name in sorted(remaining):
        col = table.column(name)
        cap = _column_capacity(table, name)
        if cap is None or col.nullable:
            return None
        factors.append(cap)
    return math.prod(factors) if factors else None


def build_plan(schema: Schema, rows: int = 10, overrides: Mapping[str, int] | None = None, *,
               existing: Existing | None = None, only: Sequence[str] = (), exclude: Sequence[str] = (),
               rules: Mapping[str, Any] | None = None, columns: Mapping[str, Any] | None = None,
               sets: Sequence[str] = (), extra_rules: Sequence[Rule] = (), semantics: bool = True) -> Plan:
    """Plan a run over ``schema``.

    Args:
        schema: the schema model.
        rows: rows requested per table (default 10); scaled per table by its role (:class:`TableRole`: lookup
            tables get at most :data:`~seeder.plan.rules.LOOKUP_MAX_ROWS`, order lines three times as many).
        overrides: per-table row counts keyed by table name as the user writes it (``film`` or ``public.film``;
            matched case-insensitively when unambiguous); they win over the role's scale.
        existing: rows the tables hold already (engine design section 5): they count as parents of NOT NULL
            foreign keys and as capacity already used ("already full: 0 new rows"); ``TablePlan.existing`` says
            how many.
        only, exclude: table names or globs (:mod:`seeder.plan.selection`); tables left out get no rows and are
            parents through their existing rows only.
        rules: the configuration's ``[rules]`` section (:mod:`seeder.plan.rule_config`): by rule id, fields that
            change an inferred rule, ``enabled = false`` to switch it off, or the fields of a new rule.
        columns: the configuration's ``[columns]`` section: ``value``/``choices``/``faker``/``expression`` pin a
            column (other keys, such as the LLM's ``hint``, are ignored here).
        sets: ``--set table.column=value`` pins for one run (they win over the configuration).
        extra_rules: more rules (the LLM plan review's proposals), added after the inferred ones unless the
            configuration names their id.
        semantics: infer rules (default); ``False`` plans keys and counts only (every table gets ``rows``).

    Returns:
        The plan; tables whose constraints allow fewer rows get what is possible, with the reason in
        ``TablePlan.limit``; partitions and INHERITS children are listed with ``skipped`` set; ``Plan.rules``
        holds the semantic layer.

    Raises:
        ConfigError: a negative or huge row count, or an override naming a table the schema does not have; an
            ``only``/``exclude`` pattern matching no table; a seeded table with a NOT NULL foreign key to a table
            left out of the run that holds no rows (the message names it and suggests adding it).
    """
    validate_row_count(rows)
    left_out = unselected_tables(schema, only, exclude)
    tables = [t for t in seeded_tables(schema) if t.name not in left_out]
    _check_left_out_parents(tables, left_out, existing)
    ruleset = _rules(schema, tables, rules or {}, columns or {}, sets, extra_rules) if semantics else RuleSet()
    roles = {r.table: r for r in ruleset.of(TableRole)}
    requested = {t.name: _role_rows(rows, roles.get(t.name)) for t in schema.tables}
    for key, value in (overrides or {}).items():
        name = resolve_table_name(schema, key)
        requested[name] = validate_row_count(value, f"rows for table {key}")

    by_name = {t.name: t for t in tables}
    graph = dependency_graph(tables)
    breaks = _break_cycles(graph, by_name)
    acyclic = graph.copy()
    for br in breaks:
        for k, data in list(acyclic.get_edge_data(br.foreign_key.ref_table, br.table, default={}).items()):
            if data["fk"] == br.foreign_key:
                acyclic.remove_edge(br.foreign_key.ref_table, br.table, key=k)
    _order_trigger_targets_first(acyclic, schema)
    _order_inheritance(acyclic, schema)
    _order_witnesses_first(acyclic, ruleset)
    index = nx.get_node_attributes(graph, "index")
    order = tuple(nx.lexicographical_topological_sort(acyclic, key=lambda n: index[n]))
    generations = tuple(tuple(sorted(g, key=lambda n: index[n])) for g in nx.topological_generations(acyclic))

    plans: dict[TableName, TablePlan] = {}
    for t in schema.tables:
        reason = skip_reason(schema, t) or left_out.get(t.name)
        if reason:
            plans[t.name] = TablePlan(table=t.name, requested=requested[t.name], rows=0, skipped=reason,
                                      existing=existing_count(existing, t.name))
    # Rows each table will hold after the run (existing ones included): what parents offer their children.
    available: dict[TableName, int] = {t.name: existing_count(existing, t.name) for t in schema.tables}
    for name in order:
        available[name] += requested[name]
    for name in order:
        table = by_name[name]
        want = requested[name]
        before = existing_count(existing, name)
        got, limit = want, None
        for fk in table.foreign_keys:
            if fk.ref_table == name or _fk_nullable(table, fk):
                continue
            if available.get(fk.ref_table, 0) == 0 and got > 0:
                got, limit = 0, f"NOT NULL foreign key to {fk.ref_table}, which gets no rows"
        for cols in _unique_sets(table):
            cap = _unique_capacity(table, cols, available)
            if cap is not None and cap - before < got:
                got = max(cap - before, 0)
                limit = (f"already full: {before} existing rows use the {cap} distinct values unique "
                         f"({', '.join(cols)}) allows" if got == 0 and before else
                         f"unique ({', '.join(cols)}) allows at most {cap} distinct values"
                         + (f", {before} of them taken by existing rows" if before else ""))
        available[name] = before + got
        role = roles.get(name)
        plans[name] = TablePlan(table=name, requested=want, rows=got, limit=limit, existing=before,
                                role=role.role if role else None)

    self_refs = tuple((t.name, fk) for t in tables for fk in t.foreign_keys if fk.ref_table == t.name)
    return Plan(order=order, generations=generations, tables=plans, cycle_breaks=tuple(breaks),
                cycles=tuple(fk_cycles(graph)), self_references=self_refs, rules=ruleset)


def _rules(schema: Schema, tables: list[Table], section: Mapping[str, Any], columns: Mapping[str, Any],
           sets: Sequence[str], extra: Sequence[Rule]) -> RuleSet:
    # a trigger's guard is a fact of the schema: its copy wins over a rule guessed for the same column
    copies = {r.id: r for r in trigger_copies(schema.trigger_equalities, tables)}
    inferred = [copies.pop(r.id, r) for r in infer_rules(tables)] + list(copies.values())
    by_id = {r.id: r for r in inferred}
    everything = {t.name: t for t in schema.tables} | {t.name: t for t in tables}

    def resolve(key: str) -> TableName:
        return resolve_table_name(schema, key)

    configured: dict[str, Rule | None] = {}
    configured.update(rules_from_config(section, by_id, everything, resolve))
    configured.update(pins_from_columns(columns, everything, resolve))
    configured.update(pins_from_sets(sets, everything, resolve))
    base = [*inferred, *(r for r in extra if r.id not in by_id and r.id not in configured)]
    return merge_rules(base, configured)


def _role_rows(rows: int, role: TableRole | None) -> int:
    """Rows of a table of ``role`` when ``rows`` are asked per table: scaled, lookup tables capped."""
    if role is None or rows == 0:
        return rows
    want = max(1, round(rows * role.scale))
    return min(want, role.max_rows) if role.max_rows is not None else min(want, MAX_ROWS)


def _order_inheritance(acyclic: nx.MultiDiGraph, schema: Schema) -> None:
    """An INHERITS child goes after its parent and after its earlier siblings: its inherited key continues past
    theirs (:mod:`seeder.generate.inheritance`). Only where the foreign keys leave the order open."""
    for parent in schema.tables:
        earlier = [parent.name]
        for child in (t for t in schema.tables if parent.name in t.inherits):
            for before in earlier:
                if (before in acyclic and child.name in acyclic and before != child.name
                        and not nx.has_path(acyclic, child.name, before)):
                    acyclic.add_edge(before, child.name, key=f"inherits {parent.name}", fk=None)
            earlier.append(child.name)


def _order_trigger_targets_first(acyclic: nx.MultiDiGraph, schema: Schema) -> None:
    """A seeded table an INSERT trigger of another table also writes to goes first: the rows the trigger adds may
    point at seeded ones (MusicBrainz's ``a_ins_instrument`` adds ``link_attribute_type`` rows whose parent is row
    14), and the load moves its sequence past the seeded keys before the trigger takes numbers from it. Only where
    the foreign keys leave the order open (no cycle is made)."""
    for fill in schema.trigger_fills:
        source, target = fill.table, fill.target
        if source in acyclic and target in acyclic and source != target and not nx.has_path(acyclic, source, target):
            acyclic.add_edge(target, source, key=f"trigger {fill.trigger}", fk=None)


def _order_witnesses_first(acyclic: nx.MultiDiGraph, ruleset: RuleSet) -> None:
    """The witness table of an existence rule (``order_item`` for ``review``) is generated before the rule's table,
    so the engine can take the table's columns from witness rows. Only where the foreign keys leave the order open
    (no cycle is made)."""
    for rule in ruleset.of(Existence):
        source, witness = rule.table, rule.witness
        if source in acyclic and witness in acyclic and source != witness and not nx.has_path(acyclic, source,
                                                                                                witness):
            acyclic.add_edge(witness, source, key=f"witness {rule.id}", fk=None)


def _check_left_out_parents(tables: list[Table], left_out: Mapping[TableName, str],
                            existing: Existing | None) -> None:
    """A seeded table's NOT NULL foreign key to a table the run leaves out needs rows already there."""
    empty: dict[TableName, list[str]] = {}
    for table in tables:
        for fk in table.foreign_keys:
            if fk.ref_table in left_out and not _fk_nullable(table, fk) and not existing_count(existing, fk.ref_table):
                empty.setdefault(fk.ref_table, []).append(str(table.name))
    if empty:
        parts = [f"{parent} (needed by {', '.join(dict.fromkeys(children))})" for parent, children in empty.items()]
        add = " ".join(f"--only {parent}" for parent in empty)
        raise ConfigError(f"{'these tables are' if len(empty) > 1 else 'this table is'} not seeded but empty, and "
                          f"NOT NULL foreign keys need rows in {'them' if len(empty) > 1 else 'it'}: "
                          f"{'; '.join(parts)}; add {'them' if len(empty) > 1 else 'it'} to the run ({add})")


def resolve_table_name(schema: Schema, key: str) -> TableName:
    """Find the table a user means by ``key`` (``name`` or ``schema.name``, case-insensitive when unambiguous).

    Raises:
        ConfigError: no such table (the message suggests the closest names).
    """
    exact = [t.name for t in schema.tables if str(t.name) == key or t.name.name == key]
    if len(exact) == 1:
        return exact[0]
    folded = [t.name for t in schema.tables if key.lower() in (str(t.name).lower(), t.name.name.lower())]
    if len(folded) == 1:
        return folded[0]
    if len(exact) > 1 or len(folded) > 1:
        options = ", ".join(sorted(str(n) for n in (exact or folded)))
        raise ConfigError(f"table {key!r} is ambiguous; write one of: {options}")
    names = [str(t.name) for t in schema.tables]
    close = difflib.get_close_matches(key, names, n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise ConfigError(f"unknown table {key!r} in the configuration{hint}")
