"""Triggers that copy rows into another table (``AFTER INSERT ON film ... INSERT INTO film_text``).

Seeding such a target table as well would collide with the rows the trigger writes (sakila's ``film_text`` has the
same key as ``film``; MusicBrainz's ``a_ins_artist`` inserts the ``artist_meta`` row of every new artist), so the
reader records these triggers and the planner leaves their targets to the trigger. Two kinds of trigger are read:

* bodies written inline (MySQL, SQLite): ``CREATE TRIGGER ... AFTER INSERT ON t FOR EACH ROW BEGIN ... END``;
* PostgreSQL triggers that ``EXECUTE FUNCTION f()``: the body of ``f`` (a ``CREATE FUNCTION`` of the same script,
  PL/pgSQL or SQL), and of the functions it calls by name (``PERFORM g(...)``), followed transitively.

A trigger counts when INSERT is among its events (``AFTER INSERT OR UPDATE`` too). Unqualified target names resolve
against the tables of the schema, preferring the trigger's own schema (the usual ``search_path``), then any schema.
Every such trigger is recorded; the planner decides which targets it leaves to the trigger
(:func:`seeder.plan.graph.skip_reason`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from seeder.schema import Schema, TableName, TriggerEquality, TriggerFill

_IDENT = r"(?:`[^`]+`|\"[^\"]+\"|\[[^\]]+\]|[\w$.]+)"
_TRIGGER = re.compile(
    rf"^\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?:CONSTRAINT\s+)?(?:DEFINER\s*=\s*\S+\s+)?TRIGGER\s+"
    rf"(?:IF\s+NOT\s+EXISTS\s+)?(?P<name>{_IDENT})"
    rf"\s+(?:BEFORE|AFTER|INSTEAD\s+OF)\s+(?P<events>[\w\s,]+?)"
    rf"\s+ON\s+(?P<table>{_IDENT})(?P<body>.*)$",
    re.IGNORECASE | re.DOTALL)
_INSERT = re.compile(rf"\bINSERT\s+(?:OR\s+\w+\s+)?INTO\s+(?P<target>{_IDENT})", re.IGNORECASE)
_EXECUTE = re.compile(rf"\bEXECUTE\s+(?:FUNCTION|PROCEDURE)\s+(?P<function>{_IDENT})\s*\(", re.IGNORECASE)
_FUNCTION = re.compile(rf"^\s*CREATE\s+(?:OR\s+REPLACE\s+)?FUNCTION\s+(?P<name>{_IDENT})\s*\(", re.IGNORECASE)
_CALL = re.compile(rf"(?P<function>{_IDENT})\s*\(")
_INSERT_EVENT = re.compile(r"\bINSERT\b", re.IGNORECASE)
_RAISE = re.compile(r"\bRAISE\b", re.IGNORECASE)
# ``P.k = NEW.a`` and ``P.c != NEW.b`` (either side first) inside a RAISE guard's EXISTS (SELECT ... FROM P WHERE ...)
_GUARD_FROM = re.compile(rf"\bFROM\s+(?P<parent>{_IDENT})\s+(?:AS\s+)?(?P<alias>\w+)?\s*WHERE\b(?P<where>[^;]*)",
                         re.IGNORECASE)
_EQUAL_NEW = re.compile(r"(?P<a>[\w\"]+)\.(?P<col>[\w\"]+)\s*=\s*NEW\.(?P<new>[\w\"]+)"
                        r"|NEW\.(?P<new2>[\w\"]+)\s*=\s*(?P<a2>[\w\"]+)\.(?P<col2>[\w\"]+)", re.IGNORECASE)
_DIFFERENT_NEW = re.compile(r"(?P<a>[\w\"]+)\.(?P<col>[\w\"]+)\s*(?:!=|<>)\s*NEW\.(?P<new>[\w\"]+)"
                            r"|NEW\.(?P<new2>[\w\"]+)\s*(?:!=|<>)\s*(?P<a2>[\w\"]+)\.(?P<col2>[\w\"]+)", re.IGNORECASE)


def _bare(name: str) -> str:
    name = name.split(".")[-1]
    return name.strip('`"[]')


def _schema_of(name: str) -> str | None:
    parts = name.split(".")
    return parts[-2].strip('`"[]') if len(parts) > 1 else None


def _function_bodies(statements: Iterable[tuple[int, str]]) -> dict[str, str]:
    """``CREATE FUNCTION`` texts by lower-case bare function name (overloads: their texts are joined)."""
    bodies: dict[str, str] = {}
    for _, text in statements:
        m = _FUNCTION.match(text)
        if m:
            key = _bare(m.group("name")).lower()
            bodies[key] = bodies.get(key, "") + "\n" + text[m.end():]
    return bodies


def _reached_bodies(start: str, bodies: dict[str, str]) -> list[str]:
    """The body of function ``start`` and of every function it calls by name, transitively (each once)."""
    seen: set[str] = set()
    todo = [start]
    found: list[str] = []
    while todo:
        key = todo.pop()
        if key in seen or key not in bodies:
            continue
        seen.add(key)
        body = bodies[key]
        found.append(body)
        todo.extend(_bare(c.group("function")).lower() for c in _CALL.finditer(body))
    return found


def trigger_fills(statements: list[tuple[int, str]], schema: Schema) -> tuple[TriggerFill, ...]:
    """Find INSERT triggers whose body (or the function they execute) inserts into another table of ``schema``.

    Args:
        statements: ``(line, text)`` pairs as returned by ``split_statements``.
        schema: the schema read from the same statements (names are resolved against its tables,
            case-insensitively).
    """
    by_name: dict[str, list[TableName]] = {}
    for t in schema.tables:
        by_name.setdefault(t.name.name.lower(), []).append(t.name)

    def resolve(name: str, near: str | None) -> TableName | None:
        found = by_name.get(_bare(name).lower(), [])
        wanted = _schema_of(name) or near
        for candidate in found:
            if candidate.schema is not None and wanted is not None and candidate.schema.lower() == wanted.lower():
                return candidate
        return found[0] if found and (_schema_of(name) is None or len(found) == 1) else None

    bodies: dict[str, str] | None = None
    fills: list[TriggerFill] = []
    for _, text in statements:
        m = _TRIGGER.match(text)
        if not m or not _INSERT_EVENT.search(m.group("events")):
            continue
        source = resolve(m.group("table"), None)
        if source is None:
            continue
        texts = [m.group("body")]
        call = _EXECUTE.search(m.group("body"))
        if call:
            if bodies is None:
                bodies = _function_bodies(statements)
            texts = _reached_bodies(_bare(call.group("function")).lower(), bodies)
        targets: list[TableName] = []
        for body in texts:
            for ins in _INSERT.finditer(body):
                target = resolve(ins.group("target"), source.schema)
                if target is not None and target != source and target not in targets:
                    targets.append(target)
        fills += [TriggerFill(trigger=_bare(m.group("name")), table=source, target=t) for t in targets]
    return tuple(fills)


def _pairs(pattern: re.Pattern[str], text: str) -> list[tuple[str, str, str]]:
    """``(alias, column, NEW column)`` of each ``alias.column <op> NEW.column`` (either side first) in ``text``."""
    out = []
    for m in pattern.finditer(text):
        if m.group("a") is not None:
            out.append((m.group("a").strip('"'), m.group("col").strip('"'), m.group("new").strip('"')))
        else:
            out.append((m.group("a2").strip('"'), m.group("col2").strip('"'), m.group("new2").strip('"')))
    return out


def trigger_equalities(statements: list[tuple[int, str]], schema: Schema) -> tuple[TriggerEquality, ...]:
    """INSERT triggers that RAISE unless a column of the new row equals a column of the parent row another column
    points at: Synapse's ``IF EXISTS (SELECT 1 FROM events WHERE events.event_id = NEW.event_id AND events.room_id
    != NEW.room_id) THEN RAISE`` (PL/pgSQL) or ``SELECT RAISE(ABORT, ...) WHERE EXISTS (...)`` (SQLite).

    Args: as :func:`trigger_fills`.
    """
    by_name: dict[str, list[TableName]] = {}
    for t in schema.tables:
        by_name.setdefault(t.name.name.lower(), []).append(t.name)

    def resolve(name: str) -> TableName | None:
        found = by_name.get(_bare(name).lower(), [])
        return found[0] if len(found) == 1 else None

    bodies: dict[str, str] | None = None
    out: list[TriggerEquality] = []
    for _, text in statements:
        m = _TRIGGER.match(text)
        if not m or not _INSERT_EVENT.search(m.group("events")):
            continue
        table = resolve(m.group("table"))
        if table is None:
            continue
        texts = [m.group("body")]
        call = _EXECUTE.search(m.group("body"))
        if call:
            if bodies is None:
                bodies = _function_bodies(statements)
            texts = _reached_bodies(_bare(call.group("function")).lower(), bodies)
        for body in texts:
            if not _RAISE.search(body):
                continue
            for guard in _GUARD_FROM.finditer(body):
                parent = resolve(guard.group("parent"))
                names = {_bare(guard.group("parent")).lower(), (guard.group("alias") or "").lower()} - {""}
                if parent is None:
                    continue
                keys = [p for p in _pairs(_EQUAL_NEW, guard.group("where")) if p[0].lower() in names]
                differs = [p for p in _pairs(_DIFFERENT_NEW, guard.group("where")) if p[0].lower() in names]
                if len(keys) == 1 and len(differs) == 1:
                    (_, ref_key, via), (_, ref_column, column) = keys[0], differs[0]
                    out.append(TriggerEquality(trigger=_bare(m.group("name")), table=table, column=column,
                                               via=via, ref_table=parent, ref_key=ref_key, ref_column=ref_column))
    return tuple(out)
