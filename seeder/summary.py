"""Schemas and plans as plain dicts (JSON-ready): what ``seeder inspect`` and ``seeder plan`` show, for any front end.

The CLI prints these dicts as text or as JSON; the pytest plugin, a web page or a script can use the same facts
without parsing output. Every value is a ``str``, ``int``, ``bool``, ``None``, list or dict.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from seeder.plan.model import CycleBreak, Plan
from seeder.plan.rules import Rule
from seeder.schema import Column, Schema, Table, TableName

if TYPE_CHECKING:
    from seeder.generate.engine import UnverifiedCheck


def _column(c: Column) -> dict[str, Any]:
    return {
        "name": c.name, "type": c.type.sql, "kind": c.type.kind, "nullable": c.nullable,
        "default": c.default, "identity": c.identity, "autoincrement": c.autoincrement,
        "generated": c.generated, "domain": c.domain,
        **({"values": list(c.type.values)} if c.type.values else {}),
        **({"checks": [ch.sql for ch in c.checks]} if c.checks else {}),
    }


def _table(t: Table) -> dict[str, Any]:
    return {
        "name": str(t.name),
        "columns": [_column(c) for c in t.columns],
        "primary_key": list(t.primary_key.columns) if t.primary_key else None,
        "foreign_keys": [{
            "name": fk.name, "columns": list(fk.columns), "references": str(fk.ref_table),
            "ref_columns": list(fk.ref_columns), "deferrable": fk.deferrable, "on_delete": fk.on_delete,
        } for fk in t.foreign_keys],
        "unique": [{"name": u.name, "columns": list(u.columns),
                    "expressions": [e.sql() for e in u.expressions],
                    "where": u.where.sql() if u.where is not None else None} for u in t.uniques],
        "checks": [{"name": c.name, "sql": c.sql} for c in t.checks],
        **({"partition_of": str(t.partition_of)} if t.partition_of else {}),
        **({"inherits": [str(p) for p in t.inherits]} if t.inherits else {}),
        **({"partitioned_by": {"method": t.partitioning.method, "columns": list(t.partitioning.columns),
                               "partitions": len(t.partitioning.partitions)}} if t.partitioning else {}),
    }


def describe_schema(schema: Schema, plan: Plan, existing: Mapping[TableName, int] | None = None) -> dict[str, Any]:
    """The schema's tables, columns, keys, FKs, uniques, CHECKs, enums, domains, and ``plan``'s graph facts.

    Args:
        schema: the schema model.
        plan: a plan of ``schema`` (any row counts): its ``cycles``, ``self_references`` and ``order`` are reported.
        existing: rows each table holds (a live database); each table then has ``"rows"``.

    Returns:
        ``{"source", "dialect", "tables": [{"name", "columns": [...], "primary_key", "foreign_keys", "unique",
        "checks", ...}], "enums", "domains", "cycles", "self_references", "topological_order"}``; table names are
        ``str(TableName)`` (``schema.table`` or ``table``), in schema order.
    """
    tables = [_table(t) for t in schema.tables]
    if existing is not None:
        for entry, t in zip(tables, schema.tables, strict=True):
            entry["rows"] = existing.get(t.name, 0)
    return {
        "source": schema.source, "dialect": schema.dialect, "tables": tables,
        "enums": [{"name": e.name, "values": list(e.values)} for e in schema.enums],
        "domains": [{"name": d.name, "type": d.type.sql, "checks": [c.sql for c in d.checks]} for d in schema.domains],
        "cycles": [[str(n) for n in c] for c in plan.cycles],
        "self_references": [{"table": str(t), "columns": list(fk.columns)} for t, fk in plan.self_references],
        "topological_order": [str(n) for n in plan.order],
    }


def break_strategy(cycle_break: CycleBreak) -> str:
    """How the load gets around one FK cycle break, in words (nullable, then deferrable, then suspended)."""
    if cycle_break.nullable:
        return "insert NULL, UPDATE after the referenced rows exist"
    if cycle_break.deferrable:
        return "constraint deferred to COMMIT"
    return "NOT NULL and not deferrable: check suspended inside the load transaction"


def describe_rule(rule: Rule) -> dict[str, Any]:
    """One rule of the plan's semantic layer: ``{"id", "kind", "table", "origin", "why", "rule" (in words),
    "settings" (its own fields as plain data, as ``--write-config`` writes them)}``."""
    return {"id": rule.id, "kind": rule.kind, "table": str(rule.table), "origin": rule.origin, "why": rule.why,
            "rule": rule.describe(), "settings": rule.settings()}


def describe_plan(plan: Plan, unverified: Sequence[UnverifiedCheck] | None = None) -> dict[str, Any]:
    """Insert order, row counts, limits, skipped tables and cycle breaks of ``plan``.

    Args:
        plan: the plan.
        unverified: the CHECKs seeder cannot verify rows against
            (:func:`seeder.generate.engine.unverified_checks`); listed as ``unverified_checks`` when given.

    Returns:
        ``{"order": [table, ...], "generations": [[table, ...], ...], "tables": [{"table", "requested", "rows",
        "existing", "role"?, "limit"?, "skipped"?}, ...] (planned tables in insert order, then skipped ones;
        ``existing``: rows already there, which ``rows`` are appended to), "cycle_breaks": [{"table", "columns",
        "references", "strategy"}], "total_rows": int, "rules": [see :func:`describe_rule`], "switched_off": [rule id,
        ...], "unverified_checks"?: [{"table", "constraint", "check", "note"}]}``; ``role``, ``limit`` and ``skipped``
        are present only when set (the table's role, the reason a table gets fewer rows, or none).
    """
    summary = {
        "order": [str(n) for n in plan.order],
        "generations": [[str(n) for n in g] for g in plan.generations],
        "tables": [{"table": str(tp.table), "requested": tp.requested, "rows": tp.rows, "existing": tp.existing,
                    **({"role": tp.role} if tp.role else {}),
                    **({"limit": tp.limit} if tp.limit else {}), **({"skipped": tp.skipped} if tp.skipped else {})}
                   for tp in [plan.tables[n] for n in plan.order]
                   + [p for p in plan.tables.values() if p.skipped]],
        "cycle_breaks": [{"table": str(b.table), "columns": list(b.foreign_key.columns),
                          "references": str(b.foreign_key.ref_table),
                          "strategy": break_strategy(b)} for b in plan.cycle_breaks],
        "total_rows": sum(plan.rows(n) for n in plan.order),
        "rules": [describe_rule(r) for r in plan.rules],
        "switched_off": list(plan.rules.switched_off),
    }
    if unverified is not None:
        summary["unverified_checks"] = [{"table": str(u.table), "constraint": u.check.name, "check": u.check.sql,
                                         "note": u.note} for u in unverified]
    return summary
