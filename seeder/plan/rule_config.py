"""Rules in the configuration: ``[rules."<id>"]``, pins in ``[columns."table.column"]``, and ``--set``.

Format (``seeder.toml`` or ``[tool.seeder]``; ``seeder plan --write-config`` writes every rule this way)::

    [rules."agree:order.address_id"]        # change an inferred rule: only the fields given change
    diverge = 0.05

    [rules."time:rental.rental_date<return_date"]
    enabled = false                          # switch an inferred rule off

    [rules."expr:order_item.line_total"]     # add a rule by hand: kind, table and subject come from the id
    expression = "quantity * unit_price"

    [rules."fanout:order_item.order_id"]
    min = 1
    max = 8
    distribution = "lognormal"

    [columns."order.status"]                 # pin a column: one of value, choices (+ weights), faker, expression
    choices = ["paid", "shipped"]
    weights = [3, 1]

    [columns."order_item.unit_price"]
    expression = "product.price * 0.9"      # SQL over the row and its FK parents (parent table.column)

On the command line, ``--set order.status=paid`` pins a column for one run (the value is read as TOML: ``3``,
``1.5``, ``true``, ``"text"``; anything else is a string). The id's ``kind`` is one of
:data:`~seeder.plan.rules.RULE_KINDS`; field names are those of the rule's class. FK paths are written as lists of
``"table.column"`` hops (``["order.address_id", "address.customer_id"]``); lags as ``{low, high, unit,
distribution}``.

This module turns the parsed TOML into :class:`~seeder.plan.rules.Rule` objects (or ``None`` for a switched-off
rule) keyed by id, against the schema's tables; every mistake is a :class:`~seeder.errors.ConfigError` naming the
rule and what to fix.
"""

from __future__ import annotations

import dataclasses
import difflib
import sys
import typing
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from seeder.errors import ConfigError
from seeder.plan.rules import (
    RULE_KINDS,
    ColumnSource,
    FkHop,
    Lag,
    Pin,
    Rule,
)
from seeder.schema import Table, TableName

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

#: Keys of ``[columns."t.c"]`` that pin the column (``hint`` belongs to the LLM).
PIN_KEYS = ("value", "choices", "weights", "faker", "expression")

#: Finds the table a name in the config means (``seeder.plan.planner.resolve_table_name`` bound to a schema).
Resolve = Callable[[str], TableName]


def split_id(rule_id: str, tables: Mapping[TableName, Table], resolve: Resolve) -> tuple[str, Table, str]:
    """``kind``, table and subject of a rule id ``kind:table.subject`` (the longest table-name prefix wins)."""
    kind, sep, rest = rule_id.partition(":")
    if not sep or kind not in RULE_KINDS:
        close = difflib.get_close_matches(kind, list(RULE_KINDS), n=1)
        hint = f"; did you mean {close[0]}?" if close else f"; kinds: {', '.join(RULE_KINDS)}"
        raise ConfigError(f"rules.{rule_id!r}: unknown rule kind {kind!r}{hint}")
    parts = rest.split(".")
    for cut in range(len(parts), 0, -1):
        name = ".".join(parts[:cut])
        try:
            table = tables[resolve(name)]
        except ConfigError:
            continue
        return kind, table, ".".join(parts[cut:])
    raise ConfigError(f"rules.{rule_id!r}: no table of the schema starts {rest!r} (write kind:table.subject)")


def pins_from_columns(columns: Mapping[str, Any], tables: Mapping[TableName, Table], resolve: Resolve,
                      where: str = "columns") -> dict[str, Rule]:
    """Pins from ``[columns."table.column"]`` tables that set one of :data:`PIN_KEYS`, keyed by rule id."""
    out: dict[str, Rule] = {}
    for name, settings in columns.items():
        if not isinstance(settings, Mapping) or not any(k in settings for k in PIN_KEYS):
            continue
        table, column = _column(name, tables, resolve, where)
        pin = make_pin(table, column, settings, f"{where}.{name!r}")
        out[pin.id] = pin
    return out


def make_pin(table: Table, column: str, settings: Mapping[str, Any], where: str) -> Pin:
    """A :class:`Pin` from one ``[columns]`` table (exactly one of value, choices, faker, expression)."""
    given = [k for k in ("value", "choices", "faker", "expression") if k in settings]
    if len(given) != 1:
        raise ConfigError(f"{where}: give exactly one of value, choices, faker, expression (got "
                          f"{', '.join(given) or 'none'})")
    unknown = set(settings) - {*PIN_KEYS, "hint"}
    if unknown:
        raise ConfigError(f"{where}: unknown key {sorted(unknown)[0]!r} (pins take {', '.join(PIN_KEYS)})")
    choices = tuple(settings.get("choices", ()))
    weights = tuple(float(w) for w in settings.get("weights", ()))
    if "choices" in settings and (not choices or not isinstance(settings["choices"], list)):
        raise ConfigError(f"{where}: choices must be a non-empty list")
    if weights and (len(weights) != len(choices) or any(w < 0 for w in weights) or not sum(weights)):
        raise ConfigError(f"{where}: weights must be as many non-negative numbers as choices, not all 0")
    faker = settings.get("faker")
    if faker is not None:
        _check_faker(faker, where)
    expression = settings.get("expression")
    if expression is not None:
        _check_sql(expression, where)
    why = "pinned in the configuration"
    return Pin(table=table.name, column=column, value=settings.get("value"), choices=choices, weights=weights,
               faker=faker, expression=expression, origin="config", why=why)


def pins_from_sets(sets: Sequence[str], tables: Mapping[TableName, Table], resolve: Resolve) -> dict[str, Rule]:
    """Pins from ``--set table.column=value`` options (the value read as TOML, else as a string)."""
    out: dict[str, Rule] = {}
    for item in sets:
        name, sep, raw = item.partition("=")
        if not sep or not name.strip():
            raise ConfigError(f"--set {item!r}: write table.column=value")
        table, column = _column(name.strip(), tables, resolve, "--set")
        pin = Pin(table=table.name, column=column, value=_toml_value(raw.strip()), origin="config",
                  why=f"--set {name.strip()}")
        out[pin.id] = pin
    return out


def _toml_value(raw: str) -> Any:
    try:
        return tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        return raw


def _column(name: str, tables: Mapping[TableName, Table], resolve: Resolve, where: str) -> tuple[Table, str]:
    table_part, sep, column = name.rpartition(".")
    if not sep:
        raise ConfigError(f"{where} {name!r}: write table.column")
    table = tables[resolve(table_part)]
    if column not in table.column_names:
        close = difflib.get_close_matches(column, list(table.column_names), n=1)
        hint = f"; did you mean {close[0]}?" if close else ""
        raise ConfigError(f"{where} {name!r}: table {table.name} has no column {column!r}{hint}")
    return table, column


def _check_faker(provider: Any, where: str) -> None:
    from faker import Faker

    if not isinstance(provider, str) or provider.startswith("_") or not callable(getattr(Faker(), provider, None)):
        raise ConfigError(f"{where}: faker = {provider!r} is not a Faker provider (e.g. \"catch_phrase\", \"city\")")


def _check_sql(expression: Any, where: str) -> None:
    import sqlglot

    if not isinstance(expression, str):
        raise ConfigError(f"{where}: expression must be SQL text")
    try:
        sqlglot.parse_one(expression)
    except sqlglot.errors.ParseError as err:
        raise ConfigError(f"{where}: expression {expression!r} is not SQL: {str(err).splitlines()[0]}") from None


def rules_from_config(section: Mapping[str, Any], inferred: Mapping[str, Rule], tables: Mapping[TableName, Table],
                      resolve: Resolve, where: str = "rules") -> dict[str, Rule | None]:
    """The ``[rules]`` section as rules by id: ``None`` for ``enabled = false``, the inferred rule with the given
    fields changed, or a new rule built from its id and fields.

    Raises:
        ConfigError: an unknown kind, table, column or field, or a value of the wrong shape.
    """
    out: dict[str, Rule | None] = {}
    for rule_id, settings in section.items():
        label = f"{where}.{rule_id!r}"
        if not isinstance(settings, Mapping):
            raise ConfigError(f"{label}: must be a table (e.g. enabled = false)")
        settings = dict(settings)
        enabled = settings.pop("enabled", True)
        settings.pop("why", None)
        if enabled is False:
            out[rule_id] = None
            continue
        kind, table, subject = split_id(rule_id, tables, resolve)
        cls = RULE_KINDS[kind]
        base = inferred.get(rule_id)
        fields = _convert(cls, settings, table, tables, resolve, label)
        if base is not None:
            rule = dataclasses.replace(base, origin="config", **fields)  # type: ignore[arg-type]
        else:
            rule = _new_rule(cls, kind, table, subject, fields, label)
        out[rule.id if base is None else rule_id] = rule
    return out


def _subject_fields(kind: str, table: Table, subject: str, label: str) -> dict[str, Any]:
    """Fields implied by an id's subject: the column, an FK's columns, ``a<b`` of a time order."""
    if kind == "time":
        earlier, sep, later = subject.partition("<")
        if not sep:
            raise ConfigError(f"{label}: a time order's id ends in earlier<later")
        return {"earlier": earlier, "later": later}
    if kind in ("fanout",):
        return {"fk": tuple(subject.split("+"))}
    if kind in ("role", "agree", "exists", "periods", "linked", "status"):
        return {"record": subject} if kind == "linked" else {"status": subject} if kind == "status" else {}
    return {"column": subject}


def _new_rule(cls: type[Rule], kind: str, table: Table, subject: str, fields: dict[str, Any], label: str) -> Rule:
    implied = _subject_fields(kind, table, subject, label)
    for name in ("column", "earlier", "later", "status"):
        value = implied.get(name, fields.get(name))
        if isinstance(value, str) and value not in table.column_names:
            raise ConfigError(f"{label}: table {table.name} has no column {value!r}")
    if kind == "fanout" and "ref_table" not in fields:
        fk = next((f for f in table.foreign_keys if f.columns == implied["fk"]), None)
        if fk is None:
            raise ConfigError(f"{label}: {table.name} has no foreign key ({', '.join(implied['fk'])})")
        fields["ref_table"] = fk.ref_table
    try:
        return cls(table=table.name, origin="config", why=fields.pop("why", "added in the configuration"),
                   **{**implied, **fields})
    except TypeError as err:
        missing = str(err).split(":")[-1].strip()
        raise ConfigError(f"{label}: missing settings for a new {kind} rule: {missing}") from None


def _convert(cls: type[Rule], settings: Mapping[str, Any], table: Table, tables: Mapping[TableName, Table],
             resolve: Resolve, label: str) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    known = {f.name for f in dataclasses.fields(cls)} - {"table", "origin"}
    out: dict[str, Any] = {}
    for key, value in settings.items():
        if key not in known:
            close = difflib.get_close_matches(key, sorted(known), n=1)
            hint = f"; did you mean {close[0]}?" if close else f"; settings: {', '.join(sorted(known))}"
            raise ConfigError(f"{label}: unknown setting {key!r}{hint}")
        out[key] = _value(hints[key], value, table, tables, resolve, f"{label}.{key}")
    return out


def _value(hint: Any, value: Any, table: Table, tables: Mapping[TableName, Table], resolve: Resolve,
           where: str) -> Any:
    text = str(hint)
    try:
        if hint is TableName:
            return resolve(str(value))
        if hint is Lag:
            return Lag(**value)
        if "FkHop" in text and "ColumnSource" not in text:
            return tuple(_hop(h, tables, resolve, where) for h in value)
        if "ColumnSource" in text:
            return tuple(ColumnSource(tuple(_hop(h, tables, resolve, where) for h in s.get("path", ())),
                                      s["column"]) for s in value)
        if "tuple[tuple[str, str]" in text:
            items = value.items() if isinstance(value, Mapping) else value
            return tuple((str(a), str(b)) for a, b in items)
        if text.startswith("tuple"):
            return tuple(value)
        if hint is float:
            return float(value)
    except (TypeError, KeyError, ValueError, AttributeError) as err:
        raise ConfigError(f"{where}: cannot read {value!r} ({err})") from None
    return value


def _hop(hop: Any, tables: Mapping[TableName, Table], resolve: Resolve, where: str) -> FkHop:
    """A hop from ``"table.column"`` (the FK on that column) or a dict of :class:`FkHop` fields."""
    if isinstance(hop, Mapping):
        return FkHop(resolve(hop["table"]), tuple(hop["columns"]), resolve(hop["ref_table"]),
                     tuple(hop.get("ref_columns", ())))
    name, sep, column = str(hop).rpartition(".")
    table = tables[resolve(name)] if sep else None
    fk = next((f for f in table.foreign_keys if column in f.columns), None) if table else None
    if fk is None:
        raise ConfigError(f"{where}: {hop!r} is not an FK column (write \"table.fk_column\")")
    return FkHop(table.name, fk.columns, fk.ref_table, fk.ref_columns)  # type: ignore[union-attr]
