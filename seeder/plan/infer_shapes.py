"""Shapes inferred from the schema: table roles (and so row counts), children per parent, NULL rates by meaning.

Roles, judged from structure first and names second:

* ``link``: the primary key is made of FKs to two or more tables and little else (``film_actor``);
* ``history``: an FK to its owner plus a start and an end date (``salaries``, ``*_history``);
* ``detail``: a line of an event (an FK to an event in the key, or a name ending in line/item/detail);
* ``lookup``: referenced, no FKs of its own, at most three content columns with a label among them
  (``language``, ``category``, ``genre``), or a noun of few rows (``store``, ``region``, ``department``);
* ``event``: something that happens at a time to entities (``order``, ``rental``, ``payment``, ``review``);
* ``entity``: everything else (``customer``, ``product``, ``film``).
"""

from __future__ import annotations

from seeder.plan.facts import SchemaFacts, is_temporal, words
from seeder.plan.rules import LOOKUP_MAX_ROWS, ROLE_SCALE, FanOut, NullRate, Rule, TableRole
from seeder.schema import Table

#: Nouns of tables that hold few rows even in a big database.
FEW_ROW_NOUNS = frozenset({
    "store", "warehouse", "branch", "office", "region", "territory", "department", "dept", "shipper", "carrier",
    "currency", "language", "country", "status", "type", "category", "genre", "level", "unit", "shift",
    "demographic", "culture", "scrapreason", "reason", "mediatype", "media", "format", "tier", "plan",
})
#: Nouns of tables that record events.
EVENT_NOUNS = frozenset({
    "order", "rental", "payment", "invoice", "review", "booking", "reservation", "transaction", "visit", "sale",
    "shipment", "purchase", "log", "event", "message", "comment", "rating", "loan", "ticket", "call", "session",
    "login", "salesorderheader", "purchaseorderheader", "workorder", "transactionhistory",
})
DETAIL_NOUNS = frozenset({"line", "item", "detail", "salesorderdetail", "purchaseorderdetail", "entry"})
#: Column-name words of labels (what a lookup table lists).
LABEL_WORDS = frozenset({"name", "title", "label", "description", "desc", "code", "abbr", "country", "city",
                         "language", "genre", "category", "type"})
_AUDIT = frozenset({"last", "update", "modified", "modifieddate", "rowguid", "created", "updated"})

#: NULL share of nullable columns by what they mean (others keep the engine's default of 10%).
NULL_RATES: dict[str, float] = {
    "address2": 0.75, "fax": 0.6, "middle": 0.5, "company": 0.6, "suffix": 0.9, "state": 0.15, "region": 0.3,
    "picture": 0.5, "photo": 0.5, "thumbnail": 0.5, "email": 0.05, "phone": 0.1, "description": 0.05,
    "comment": 0.5, "note": 0.5, "notes": 0.4, "original": 0.8, "deleted": 0.95, "discontinued": 0.9,
    "end": 0.3, "to": 0.3, "until": 0.3, "expire": 0.7, "cancelled": 0.9, "parent": 0.2, "reports": 0.1,
}


def table_role(facts: SchemaFacts, table: Table) -> tuple[str, str]:
    """``(role, why)`` of ``table`` (see module docstring)."""
    fks = facts.fks(table)
    nouns = facts.nouns(table)
    head = nouns[-1] if nouns else ""
    pk = set(table.primary_key.columns) if table.primary_key else set()
    content = [c for c in facts.content_columns(table) if not set(words(c.name)) & _AUDIT]
    fk_parents = {fk.ref_table for fk in fks}
    pk_fks = [fk for fk in fks if set(fk.columns) <= pk]
    temporal = [c for c in table.columns if is_temporal(c) and not set(words(c.name)) & _AUDIT]
    starts = [c for c in temporal if set(words(c.name)) & {"from", "start", "begin", "valid"}]
    ends = [c for c in temporal if set(words(c.name)) & {"to", "end", "until", "thru"}]
    if starts and ends and fks and (head in {"history", "salary", "title"} or pk_fks):
        return "history", f"an FK to its owner and a period ({starts[0].name}..{ends[0].name})"
    event_parent = any(_looks_event(facts, facts.table(fk.ref_table)) for fk in pk_fks) or \
        (head in DETAIL_NOUNS and fks)
    if event_parent:
        return "detail", "lines of an event (an FK to it in the key, or named like a line/item)"
    if len({fk.ref_table for fk in pk_fks}) >= 2 and pk <= {c for fk in pk_fks for c in fk.columns} \
            and len(content) <= 2:
        return "link", f"its key is made of FKs to {', '.join(sorted(str(fk.ref_table.name) for fk in pk_fks))}"
    referenced = bool(facts.children[table.name])
    labels = [c for c in content if set(words(c.name)) & LABEL_WORDS]
    if referenced and not fk_parents and len(content) <= 3 and labels and not _person_or_title(facts, table):
        return "lookup", f"referenced, no FKs of its own, {len(content)} content column(s) with a label"
    if referenced and head in FEW_ROW_NOUNS:
        return "lookup", f"a {head} table: few rows"
    if _looks_event(facts, table):
        return "event", "a dated record of something that happened to its parents"
    return "entity", "the default role"


def _person_or_title(facts: SchemaFacts, table: Table) -> bool:
    kinds = {facts.kind(table, c.name) for c in facts.content_columns(table)}
    return bool(kinds & {"first_name", "last_name", "full_name", "title", "company", "email"})


def _looks_event(facts: SchemaFacts, table: Table) -> bool:
    nouns = set(facts.nouns(table))
    if nouns & EVENT_NOUNS and facts.fks(table):
        return True
    dated = [c for c in facts.content_columns(table) if is_temporal(c) and not set(words(c.name)) & _AUDIT]
    return bool(dated) and len(facts.fks(table)) >= 2 and not nouns & {"film", "product", "customer", "employee"}


def infer_shapes(facts: SchemaFacts) -> list[Rule]:
    """Roles of every table, fan-out shapes of their FKs, and NULL rates of nullable content columns."""
    rules: list[Rule] = []
    roles: dict = {}
    for table in facts.tables:
        role, why = table_role(facts, table)
        roles[table.name] = role
        rules.append(TableRole(table=table.name, role=role, scale=ROLE_SCALE[role],  # type: ignore[arg-type]
                               max_rows=LOOKUP_MAX_ROWS if role == "lookup" else None, why=why))
    for table in facts.tables:
        for fk in facts.fks(table):
            shape = _fan_out(facts, table, fk, roles)
            if shape is not None:
                rules.append(shape)
        rules.extend(_null_rates(facts, table))
    return rules


def _fan_out(facts: SchemaFacts, table: Table, fk, roles: dict) -> FanOut | None:  # type: ignore[no-untyped-def]
    role, parent_role = roles[table.name], roles[fk.ref_table]
    nullable = any(table.column(c).nullable for c in fk.columns)
    if role == "detail" and parent_role == "event" and not nullable:
        return FanOut(table=table.name, fk=fk.columns, ref_table=fk.ref_table, min=1, distribution="lognormal",
                      skew=0.5, why=f"every {fk.ref_table.name} has at least one {table.name.name} line")
    if role == "history" and not nullable and fk == next(f for f in facts.fks(table) if not any(
            table.column(c).nullable for c in f.columns)):
        return FanOut(table=table.name, fk=fk.columns, ref_table=fk.ref_table, min=1, distribution="lognormal",
                      skew=0.5, why=f"each {fk.ref_table.name} has a history of one or more periods")
    if role == "event" and parent_role == "entity" and not nullable:
        return FanOut(table=table.name, fk=fk.columns, ref_table=fk.ref_table, min=0, distribution="zipf",
                      skew=1.1, why=f"a few {fk.ref_table.name} rows have many {table.name.name} rows (heavy tail)")
    return None


def _null_rates(facts: SchemaFacts, table: Table) -> list[Rule]:
    out: list[Rule] = []
    for col in facts.content_columns(table):
        if not col.nullable:
            continue
        tokens = set(words(col.name))
        hits = [NULL_RATES[t] for t in tokens if t in NULL_RATES]
        if hits:
            rate = max(hits)
            out.append(NullRate(table=table.name, column=col.name, rate=rate,
                                why=f"{col.name} is usually {'empty' if rate > 0.5 else 'set'}"))
    return out
