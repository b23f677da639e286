"""Rules read from trigger guards: a column a trigger ties to a parent row's column is a copy of it.

Synapse's ``check_partial_state_events()`` refuses a row whose ``room_id`` differs from the ``room_id`` of the event
its ``event_id`` names (:class:`seeder.schema.TriggerEquality`, read from PL/pgSQL and SQLite trigger bodies). When
``event_id`` is a foreign key to that parent key and ``room_id`` is free (not itself a foreign key), that is exactly a
:class:`~seeder.plan.rules.Copy` rule, which the engine applies. When the column is also a foreign key to another
table (Synapse's case: ``room_id`` references ``partial_state_rooms``), the copied value would also have to be a key
there, which the engine cannot choose together yet: the planner then leaves the table empty and says why
(:func:`seeder.plan.graph.skip_reason`).
"""

from __future__ import annotations

from seeder.plan.rules import Copy
from seeder.schema import Table, TriggerEquality


def copy_for(table: Table, eq: TriggerEquality) -> Copy | None:
    """The :class:`Copy` rule that keeps ``eq`` on ``table``, or ``None`` when no copy can (see the module doc)."""
    if eq.table != table.name or any(eq.column in fk.columns for fk in table.foreign_keys):
        return None
    if eq.column not in table.column_names:
        return None
    for fk in table.foreign_keys:
        if fk.columns == (eq.via,) and fk.ref_table == eq.ref_table and fk.ref_columns == (eq.ref_key,):
            return Copy(table=table.name, column=eq.column, fk=fk.columns, ref_table=fk.ref_table,
                        parent_column=eq.ref_column,
                        why=f"trigger {eq.trigger} refuses rows whose {eq.column} differs from "
                            f"{eq.ref_table.name}.{eq.ref_column}")
    return None


def trigger_copies(equalities: tuple[TriggerEquality, ...], tables: list[Table]) -> list[Copy]:
    """The copy rules of the trigger guards over ``tables`` (the seeded, effective tables)."""
    by_name = {t.name: t for t in tables}
    return [rule for eq in equalities if eq.table in by_name
            for rule in [copy_for(by_name[eq.table], eq)] if rule is not None]
