"""Suspending user triggers for one load transaction where the dialect has no switch for them (SQLite).

SQLite has no way to disable triggers (no ``ALTER TABLE ... DISABLE TRIGGER``, no ``session_replication_role``;
see https://www.sqlite.org/lang_createtrigger.html). Its DDL is transactional, though, so inside the load transaction
the triggers of the written tables are saved (their ``CREATE TRIGGER`` text, listed by the dialect's
``LoaderHooks.trigger_query``), dropped, and re-created from that text after the rows are in. When the transaction
rolls back, the drops roll back with it. Only the hooks' ``trigger_schema`` is handled: a trigger's stored SQL does
not name its schema, so re-creating a trigger of another schema would put it in the wrong place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from seeder.dialects import TargetDialect
from seeder.schema import TableName


@dataclass(frozen=True)
class SavedTrigger:
    """A trigger taken out for the load: its name, the table it is on, and the SQL that re-creates it."""

    name: str
    table: str
    sql: str


def triggers_on(cursor: Any, dialect: TargetDialect, tables: Iterable[TableName]) -> list[SavedTrigger]:
    """The triggers on any of ``tables`` that ``dialect``'s loader hooks can re-create (names compared
    case-insensitively, as SQLite does), in creation order, so re-creating them in that order reproduces the firing
    order of same-event triggers. ``cursor`` is a DB-API cursor; tables of other schemas are ignored.

    Raises:
        ValueError: the dialect has no ``trigger_query``.
    """
    hooks = dialect.loader
    if hooks.trigger_query is None:
        raise ValueError(f"{dialect.title} has no trigger listing for suspending triggers")
    wanted = {t.name.lower() for t in tables if t.schema in (None, hooks.trigger_schema)}
    cursor.execute(hooks.trigger_query)
    return [SavedTrigger(name, tbl, sql) for name, tbl, sql in cursor.fetchall() if tbl.lower() in wanted and sql]


def drop_triggers(cursor: Any, dialect: TargetDialect, triggers: Iterable[SavedTrigger]) -> None:
    """Drop each of ``triggers`` with the hooks' ``drop_trigger`` statement (inside the caller's transaction)."""
    template = dialect.loader.drop_trigger or ""
    for trig in triggers:
        cursor.execute(template.format(name=dialect.quote_identifier(trig.name)))


def recreate_triggers(cursor: Any, triggers: Iterable[SavedTrigger]) -> None:
    """Run the saved ``CREATE TRIGGER`` text of each of ``triggers`` again, in order."""
    for trig in triggers:
        cursor.execute(trig.sql)
