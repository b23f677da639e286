"""A model's design document -> PostgreSQL DDL, with every problem found on the way.

The document follows :data:`seeder.llm.design.DESIGN_SCHEMA`: tables (columns with a PostgreSQL type, NULL-ability
and a comment; primary key; unique column sets; foreign keys) and rules (words, plus a CHECK expression when the
rule can be verified on one row). Rules with a CHECK become ``CONSTRAINT rule_<table>_<n> CHECK (...)``; rules
without one are appended to the comment of their column (or table), which a language model reads as context.

Nothing here trusts the document: names must be plain identifiers, types and CHECKs must parse with sqlglot, every
name a key or rule mentions must exist, and CHECKs must not depend on the clock or on chance (seeder's output never
depends on when it runs, and SQLite refuses such CHECKs). Problems are collected, not raised, so that all of them
can be sent back to the model at once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from seeder.design.model import Rule

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}\Z")
#: Expressions a CHECK may not contain: their value depends on the clock or on chance.
_VOLATILE = (exp.CurrentDate, exp.CurrentTimestamp, exp.CurrentTime, exp.CurrentDatetime, exp.Rand)
_VOLATILE_NAMES = frozenset({"now", "random", "clock_timestamp", "statement_timestamp", "transaction_timestamp",
                             "localtimestamp", "localtime", "current_date", "current_timestamp", "timeofday"})


@dataclass
class Draft:
    """The DDL made from a document so far, and what is wrong with it (empty ``problems``: usable)."""

    ddl: str = ""
    rules: list[Rule] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _ident(name: str) -> str:
    return exp.to_identifier(name, quoted=True).sql("postgres")


def _literal(text: str) -> str:
    return exp.Literal.string(text).sql("postgres")


def _strings(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _volatile(node: exp.Expression) -> bool:
    if any(True for _ in node.find_all(*_VOLATILE)):
        return True
    return any(fn.name.lower() in _VOLATILE_NAMES for fn in node.find_all(exp.Anonymous, exp.Column))


def parse_check(sql: str, columns: set[str], where: str, problems: list[str]) -> exp.Expression | None:
    """The CHECK expression ``sql`` parsed as PostgreSQL, or ``None`` with a problem added: it does not parse, names
    a column the table lacks, or depends on the clock or on chance."""
    try:
        node = sqlglot.parse_one(sql, read="postgres")
    except SqlglotError as err:
        problems.append(f"{where}: the CHECK {sql!r} does not parse: {' '.join(str(err).split())[:160]}")
        return None
    if node is None or isinstance(node, (exp.Create, exp.Select, exp.Insert)):
        problems.append(f"{where}: the CHECK {sql!r} is not a boolean expression")
        return None
    if _volatile(node):
        problems.append(f"{where}: the CHECK {sql!r} depends on the clock or on chance (CURRENT_DATE, now(), "
                        "random()); give it as a rule with check null instead")
        return None
    if any(True for _ in node.find_all(exp.Subquery, exp.Select)):
        problems.append(f"{where}: the CHECK {sql!r} has a subquery, which CHECKs cannot have")
        return None
    unknown = sorted({c.name for c in node.find_all(exp.Column)} - columns)
    if unknown:
        problems.append(f"{where}: the CHECK {sql!r} names {', '.join(unknown)}, which the table does not have")
        return None
    return node


class _Builder:
    def __init__(self, doc: Mapping[str, Any]) -> None:
        self.doc = doc
        self.draft = Draft()
        self.tables: dict[str, dict[str, Any]] = {}
        self.columns: dict[str, dict[str, dict[str, Any]]] = {}
        self.comments: dict[tuple[str, str | None], list[str]] = {}
        self.checks: dict[str, list[tuple[str, str]]] = {}

    def problem(self, text: str) -> None:
        self.draft.problems.append(text)

    def run(self) -> Draft:
        tables = self.doc.get("tables")
        if not isinstance(tables, list) or not tables:
            self.problem("the design has no tables")
            return self.draft
        for t in tables:
            self._collect(t)
        for t in self.tables.values():
            self._keys(t)
        rules = self.doc.get("rules")
        for n, r in enumerate(rules if isinstance(rules, list) else [], start=1):
            self._rule(n, r)
        if not self.draft.problems:
            self.draft.ddl = self._ddl()
        return self.draft

    def _collect(self, t: Any) -> None:
        if not isinstance(t, dict) or not isinstance(t.get("name"), str):
            self.problem("a table has no name")
            return
        name = t["name"]
        if not _IDENTIFIER.match(name):
            self.problem(f"table name {name!r} is not a plain identifier (letters, digits, _)")
            return
        if name in self.tables:
            self.problem(f"table {name} is defined twice")
            return
        cols: dict[str, dict[str, Any]] = {}
        for c in t.get("columns") if isinstance(t.get("columns"), list) else []:
            cname = c.get("name") if isinstance(c, dict) else None
            if not isinstance(cname, str) or not _IDENTIFIER.match(cname):
                self.problem(f"table {name}: column name {cname!r} is not a plain identifier")
                continue
            if cname in cols:
                self.problem(f"table {name}: column {cname} is defined twice")
                continue
            type_sql = c.get("type") if isinstance(c.get("type"), str) else ""
            try:
                exp.DataType.build(type_sql, dialect="postgres")
            except (SqlglotError, ValueError) as err:
                self.problem(f"{name}.{cname}: type {type_sql!r} is not a PostgreSQL type "
                             f"({' '.join(str(err).split())[:80]})")
                continue
            cols[cname] = c
            if isinstance(c.get("comment"), str) and c["comment"].strip():
                self.comments.setdefault((name, cname), []).append(c["comment"].strip())
        if not cols:
            self.problem(f"table {name} has no columns")
            return
        self.tables[name] = t
        self.columns[name] = cols
        if isinstance(t.get("comment"), str) and t["comment"].strip():
            self.comments.setdefault((name, None), []).append(t["comment"].strip())

    def _known(self, table: str, names: list[str], what: str) -> bool:
        missing = [n for n in names if n not in self.columns[table]]
        if missing:
            self.problem(f"table {table}: {what} names {', '.join(missing)}, which the table does not have")
        return not missing

    def _keys(self, t: dict[str, Any]) -> None:
        name = t["name"]
        pk = _strings(t.get("primary_key"))
        if not pk:
            self.problem(f"table {name} has no primary key")
        self._known(name, pk, "the primary key")
        for u in t.get("unique") if isinstance(t.get("unique"), list) else []:
            self._known(name, _strings(u), "a UNIQUE constraint")
        for fk in t.get("foreign_keys") if isinstance(t.get("foreign_keys"), list) else []:
            if not isinstance(fk, dict):
                continue
            cols, ref, ref_cols = _strings(fk.get("columns")), fk.get("references"), _strings(fk.get("ref_columns"))
            if not self._known(name, cols, "a foreign key"):
                continue
            if ref not in self.tables:
                self.problem(f"table {name}: the foreign key ({', '.join(cols)}) references table {ref!r}, which the "
                             f"design does not have")
                continue
            if not ref_cols or len(ref_cols) != len(cols):
                self.problem(f"table {name}: the foreign key ({', '.join(cols)}) -> {ref} needs as many referenced "
                             f"columns as columns")
                continue
            if not self._known(ref, ref_cols, f"the foreign key from {name}"):
                continue
            keys = [_strings(self.tables[ref].get("primary_key"))]
            keys += [_strings(u) for u in self.tables[ref].get("unique") or [] if isinstance(u, list)]
            if sorted(ref_cols) not in [sorted(k) for k in keys]:
                self.problem(f"table {name}: the foreign key ({', '.join(cols)}) -> {ref}({', '.join(ref_cols)}) "
                             f"must reference {ref}'s primary key or a UNIQUE column set")

    def _rule(self, n: int, r: Any) -> None:
        if not isinstance(r, dict) or not isinstance(r.get("text"), str):
            return
        table, column, check = r.get("table"), r.get("column"), r.get("check")
        if table not in self.tables:
            self.problem(f"rule {n} ({r['text'][:60]!r}) is about table {table!r}, which the design does not have")
            return
        if column is not None and column not in self.columns[table]:
            self.problem(f"rule {n} ({r['text'][:60]!r}) is about {table}.{column}, which does not exist")
            return
        text = " ".join(r["text"].split())
        if isinstance(check, str) and check.strip():
            node = parse_check(check, set(self.columns[table]), f"rule {n} on {table}", self.draft.problems)
            if node is None:
                return
            name = f"rule_{table}_{n}"[:63]
            sql = node.sql("postgres")
            self.checks.setdefault(table, []).append((name, sql))
            self.draft.rules.append(Rule(text=text, table=table, column=column, check=sql, name=name))
        else:
            self.comments.setdefault((table, column), []).append(f"Rule: {text}")
            self.draft.rules.append(Rule(text=text, table=table, column=column))

    def _ddl(self) -> str:
        statements = []
        for name, t in self.tables.items():
            lines = []
            for cname, c in self.columns[name].items():
                type_sql = exp.DataType.build(c["type"], dialect="postgres").sql("postgres")
                not_null = " NOT NULL" if c.get("nullable") is False else ""
                lines.append(f"{_ident(cname)} {type_sql}{not_null}")
            lines.append(f"PRIMARY KEY ({', '.join(_ident(c) for c in _strings(t.get('primary_key')))})")
            for u in t.get("unique") or []:
                if _strings(u):
                    lines.append(f"UNIQUE ({', '.join(_ident(c) for c in _strings(u))})")
            for cname, sql in self.checks.get(name, []):
                lines.append(f"CONSTRAINT {_ident(cname)} CHECK ({sql})")
            body = ",\n  ".join(lines)
            statements.append(f"CREATE TABLE {_ident(name)} (\n  {body}\n);")
        for name, t in self.tables.items():
            for fk in t.get("foreign_keys") or []:
                cols = ", ".join(_ident(c) for c in _strings(fk.get("columns")))
                refs = ", ".join(_ident(c) for c in _strings(fk.get("ref_columns")))
                statements.append(f"ALTER TABLE {_ident(name)} ADD FOREIGN KEY ({cols}) "
                                  f"REFERENCES {_ident(fk['references'])} ({refs});")
        for (table, column), texts in self.comments.items():
            target = f"COLUMN {_ident(table)}.{_ident(column)}" if column else f"TABLE {_ident(table)}"
            statements.append(f"COMMENT ON {target} IS {_literal('; '.join(texts))};")
        return "\n\n".join(statements) + "\n"


def draft_from_document(doc: Any) -> Draft:
    """The PostgreSQL DDL and rules of a design document, or the problems that stop it (see the module docstring)."""
    if not isinstance(doc, dict):
        return Draft(problems=["the answer is not a JSON object with \"tables\" and \"rules\""])
    return _Builder(doc).run()
