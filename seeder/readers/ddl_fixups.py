"""Targeted rewrites for T-SQL and Oracle DDL that sqlglot 30 cannot parse, so users with such files are not blocked.

Each rewrite is applied only in its dialect and only to the construct named in its comment; the construct's meaning
for seeding is kept (a clustering choice or a storage clause does not change which rows are valid; a partition
clause does, so its bounds are read here instead of by sqlglot). The list, for the README:

* T-SQL ``PRIMARY KEY NONCLUSTERED (...)`` / ``UNIQUE CLUSTERED (...)`` without a ``CONSTRAINT name``: the clustering
  word is removed (sqlglot expects ``(`` right after ``PRIMARY KEY``).
* T-SQL ``ALTER TABLE t ADD [CONSTRAINT n] DEFAULT (expr) FOR col``: sqlglot returns an opaque ``exp.Command``; the
  pieces are matched here and the expression parsed on its own.
* Oracle ``PARTITION BY RANGE|LIST (...) (PARTITION p VALUES LESS THAN (TO_DATE(...)), ...)``: sqlglot's Oracle
  parser reads no partition clause; the table options are cut off (:func:`split_table_tail`) and the bounds read by
  :func:`parse_oracle_partitioning`.
* Oracle table options after the column list that make sqlglot fail or fall back to ``exp.Command``
  (``ORGANIZATION INDEX``, ``COMPRESS`` inside partitions ...): cut off (:func:`split_table_tail`); they describe
  storage, not which rows are valid.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

_I = re.IGNORECASE
_IS = re.IGNORECASE | re.DOTALL

_NAME = r'(?:"(?:[^"]|"")+"|\[[^\]]+\]|[^\s."\[(),;]+)'
_QUALIFIED_NAME = rf"{_NAME}(?:\s*\.\s*{_NAME})*"

# sqlglot 30 (tsql) fails on PRIMARY KEY/UNIQUE [NON]CLUSTERED when no CONSTRAINT name precedes it.
_TSQL_CLUSTERING = re.compile(r"\b(PRIMARY\s+KEY|UNIQUE)\s+(?:NON)?CLUSTERED\b(?=\s*\()", _I)

# sqlglot 30 (tsql) returns ALTER TABLE ... ADD CONSTRAINT n DEFAULT (expr) FOR col as an opaque exp.Command.
_TSQL_DEFAULT_FOR = re.compile(
    rf"ALTER\s+TABLE\s+(?P<table>{_QUALIFIED_NAME})\s+ADD\s+(?:CONSTRAINT\s+(?P<name>{_NAME})\s+)?"
    rf"DEFAULT\s+(?P<value>.+?)\s+FOR\s+(?P<column>{_NAME})\s*;?\s*$",
    _IS,
)

_ORACLE_PARTITION_BY = re.compile(r"\bPARTITION\s+BY\s+(?P<method>RANGE|LIST|HASH|REFERENCE|SYSTEM)\b", _I)
_ORACLE_PARTITION_ITEM = re.compile(
    rf"^\s*PARTITION\s+(?P<name>{_NAME})\s+VALUES\s+(?P<less>LESS\s+THAN\s*)?\(", _I,
)


def tsql_drop_clustering(text: str) -> str:
    """Remove ``CLUSTERED``/``NONCLUSTERED`` after ``PRIMARY KEY``/``UNIQUE`` in a T-SQL ``CREATE TABLE``."""
    return _TSQL_CLUSTERING.sub(r"\1", text)


@dataclass(frozen=True)
class DefaultFor:
    """A T-SQL ``ALTER TABLE table ADD [CONSTRAINT name] DEFAULT value FOR column``; parts as written."""

    table: str
    name: str | None
    value: str
    column: str


def match_tsql_default_for(text: str) -> DefaultFor | None:
    """Recognise the T-SQL default-constraint form of ``ALTER TABLE``; ``None`` for anything else."""
    m = _TSQL_DEFAULT_FOR.match(text)
    if m is None:
        return None
    return DefaultFor(table=m.group("table"), name=m.group("name"), value=m.group("value"),
                      column=m.group("column"))


def _close_paren(text: str, open_pos: int) -> int | None:
    """Index of the ``)`` closing the ``(`` at ``open_pos``, skipping '...' strings, "..." names and comments."""
    depth = 0
    i = open_pos
    n = len(text)
    while i < n:
        ch = text[i]
        if ch in "'\"":
            end = text.find(ch, i + 1)
            while end >= 0 and text.startswith(ch, end + 1):  # a doubled quote is an escaped quote
                end = text.find(ch, end + 2)
            if end < 0:
                return None
            i = end + 1
            continue
        if text.startswith("--", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return None


def split_table_tail(text: str) -> tuple[str, str]:
    """Split a ``CREATE TABLE name (...) tail`` into ``(text up to the column list's closing paren, tail)``.

    The tail holds the table's options (storage, organisation, partitioning, ``AS SELECT``). Without a column
    list, the tail is ``""``.
    """
    open_pos = text.find("(")
    if open_pos < 0:
        return text, ""
    close = _close_paren(text, open_pos)
    if close is None:
        return text, ""
    return text[:close + 1], text[close + 1:]


@dataclass(frozen=True)
class OraclePartition:
    """One partition of an Oracle partition clause: ``upper`` bounds (``VALUES LESS THAN``) or list ``values``,
    as SQL literal text (dates as ISO strings ``'2019-01-01'``; ``MAXVALUE``/``DEFAULT`` as the bare word)."""

    name: str
    upper: tuple[str, ...] = ()
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class OraclePartitioning:
    """An Oracle ``PARTITION BY`` clause: ``method`` (``range``/``list``/``hash``...), key columns as parsed
    ``exp.Column`` nodes (the caller folds their names) and the partitions."""

    method: str
    columns: tuple[exp.Column, ...]
    partitions: tuple[OraclePartition, ...]


def _split_top_level(text: str) -> list[str]:
    """Split ``text`` at commas outside parentheses and quotes."""
    parts: list[str] = []
    depth = 0
    start = 0
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in "'\"":
            end = text.find(ch, i + 1)
            while end >= 0 and text.startswith(ch, end + 1):
                end = text.find(ch, end + 2)
            i = len(text) if end < 0 else end + 1
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
        i += 1
    parts.append(text[start:])
    return [p for p in parts if p.strip()]


def _bound_text(node: exp.Expression) -> str:
    """A partition bound as literal text the generators can read: ``TO_DATE('2019-01-01', 'YYYY-MM-DD', ...)`` and
    ``DATE '2019-01-01'`` become ``'2019-01-01'`` (``'... hh:mm:ss'`` when there is a time of day)."""
    if isinstance(node, exp.Column) and node.name.upper() in ("MAXVALUE", "DEFAULT") and not node.table:
        return node.name.upper()
    if isinstance(node, (exp.StrToDate, exp.StrToTime, exp.DateStrToDate, exp.TimeStrToTime)) and isinstance(
            node.this, exp.Literal):
        raw = node.this.name
        fmt = node.args.get("format")
        parsed: dt.datetime | None = None
        if isinstance(fmt, exp.Literal):
            try:
                parsed = dt.datetime.strptime(raw, fmt.name)  # sqlglot turned Oracle's format into strftime codes
            except ValueError:
                parsed = None
        if parsed is None:
            try:
                parsed = dt.datetime.fromisoformat(raw)
            except ValueError:
                return node.sql("oracle")
        text = parsed.isoformat(sep=" ") if parsed.time() != dt.time() else parsed.date().isoformat()
        return exp.Literal.string(text).sql("oracle")
    return node.sql("oracle")


def _bound_values(text: str) -> tuple[str, ...] | None:
    try:
        select = sqlglot.parse_one(f"SELECT {text}", read="oracle")
    except SqlglotError:
        return None
    if not isinstance(select, exp.Select):
        return None
    return tuple(_bound_text(e) for e in select.expressions)


def parse_oracle_partitioning(tail: str) -> OraclePartitioning | None:
    """Read the ``PARTITION BY`` clause in the options ``tail`` of an Oracle ``CREATE TABLE``.

    Returns ``None`` when the tail has no partition clause. Partitions whose bounds cannot be read, and the
    partitions of ``HASH``/``REFERENCE``/``SYSTEM`` partitioning (no bounds), are returned without bounds; an
    ``INTERVAL`` clause is ignored (Oracle then creates partitions as needed, so any value fits).
    """
    m = _ORACLE_PARTITION_BY.search(tail)
    if m is None:
        return None
    method = m.group("method").lower()
    rest = tail[m.end():]
    keys_open = rest.find("(")
    keys_close = _close_paren(rest, keys_open) if keys_open >= 0 and not rest[:keys_open].strip() else None
    if keys_close is None:
        return OraclePartitioning(method=method, columns=(), partitions=())
    columns = tuple(exp.to_column(c.strip(), dialect="oracle")
                    for c in _split_top_level(rest[keys_open + 1:keys_close]))
    rest = rest[keys_close + 1:]
    if re.match(r"\s*INTERVAL\b", rest, _I):
        return OraclePartitioning(method=method, columns=columns, partitions=())
    list_open = rest.find("(")
    list_close = _close_paren(rest, list_open) if list_open >= 0 else None
    partitions: list[OraclePartition] = []
    if list_close is not None and method in ("range", "list"):
        for item in _split_top_level(rest[list_open + 1:list_close]):
            head = _ORACLE_PARTITION_ITEM.match(item)
            if head is None:
                continue
            values_close = _close_paren(item, head.end() - 1)
            if values_close is None:
                continue
            values = _bound_values(item[head.end():values_close]) or ()
            name = head.group("name")
            if head.group("less"):
                partitions.append(OraclePartition(name=name, upper=values))
            else:
                partitions.append(OraclePartition(name=name, values=values))
    return OraclePartitioning(method=method, columns=columns, partitions=tuple(partitions))
