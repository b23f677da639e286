"""Shared by the readers of framework models (SQLAlchemy metadata, Django models): SQL fragments -> draft nodes.

Framework readers walk their own objects (``Table``, ``_meta``) but hand the DDL reader's finishing stage
(:func:`seeder.readers.ddl_finish.finish`) the same drafts a DDL script produces, so enum resolution, CHECK
placement, foreign-key resolution and type mapping have one home. A framework renders each type and each CHECK or
index expression as SQL of the target dialect (``type.compile(dialect=...)``, ``field.db_type(connection)``); these
helpers parse that text with sqlglot exactly as the DDL reader would.
"""

from __future__ import annotations

from sqlglot import exp, parse_one
from sqlglot.errors import ParseError

from seeder.dialects import read_dialect
from seeder.errors import SchemaReadError
from seeder.readers.ddl_drafts import DraftSchema
from seeder.readers.ddl_statements import silence_sqlglot
from seeder.readers.ddl_workarounds import workarounds_for


def new_draft(dialect: str) -> DraftSchema:
    """An empty draft schema for ``dialect`` (a name or alias: ``postgres``, ``mysql``, ``sqlite``, ...).

    Raises:
        ConfigError: unknown or unsupported dialect.
    """
    return DraftSchema(read_dialect(dialect))


def _parse_dialect(draft: DraftSchema) -> object:
    """The sqlglot dialect the DDL reader parses ``draft``'s dialect with (its work-around subclass, if any)."""
    name = draft.dialect.sqlglot_dialect
    return workarounds_for(name).parse_with or name


def parse_type(text: str, draft: DraftSchema, where: str) -> exp.DataType:
    """Parse a column type rendered by a framework for ``draft``'s dialect (``VARCHAR(40)``, ``integer[]``,
    ``mood``); unknown names become user-defined types, which the finishing stage resolves against enums.

    Raises:
        SchemaReadError: sqlglot cannot read the type; ``where`` (e.g. ``table.column``) names the column.
    """
    restore = silence_sqlglot()
    try:
        return exp.DataType.build(text, dialect=_parse_dialect(draft), udt=True)
    except (ParseError, ValueError) as err:
        raise SchemaReadError(f"{where}: cannot read type {text!r}: {str(err).splitlines()[0]}") from None
    finally:
        restore()


def parse_expression(text: str, draft: DraftSchema, where: str) -> exp.Expression:
    """Parse a SQL expression (a CHECK condition, an index expression or predicate) rendered for ``draft``'s dialect.

    Raises:
        SchemaReadError: sqlglot cannot read it; ``where`` names the constraint.
    """
    restore = silence_sqlglot()
    try:
        node = parse_one(text, dialect=_parse_dialect(draft))
    except ParseError as err:
        raise SchemaReadError(f"{where}: cannot read SQL expression {text!r}: {str(err).splitlines()[0]}") from None
    finally:
        restore()
    if node is None:
        raise SchemaReadError(f"{where}: empty SQL expression")
    return node


def sql_literal(value: object) -> exp.Expression | None:
    """A Python value (a choice, a validator's limit, a pinned value) as a SQL literal; ``None`` when it has no
    literal form here (dates and times become ISO strings, which every dialect casts)."""
    import datetime as dt
    from decimal import Decimal

    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, (int, float, Decimal)):
        return exp.Literal.number(str(value))
    if isinstance(value, str):
        return exp.Literal.string(value)
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return exp.Literal.string(value.isoformat())
    return None
