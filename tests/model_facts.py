"""The facts of a schema model that introspecting a database must reproduce from its DDL, and the known differences.

:func:`model_facts` reduces a :class:`~seeder.schema.Schema` to plain, comparable data: tables, columns and their
types, keys, foreign keys, unique constraints and indexes, CHECKs, partitions, inheritance, enums, domains, identity
and auto-numbering, trigger fills. The equivalence tests (``tests/test_live_introspect.py``) compare the facts of the
model read from a corpus DDL file with those of the model introspected from a database created from it.

Known differences, which the facts normalise on purpose (each one is the database's rendering of the same schema,
not something seeder loses):

* schema of unqualified names: a DDL file without schema names gives tables, enums and domains no schema; the
  catalog names PostgreSQL's default schema ``public``. ``public`` is read as "no schema".
* type spelling: ``Column.type.sql`` is the type as written (``varchar(40)`` in the file, ``character varying(40)``
  from ``format_type``; MySQL's ``INT`` as ``int(11)``, ``YEAR`` as ``year(4)``); types are compared by kind,
  length, precision, scale, sign and labels.
* constraint names the database makes up: an unnamed primary key, foreign key or unique constraint gets a name
  (``payment_pkey``, ``dept_emp_ibfk_1``, MySQL's ``PRIMARY``); names are compared only where the DDL gives one.
* foreign-key order: ``SHOW CREATE TABLE`` lists foreign keys sorted by name; foreign keys, unique constraints and
  CHECKs are compared as sets.
* ``ON DELETE RESTRICT`` / ``NO ACTION``: MySQL renders neither; both read as "no action".
* defaults: MySQL renders them its own way (``TRUE`` as ``1``, ``CURRENT_TIMESTAMP`` as ``current_timestamp()``,
  ``DEFAULT NULL`` added) and the PostgreSQL catalog schema-qualifies sequence names; only the presence of a default
  is compared, and ``DEFAULT NULL`` (``NULL::character varying`` in the catalog) counts as none.
* CHECK and index expressions: compared as sqlglot SQL with casts and parentheses removed, ``x IN (...)`` written
  ``x = ANY (ARRAY[...])`` and ``BETWEEN`` as two comparisons, because PostgreSQL stores them that way and re-deparses
  ``x = ANY (ARRAY['a'::varchar, ...]::text[])`` with the casts moved onto the elements.
* serial columns: ``serial`` has no written default, the catalog shows its ``nextval()``; the presence of a default is
  not compared for sequence-numbered columns.
* INHERITS children: PostgreSQL gives inherited columns the parent's NOT NULL; the DDL reader gives them the
  parent's declared NOT NULL and its primary key's, but not what a later ALTER of the parent adds.
* timestamptz partition bounds: the catalog renders them in the session's time zone (``2022-04-01 00:00:00+00``
  for the file's ``2022-04-01 01:00:00+01``); bounds are compared as instants.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlglot
from sqlglot import exp

from seeder.schema import Check, Column, ForeignKey, Schema, Table, TableName, UniqueConstraint


def _name(name: TableName) -> str:
    return str(TableName(None if name.schema == "public" else name.schema, name.name))


def _qualified(schema: str | None, name: str) -> str:
    return name if schema in (None, "public") else f"{schema}.{name}"


def _expression(node: exp.Expression | None, dialect: str) -> str | None:
    if node is None:
        return None
    bare = exp.Paren(this=node.copy())  # a root that is never replaced itself
    while True:
        wrapped = [n for n in bare.this.find_all(exp.Cast, exp.Paren)]
        if not wrapped and not isinstance(bare.this, (exp.Cast, exp.Paren)):
            break
        for n in [bare.this, *wrapped] if isinstance(bare.this, (exp.Cast, exp.Paren)) else wrapped:
            n.replace(n.this)
    for n in list(bare.this.find_all(exp.In, exp.Between)):
        n.replace(_plain_form(n))
    for lit in list(bare.this.find_all(exp.Literal)):  # '4294967295'::bigint loses its cast: a number again
        if lit.is_string and lit.this.lstrip("-").isdigit():
            lit.replace(exp.Literal.number(lit.this))
    text = bare.this.sql(dialect=dialect, normalize=True).lower()
    return text.replace("public.", "")


def _plain_form(node: exp.Expression) -> exp.Expression:
    """``x IN (a, b)`` and ``x BETWEEN a AND b`` as PostgreSQL stores them: ``x = ANY (ARRAY[a, b])`` and
    ``x >= a AND x <= b``."""
    if isinstance(node, exp.In) and node.expressions and not node.args.get("query"):
        return exp.EQ(this=node.this.copy(), expression=exp.Any(this=exp.Array(
            expressions=[e.copy() for e in node.expressions])))
    if isinstance(node, exp.Between):
        return exp.And(this=exp.GTE(this=node.this.copy(), expression=node.args["low"].copy()),
                       expression=exp.LTE(this=node.this.copy(), expression=node.args["high"].copy()))
    return node


def _is_null(default: str) -> bool:
    try:
        node = sqlglot.parse_one(default)
    except sqlglot.errors.ParseError:
        return False
    while isinstance(node, (exp.Cast, exp.Paren)):
        node = node.this
    return isinstance(node, exp.Null)


def _column(c: Column) -> tuple[Any, ...]:
    t = c.type
    numbered = c.autoincrement or c.identity is not None  # serial: no default written, nextval() in the catalog
    has_default = c.default is not None and not _is_null(c.default)  # DEFAULT NULL is no default
    return (c.name, t.kind, t.length, t.precision, t.scale, t.unsigned, t.values, c.nullable, c.identity,
            c.autoincrement, c.generated, None if numbered else has_default,
            c.domain.split(".")[-1] if c.domain else None, c.comment)


def _action(action: str | None) -> str | None:
    return None if action is None or action.upper() in ("RESTRICT", "NO ACTION") else action.upper()


def _foreign_key(fk: ForeignKey) -> tuple[Any, ...]:
    return (fk.columns, _name(fk.ref_table), fk.ref_columns, fk.deferrable, fk.initially_deferred,
            _action(fk.on_delete))


def _unique(u: UniqueConstraint, dialect: str) -> tuple[Any, ...]:
    return (u.columns, tuple(sorted(_expression(e, dialect) or "" for e in u.expressions)),
            _expression(u.where, dialect))


def _check(c: Check, dialect: str) -> str:
    return _expression(c.expression, dialect) or ""


def _bound(text: str) -> str:
    """A partition bound literal; timestamps with an offset as the UTC instant, others as ISO text (a date bound of
    a timestamp column, ``'2023-01-01'``, is the catalog's ``'2023-01-01 00:00:00'``)."""
    value = text.strip("'")
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    if parsed.tzinfo is not None:
        return parsed.astimezone(dt.timezone.utc).isoformat()
    return parsed.isoformat()


def _table(t: Table, dialect: str) -> dict[str, Any]:
    parts = t.partitioning
    columns = [_column(c) for c in t.columns]
    if t.inherits:  # inherited NOT NULL: see the module docstring
        columns = [(*c[:7], None, *c[8:]) for c in columns]
    return {
        "columns": columns,
        "primary_key": t.primary_key.columns if t.primary_key else None,
        "foreign_keys": sorted(map(_foreign_key, t.foreign_keys), key=repr),
        "uniques": sorted((_unique(u, dialect) for u in t.uniques), key=repr),
        "checks": sorted(_check(c, dialect) for c in t.checks),
        "partitioning": None if parts is None else (
            parts.method, parts.columns,
            sorted((_name(p.name), tuple(map(_bound, p.lower)), tuple(map(_bound, p.upper)), tuple(p.values),
                    p.is_default) for p in parts.partitions)),
        "partition_of": _name(t.partition_of) if t.partition_of else None,
        "inherits": [_name(p) for p in t.inherits],
        "comment": t.comment,
    }


def model_facts(schema: Schema) -> dict[str, Any]:
    """The comparable facts of ``schema`` (see the module docstring for what is normalised and why)."""
    dialect = schema.dialect
    return {
        "tables": {_name(t.name): _table(t, dialect) for t in schema.tables},
        "enums": sorted((_qualified(e.schema, e.name), e.values) for e in schema.enums),
        "domains": sorted((_qualified(d.schema, d.name), d.type.kind, d.nullable,
                           tuple(sorted(_check(c, dialect) for c in d.checks))) for d in schema.domains),
        "trigger_fills": sorted((f.trigger, _name(f.table), _name(f.target)) for f in schema.trigger_fills),
    }


def named_constraints(schema: Schema, *, primary_keys: bool = True) -> dict[str, set[tuple[str, str]]]:
    """``{table: {(kind, name)}}`` of the constraints the DDL names, to check the database kept those names
    (``primary_keys=False`` for MySQL, which calls every primary key ``PRIMARY``)."""
    found: dict[str, set[tuple[str, str]]] = {}
    for t in schema.tables:
        names = found.setdefault(_name(t.name), set())
        if primary_keys and t.primary_key and t.primary_key.name:
            names.add(("primary key", t.primary_key.name))
        names.update(("foreign key", fk.name) for fk in t.foreign_keys if fk.name)
        names.update(("check", c.name) for c in t.checks if c.name)
    return found


def differences(expected: Any, got: Any, path: str = "") -> list[str]:
    """Human-readable paths where two fact structures differ (empty when equal)."""
    if isinstance(expected, dict) and isinstance(got, dict):
        out = []
        for key in sorted(set(expected) | set(got), key=str):
            out += differences(expected.get(key), got.get(key), f"{path}.{key}" if path else str(key))
        return out
    if isinstance(expected, list) and isinstance(got, list) and len(expected) == len(got):
        out = []
        for i, (a, b) in enumerate(zip(expected, got, strict=True)):
            out += differences(a, b, f"{path}[{i}]")
        return out
    return [] if expected == got else [f"{path}: {expected!r} != {got!r}"]
