"""Cross-table rules inferred from the FK graph and names: agreement through a shared ancestor, existence, copies,
aggregates, child-after-parent time and history periods. The generation engine applies them (FK strategies and
parent stores); this module only decides which hold, and why.

Agreement is decided by *ownership*: a row that reaches an ancestor ``A`` along two FK paths must reach the same
``A`` row when the longer path passes through a table that belongs to ``A`` (a NOT NULL FK to it, and ``A`` is not a
place: an address, city or country is shared, not owned). So an order's address must be one of the order's
customer's addresses, a rental's staff member works at the store that holds the rented copy, a payment's customer is
its rental's customer; but a customer's own address and the address of the customer's store need not agree.
"""

from __future__ import annotations

from itertools import combinations

from seeder.plan.facts import SchemaFacts, is_numeric, is_temporal, words
from seeder.plan.rules import (
    AfterParent,
    Aggregate,
    Agreement,
    ColumnSource,
    Copy,
    Existence,
    FkHop,
    FkPath,
    Lag,
    Periods,
    Rule,
)
from seeder.schema import ForeignKey, Table, TableName

#: Tables that are places: shared by many rows, never owned (no agreement is inferred through them).
PLACE_NOUNS = frozenset({"address", "city", "country", "location", "region", "state", "province", "zone"})
#: Longest FK path followed when looking for a shared ancestor.
MAX_HOPS = 2


def _hop(table: Table, fk: ForeignKey) -> FkHop:
    return FkHop(table.name, fk.columns, fk.ref_table, fk.ref_columns)


def _not_null(table: Table, fk: ForeignKey) -> bool:
    return not any(table.column(c).nullable for c in fk.columns)


def paths_from(facts: SchemaFacts, table: Table, fk: ForeignKey) -> list[FkPath]:
    """Every FK path that starts with ``fk`` and continues along FKs that are not the whole primary key of their
    table (is-a links), up to :data:`MAX_HOPS` hops."""
    out: list[FkPath] = []
    frontier: list[FkPath] = [(_hop(table, fk),)]
    while frontier:
        path = frontier.pop()
        out.append(path)
        if len(path) >= MAX_HOPS:
            continue
        here = facts.table(path[-1].ref_table)
        seen = {h.table for h in path} | {path[-1].ref_table}
        pk = set(here.primary_key.columns) if here.primary_key else set()
        for nxt in facts.fks(here):
            # an FK that is the whole primary key is an is-a link (person -> businessentity), not ownership; a path
            # may end back at its own table (a customer's default address -> the address's customer)
            back = nxt.ref_table == table.name and len(path) == 1 and here.name != table.name
            if (nxt.ref_table not in seen or back) and set(nxt.columns) != pk:
                frontier.append((*path, _hop(here, nxt)))
    return out


def _owned(facts: SchemaFacts, path: FkPath, roles: dict[TableName, str]) -> bool:
    """Whether the tables the path passes through belong to its ancestor: the ancestor is not a place (an address,
    a city: shared, not owned) nor a plain lookup table."""
    ancestor = path[-1].ref_table
    nouns = set(facts.nouns(ancestor))
    if nouns & PLACE_NOUNS:
        return False
    return not (roles.get(ancestor) == "lookup"
                and not nouns & {"store", "department", "dept", "territory", "warehouse", "branch"})


def infer_agreements(facts: SchemaFacts, roles: dict[TableName, str]) -> list[Rule]:
    """Pairs of FK paths of one row that must meet at the same ancestor row."""
    out: list[Rule] = []
    for table in facts.tables:
        by_ancestor: dict[TableName, list[FkPath]] = {}
        for fk in facts.fks(table):
            for path in paths_from(facts, table, fk):
                by_ancestor.setdefault(path[-1].ref_table, []).append(path)
        decided: set[tuple[str, ...]] = set()
        for ancestor, paths in by_ancestor.items():
            if ancestor == table.name:
                out.extend(_own_row_agreements(facts, table, paths, roles, decided))
                continue
            heads = {p[0].columns for p in paths}
            if len(heads) < 2:
                continue
            # one path per first FK: the shortest
            best: dict[tuple[str, ...], FkPath] = {}
            for p in sorted(paths, key=len):
                best.setdefault(p[0].columns, p)
            candidates = [p for p in best.values() if len(p) == 1 or _owned(facts, p, roles)]
            if len(candidates) < 2:
                continue
            first = _anchor(facts, candidates, roles)
            for second in candidates:
                if second is first or second[0].columns in decided:
                    continue
                if second[0].ref_table == first[0].ref_table:
                    continue  # two FKs to one table (film.language_id, original_language_id): independent
                decided.add(second[0].columns)
                owner = next((h.table for h in (second[1:] or first[1:])), ancestor)
                out.append(Agreement(table=table.name, first=first, second=second,
                                     why=f"{owner.name} belongs to {ancestor.name}: both paths reach the same "
                                         f"{ancestor.name}"))
    return out


def _own_row_agreements(facts: SchemaFacts, table: Table, paths: list[FkPath], roles: dict[TableName, str],
                        decided: set[tuple[str, ...]]) -> list[Rule]:
    """A nullable FK whose path comes back to its own row through a table that row owns (a customer's default
    address is one of the customer's addresses): an agreement with an empty first path (the row itself)."""
    out: list[Rule] = []
    for path in sorted(paths, key=len):
        head = path[0]
        if len(path) != 2 or head.columns in decided or not _owned(facts, path, roles):
            continue
        if _not_null(table, next(fk for fk in facts.fks(table) if fk.columns == head.columns)) or \
                not _not_null(facts.table(path[1].table), next(fk for fk in facts.fks(facts.table(path[1].table))
                                                                if fk.columns == path[1].columns)):
            continue  # the row's own FK is filled after its parents exist (nullable), and the owner's is NOT NULL
        decided.add(head.columns)
        out.append(Agreement(table=table.name, first=(), second=path,
                             why=f"{head.ref_table.name} belongs to {table.name.name}: a {table.name.name}'s "
                                 f"{'+'.join(head.columns)} is one of its own"))
    return out


def _anchor(facts: SchemaFacts, paths: list[FkPath], roles: dict[TableName, str]) -> FkPath:
    """The path chosen first: through an event (a payment follows its rental), else the direct FK (an order's
    customer, then one of the customer's addresses), else through the biggest table (a rental's copy of the film,
    then staff of that copy's store)."""
    through_event = [p for p in paths if len(p) > 1 and roles.get(p[0].ref_table) in ("event", "detail")]
    if through_event:
        return through_event[0]
    direct = [p for p in paths if len(p) == 1]
    if direct:
        return direct[0]
    order = {"entity": 0, "event": 0, "detail": 0, "link": 1, "history": 1, "lookup": 2}
    return sorted(paths, key=lambda p: (order.get(roles.get(p[0].ref_table, "entity"), 0), len(p)))[0]


_EXISTENCE_NOUNS = frozenset({"review", "rating", "feedback", "manager", "refund", "return", "complaint"})


def infer_existence(facts: SchemaFacts, roles: dict[TableName, str]) -> list[Rule]:
    """A row whose pair of parents must already be related through another table (a review implies a purchase,
    a department's manager is one of its members)."""
    out: list[Rule] = []
    for table in facts.tables:
        if not set(facts.nouns(table)) & _EXISTENCE_NOUNS:
            continue
        fks = [fk for fk in facts.fks(table) if len(fk.columns) == 1]
        reach = {p[-1].ref_table for fk in facts.fks(table) for p in paths_from(facts, table, fk)}
        for fa, fb in combinations(fks, 2):
            witness = _witness(facts, table, fa, fb, reach)
            if witness is None:
                continue
            wt, sa, sb = witness
            out.append(Existence(table=table.name, members=(fa.columns[0], fb.columns[0]), witness=wt.name,
                                 sources=(sa, sb),
                                 why=f"a {table.name.name} needs a {wt.name.name} row relating its "
                                     f"{fa.ref_table.name} and {fb.ref_table.name}"))
    return out


def _witness(facts: SchemaFacts, table: Table, fa: ForeignKey, fb: ForeignKey,
             reach: set[TableName]) -> tuple[Table, ColumnSource, ColumnSource] | None:
    for other in facts.tables:
        if other.name == table.name or other.name in reach or \
                set(facts.nouns(other)) & _EXISTENCE_NOUNS:
            continue
        sa = _source(facts, other, fa)
        sb = _source(facts, other, fb)
        if sa and sb:
            return other, sa, sb
    return None


def _source(facts: SchemaFacts, other: Table, target: ForeignKey) -> ColumnSource | None:
    """Where ``other`` holds a key of ``target.ref_table``: a direct FK column, or one hop away."""
    for fk in facts.fks(other):
        if fk.ref_table == target.ref_table and len(fk.columns) == 1:
            return ColumnSource((), fk.columns[0])
    for fk in facts.fks(other):
        if not _not_null(other, fk):
            continue
        mid = facts.table(fk.ref_table)
        for fk2 in facts.fks(mid):
            if fk2.ref_table == target.ref_table and len(fk2.columns) == 1 and _not_null(mid, fk2):
                return ColumnSource((_hop(other, fk),), fk2.columns[0])
    return None


_COPY_PREFIXES = frozenset({"billing", "bill", "ship", "shipping", "unit", "sale", "order", "current", "invoice"})
_COPY_KINDS = frozenset({"price", "street_address", "city", "state", "postal_code", "country", "address2"})


def infer_copies(facts: SchemaFacts, roles: dict[TableName, str]) -> list[Rule]:
    """Columns that repeat a parent's column: a line's unit price is the product's price, an invoice's billing
    address is the customer's address."""
    out: list[Rule] = []
    for table in facts.tables:
        keys = facts.key_columns(table)
        for col in facts.content_columns(table):
            if col.name in keys:
                continue
            kind = facts.kind(table, col.name)
            if kind not in _COPY_KINDS:
                continue
            all_tokens = words(col.name)
            tokens = [t for t in all_tokens if t not in _COPY_PREFIXES]
            prefixed = bool(all_tokens) and all_tokens[0] in _COPY_PREFIXES - {"unit", "current"}
            if kind == "price" and roles.get(table.name) not in ("detail", "history", "link"):
                continue
            if kind != "price" and not prefixed:
                continue  # a billing_/ship_ column repeats its parent's; a plain city is the row's own
            for fk in facts.fks(table):
                parent = facts.table(fk.ref_table)
                match = next((pc for pc in parent.columns if pc.name not in facts.key_columns(parent)
                              and facts.kind(parent, pc.name) == kind
                              and ([t for t in words(pc.name) if t not in _COPY_PREFIXES] == tokens
                                   or (kind == "price" and words(pc.name)[-1:] == ("price",)))), None)
                if match is None:
                    continue
                share = 0.95
                out.append(Copy(table=table.name, column=col.name, fk=fk.columns, ref_table=fk.ref_table,
                                parent_column=match.name, equal_share=share,
                                why=f"{col.name} repeats {fk.ref_table.name}.{match.name} (most rows)"))
                break
    return out


def infer_aggregates(facts: SchemaFacts, roles: dict[TableName, str]) -> list[Rule]:
    """A parent total that sums its lines (``invoice.total = sum(unit_price * quantity)``)."""
    out: list[Rule] = []
    for table in facts.tables:
        totals = [c for c in facts.content_columns(table) if is_numeric(c)
                  and set(words(c.name)) & {"total", "subtotal", "amount"} and not set(words(c.name)) & {"line"}]
        subtotals = [c for c in totals if "subtotal" in words(c.name) or {"sub", "total"} <= set(words(c.name))]
        for col in subtotals or totals[:1]:
            for child, fk in facts.children[table.name]:
                if roles.get(child.name) != "detail":
                    continue
                names = {c.name: set(words(c.name)) for c in child.columns if is_numeric(c)}
                qty = next((n for n, w in names.items() if w & {"quantity", "qty", "orderqty"}), None)
                price = next((n for n, w in names.items() if w & {"price", "unitprice"}), None)
                if not (qty and price):
                    continue
                expr = f"{price} * {qty}"
                out.append(Aggregate(table=table.name, column=col.name, child=child.name, child_fk=fk.columns,
                                     expression=expr, why=f"{col.name} adds up its {child.name.name} lines"))
                break
    return out


_CREATION = frozenset({"created", "create", "registered", "signup", "hire", "hired", "joined", "ordered", "order",
                       "rental", "start", "placed", "invoice", "opened"})
_AUDIT = frozenset({"update", "updated", "modified", "modifieddate", "last"})


def _event_time(facts: SchemaFacts, table: Table, *, strict: bool = False) -> str | None:
    """The column that says when a row came to be (``created_at``, ``order_date``, ``hire_date``); with ``strict``
    only a column named so, else also the table's one date that is not an end, due or birth date."""
    cols = [c for c in table.columns if is_temporal(c) and not c.generated and not set(words(c.name)) & _AUDIT]
    for c in cols:
        if set(words(c.name)) & _CREATION:
            return c.name
    if strict:
        return None
    dated = [c for c in cols if not set(words(c.name)) & {"birth", "end", "to", "until", "due", "required",
                                                             "ship", "shipped", "return", "expire"}]
    return dated[0].name if len(dated) == 1 else None


def infer_after_parent(facts: SchemaFacts, roles: dict[TableName, str]) -> list[Rule]:
    """A child's creation time after its parent's (a review after the customer signed up, a payment after the
    rental, a salary period after the hire); the parent that is an event wins (a payment follows its rental)."""
    out: list[Rule] = []
    rank = {"event": 0, "detail": 1, "entity": 2, "history": 3, "link": 3}
    for table in facts.tables:
        mine = _event_time(facts, table)
        if mine is None:
            continue
        fks = sorted((fk for fk in facts.fks(table) if roles.get(fk.ref_table) in rank),
                     key=lambda fk: rank[roles[fk.ref_table]])
        for fk in fks:
            parent = facts.table(fk.ref_table)
            theirs = _event_time(facts, parent, strict=True)
            if theirs is None:
                continue
            out.append(AfterParent(table=table.name, column=mine, fk=fk.columns, ref_table=fk.ref_table,
                                   parent_column=theirs, lag=Lag(0, 60, "days"),
                                   why=f"a {table.name.name} comes after its {fk.ref_table.name}'s {theirs}"))
            break
    return out


def infer_periods(facts: SchemaFacts, roles: dict[TableName, str]) -> list[Rule]:
    """History tables: periods per owner that do not overlap, at most one of them open."""
    out: list[Rule] = []
    for table in facts.tables:
        if roles.get(table.name) != "history":
            continue
        temporal = [c for c in table.columns if is_temporal(c)]
        start = next((c for c in temporal if set(words(c.name)) & {"from", "start", "begin", "valid"}), None)
        end = next((c for c in temporal if set(words(c.name)) & {"to", "end", "until", "thru"}), None)
        owner = next((fk for fk in facts.fks(table) if _not_null(table, fk)), None)
        if start is None or end is None or owner is None:
            continue
        sentinel = None if end.nullable else "9999-01-01"
        out.append(Periods(table=table.name, fk=owner.columns, ref_table=owner.ref_table, start=start.name,
                           end=end.name, open_share=0.8, open_value=sentinel,
                           why=f"{table.name.name} is the history of a {owner.ref_table.name}"))
    return out


def infer_links(facts: SchemaFacts, roles: dict[TableName, str]) -> list[Rule]:
    """Every cross-table rule."""
    return [*infer_agreements(facts, roles), *infer_existence(facts, roles), *infer_copies(facts, roles),
            *infer_aggregates(facts, roles), *infer_after_parent(facts, roles), *infer_periods(facts, roles)]
