"""Triggers that copy rows into another table (``AFTER INSERT ON film ... INSERT INTO film_text``).

Seeding such a target table as well would collide with the rows the trigger writes (sakila's ``film_text`` has the
same key as ``film``), so the reader records these triggers and the planner leaves their targets to the trigger.
Only trigger bodies written inline (MySQL, SQLite) are seen; a PostgreSQL trigger calls a function whose body is not
analysed.
"""

from __future__ import annotations

import re

from seeder.schema import Schema, TableName, TriggerFill

_IDENT = r"(?:`[^`]+`|\"[^\"]+\"|\[[^\]]+\]|[\w$.]+)"
_TRIGGER = re.compile(
    rf"^\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?:DEFINER\s*=\s*\S+\s+)?TRIGGER\s+(?:IF\s+NOT\s+EXISTS\s+)?(?P<name>{_IDENT})"
    rf"\s+(?:BEFORE|AFTER)\s+INSERT\s+ON\s+(?P<table>{_IDENT})(?P<body>.*)$",
    re.IGNORECASE | re.DOTALL)
_INSERT = re.compile(rf"\bINSERT\s+(?:OR\s+\w+\s+)?INTO\s+(?P<target>{_IDENT})", re.IGNORECASE)


def _bare(name: str) -> str:
    name = name.split(".")[-1]
    return name.strip('`"[]')


def trigger_fills(statements: list[tuple[int, str]], schema: Schema) -> tuple[TriggerFill, ...]:
    """Find INSERT triggers whose body inserts into another table of ``schema``.

    Args:
        statements: ``(line, text)`` pairs as returned by ``split_statements``.
        schema: the schema read from the same statements (names are resolved against its tables,
            case-insensitively).
    """
    by_name: dict[str, TableName] = {}
    for t in schema.tables:
        by_name.setdefault(t.name.name.lower(), t.name)
    fills: list[TriggerFill] = []
    for _, text in statements:
        m = _TRIGGER.match(text)
        if not m:
            continue
        source = by_name.get(_bare(m.group("table")).lower())
        if source is None:
            continue
        for ins in _INSERT.finditer(m.group("body")):
            target = by_name.get(_bare(ins.group("target")).lower())
            if target is not None and target != source:
                fills.append(TriggerFill(trigger=_bare(m.group("name")), table=source, target=target))
    return tuple(fills)
