"""Python versions of SQL functions that real schemas call in their CHECK constraints.

The schema model carries no function bodies, so a CHECK such as ``controlled_for_whitespace(name)`` cannot be
evaluated from the DDL alone. The functions here are recognised by their (unqualified, lower-case) name and passed to
the CHECK evaluator (:func:`seeder.generate.checks.failing_checks` ``functions=``), so rows are verified against them
and regenerated when they fail. Sources:

* ``controlled_for_whitespace(text)`` / ``padded_by_whitespace(text)``: MusicBrainz ``admin/sql/CreateFunctions.sql``:
  ``SELECT NOT padded_by_whitespace($1)`` and ``SELECT btrim($1) <> $1``; PostgreSQL's one-argument ``btrim``
  removes spaces only ("String Functions and Operators").
* ``to_regclass(text)``: PostgreSQL "System Information Functions": the relation the name resolves to, or NULL.
  Names resolve against the schema's own tables (unqualified names in ``public``, the default ``search_path``);
  :func:`regclass_choices` lists the names a generator may use.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlglot import exp

from seeder.schema import Schema


def _padded_by_whitespace(value: Any) -> bool | None:
    if value is None:
        return None
    text = str(value)
    return text.strip(" ") != text


def _controlled_for_whitespace(value: Any) -> bool | None:
    padded = _padded_by_whitespace(value)
    return None if padded is None else not padded


def regclass_choices(schema: Schema) -> tuple[str, ...]:
    """Table names ``to_regclass`` resolves in ``schema``: ``schema.table`` for every table, sorted."""
    return tuple(sorted(str(t.name) for t in schema.tables))


def _regclass(schema: Schema) -> Callable[[Any], str | None]:
    names = set(regclass_choices(schema))
    public = {t.name.name for t in schema.tables if t.name.schema in (None, "public")}

    def to_regclass(value: Any) -> str | None:
        if value is None:
            return None
        text = str(value)
        if text in names or text in public:
            return text
        return None
    return to_regclass


def functions_for(schema: Schema) -> dict[str, Callable[..., Any]]:
    """The known functions for ``schema``, keyed by lower-case unqualified name (the evaluator also matches them when
    a CHECK calls them schema-qualified)."""
    return {
        "controlled_for_whitespace": _controlled_for_whitespace,
        "padded_by_whitespace": _padded_by_whitespace,
        "to_regclass": _regclass(schema),
    }


def _call_name(node: exp.Expression) -> str | None:
    if isinstance(node, exp.Anonymous):
        return str(node.this).lower()
    if isinstance(node, exp.Dot) and isinstance(node.expression, exp.Anonymous):
        return str(node.expression.this).lower()
    return None


def _call_args(node: exp.Expression) -> list[exp.Expression]:
    call = node.expression if isinstance(node, exp.Dot) else node
    return list(call.expressions)


def rewrite_atom(atom: exp.Expression, schema: Schema) -> exp.Expression | None:
    """A plain form of a predicate on a known function that value generators understand, or ``None``.

    ``to_regclass(x) IS NOT NULL`` becomes ``x IN ('schema.table', ...)``.
    """
    node = atom.unnest() if isinstance(atom, exp.Paren) else atom
    if isinstance(node, exp.Is) and node.args.get("negate") and isinstance(node.expression, exp.Null):
        inner = node.this.unnest() if isinstance(node.this, exp.Paren) else node.this
        if _call_name(inner) == "to_regclass":
            args = _call_args(inner)
            if len(args) == 1:
                return exp.In(this=args[0].copy(),
                              expressions=[exp.Literal.string(n) for n in regclass_choices(schema)])
    return None
