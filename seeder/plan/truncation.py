"""Which tables ``seeder load --truncate`` empties, in which order, and which references forbid it.

Emptied: every table the plan seeds, and the tables whose rows come with them: partitions and INHERITS children of a
seeded table (a seeded parent's rows live there) and tables an INSERT trigger fills (the trigger refills them). With
``cascade``, every table that references one of those is emptied too, transitively. Without it, such a table is an
error: its rows would lose their parents (PostgreSQL refuses to ``TRUNCATE`` a referenced table anyway).
"""

from __future__ import annotations

from seeder.errors import ConfigError
from seeder.plan.model import Plan
from seeder.schema import Schema, TableName


def _comes_with(schema: Schema, seeded: set[TableName]) -> set[TableName]:
    """Tables whose rows come with the seeded ones: partitions, INHERITS children, trigger-filled targets."""
    found = set(seeded)
    changed = True
    while changed:
        changed = False
        for t in schema.tables:
            if t.name in found:
                continue
            parents = {t.partition_of, *t.inherits} - {None}
            filled = any(f.target == t.name and f.table in found for f in schema.trigger_fills)
            if parents & found or filled:
                found.add(t.name)
                changed = True
    return found


def truncation_tables(schema: Schema, plan: Plan, *, cascade: bool = False) -> tuple[TableName, ...]:
    """The tables to empty, parents before children (schema order for the ones the plan does not order).

    Raises:
        ConfigError: a table outside the set references one inside and ``cascade`` is off (the message names it).
    """
    chosen = _comes_with(schema, {n for n in plan.order})
    while True:
        outside: dict[TableName, list[TableName]] = {}
        for t in schema.tables:
            if t.name in chosen:
                continue
            for fk in t.foreign_keys:
                if fk.ref_table in chosen:
                    outside.setdefault(t.name, []).append(fk.ref_table)
        if not outside:
            break
        if not cascade:
            name, parents = next(iter(outside.items()))
            more = f" (and {len(outside) - 1} more tables)" if len(outside) > 1 else ""
            raise ConfigError(f"--truncate would empty {parents[0]}, which table {name} references{more}; add "
                              f"--cascade to empty {name} too, or seed it as well")
        chosen = _comes_with(schema, chosen | set(outside))
    position = {name: i for i, name in enumerate(plan.order)}
    tail = len(position)
    source_order = {t.name: i for i, t in enumerate(schema.tables)}
    return tuple(sorted(chosen, key=lambda n: (position.get(n, tail), source_order[n])))
