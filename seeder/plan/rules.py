"""The plan's semantic layer: rules that make generated data hold together, as frozen dataclasses.

A rule says something the schema's constraints do not: that an order's address belongs to the order's customer
(:class:`Agreement`), that a line's ``unit_price`` is its product's ``price`` (:class:`Copy`), that ``shipped_at``
comes days after ``ordered_at`` (:class:`TimeOrder`), that a film's title is a film title (:class:`Vocabulary`).
Rules are inferred from the schema (:mod:`seeder.plan.infer`), written by the user in ``seeder.toml``
(:mod:`seeder.plan.rule_config`) or proposed by a language model's plan review (:mod:`seeder.llm.review`); every rule
carries its ``origin`` and a one-line ``why`` that ``seeder plan`` shows, and a stable :attr:`Rule.id` by which the
config changes or switches it off.

Who applies what: the rules that live inside one row or one column (:class:`Linked`, :class:`StatusTimeline`,
:class:`RowExpression`, :class:`TimeOrder`, :class:`NullRate`, :class:`Vocabulary`, :class:`Magnitude`,
:class:`Pin`) are applied by :mod:`seeder.generate.row_rules`; the cross-table ones (:class:`FanOut`,
:class:`Agreement`, :class:`Existence`, :class:`Copy`, :class:`Aggregate`, :class:`AfterParent`, :class:`Periods`)
by the generation engine's FK strategies and parent stores; :class:`TableRole` by the planner's row counts. CHECK
constraints always have the last word: a rule never leaves a row failing a CHECK.

Ids have the form ``kind:table.subject`` (``agree:order.address_id``, ``time:rental.rental_date<return_date``,
``linked:address.address``); ``table`` is ``str(TableName)`` (``public.film`` for schema-qualified tables). Fields
hold plain data (names, numbers, SQL text) so that a rule round-trips through TOML and JSON; SQL expressions are
parsed with sqlglot where they are applied.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar, Literal

from seeder.schema import TableName

#: Where a rule came from: inferred from the schema, written in the config, or proposed by the LLM plan review.
Origin = Literal["inferred", "config", "llm"]
#: What a table holds, which decides its default row count (:data:`ROLE_SCALE`).
Role = Literal["lookup", "entity", "event", "detail", "link", "history"]
#: Shapes of random draws: counts per parent, lags, magnitudes.
Distribution = Literal["uniform", "lognormal", "zipf", "normal", "loguniform"]
#: Units of a :class:`Lag`.
LagUnit = Literal["seconds", "minutes", "hours", "days", "years"]

ROLES: tuple[str, ...] = ("lookup", "entity", "event", "detail", "link", "history")
DISTRIBUTIONS: tuple[str, ...] = ("uniform", "lognormal", "zipf", "normal", "loguniform")
LAG_UNITS: tuple[str, ...] = ("seconds", "minutes", "hours", "days", "years")

#: Most rows a lookup table gets by default, whatever ``--rows`` says (its vocabulary may allow fewer).
LOOKUP_MAX_ROWS = 50


@dataclass(frozen=True)
class FkHop:
    """One step along a foreign key: from ``table`` through its FK ``columns`` to ``ref_table`` (``ref_columns``)."""

    table: TableName
    columns: tuple[str, ...]
    ref_table: TableName
    ref_columns: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.table}({', '.join(self.columns)}) -> {self.ref_table}"


#: A path of FK hops; the ancestor it reaches is the last hop's ``ref_table``.
FkPath = tuple[FkHop, ...]


def path_text(path: FkPath) -> str:
    """``order.address_id -> address.customer_id -> customer``: a path for messages and ``seeder plan``."""
    if not path:
        return "(this row)"
    parts = [f"{hop.table.name}.{'+'.join(hop.columns)}" for hop in path]
    return " -> ".join([*parts, path[-1].ref_table.name])


@dataclass(frozen=True)
class Lag:
    """How long after an earlier moment a later one comes: between ``low`` and ``high`` ``unit`` s, drawn from
    ``distribution`` (``lognormal``: most lags short, a few long, as with shipping times)."""

    low: float
    high: float
    unit: LagUnit = "days"
    distribution: Distribution = "lognormal"

    def seconds(self) -> tuple[float, float]:
        """``(low, high)`` in seconds (a year counts 365.25 days)."""
        factor = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400, "years": 365.25 * 86400}[self.unit]
        return self.low * factor, self.high * factor

    def text(self) -> str:
        low = int(self.low) if float(self.low).is_integer() else self.low
        high = int(self.high) if float(self.high).is_integer() else self.high
        return f"{low}..{high} {self.unit} ({self.distribution})"


@dataclass(frozen=True, kw_only=True)
class Rule:
    """Fields every rule has.

    Attributes:
        table: the table whose rows the rule shapes.
        origin: ``inferred``, ``config`` or ``llm``.
        why: one line for ``seeder plan`` (what the rule is based on).
    """

    kind: ClassVar[str] = "rule"
    #: Applied inside one row/column by :mod:`seeder.generate.row_rules` (True) or by the engine (False).
    row_level: ClassVar[bool] = True

    table: TableName
    origin: Origin = "inferred"
    why: str = ""

    @property
    def subject(self) -> str:
        """What the rule is about within its table (a column, an FK's columns, ``a<b`` for a time order)."""
        raise NotImplementedError

    @property
    def id(self) -> str:
        """Stable identifier, ``kind:table.subject``."""
        return f"{self.kind}:{self.table}.{self.subject}"

    @property
    def columns(self) -> tuple[str, ...]:
        """Columns of ``table`` whose values the rule decides (the CHECK repair may still change them)."""
        return ()

    def describe(self) -> str:
        """The rule in words (without ``why``), for ``seeder plan``."""
        return self.subject

    def settings(self) -> dict[str, Any]:
        """The rule's own fields (not ``table``/``origin``/``why``) as plain TOML/JSON values."""
        out: dict[str, Any] = {}
        for f in fields(self):
            if f.name in ("table", "origin", "why"):
                continue
            out[f.name] = plain(getattr(self, f.name))
        return out


def plain(value: Any) -> Any:
    """A rule field as plain data: tuples become lists, hops and lags dicts, table names strings."""
    if isinstance(value, TableName):
        return str(value)
    if isinstance(value, FkHop):
        return {"table": str(value.table), "columns": list(value.columns), "ref_table": str(value.ref_table),
                "ref_columns": list(value.ref_columns)}
    if isinstance(value, Lag):
        return {"low": value.low, "high": value.high, "unit": value.unit, "distribution": value.distribution}
    if isinstance(value, ColumnSource):
        return {"path": [plain(h) for h in value.path], "column": value.column}
    if isinstance(value, tuple):
        return [plain(v) for v in value]
    return value


# ------------------------------------------------------------------------------------------------------- shapes


#: Default rows per role as a multiple of ``--rows`` (lookup tables are capped at :data:`LOOKUP_MAX_ROWS`).
ROLE_SCALE: dict[str, float] = {"lookup": 1.0, "entity": 1.0, "event": 1.0, "detail": 3.0, "link": 2.0,
                                "history": 2.0}


@dataclass(frozen=True, kw_only=True)
class TableRole(Rule):
    """What a table holds, and so how many rows it gets by default.

    ``lookup`` (languages, categories, statuses: few rows, at most ``max_rows``), ``entity`` (customers, products:
    ``--rows``), ``event`` (orders, rentals, payments), ``detail`` (order lines: ``scale`` x ``--rows``), ``link``
    (many-to-many tables), ``history`` (salaries, ``*_history``: periods per parent).
    """

    kind: ClassVar[str] = "role"
    row_level: ClassVar[bool] = False
    role: Role
    scale: float = 1.0
    max_rows: int | None = None

    @property
    def subject(self) -> str:
        return "table"

    def describe(self) -> str:
        cap = f", at most {self.max_rows} rows" if self.max_rows is not None else ""
        times = f", {self.scale:g} x --rows" if self.scale != 1.0 else ""
        return f"{self.role} table{times}{cap}"

    @property
    def id(self) -> str:
        return f"{self.kind}:{self.table}"


@dataclass(frozen=True, kw_only=True)
class FanOut(Rule):
    """How many rows of ``table`` point at each parent row through the FK ``fk`` (columns of ``table``).

    Counts per parent lie in ``[min, max]`` (``max`` ``None``: unbounded), drawn from ``distribution``; ``skew``
    > 0 concentrates children on a few parents (zipf exponent or lognormal sigma). ``min = 1``: every parent has a
    child (every order has at least one line), as far as the row counts allow.
    """

    kind: ClassVar[str] = "fanout"
    row_level: ClassVar[bool] = False
    fk: tuple[str, ...]
    ref_table: TableName
    min: int = 0
    max: int | None = None
    distribution: Distribution = "uniform"
    skew: float = 0.0

    @property
    def subject(self) -> str:
        return "+".join(self.fk)

    @property
    def columns(self) -> tuple[str, ...]:
        return self.fk

    def describe(self) -> str:
        high = "" if self.max is None else str(self.max)
        skew = f", skew {self.skew:g}" if self.skew else ""
        return f"{'+'.join(self.fk)} -> {self.ref_table}: {self.min}..{high} per parent, {self.distribution}{skew}"


@dataclass(frozen=True, kw_only=True)
class NullRate(Rule):
    """Share of NULLs in a nullable ``column`` (0.0 to 1.0), chosen by what the column means."""

    kind: ClassVar[str] = "nulls"
    column: str
    rate: float

    @property
    def subject(self) -> str:
        return self.column

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.column,)

    def describe(self) -> str:
        return f"{self.column}: {self.rate:.0%} NULL"


# ------------------------------------------------------------------------------------------ agreement, existence


@dataclass(frozen=True, kw_only=True)
class Agreement(Rule):
    """A row reaches one ancestor by two FK paths, and both must reach the same ancestor row.

    ``first`` is chosen by its own strategy; the FK of ``second``'s first hop is then drawn among the parent rows
    whose path reaches the same ancestor (order -> customer, and order -> address -> customer: the address is one of
    the customer's). ``diverge`` is the share of rows allowed to disagree where that is legitimate. ``owner`` names
    the table that belongs to the ancestor (the reason the pair must agree).
    """

    kind: ClassVar[str] = "agree"
    row_level: ClassVar[bool] = False
    first: FkPath
    second: FkPath
    diverge: float = 0.0

    @property
    def ancestor(self) -> TableName:
        return self.second[-1].ref_table

    @property
    def subject(self) -> str:
        return "+".join(self.second[0].columns)

    @property
    def columns(self) -> tuple[str, ...]:
        return self.second[0].columns

    def describe(self) -> str:
        div = f", {self.diverge:.0%} may differ" if self.diverge else ""
        return f"{path_text(self.second)} agrees with {path_text(self.first)}{div}"


@dataclass(frozen=True)
class ColumnSource:
    """Where a column's value comes from in a witness row: follow ``path`` from the witness, read ``column``."""

    path: FkPath
    column: str


@dataclass(frozen=True, kw_only=True)
class Existence(Rule):
    """The row's ``columns`` are taken together from a ``witness`` row (a review's customer and product from an
    order line: the customer bought the product). ``sources[i]`` says where ``members[i]`` (a column of ``table``)
    comes from in the witness row."""

    kind: ClassVar[str] = "exists"
    row_level: ClassVar[bool] = False
    members: tuple[str, ...]
    witness: TableName
    sources: tuple[ColumnSource, ...]
    diverge: float = 0.0

    @property
    def subject(self) -> str:
        return "+".join(self.members)

    @property
    def columns(self) -> tuple[str, ...]:
        return self.members

    def describe(self) -> str:
        src = ", ".join(f"{c} = {path_text(s.path) if s.path else str(self.witness.name)}.{s.column}"
                        for c, s in zip(self.members, self.sources, strict=True))
        return f"({', '.join(self.members)}) exist together in {self.witness}: {src}"


# ------------------------------------------------------------------------------------------------------ derived


@dataclass(frozen=True, kw_only=True)
class Copy(Rule):
    """``column`` is copied from ``parent_column`` of the row the FK ``fk`` points at (``order_item.unit_price`` from
    ``product.price``), in ``equal_share`` of the rows (the rest keep their own value: discounts, moves)."""

    kind: ClassVar[str] = "copy"
    row_level: ClassVar[bool] = False
    column: str
    fk: tuple[str, ...]
    ref_table: TableName
    parent_column: str
    equal_share: float = 1.0

    @property
    def subject(self) -> str:
        return self.column

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.column,)

    def describe(self) -> str:
        share = f" in {self.equal_share:.0%} of rows" if self.equal_share < 1 else ""
        return f"{self.column} = {self.ref_table.name}.{self.parent_column} via {'+'.join(self.fk)}{share}"


@dataclass(frozen=True, kw_only=True)
class Aggregate(Rule):
    """``column`` = ``function`` over the child rows of ``child`` that point here through ``child_fk`` of
    ``expression`` (SQL over the child's columns): ``invoice.total = sum(unit_price * quantity)`` of its lines."""

    kind: ClassVar[str] = "aggregate"
    row_level: ClassVar[bool] = False
    column: str
    child: TableName
    child_fk: tuple[str, ...]
    expression: str
    function: Literal["sum", "count", "min", "max", "avg"] = "sum"

    @property
    def subject(self) -> str:
        return self.column

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.column,)

    def describe(self) -> str:
        return f"{self.column} = {self.function}({self.expression}) over {self.child.name}.{'+'.join(self.child_fk)}"


@dataclass(frozen=True, kw_only=True)
class RowExpression(Rule):
    """``column`` = ``expression``, SQL over the same row's columns (``subtotal + taxamt + freight``)."""

    kind: ClassVar[str] = "expr"
    column: str
    expression: str

    @property
    def subject(self) -> str:
        return self.column

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.column,)

    def describe(self) -> str:
        return f"{self.column} = {self.expression}"


# --------------------------------------------------------------------------------------------------------- time


@dataclass(frozen=True, kw_only=True)
class TimeOrder(Rule):
    """Within one row, ``later`` comes ``lag`` after ``earlier`` (when both are set): shipped after ordered,
    returned after rented, hired at least 18 years after birth."""

    kind: ClassVar[str] = "time"
    earlier: str
    later: str
    lag: Lag = field(default_factory=lambda: Lag(1, 14))

    @property
    def subject(self) -> str:
        return f"{self.earlier}<{self.later}"

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.later,)

    def describe(self) -> str:
        return f"{self.earlier} < {self.later}, {self.lag.text()} later"


@dataclass(frozen=True, kw_only=True)
class AfterParent(Rule):
    """``column`` comes ``lag`` after ``parent_column`` of the row the FK ``fk`` points at (a review after the
    customer signed up, a payment after its rental)."""

    kind: ClassVar[str] = "after"
    row_level: ClassVar[bool] = False
    column: str
    fk: tuple[str, ...]
    ref_table: TableName
    parent_column: str
    lag: Lag = field(default_factory=lambda: Lag(0, 30))

    @property
    def subject(self) -> str:
        return self.column

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.column,)

    def describe(self) -> str:
        return f"{self.column} after {self.ref_table.name}.{self.parent_column} via {'+'.join(self.fk)}, " \
               f"{self.lag.text()}"


@dataclass(frozen=True, kw_only=True)
class Periods(Rule):
    """History rows of one parent (FK ``fk``) cover non-overlapping periods ``[start, end)``; at most one period per
    parent is open (``end`` NULL or the far-future sentinel ``open_value``), in ``open_share`` of the parents."""

    kind: ClassVar[str] = "periods"
    row_level: ClassVar[bool] = False
    fk: tuple[str, ...]
    ref_table: TableName
    start: str
    end: str
    open_share: float = 0.8
    open_value: str | None = None

    @property
    def subject(self) -> str:
        return f"{self.start}..{self.end}"

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.start, self.end)

    def describe(self) -> str:
        sentinel = f" (open = {self.open_value})" if self.open_value else ""
        return f"[{self.start}, {self.end}) do not overlap per {'+'.join(self.fk)}; " \
               f"{self.open_share:.0%} of parents have one open period{sentinel}"


# ------------------------------------------------------------------------------------------------------- linked

#: Kinds of :class:`Linked` records and the roles each understands.
LINKED_ROLES: dict[str, tuple[str, ...]] = {
    "address": ("country", "country_code", "state", "state_code", "city", "postal_code", "phone", "street",
                "address2", "district"),
    "person": ("first_name", "last_name", "gender", "title", "email", "birth_date"),
    "card": ("type", "number", "expiry_month", "expiry_year", "expiry"),
    "flags": ("primary", "mirror"),
}


@dataclass(frozen=True, kw_only=True)
class Linked(Rule):
    """Columns of one row generated together as one record of ``kind`` (see :data:`LINKED_ROLES`).

    ``address``: country, state, city, postal code and phone from one Faker locale (real place names); ``person``:
    first name by gender, courtesy title by gender; ``card``: number with the type's prefix and a Luhn check digit,
    expiry in the future of the row; ``flags``: ``mirror`` repeats ``primary`` (``active`` = ``activebool``).
    ``roles`` pairs each role with a column of ``table``; ``locale`` limits addresses to one Faker locale's
    country (``en_US`` for a ``us_states`` table), ``None``: the default mix of countries.
    """

    kind: ClassVar[str] = "linked"
    record: str
    roles: tuple[tuple[str, str], ...]
    locale: str | None = None

    @property
    def role_map(self) -> dict[str, str]:
        return dict(self.roles)

    @property
    def subject(self) -> str:
        return self.record

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(c for _, c in self.roles)

    def describe(self) -> str:
        return f"{self.record}: " + ", ".join(f"{r}={c}" for r, c in self.roles)


@dataclass(frozen=True, kw_only=True)
class StatusTimeline(Rule):
    """A status column and the timestamps of its states, as a state machine: ``states`` in order of progress; a row
    in state ``s`` has the timestamps of ``s`` and every earlier state set (in order, ``lag`` apart) and the later
    ones NULL; ``dead_states`` (cancelled, refunded) keep only the first timestamp. ``stamps`` pairs a state with the
    column recording when it was reached."""

    kind: ClassVar[str] = "status"
    status: str
    states: tuple[str, ...]
    stamps: tuple[tuple[str, str], ...]
    dead_states: tuple[str, ...] = ()
    lag: Lag = field(default_factory=lambda: Lag(1, 7))

    @property
    def subject(self) -> str:
        return self.status

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.status, *(c for _, c in self.stamps))

    def describe(self) -> str:
        stamps = ", ".join(f"{s}->{c}" for s, c in self.stamps)
        dead = f"; {', '.join(self.dead_states)} end it" if self.dead_states else ""
        return f"{self.status}: {' > '.join(self.states)} ({stamps}){dead}"


# ------------------------------------------------------------------------------------------------------- values


@dataclass(frozen=True, kw_only=True)
class Vocabulary(Rule):
    """``column`` takes values from the vocabulary ``domain`` (``film_title``, ``shop_category``, ``job_title``,
    ...; :func:`seeder.generate.values.domains.domain_names`), unique ones without number suffixes while the
    domain's list lasts."""

    kind: ClassVar[str] = "vocab"
    column: str
    domain: str

    @property
    def subject(self) -> str:
        return self.column

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.column,)

    def describe(self) -> str:
        return f"{self.column}: {self.domain}"


@dataclass(frozen=True, kw_only=True)
class Magnitude(Rule):
    """Random values of ``column`` lie in ``[low, high]`` (within its type and CHECKs), drawn from ``distribution``
    (``loguniform``: small amounts more common, as with prices)."""

    kind: ClassVar[str] = "magnitude"
    column: str
    low: float
    high: float
    distribution: Distribution = "uniform"

    @property
    def subject(self) -> str:
        return self.column

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.column,)

    def describe(self) -> str:
        return f"{self.column}: {self.low:g}..{self.high:g} ({self.distribution})"


@dataclass(frozen=True, kw_only=True)
class Pin(Rule):
    """The user fixes ``column``: one ``value``; or ``choices`` with optional ``weights``; or a Faker provider
    (``faker = "catch_phrase"``); or an ``expression`` (SQL over the row's columns and ``parent.column`` of its
    FK parents, e.g. ``upper(sku)`` or ``product.price * 0.9``). Exactly one of the four is set."""

    kind: ClassVar[str] = "pin"
    column: str
    value: Any = None
    choices: tuple[Any, ...] = ()
    weights: tuple[float, ...] = ()
    faker: str | None = None
    expression: str | None = None

    @property
    def subject(self) -> str:
        return self.column

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.column,)

    def describe(self) -> str:
        if self.choices:
            weights = f" weights {list(self.weights)}" if self.weights else ""
            return f"{self.column} in {list(self.choices)}{weights}"
        if self.faker:
            return f"{self.column} = faker.{self.faker}()"
        if self.expression:
            return f"{self.column} = {self.expression}"
        return f"{self.column} = {self.value!r}"


#: Every rule class by its ``kind`` (the prefix of its id).
RULE_KINDS: dict[str, type[Rule]] = {cls.kind: cls for cls in (
    TableRole, FanOut, NullRate, Agreement, Existence, Copy, Aggregate, RowExpression, TimeOrder, AfterParent,
    Periods, Linked, StatusTimeline, Vocabulary, Magnitude, Pin)}


@dataclass(frozen=True)
class RuleSet:
    """The rules of a plan: ``active`` ones (applied) and the ids the config ``switched_off``.

    Iterating yields the active rules. Lookups are by table (:meth:`for_table`) or by kind (:meth:`of`).
    """

    active: tuple[Rule, ...] = ()
    switched_off: tuple[str, ...] = ()

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.active)

    def __len__(self) -> int:
        return len(self.active)

    def for_table(self, table: TableName) -> tuple[Rule, ...]:
        """The active rules of ``table``, in plan order."""
        return tuple(r for r in self.active if r.table == table)

    def of(self, cls: type[Rule] | tuple[type[Rule], ...], table: TableName | None = None) -> list[Any]:
        """The active rules of class ``cls`` (of ``table`` when given)."""
        return [r for r in self.active if isinstance(r, cls) and (table is None or r.table == table)]

    def by_id(self) -> dict[str, Rule]:
        return {r.id: r for r in self.active}


def merge_rules(base: Iterable[Rule], overrides: Mapping[str, Rule | None]) -> RuleSet:
    """``base`` with the rules of ``overrides`` replacing those of the same id (``None``: switched off); override
    rules with a new id are appended. Order: base order, then new rules in the order given."""
    out: list[Rule] = []
    off: list[str] = []
    seen: set[str] = set()
    for rule in base:
        if rule.id in seen:
            continue
        seen.add(rule.id)
        if rule.id in overrides:
            new = overrides[rule.id]
            if new is None:
                off.append(rule.id)
            else:
                out.append(new)
        else:
            out.append(rule)
    for rid, new in overrides.items():
        if rid not in seen:
            if new is None:
                off.append(rid)
            else:
                out.append(new)
    return RuleSet(tuple(out), tuple(off))
