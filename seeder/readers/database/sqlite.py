"""SQLite: the schema is the ``CREATE`` text SQLite keeps in ``sqlite_master``, read back by the DDL reader.

SQLite stores every ``CREATE TABLE``, ``CREATE INDEX`` and ``CREATE TRIGGER`` statement exactly as it was written
("The Schema Table", https://www.sqlite.org/schematab.html), so the introspected model is the DDL reader's model of
those statements. Views and virtual tables (FTS, R*Tree: SQLite fills their shadow tables itself) are counted for the
notes only; internal objects (``sqlite_%``) are left out.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

from seeder.dialects import TargetDialect
from seeder.readers.database.model import Introspected


def introspect(conn: Connection, dialect: TargetDialect, schemas: tuple[str, ...]) -> Introspected:
    """The stored ``CREATE`` statements of the database, in creation order, joined into one script."""
    query = dialect.live.ddl_query
    assert query is not None  # the registry entry names it for stored_ddl
    statements = [sql.rstrip().rstrip(";") for _kind, _name, sql in conn.execute(text(query))]
    views = conn.execute(text("SELECT count(*) FROM main.sqlite_master WHERE type = 'view'")).scalar_one()
    virtual = conn.execute(text("SELECT count(*) FROM pragma_table_list WHERE schema = 'main' "
                                "AND type = 'virtual'")).scalar_one()
    found = [f"{views} views" if views else "", f"{virtual} virtual tables (with their shadow tables)" if virtual
             else ""]
    found = [f for f in found if f]
    notes = (f"{' and '.join(found)} in the database are not seeded",) if found else ()
    return Introspected(";\n\n".join(statements) + (";\n" if statements else ""), notes)
