"""Rules inside one row: time order of date pairs, status timelines, linked records, same-row sums.

Time pairs are matched by the words of column names with the date words (``date``, ``at``, ``time``, ...) removed:
``ordered_at``/``shipped_at``, ``order_date``/``required_date``, ``rental_date``/``return_date``, ``from_date``/
``to_date``, ``sellstartdate``/``sellenddate``, ``birth_date``/``hire_date``. Each pair gets a plausible lag
(:data:`PAIRS`): days for shipping, years between birth and hire.
"""

from __future__ import annotations

from seeder.plan.facts import SchemaFacts, is_numeric, is_temporal, is_text, words
from seeder.plan.rules import Lag, Linked, RowExpression, Rule, StatusTimeline, TimeOrder
from seeder.schema import Column, Table
from seeder.types import CHARACTER_KINDS

_DATE_WORDS = frozenset({"date", "at", "time", "timestamp", "dt", "on", "ts", "day", "datetime"})

#: (earlier words, later words, lag, why): the first pair whose words both match a column decides.
PAIRS: tuple[tuple[frozenset[str], frozenset[str], Lag, str], ...] = (
    (frozenset({"birth", "dob", "born"}), frozenset({"hire", "hired", "join", "joined"}),
     Lag(18, 45, "years", "uniform"), "people are hired as adults"),
    (frozenset({"order", "ordered", "placed"}), frozenset({"ship", "shipped", "dispatch", "dispatched"}),
     Lag(1, 10, "days"), "shipping takes days"),
    (frozenset({"order", "ordered", "placed"}), frozenset({"required", "due", "promised"}),
     Lag(7, 30, "days", "uniform"), "a due date weeks after ordering"),
    (frozenset({"ship", "shipped"}), frozenset({"deliver", "delivered", "arrival", "received"}),
     Lag(1, 10, "days"), "delivery takes days"),
    (frozenset({"order", "ordered"}), frozenset({"deliver", "delivered"}), Lag(2, 20, "days"),
     "delivery comes after ordering"),
    (frozenset({"rental", "rent", "rented", "checkout", "borrow", "borrowed", "loan"}),
     frozenset({"return", "returned", "checkin"}), Lag(1, 10, "days"), "rentals are returned days later"),
    (frozenset({"sell", "sale"}) | frozenset({"start"}), frozenset({"discontinued"}), Lag(365, 2000, "days"),
     "products are discontinued after selling for years"),
    (frozenset({"start", "begin", "from", "valid", "open", "opened"}),
     frozenset({"end", "finish", "to", "until", "thru", "close", "closed", "expire", "expiry"}),
     Lag(30, 1500, "days"), "a period ends after it starts"),
    (frozenset({"created", "create", "registered", "signup", "inserted"}),
     frozenset({"updated", "update", "modified", "changed"}), Lag(0, 700, "days", "uniform"),
     "a row is updated after it is created"),
    (frozenset({"issued", "issue", "invoice"}), frozenset({"due", "paid", "payment"}), Lag(7, 30, "days", "uniform"),
     "payment is due weeks after issue"),
    (frozenset({"departure", "depart", "checkin"}), frozenset({"arrival", "arrive", "checkout"}),
     Lag(1, 14, "days"), "arrival follows departure"),
)

#: States of status columns in order of progress, and states that end a row's progress early.
STATE_ORDER = ("draft", "new", "created", "pending", "placed", "ordered", "open", "processing", "paid", "confirmed",
               "approved", "packed", "shipped", "sent", "in_transit", "delivered", "received", "completed",
               "complete", "done", "closed", "returned", "refunded")
DEAD_STATES = frozenset({"cancelled", "canceled", "rejected", "failed", "void", "declined", "expired", "on_hold"})
#: Words of a timestamp column recording that a state was reached.
STATE_STAMP_WORDS: dict[str, frozenset[str]] = {
    "paid": frozenset({"paid", "payment"}), "shipped": frozenset({"shipped", "ship", "sent", "dispatched"}),
    "sent": frozenset({"sent", "shipped"}), "delivered": frozenset({"delivered", "delivery"}),
    "received": frozenset({"received"}), "completed": frozenset({"completed", "finished"}),
    "closed": frozenset({"closed"}), "approved": frozenset({"approved"}), "confirmed": frozenset({"confirmed"}),
    "returned": frozenset({"returned", "return"}), "refunded": frozenset({"refunded"}),
    "cancelled": frozenset({"cancelled", "canceled"}), "canceled": frozenset({"cancelled", "canceled"}),
}


def _base(col: Column) -> frozenset[str]:
    return frozenset(words(col.name)) - _DATE_WORDS


def infer_time_orders(facts: SchemaFacts, table: Table, skip: set[str]) -> list[Rule]:
    """Within-row time orders of ``table`` (columns in ``skip`` belong to another rule: left out)."""
    temporal = [c for c in table.columns if is_temporal(c) and not c.generated and c.name not in skip]
    out: list[Rule] = []
    taken: set[tuple[str, str]] = set()
    for earlier_words, later_words, lag, why in PAIRS:
        for a in temporal:
            if not _base(a) & earlier_words or _base(a) & later_words:
                continue
            for b in temporal:
                if b is a or not _base(b) & later_words or (a.name, b.name) in taken:
                    continue
                if _base(b) & earlier_words and not _base(b) & {"discontinued"}:
                    continue
                if any(rule.later == b.name for rule in out if isinstance(rule, TimeOrder)):
                    continue
                taken.add((a.name, b.name))
                out.append(TimeOrder(table=table.name, earlier=a.name, later=b.name, lag=lag,
                                     why=f"{b.name} after {a.name}: {why}"))
    return out


def infer_status(facts: SchemaFacts, table: Table) -> list[Rule]:
    """A status column with known states and timestamps named after them (``status`` / ``shipped_at``)."""
    out: list[Rule] = []
    for col in table.columns:
        if facts.kind(table, col.name) != "status":
            continue
        states = _states(table, col)
        if not states:
            continue
        temporal = [c for c in table.columns if is_temporal(c) and not c.generated]
        stamps: list[tuple[str, str]] = []
        for state in states:
            wanted = STATE_STAMP_WORDS.get(state.lower())
            match = next((c for c in temporal if wanted and _base(c) & wanted), None)
            if match is not None and match.name not in [s for _, s in stamps]:
                stamps.append((state, match.name))
        if not stamps:
            continue
        first = next((c for c in temporal if _base(c) & {"order", "ordered", "created", "placed", "create"}), None)
        progress = [s for s in STATE_ORDER if s in {x.lower() for x in states}]
        ordered = [next(x for x in states if x.lower() == s) for s in progress]
        dead = tuple(x for x in states if x.lower() in DEAD_STATES)
        if first is not None and ordered:
            stamps.insert(0, (ordered[0], first.name))
        stamps = [(s, c) for s, c in stamps if s in ordered or s in dead]
        if len(stamps) < 2 and not dead:
            continue
        out.append(StatusTimeline(table=table.name, status=col.name, states=tuple(ordered), stamps=tuple(stamps),
                                  dead_states=dead, lag=Lag(1, 7, "days"),
                                  why=f"{col.name} and {', '.join(c for _, c in stamps)} tell one story: nothing "
                                      f"{stamps[-1][0]} while {ordered[0] if ordered else 'new'}"))
    return out


def _states(table: Table, col: Column) -> tuple[str, ...]:
    if col.type.values:
        return col.type.values
    from sqlglot import exp

    for check in (*table.checks, *col.checks):
        cols = {c.name for c in check.expression.find_all(exp.Column)}
        if cols != {col.name}:
            continue
        for node in check.expression.find_all(exp.In):
            labels = tuple(e.this for e in node.expressions if isinstance(e, exp.Literal) and e.is_string)
            if labels:
                return labels
    return ()


_ADDRESS_ROLES = {"country": "country", "country_code": "country_code", "state": "state", "city": "city",
                  "postal_code": "postal_code", "phone": "phone", "street_address": "street", "address2": "address2"}
_ADDRESS_PREFIXES = ("billing", "bill", "ship", "shipping", "home", "work", "mailing", "delivery", "business")


def infer_linked(facts: SchemaFacts, table: Table) -> list[Rule]:
    """Address records (per column-name prefix), person records (first name + gender/title), card records and
    paired flags of ``table``."""
    out: list[Rule] = []
    skip = facts.key_columns(table) - facts.unique_columns(table)
    groups: dict[str, list[tuple[str, str]]] = {}
    for col in table.columns:
        if col.generated or col.name in facts.fk_columns(table):
            continue
        kind = facts.kind(table, col.name)
        role = _ADDRESS_ROLES.get(kind or "")
        if role is None and is_text(col) and set(words(col.name)) & {"district", "region"} and kind == "state":
            role = "state"
        if role is None:
            continue
        tokens = words(col.name)
        prefix = tokens[0] if tokens and tokens[0] in _ADDRESS_PREFIXES else ""
        if role == "state" and col.type.length is not None and col.type.length <= 3:
            role = "state_code"
        if kind == "phone" and set(tokens) & {"fax"}:
            continue
        group = groups.setdefault(prefix, [])
        if role not in [r for r, _ in group]:
            group.append((role, col.name))
    for prefix, roles in groups.items():
        names = {r for r, _ in roles}
        if len(names & {"country", "country_code", "state", "state_code", "city", "postal_code", "phone"}) >= 2:
            label = f"{prefix} address" if prefix else "address"
            us_only = bool(set(facts.nouns(table)) & {"us", "usa"})
            out.append(Linked(table=table.name, record="address" if not prefix else f"address:{prefix}",
                              roles=tuple(roles), locale="en_US" if us_only else None,
                              why=f"{label} columns from one locale: real places, matching postal codes and phones"))
    out.extend(_person(facts, table, skip))
    out.extend(_card(facts, table))
    out.extend(_flags(facts, table))
    return out


def _person(facts: SchemaFacts, table: Table, skip: set[str]) -> list[Rule]:
    roles: list[tuple[str, str]] = []
    for col in table.columns:
        if col.generated or col.name in skip:
            continue
        kind = facts.kind(table, col.name)
        tokens = set(words(col.name))
        if kind == "first_name" and not tokens & {"middle"}:
            roles.append(("first_name", col.name))
        elif kind == "gender" or (col.type.kind == "enum" and tokens & {"gender", "sex"}):
            roles.append(("gender", col.name))
        elif kind == "courtesy_title" or (kind in ("title", "job_title") and col.type.kind in CHARACTER_KINDS
                                          and col.type.length is not None and col.type.length <= 8):
            roles.append(("title", col.name))
    have = {r for r, _ in roles}
    if "first_name" in have and have & {"gender", "title"}:
        return [Linked(table=table.name, record="person", roles=tuple(dict(roles).items()),
                       why="first name, gender and courtesy title of one person agree")]
    return []


def _card(facts: SchemaFacts, table: Table) -> list[Rule]:
    roles: list[tuple[str, str]] = []
    for col in table.columns:
        tokens = set(words(col.name))
        kind = facts.kind(table, col.name)
        if kind == "card_provider" or (tokens & {"card"} and tokens & {"type", "brand"}):
            roles.append(("type", col.name))
        elif kind == "credit_card_number" or (tokens & {"card"} and tokens & {"number", "num", "no"}):
            roles.append(("number", col.name))
        elif (is_numeric(col) and tokens & {"exp", "expiry", "expiration", "expmonth"} and tokens & {"month"}) \
                or col.name.lower() == "expmonth":
            roles.append(("expiry_month", col.name))
        elif is_numeric(col) and ((tokens & {"exp", "expiry", "expiration"} and tokens & {"year"})
                                  or col.name.lower() == "expyear"):
            roles.append(("expiry_year", col.name))
    have = {r for r, _ in roles}
    if "number" in have and have & {"type", "expiry_month", "expiry_year"}:
        return [Linked(table=table.name, record="card", roles=tuple(roles),
                       why="card number has the type's prefix and a Luhn check digit; expiry month 1..12")]
    return []


def _flags(facts: SchemaFacts, table: Table) -> list[Rule]:
    """Two columns that state the same flag (pagila ``activebool`` and ``active``)."""
    out: list[Rule] = []
    flags = [c for c in table.columns if facts.kind(table, c.name) in ("active_flag", "deleted_flag")
             and not c.generated]
    for i, a in enumerate(flags):
        for b in flags[i + 1:]:
            base_a = "".join(words(a.name)).replace("bool", "").replace("flag", "")
            base_b = "".join(words(b.name)).replace("bool", "").replace("flag", "")
            if base_a == base_b:
                primary, mirror = (a, b) if a.type.kind == "boolean" else (b, a)
                out.append(Linked(table=table.name, record=f"flags:{base_a}",
                                  roles=(("primary", primary.name), ("mirror", mirror.name)),
                                  why=f"{mirror.name} repeats {primary.name}"))
    return out


_TOTAL = frozenset({"total", "totaldue", "grandtotal", "amount", "due"})


def infer_row_expressions(facts: SchemaFacts, table: Table) -> list[Rule]:
    """Same-row sums and products: ``total = subtotal + tax + freight``, ``line_total = quantity * unit_price``."""
    out: list[Rule] = []
    cols = {c.name: c for c in table.columns if not c.generated and is_numeric(c)}
    by_words = {name: set(words(name)) for name in cols}
    skip = facts.key_columns(table)
    subtotal = next((n for n, w in by_words.items() if w & {"subtotal"} or {"sub", "total"} <= w), None)
    tax = next((n for n, w in by_words.items() if w & {"tax", "taxamt", "vat"} and not w & {"rate"}), None)
    freight = next((n for n, w in by_words.items() if w & {"freight", "shipping"} and n != subtotal), None)
    total = next((n for n, w in by_words.items() if n not in (subtotal, tax, freight)
                  and (w & {"totaldue", "grandtotal"} or ("total" in w and not w & {"sub", "line"}))), None)
    if subtotal and total and (tax or freight) and total not in skip:
        parts = " + ".join(p for p in (subtotal, tax, freight) if p)
        if tax:
            out.append(RowExpression(table=table.name, column=tax, expression=f"round({subtotal} * 0.08, 2)",
                                     why=f"{tax} is a sales tax on {subtotal}"))
        if freight:
            out.append(RowExpression(table=table.name, column=freight,
                                     expression=f"round({subtotal} * 0.025, 2)",
                                     why=f"{freight} is a share of {subtotal}"))
        out.append(RowExpression(table=table.name, column=total, expression=parts,
                                 why=f"{total} is the sum of its parts"))
    quantity = next((n for n, w in by_words.items() if w & {"quantity", "qty", "orderqty"}), None)
    price = next((n for n, w in by_words.items() if w & {"price", "unitprice"} and not w & {"list", "total"}),
                 None)
    line = next((n for n, w in by_words.items() if (w & {"linetotal"} or {"line", "total"} <= w
                                                   or ("total" in w and quantity and price and n != subtotal
                                                       and n != total))), None)
    if quantity and price and line and line not in skip:
        discount = next((n for n, w in by_words.items() if w & {"discount", "unitpricediscount"}), None)
        expr = f"{quantity} * {price}" + (f" * (1 - {discount})" if discount else "")
        out.append(RowExpression(table=table.name, column=line, expression=expr,
                                 why=f"{line} is quantity times price"))
    lst = next((n for n, w in by_words.items() if {"list", "price"} <= w or "listprice" in w), None)
    cost = next((n for n, w in by_words.items() if w & {"cost", "standardcost"} and not w & {"replacement"}), None)
    if lst and cost and cost not in skip:
        out.append(RowExpression(table=table.name, column=cost,
                                 expression=f"round({lst} * random_between(0.4, 0.8), 2)",
                                 why=f"{cost} lies below {lst}"))
    return out


def infer_row_rules(facts: SchemaFacts) -> list[Rule]:
    """Every row-level rule of every table."""
    out: list[Rule] = []
    for table in facts.tables:
        status = infer_status(facts, table)
        in_status = {c for r in status for c in r.columns}
        out.extend(status)
        out.extend(infer_time_orders(facts, table, in_status))
        out.extend(infer_linked(facts, table))
        out.extend(infer_row_expressions(facts, table))
    return out
