"""MySQL/MariaDB: the schema is the ``CREATE TABLE`` text ``SHOW CREATE TABLE`` renders, read by the DDL reader.

The server renders each base table of the URL's database as DDL (MySQL manual, "SHOW CREATE TABLE"): columns, keys,
foreign keys, CHECKs, AUTO_INCREMENT. Triggers come from ``information_schema.TRIGGERS`` and are written back as
``CREATE TRIGGER`` statements, so the reader sees which tables an INSERT trigger fills (sakila's ``film_text``).
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

from seeder.dialects import TargetDialect
from seeder.readers.database.model import Introspected


def introspect(conn: Connection, dialect: TargetDialect, schemas: tuple[str, ...]) -> Introspected:
    """``SHOW CREATE TABLE`` of every base table, then the triggers, as one script with DELIMITER blocks."""
    live = dialect.live
    assert live.tables_query and live.show_create and live.triggers_query  # named by the registry entry
    parts: list[str] = []
    for (name,) in conn.execute(text(live.tables_query)).all():
        row = conn.execute(text(live.show_create.format(table=dialect.quote_identifier(name)))).one()
        parts.append(f"{row[1]};")
    triggers = conn.execute(text(live.triggers_query)).all()
    if triggers:
        parts.append("DELIMITER ;;")
        for name, timing, event, table, body in triggers:
            q = dialect.quote_identifier
            parts.append(f"CREATE TRIGGER {q(name)} {timing} {event} ON {q(table)} FOR EACH ROW {body};;")
        parts.append("DELIMITER ;")
    views = conn.execute(text("SELECT count(*) FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE()")
                         ).scalar_one()
    notes = (f"{views} views are not seeded",) if views else ()
    return Introspected("\n\n".join(parts) + "\n", notes)
