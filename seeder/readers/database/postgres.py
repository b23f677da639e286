"""PostgreSQL: the schema assembled as DDL from the system catalogs, then read by the DDL reader.

The server deparses every piece itself, the way ``pg_dump`` does, so the text the DDL reader sees is what a
``pg_dump --schema-only`` of the same database holds, and the introspected model equals the model read from such a
dump:

* tables (``pg_class`` relkind ``r``/``p``) of the schemas asked for, in creation (oid) order; tables, types and
  schemas that belong to an extension (``pg_depend`` deptype ``e``: PostGIS's ``spatial_ref_sys``, ...) are left out;
* columns with ``format_type`` types, NOT NULL, defaults (``pg_get_expr``), identity and stored generated columns;
  an INHERITS child lists only its own columns, as in ``pg_dump``;
* constraints through ``pg_get_constraintdef`` (primary keys, UNIQUE, CHECK including ``NOT VALID`` ones, foreign
  keys with their deferrability and actions, exclusion constraints); constraints a partition inherits from its
  parent (``conparentid``) and CHECKs an INHERITS child inherits are left out, as ``pg_dump`` does;
* unique indexes that back no constraint (partial and expression ones included) through ``pg_get_indexdef``;
* enum types (``pg_enum``), composite types (their attributes), domains with their CHECKs, partition keys
  (``pg_get_partkeydef``) and bounds (``pg_get_expr(relpartbound)``), INHERITS parents (``pg_inherits``),
  table and column comments;
* user triggers (``pg_get_triggerdef``) with the functions they execute, and the other PL/pgSQL and SQL functions of
  the user's schemas (``pg_get_functiondef``: a trigger function may call them), so the reader sees which tables an
  INSERT trigger fills.

The session's ``search_path`` is emptied for the transaction (``set_config('search_path', '', true)``, as
``pg_dump`` does), so every name the server deparses is schema-qualified. Which schemas exist is asked through
SQLAlchemy's inspector (``get_schema_names``); everything it cannot tell (deparsed constraint and index text,
partition bounds, extension ownership, trigger functions) comes from ``pg_catalog``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, inspect, text
from sqlalchemy.dialects.postgresql import ARRAY, INTEGER, OID, TEXT
from sqlalchemy.engine import Connection

from seeder.dialects import TargetDialect
from seeder.errors import ConfigError
from seeder.readers.database.model import Introspected

#: Schemas that hold the system, never user tables.
_SYSTEM = ("pg_catalog", "information_schema", "pg_toast")


def _not_extension(alias: str, catalog: str) -> str:
    """SQL: the object ``alias`` (its oid) of ``catalog`` is not a member of an extension."""
    return (f"NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = '{catalog}'::regclass "
            f"AND d.objid = {alias}.oid AND d.deptype = 'e')")


_USER_NAMESPACE = ("n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') "
                   "AND n.nspname NOT LIKE 'pg\\_temp\\_%' AND n.nspname NOT LIKE 'pg\\_toast\\_temp\\_%'")

_SCHEMAS_WITH_TABLES = f"""
SELECT DISTINCT n.nspname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND {_USER_NAMESPACE} AND {_not_extension('c', 'pg_class')}
  AND {_not_extension('n', 'pg_namespace')}
ORDER BY 1"""

_TABLES = f"""
SELECT c.oid, n.nspname, c.relname, c.relispartition,
       CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END,
       CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END,
       pg_catalog.obj_description(c.oid, 'pg_class')
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY(:schemas) AND {_not_extension('c', 'pg_class')}
ORDER BY c.oid"""

_OTHER_RELATIONS = f"""
SELECT c.relkind, count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('v', 'm', 'f') AND n.nspname = ANY(:schemas) AND {_not_extension('c', 'pg_class')}
GROUP BY c.relkind ORDER BY c.relkind"""

_PARENTS = """
SELECT i.inhrelid, pn.nspname, pc.relname FROM pg_catalog.pg_inherits i
JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
WHERE i.inhrelid = ANY(:oids) ORDER BY i.inhrelid, i.inhseqno"""

_COLUMNS = """
SELECT a.attrelid, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull,
       pg_catalog.pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated, a.attislocal,
       pg_catalog.col_description(a.attrelid, a.attnum)
FROM pg_catalog.pg_attribute a
LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attrelid = ANY(:oids) AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum"""

_CONSTRAINTS = """
SELECT con.conrelid, con.conname, con.contype, pg_catalog.pg_get_constraintdef(con.oid)
FROM pg_catalog.pg_constraint con
WHERE con.conrelid = ANY(:oids) AND con.contype IN ('p', 'u', 'c', 'f', 'x') AND con.conparentid = 0
  AND (con.contype <> 'c' OR con.conislocal)
ORDER BY con.conrelid, con.conname"""

_UNIQUE_INDEXES = """
SELECT i.indrelid, pg_catalog.pg_get_indexdef(i.indexrelid) FROM pg_catalog.pg_index i
WHERE i.indrelid = ANY(:oids) AND i.indisunique AND NOT EXISTS (
    SELECT 1 FROM pg_catalog.pg_constraint c
    WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u', 'x'))
ORDER BY i.indrelid, i.indexrelid"""

_ENUMS = f"""
SELECT n.nspname, t.typname, array_agg(e.enumlabel::text ORDER BY e.enumsortorder)
FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
JOIN pg_catalog.pg_enum e ON e.enumtypid = t.oid
WHERE {_USER_NAMESPACE} AND {_not_extension('t', 'pg_type')}
GROUP BY t.oid, n.nspname, t.typname ORDER BY t.oid"""

_COMPOSITES = f"""
SELECT n.nspname, t.typname,
       array_agg(pg_catalog.quote_ident(a.attname) || ' ' || pg_catalog.format_type(a.atttypid, a.atttypmod)
                 ORDER BY a.attnum)
FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
JOIN pg_catalog.pg_class c ON c.oid = t.typrelid AND c.relkind = 'c'
JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE t.typtype = 'c' AND {_USER_NAMESPACE} AND {_not_extension('t', 'pg_type')}
GROUP BY t.oid, n.nspname, t.typname ORDER BY t.oid"""

_DOMAINS = f"""
SELECT t.oid, n.nspname, t.typname, pg_catalog.format_type(t.typbasetype, t.typtypmod), t.typnotnull,
       t.typdefault
FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE t.typtype = 'd' AND {_USER_NAMESPACE} AND {_not_extension('t', 'pg_type')}
ORDER BY t.oid"""

_DOMAIN_CHECKS = """
SELECT c.contypid, c.conname, pg_catalog.pg_get_constraintdef(c.oid) FROM pg_catalog.pg_constraint c
WHERE c.contypid = ANY(:oids) AND c.contype = 'c' ORDER BY c.contypid, c.conname"""

_TRIGGERS = """
SELECT t.tgrelid, pg_catalog.pg_get_triggerdef(t.oid), t.tgfoid FROM pg_catalog.pg_trigger t
WHERE t.tgrelid = ANY(:oids) AND NOT t.tgisinternal AND t.tgparentid = 0
ORDER BY t.tgrelid, t.tgname"""

_FUNCTIONS = f"""
SELECT p.oid, pg_catalog.pg_get_functiondef(p.oid) FROM pg_catalog.pg_proc p
JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
WHERE (p.oid = ANY(:oids) OR (p.prokind = 'f' AND {_USER_NAMESPACE} AND {_not_extension('p', 'pg_proc')}
       AND p.prolang IN (SELECT l.oid FROM pg_catalog.pg_language l WHERE l.lanname IN ('plpgsql', 'sql'))))
ORDER BY p.oid"""


def _query(conn: Connection, sql: str, **params: Any) -> list[Any]:
    statement = text(sql)
    binds = []
    for name, value in params.items():
        kind = ARRAY(TEXT) if name == "schemas" else ARRAY(OID) if name == "oids" else INTEGER
        binds.append(bindparam(name, value=value, type_=kind))
    if binds:
        statement = statement.bindparams(*binds)
    return list(conn.execute(statement).all())


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


@dataclass
class _Table:
    oid: int
    schema: str
    name: str
    is_partition: bool
    partition_key: str | None
    bound: str | None
    comment: str | None
    parents: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


def user_schemas(conn: Connection) -> list[str]:
    """The schemas that hold tables of their own (no system schema, no extension's tables), sorted."""
    return [row[0] for row in _query(conn, _SCHEMAS_WITH_TABLES)]


def choose_schemas(conn: Connection, asked: tuple[str, ...]) -> list[str]:
    """The schemas to read: ``asked`` (each must exist), else every schema with tables of its own.

    Raises:
        ConfigError: a schema of ``asked`` does not exist (the message lists those that hold tables).
    """
    if not asked:
        return user_schemas(conn)
    existing = set(inspect(conn).get_schema_names())
    for name in asked:
        if name not in existing:
            with_tables = ", ".join(user_schemas(conn)) or "none"
            raise ConfigError(f"schema {name!r} does not exist in the database (schemas with tables: {with_tables})")
    return list(dict.fromkeys(asked))


def introspect(conn: Connection, dialect: TargetDialect, schemas: tuple[str, ...]) -> Introspected:
    """The schema of the database (``schemas``: those to read, default every user schema with tables) as DDL."""
    conn.execute(text("SELECT pg_catalog.set_config('search_path', '', true)"))
    chosen = choose_schemas(conn, schemas)
    q = dialect.quote_identifier
    tables = [_Table(*row) for row in _query(conn, _TABLES, schemas=chosen)] if chosen else []
    by_oid = {t.oid: t for t in tables}
    oids = list(by_oid)
    for child, schema, name in _query(conn, _PARENTS, oids=oids):
        by_oid[child].parents.append(f"{q(schema)}.{q(name)}")
    for oid, name, type_sql, not_null, default, identity, generated, local, comment in _query(conn, _COLUMNS,
                                                                                               oids=oids):
        table = by_oid[oid]
        qualified = f"{q(table.schema)}.{q(table.name)}"
        if comment is not None:
            table.comments.append(f"COMMENT ON COLUMN {qualified}.{q(name)} IS {_literal(comment)};")
        if not local and table.parents and not table.is_partition:
            continue  # inherited from an INHERITS parent: pg_dump leaves it to INHERITS
        table.columns.append(_column(q(name), type_sql, not_null, default, identity, generated))

    statements: list[str] = []
    statements += [f"CREATE TYPE {q(s)}.{q(n)} AS ENUM ({', '.join(_literal(v) for v in labels)});"
                   for s, n, labels in _query(conn, _ENUMS)]
    statements += _domains(conn, dialect)
    statements += [f"CREATE TYPE {q(s)}.{q(n)} AS ({', '.join(attributes)});"
                   for s, n, attributes in _query(conn, _COMPOSITES)]
    statements += [_create_table(t, q) for t in tables]
    attached = {t.oid for t in tables if t.is_partition and t.parents}
    statements += [f"ALTER TABLE ONLY {t.parents[0]} ATTACH PARTITION {q(t.schema)}.{q(t.name)} {t.bound};"
                   for t in tables if t.oid in attached]
    statements += [c for t in tables for c in t.comments]
    later: list[str] = []
    for oid, name, kind, definition in _query(conn, _CONSTRAINTS, oids=oids):
        table = by_oid[oid]
        stmt = f"ALTER TABLE ONLY {q(table.schema)}.{q(table.name)} ADD CONSTRAINT {q(name)} {definition};"
        (later if kind == "f" else statements).append(stmt)
    statements += [f"{definition};" for _oid, definition in _query(conn, _UNIQUE_INDEXES, oids=oids)]
    statements += later
    statements += _triggers(conn, oids)
    return Introspected("\n\n".join(statements) + "\n", _notes(conn, chosen))


def _column(name: str, type_sql: str, not_null: bool, default: str | None, identity: str, generated: str) -> str:
    parts = [name, type_sql]
    if generated == "s" and default is not None:
        parts.append(f"GENERATED ALWAYS AS ({default}) STORED")
    elif identity in ("a", "d"):
        parts.append("GENERATED ALWAYS AS IDENTITY" if identity == "a" else "GENERATED BY DEFAULT AS IDENTITY")
    elif default is not None:
        parts.append(f"DEFAULT {default}")
    if not_null:
        parts.append("NOT NULL")
    return " ".join(parts)


def _create_table(table: _Table, q: Any) -> str:
    body = ",\n    ".join(table.columns)
    head = f"CREATE TABLE {q(table.schema)}.{q(table.name)} (\n    {body}\n)"
    if table.parents and not table.is_partition:
        head += f"\nINHERITS ({', '.join(table.parents)})"
    if table.partition_key:
        head += f"\nPARTITION BY {table.partition_key}"
    statements = [head + ";"]
    if table.comment is not None:
        statements.append(f"COMMENT ON TABLE {q(table.schema)}.{q(table.name)} IS {_literal(table.comment)};")
    return "\n\n".join(statements)


def _domains(conn: Connection, dialect: TargetDialect) -> list[str]:
    q = dialect.quote_identifier
    domains = _query(conn, _DOMAINS)
    checks: dict[int, list[str]] = defaultdict(list)
    for oid, name, definition in _query(conn, _DOMAIN_CHECKS, oids=[d[0] for d in domains]):
        checks[oid].append(f"CONSTRAINT {q(name)} {definition}")
    out = []
    for oid, schema, name, base, not_null, default in domains:
        parts = [f"CREATE DOMAIN {q(schema)}.{q(name)} AS {base}"]
        if default is not None:
            parts.append(f"DEFAULT {default}")
        if not_null:
            parts.append("NOT NULL")
        parts += checks.get(oid, [])
        out.append(" ".join(parts) + ";")
    return out


def _triggers(conn: Connection, oids: Iterable[int]) -> list[str]:
    triggers = _query(conn, _TRIGGERS, oids=list(oids))
    if not triggers:
        return []
    functions = _query(conn, _FUNCTIONS, oids=sorted({f for _t, _d, f in triggers}))
    return [f"{definition.rstrip().rstrip(';')};" for _oid, definition in functions] + \
        [f"{definition};" for _t, definition, _f in triggers]


def _notes(conn: Connection, schemas: list[str]) -> tuple[str, ...]:
    words = {"v": ("view", "views"), "m": ("materialized view", "materialized views"),
             "f": ("foreign table", "foreign tables")}
    counts = _query(conn, _OTHER_RELATIONS, schemas=schemas) if schemas else []
    found = [f"{n} {words[kind][n != 1]}" for kind, n in counts]
    return (f"{', '.join(found)} in the database {'is' if len(found) == 1 and counts[0][1] == 1 else 'are'} "
            "not seeded",) if found else ()
