"""Suspending user triggers in SQLite for the duration of one load transaction.

SQLite has no switch to disable triggers (no ``ALTER TABLE ... DISABLE TRIGGER``, no ``session_replication_role``;
see https://www.sqlite.org/lang_createtrigger.html). Its DDL is transactional, though, so inside the load transaction
the triggers of the written tables are saved (their ``CREATE TRIGGER`` text from ``sqlite_master``), dropped, and
re-created from that text after the rows are in. When the transaction rolls back, the drops roll back with it.

Only the ``main`` database is handled: a trigger's stored SQL does not name its schema, so re-creating a trigger of
an attached database would put it in the wrong place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from seeder.schema import TableName


@dataclass(frozen=True)
class SavedTrigger:
    """A trigger taken out for the load: its name, the table it is on, and the SQL that re-creates it."""

    name: str
    table: str
    sql: str


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def sqlite_triggers_on(cursor: Any, tables: Iterable[TableName]) -> list[SavedTrigger]:
    """The triggers of ``main`` defined on any of ``tables`` (names compared case-insensitively, as SQLite does).

    ``cursor`` is a DBAPI cursor of a ``sqlite3`` connection. Tables whose schema is neither ``None`` nor ``main``
    are ignored (see the module docstring). Result in ``sqlite_master`` order (creation order), so re-creating them
    in that order reproduces the original firing order of same-event triggers.
    """
    wanted = {t.name.lower() for t in tables if t.schema in (None, "main")}
    cursor.execute("SELECT name, tbl_name, sql FROM main.sqlite_master WHERE type = 'trigger' ORDER BY rowid")
    return [SavedTrigger(name, tbl, sql) for name, tbl, sql in cursor.fetchall()
            if tbl.lower() in wanted and sql]


def drop_triggers(cursor: Any, triggers: Iterable[SavedTrigger]) -> None:
    """``DROP TRIGGER`` each of ``triggers`` (inside the caller's transaction)."""
    for trig in triggers:
        cursor.execute(f"DROP TRIGGER main.{_quote(trig.name)}")


def recreate_triggers(cursor: Any, triggers: Iterable[SavedTrigger]) -> None:
    """Run the saved ``CREATE TRIGGER`` text of each of ``triggers`` again, in order."""
    for trig in triggers:
        cursor.execute(trig.sql)
