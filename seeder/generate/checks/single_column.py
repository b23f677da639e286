"""Single-column CHECK analysis: turn the conjuncts of CHECKs that mention one column into a :class:`ValueSpec`.

Each understood conjunct becomes :class:`Atom` facts (bounds, choices, exclusions, lengths, LIKE patterns, NULL-ness)
that are merged per column; conjuncts that are not understood are left to the row validator (the spec is then wider
than the CHECK, never wrong). An OR is read as alternatives: a union of choices when every branch is an equality or
IN list, otherwise the first branch that fits with everything else (a narrower spec than the CHECK, which is always
correct). Contradictions raise :class:`~seeder.errors.GenerationError` naming the table, column and CHECKs.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from sqlglot import exp

from seeder.errors import GenerationError
from seeder.generate.checks.evaluate import evaluate, evaluate_value
from seeder.generate.checks.forms import (
    COMPARISONS,
    FLIPPED,
    all_checks,
    check_conjuncts,
    conjuncts,
    describe_check,
    disjuncts,
    has_columns,
    is_null_test,
    plain_column,
    quantifier,
    referenced_columns,
    same_check,
    strip,
    subject,
)
from seeder.generate.checks.like import backslash_escaped, like_matches, parse_like
from seeder.generate.checks.sql_values import (
    SqlInterval,
    UnsupportedExpression,
    compare,
    parse_number,
    to_bool,
    to_date,
    to_datetime,
    to_decimal,
    to_float,
    to_interval,
    to_text,
    to_time,
    to_uuid,
)
from seeder.generate.memo import identity_cache
from seeder.generate.spec import ValueSpec
from seeder.schema import Check, Column, Table
from seeder.types import (
    DECIMAL_KINDS,
    FLOAT_KINDS,
    INTEGER_KINDS,
    STRING_KINDS,
    TEXT_KINDS,
    TIMESTAMP_KINDS,
    length_limit,
    value_range,
)


@dataclass(frozen=True)
class Atom:
    """One fact about a column's values read from a CHECK.

    ``kind`` is one of ``lower``, ``upper`` (``value``, ``exclusive``), ``choices`` (``value`` a tuple),
    ``excluded``, ``fixed`` (a value), ``min_length``, ``max_length`` (an int), ``like``, ``not_like`` (a pattern
    with backslash escapes), ``not_null``, ``is_null``, ``case`` (``"lower"``/``"upper"``: ``x = lower(x)``).
    ``exact`` is False when the fact is narrower than the CHECK
    (e.g. ``upper(x) IN ('M','F')`` read as ``x IN ('M','F')``).
    """

    kind: str
    value: Any = None
    exclusive: bool = False
    exact: bool = True


#: How a conjunct reads: alternatives (one per OR branch, ``None`` for a branch that is not understood), or a single
#: alternative for a plain conjunct.
Reading = list[list[Atom] | None]


class _NoFit(Exception):
    """A literal no value of the column's type can equal (``1.5`` for an integer column)."""


class _NotReadable(Exception):
    """A literal that cannot be read in the column's type (the conjunct is then left to the validator)."""


# --------------------------------------------------------------------------------------------------------------------
# Literals in the column's type

_TIME_PART = re.compile(r"\d[ T]\d")


def coerce(value: Any, column: Column, role: str) -> tuple[Any, bool | None]:
    """Read a constant as a value of ``column``'s Python type, for use as ``role`` (``lower``/``upper``/``eq``).

    Returns ``(value, exclusive)`` where ``exclusive`` overrides the bound's strictness when rounding into a discrete
    type made the bound inclusive (``x > 1.5`` on an integer is ``x >= 2``), else ``None``.

    Raises:
        _NoFit: for ``eq`` when no value of the type equals the constant.
        _NotReadable: when the constant has no meaning in the type.
    """
    kind = column.type.kind
    if value is None:
        raise _NotReadable("NULL")
    try:
        if kind in INTEGER_KINDS:
            return _coerce_int(value, role)
        if kind in DECIMAL_KINDS:
            return to_decimal(value), None
        if kind in FLOAT_KINDS:
            return to_float(value), None
        if kind == "date":
            return _coerce_date(value, role)
        if kind in TIMESTAMP_KINDS:
            return to_datetime(value, aware=kind == "timestamptz"), None
        if kind == "time":
            return to_time(value), None
        if kind == "interval":
            interval = to_interval(value)
            return (interval.to_timedelta() if isinstance(interval, SqlInterval) else interval), None
        if kind == "boolean":
            return to_bool(value), None
        if kind == "uuid":
            return to_uuid(value), None
        if kind in STRING_KINDS:
            if isinstance(value, (list, dict, bytes)):
                raise _NotReadable(type(value).__name__)
            return to_text(value), None
    except UnsupportedExpression as err:
        raise _NotReadable(str(err)) from err
    raise _NotReadable(kind)


def _coerce_int(value: Any, role: str) -> tuple[int, bool | None]:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal, float, str)):
        raise _NotReadable(type(value).__name__)
    number = parse_number(value) if isinstance(value, str) else value
    if isinstance(number, int):
        return number, None
    exact = Decimal(repr(number)) if isinstance(number, float) else number
    if not exact.is_finite():
        raise _NotReadable("non-finite")
    if exact == exact.to_integral_value():
        return int(exact), None
    if role == "eq":
        raise _NoFit(str(value))
    return (math.floor(exact) if role == "upper" else math.ceil(exact)), False


def _coerce_date(value: Any, role: str) -> tuple[dt.date, bool | None]:
    if isinstance(value, dt.datetime) or (isinstance(value, str) and _TIME_PART.search(value)):
        stamp = to_datetime(value, aware=False)
        day = stamp.date()
        if stamp.time() == dt.time(0):
            return day, None
        # A date compares with a timestamp as its midnight: d >= '2020-01-01 10:00' means d >= 2020-01-02.
        if role == "eq":
            raise _NoFit(str(value))
        return (day + dt.timedelta(days=1) if role == "lower" else day), False
    return to_date(value), None


# --------------------------------------------------------------------------------------------------------------------
# Reading conjuncts

def _constant(node: exp.Expression) -> tuple[bool, Any]:
    """``(True, value)`` if ``node`` mentions no column and can be computed now, else ``(False, None)``."""
    if has_columns(node):
        return False, None
    try:
        return True, evaluate_value(node, {})
    except UnsupportedExpression:
        return False, None


def _constant_list(node: exp.Expression) -> list[Any] | None:
    ok, value = _constant(node)
    if not ok or not isinstance(value, list):
        return None
    return value


def _choices(values: list[Any], column: Column, form: str) -> Atom | None:
    """``form(column) IN values`` as a choices atom; ``None`` when a value cannot be read (or a NULL makes the IN
    list accept everything)."""
    if any(v is None for v in values):
        return None
    if form == "plain":
        out: list[Any] = []
        for v in values:
            try:
                c, _ = coerce(v, column, "eq")
            except _NoFit:
                continue
            except _NotReadable:
                return None
            if c not in out:
                out.append(c)
        return Atom("choices", tuple(out))
    fold = str.upper if form == "upper" else str.lower
    texts = [to_text(v) for v in values]
    # Values that are their own case fold satisfy fold(x) = v; other spellings would too but are not needed.
    kept = [t for t in dict.fromkeys(texts) if fold(t) == t]
    return Atom("choices", tuple(kept), exact=False)


def _read_comparison(table: Table, column: Column, node: exp.Expression) -> list[Atom] | None:
    op = COMPARISONS[type(node)]
    left, right = node.this, node.expression
    subj = subject(table, left)
    other = right
    if subj is None or subj[0].name != column.name:
        subj, other, op = subject(table, right), left, FLIPPED[op]
        if subj is None or subj[0].name != column.name or quantifier(left) is not None:
            return None
    form = subj[1]
    folded = subject(table, other)
    if (op == "=" and folded is not None and folded[0].name == column.name
            and {form, folded[1]} in ({"plain", "lower"}, {"plain", "upper"})):
        return [Atom("case", "lower" if "lower" in (form, folded[1]) else "upper")]  # x = lower(x): its own fold
    quant = quantifier(other)
    if quant is not None:
        kind, inner = quant
        items = _constant_list(inner)
        if items is None or other is left:
            return None
        if op == "=" and kind == "ANY":
            atom = _choices(items, column, form)
            return None if atom is None else [atom]
        if op == "<>" and kind == "ALL" and form == "plain":
            return _excluded(items, column)
        if op in ("<", "<=", ">", ">=") and form == "plain" and items and None not in items:
            # x < ANY (l) is x < max(l); x < ALL (l) is x < min(l); mirrored for >.
            try:
                coerced = [coerce(v, column, "eq")[0] for v in items]
            except (_NoFit, _NotReadable):
                return None
            pick_max = (op in ("<", "<=")) == (kind == "ANY")
            best = coerced[0]
            for v in coerced[1:]:
                if compare(">" if pick_max else "<", v, best):
                    best = v
            return _bound(op, best, column)
        return None
    ok, value = _constant(other)
    if not ok:
        return None
    if value is None:
        return []  # x op NULL is NULL: the CHECK passes whatever x is
    if form == "plain":
        return _read_plain(op, value, column)
    if form in ("upper", "lower"):
        if op != "=":
            return None
        atom = _choices([value], column, form)
        return None if atom is None else [atom]
    return _read_length(op, value, form)


def _excluded(items: list[Any], column: Column) -> list[Atom] | None:
    out = []
    for v in items:
        if v is None:
            continue  # x NOT IN (1, NULL) is never TRUE, but NULL for x <> 1: only 1 is rejected
        try:
            out.append(coerce(v, column, "eq")[0])
        except _NoFit:
            continue
        except _NotReadable:
            return None
    return [Atom("excluded", tuple(out))]


def _bound(op: str, value: Any, column: Column) -> list[Atom] | None:
    if column.type.kind in STRING_KINDS or column.type.kind == "boolean":
        return None
    role = "lower" if op in (">", ">=") else "upper"
    try:
        v, excl = coerce(value, column, role)
    except (_NoFit, _NotReadable):
        return None
    exclusive = op in ("<", ">") if excl is None else excl
    return [Atom(role, v, exclusive=exclusive)]


def _read_plain(op: str, value: Any, column: Column) -> list[Atom] | None:
    kind = column.type.kind
    if kind in TEXT_KINDS and value == "" and op in ("<>", ">"):
        return [Atom("min_length", 1)]
    if op == "=":
        try:
            v, _ = coerce(value, column, "eq")
        except _NoFit:
            return [Atom("choices", ())]
        except _NotReadable:
            return None
        return [Atom("fixed", v)]
    if op == "<>":
        return _excluded([value], column)
    return _bound(op, value, column)


def _read_length(op: str, value: Any, form: str) -> list[Atom] | None:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal, float)):
        return None
    n = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    lo = {">": math.floor(n) + 1, ">=": math.ceil(n), "=": n}.get(op)
    hi = {"<": math.ceil(n) - 1, "<=": math.floor(n), "=": n}.get(op)
    if op == "=" and n != n.to_integral_value():
        return [Atom("choices", ())]
    atoms = []
    if lo is not None:
        atoms.append(Atom("min_length", max(int(lo), 0), exact=form == "length"))
    if hi is not None:
        if form != "length":
            return None  # max chars does not bound bytes
        atoms.append(Atom("max_length", int(hi)))
    return atoms or None


def _read_like(table: Table, column: Column, node: exp.Expression, escape: str | None = "\\") -> list[Atom] | None:
    if isinstance(node, exp.Escape):
        ok, esc = _constant(node.expression)
        if not ok or not isinstance(esc, str) or not isinstance(node.this, (exp.Like, exp.ILike)):
            return None
        return _read_like(table, column, node.this, esc or None)
    col = plain_column(table, node.this)
    ok, pattern = _constant(node.expression)
    if col is None or col.name != column.name or not ok or column.type.kind not in TEXT_KINDS:
        return None
    if pattern is None:
        return []
    if not isinstance(pattern, str):
        return None
    pattern = backslash_escaped(pattern, escape)
    negate = bool(node.args.get("negate"))
    if pattern and set(pattern) <= {"%", "_"}:
        # Only wildcards: a length rule. '__%' is length >= 2, '__' is length = 2 (case does not matter).
        k = pattern.count("_")
        if "%" in pattern:
            return [Atom("max_length", k - 1)] if negate else [Atom("min_length", k)]
        return [Atom("not_like", pattern)] if negate else [Atom("min_length", k), Atom("max_length", k)]
    if isinstance(node, exp.ILike):
        # A value matching the pattern as written matches it case-insensitively too; NOT ILIKE has no such reading.
        return None if negate else [Atom("like", pattern, exact=False)]
    return [Atom("not_like" if negate else "like", pattern)]


def _read_atom(table: Table, column: Column, node: exp.Expression) -> list[Atom] | None:
    """Atoms for one normalised, OR-free predicate about ``column``; ``None`` when not understood."""
    node = strip(node)
    if isinstance(node, exp.And):
        out: list[Atom] = []
        for part in conjuncts(node):
            atoms = _read_atom(table, column, part)
            if atoms is None:
                return None
            out.extend(atoms)
        return out
    if isinstance(node, exp.Or):
        return None
    if not has_columns(node):
        ok, value = _constant(node)
        return [] if ok and value is not False else None
    if type(node) in COMPARISONS:
        return _read_comparison(table, column, node)
    if isinstance(node, exp.In):
        subj = subject(table, node.this)
        if subj is None or subj[0].name != column.name or node.args.get("query") or node.args.get("unnest"):
            return None
        values = [_constant(e) for e in node.expressions]
        if not all(ok for ok, _ in values):
            return None
        if any(v is None for _, v in values):
            return []  # a NULL in the list makes every non-matching value NULL, which passes
        atom = _choices([v for _, v in values], column, subj[1])
        return None if atom is None else [atom]
    if isinstance(node, exp.Not) and isinstance(strip(node.this), exp.In):
        inner = strip(node.this)
        col = plain_column(table, inner.this)
        if col is None or col.name != column.name or inner.args.get("query"):
            return None
        values = [_constant(e) for e in inner.expressions]
        if not all(ok for ok, _ in values):
            return None
        return _excluded([v for _, v in values], column)
    if isinstance(node, exp.Between):
        col = plain_column(table, node.this)
        (ok_lo, lo), (ok_hi, hi) = _constant(node.args["low"]), _constant(node.args["high"])
        if col is None or col.name != column.name or not ok_lo or not ok_hi or lo is None or hi is None:
            return None
        if node.args.get("symmetric"):
            return None
        atoms = (_bound(">=", lo, column) or []) + (_bound("<=", hi, column) or [])
        return atoms if len(atoms) == 2 else None
    if isinstance(node, (exp.Like, exp.ILike, exp.Escape)):
        return _read_like(table, column, node)
    if isinstance(node, exp.Is):
        col = plain_column(table, node.this)
        if col is None or col.name != column.name:
            return None
        negate = bool(node.args.get("negate"))
        right = node.expression
        if isinstance(right, exp.Null):
            return [Atom("not_null" if negate else "is_null")]
        if isinstance(right, exp.Boolean) and column.type.kind == "boolean":
            wanted = bool(right.this) != negate
            return [Atom("fixed", wanted)] + ([] if negate else [Atom("not_null")])
        return None
    col = plain_column(table, node)
    if col is not None and col.name == column.name and column.type.kind == "boolean":
        return [Atom("fixed", True)]
    if isinstance(node, exp.Not):
        col = plain_column(table, node.this)
        if col is not None and col.name == column.name and column.type.kind == "boolean":
            return [Atom("fixed", False)]
    return None


def read_conjunct(table: Table, column: Column, node: exp.Expression) -> Reading | None:
    """Read one normalised conjunct that mentions only ``column``; ``None`` if it is not understood at all.

    ``col IS NULL`` branches of an OR are dropped (NULLs pass through them whatever the other branches say).
    """
    parts = disjuncts(node)
    if len(parts) == 1:
        atoms = _read_atom(table, column, node)
        return None if atoms is None else [atoms]
    options: Reading = []
    for part in parts:
        null_col = is_null_test(table, part)
        if null_col is not None and null_col.name == column.name:
            continue
        if not has_columns(part):
            ok, value = _constant(part)
            if ok and value is not False:
                return [[]]  # TRUE or NULL in an OR: the CHECK always passes
            if ok:
                continue
        options.append(_read_atom(table, column, part))
    if not options:
        return [[Atom("is_null")]]
    if all(o is not None and len(o) == 1 and o[0].kind in ("choices", "fixed") for o in options):
        merged: list[Any] = []
        for o in options:
            assert o is not None
            atom = o[0]
            for v in (atom.value if atom.kind == "choices" else (atom.value,)):
                if v not in merged:
                    merged.append(v)
        exact = all(o is not None and o[0].exact for o in options)
        return [[Atom("choices", tuple(merged), exact=exact)]]
    return options


# --------------------------------------------------------------------------------------------------------------------
# Merging facts


@dataclass
class _Facts:
    """The merged facts about one column, with the CHECKs behind each (for error messages)."""

    column: Column
    dialect: str = ""
    lower: Any = None
    lower_exclusive: bool = False
    upper: Any = None
    upper_exclusive: bool = False
    choices: list[Any] | None = None
    excluded: list[Any] = field(default_factory=list)
    fixed: list[Any] = field(default_factory=list)
    min_length: int | None = None
    max_length: int | None = None
    like: list[str] = field(default_factory=list)
    not_like: list[str] = field(default_factory=list)
    not_null: bool = False
    is_null: bool = False
    case: str | None = None
    sources: dict[str, list[Check]] = field(default_factory=dict)

    def copy(self) -> _Facts:
        return replace(self, choices=None if self.choices is None else list(self.choices),
                       excluded=list(self.excluded), fixed=list(self.fixed), like=list(self.like),
                       not_like=list(self.not_like), sources={k: list(v) for k, v in self.sources.items()})

    def _note(self, key: str, check: Check) -> None:
        bucket = self.sources.setdefault(key, [])
        if check not in bucket:
            bucket.append(check)

    def add(self, atom: Atom, check: Check) -> None:
        kind, v = atom.kind, atom.value
        self._note("bounds" if kind in ("lower", "upper") else kind, check)
        if kind == "lower":
            if self.lower is None or _tighter(v, atom.exclusive, self.lower, self.lower_exclusive, ">"):
                self.lower, self.lower_exclusive = v, atom.exclusive
        elif kind == "upper":
            if self.upper is None or _tighter(v, atom.exclusive, self.upper, self.upper_exclusive, "<"):
                self.upper, self.upper_exclusive = v, atom.exclusive
        elif kind == "choices":
            self.choices = list(v) if self.choices is None else [c for c in self.choices if c in v]
        elif kind == "excluded":
            self.excluded.extend(x for x in v if x not in self.excluded)
        elif kind == "fixed":
            if v not in self.fixed:
                self.fixed.append(v)
        elif kind == "min_length":
            self.min_length = v if self.min_length is None else max(self.min_length, v)
        elif kind == "max_length":
            self.max_length = v if self.max_length is None else min(self.max_length, v)
        elif kind == "like":
            if v not in self.like:
                self.like.append(v)
        elif kind == "not_like":
            if v not in self.not_like:
                self.not_like.append(v)
        elif kind == "not_null":
            self.not_null = True
        elif kind == "is_null":
            self.is_null = True
        elif kind == "case":
            self.case = v

    def add_all(self, atoms: list[Atom], check: Check) -> None:
        for atom in atoms:
            self.add(atom, check)

    # -- resolution --------------------------------------------------------------------------------------------------

    def bounds(self) -> tuple[Any, bool, Any, bool]:
        """Bounds with strictness folded into discrete types (``x > 0`` on an integer is ``x >= 1``) and clamped to
        the type's range where a CHECK bound lies outside it (``x >= -5`` on an unsigned integer is ``x >= 0``)."""
        lo, lo_x, hi, hi_x = self.lower, self.lower_exclusive, self.upper, self.upper_exclusive
        kind = self.column.type.kind
        step: Any = 1 if kind in INTEGER_KINDS else dt.timedelta(days=1) if kind == "date" else None
        if step is not None:
            try:
                if lo is not None and lo_x:
                    lo, lo_x = lo + step, False
                if hi is not None and hi_x:
                    hi, hi_x = hi - step, False
            except OverflowError:
                pass  # date.max / date.min: keep the strict bound
        t_lo, t_hi = value_range(self.column.type, self.dialect)
        if lo is not None and t_lo is not None and lo < t_lo:
            lo, lo_x = t_lo, False
        if hi is not None and t_hi is not None and hi > t_hi:
            hi, hi_x = t_hi, False
        return lo, lo_x, hi, hi_x

    def max_len(self) -> int | None:
        return length_limit(self.column.type, self.max_length)

    def admits(self, value: Any) -> bool:
        """Whether a non-NULL value satisfies every fact except ``choices``/``fixed`` membership."""
        lo, lo_x, hi, hi_x = self.bounds()
        try:
            if lo is not None and not compare(">" if lo_x else ">=", value, lo):
                return False
            if hi is not None and not compare("<" if hi_x else "<=", value, hi):
                return False
            if any(compare("=", value, x) for x in self.excluded):
                return False
        except UnsupportedExpression:
            return False
        if isinstance(value, str):
            max_len = self.max_len()
            if (self.min_length is not None and len(value) < self.min_length) or (
                    max_len is not None and len(value) > max_len):
                return False
            if not all(like_matches(value, p) for p in self.like):
                return False
            if any(like_matches(value, p) for p in self.not_like):
                return False
        return True

    def witness(self) -> bool:
        """Whether a string satisfying the text facts was found (only tried when LIKE/NOT LIKE patterns exist).

        A quick search (each LIKE pattern filled with a few strings); ``False`` proves nothing, it only steers the
        choice among OR branches towards ones known to be satisfiable.
        """
        if not (self.like or self.not_like) or self.column.type.kind not in TEXT_KINDS:
            return True
        need = self.min_length or 0
        fills = ["", "x", "qz", "x" * need, "qz" * need]
        patterns = self.like or ["%"]
        for pattern in patterns:
            for fill in fills:
                for one in ("x", "q"):
                    candidate = parse_like(pattern).instance(fill, one)
                    if self.admits(candidate) and (not self.choices or candidate in self.choices):
                        return True
        return False

    def problem(self) -> tuple[str, list[Check]] | None:
        """The first contradiction among the facts: ``(reason, CHECKs involved)``, or ``None``."""
        src = self.sources
        col = self.column
        if self.is_null:
            if self.not_null:
                return "it must be both NULL and NOT NULL", src.get("is_null", []) + src.get("not_null", [])
            if not col.nullable:
                return "it must be NULL but the column is NOT NULL", src.get("is_null", [])
            return None
        if len(self.fixed) > 1:
            return f"it must equal each of {self.fixed!r}", src.get("fixed", [])
        lo, lo_x, hi, hi_x = self.bounds()
        if lo is not None and hi is not None:
            try:
                empty = compare(">", lo, hi) or (compare("=", lo, hi) and (lo_x or hi_x))
            except UnsupportedExpression:
                empty = False
            if empty:
                return f"lower bound {lo} is above upper bound {hi}", src.get("bounds", [])
        t_lo, t_hi = value_range(col.type, self.dialect)
        try:
            if lo is not None and t_hi is not None and compare(">", lo, t_hi):
                return f"lower bound {lo} is above the {col.type.sql} maximum {t_hi}", src.get("bounds", [])
            if hi is not None and t_lo is not None and compare("<", hi, t_lo):
                return f"upper bound {hi} is below the {col.type.sql} minimum {t_lo}", src.get("bounds", [])
        except UnsupportedExpression:
            pass
        max_len = self.max_len()
        if max_len is not None and (self.min_length or 0) > max_len:
            return (f"it must be at least {self.min_length or 0} characters but at most {max_len}",
                    src.get("min_length", []) + src.get("max_length", []))
        for pattern in self.like:
            need = parse_like(pattern).fixed_length
            if max_len is not None and need > max_len:
                return f"LIKE '{pattern}' needs at least {need} characters but at most {max_len} fit", src.get(
                    "like", [])
        candidates = self._candidates()
        if candidates is not None and not candidates:
            involved = [c for key in ("choices", "fixed", "excluded", "bounds", "min_length", "max_length", "like",
                                      "not_like") for c in src.get(key, [])]
            return "no allowed value is left", list(dict.fromkeys(involved))
        return None

    def _candidates(self) -> list[Any] | None:
        """The allowed values when they are enumerable (choices, fixed value, enum labels), else ``None``."""
        pool: list[Any] | None = None
        labels = list(self.column.type.values) if self.column.type.kind == "enum" else None
        if labels is not None:
            pool = labels
        if self.choices is not None:
            pool = list(self.choices) if pool is None else [v for v in pool if v in self.choices]
        if self.fixed:
            pool = [v for v in self.fixed if pool is None or v in pool]
        if pool is None:
            return None
        return [v for v in pool if self.admits(v)]

    def to_spec(self, table: Table, null_fraction: float) -> ValueSpec:
        col = self.column
        if self.is_null:
            return ValueSpec(column=col, table=table.name, null_fraction=1.0, dialect=self.dialect)
        lo, lo_x, hi, hi_x = self.bounds()
        candidates = self._candidates()
        fixed = candidates[0] if self.fixed and candidates else None
        nullable = col.nullable and not self.not_null
        return ValueSpec(
            column=col, table=table.name, lower=lo, upper=hi, lower_exclusive=lo_x, upper_exclusive=hi_x,
            choices=None if candidates is None else tuple(candidates), excluded=tuple(self.excluded),
            min_length=self.min_length, max_length=self.max_len(), like=tuple(self.like),
            not_like=tuple(self.not_like), null_fraction=float(null_fraction) if nullable else 0.0, fixed=fixed,
            dialect=self.dialect, case=self.case)


def _tighter(new: Any, new_x: bool, cur: Any, cur_x: bool, direction: str) -> bool:
    try:
        if compare(direction, new, cur):
            return True
        return bool(compare("=", new, cur)) and new_x and not cur_x
    except UnsupportedExpression:
        return False


def _raise(table: Table, column: Column, reason: str, checks: list[Check]) -> None:
    named = " and ".join(describe_check(c) for c in checks) or "its CHECK constraints"
    raise GenerationError(f"column {table.name}.{column.name}: no value satisfies {named}: {reason}; "
                          f"fix or drop the constraint")


# --------------------------------------------------------------------------------------------------------------------
# Entry points


@identity_cache(8192)
def single_column_conjuncts(table: Table, column: Column) -> list[tuple[exp.Expression, Check]]:
    """Normalised conjuncts of every CHECK of ``table`` that mention ``column`` and no other column.

    Cached per (table, column) object; the list and its expressions must not be modified.
    """
    out = []
    ordered = [*column.checks,
               *(c for c in all_checks(table) if not any(same_check(c, own) for own in column.checks))]
    for check in ordered:
        for conj in check_conjuncts(check):
            cols = referenced_columns(table, conj)
            if cols is not None and len(cols) == 1 and cols[0].name == column.name:
                out.append((conj, check))
    return out


def derive_spec(table: Table, column: Column, *, null_fraction: float = 0.0, dialect: str = "") -> ValueSpec:
    """The :class:`ValueSpec` for ``column`` of ``table`` from its type, nullability and single-column CHECKs.

    See :mod:`seeder.generate.checks` for the forms understood. ``null_fraction`` is passed through for nullable
    columns; it is 0.0 for NOT NULL columns and for columns a CHECK keeps from being NULL, 1.0 when a CHECK
    requires NULL. Enum columns get their labels (narrowed by CHECKs) as ``choices``; a fixed value is also the only
    choice. Bounds are in the column's Python value type, with strict bounds made inclusive for integers and dates,
    and kept within the type's range (:func:`seeder.types.value_range`) for ``dialect``, the sqlglot dialect the
    schema was read in (``""``: the ranges every dialect accepts), which the spec carries on.

    Raises:
        GenerationError: the CHECKs (with the type) leave no value, naming the table, column and CHECKs.
    """
    facts = _Facts(column, dialect)
    deferred: list[tuple[Reading, Check]] = []
    for conj, check in single_column_conjuncts(table, column):
        if evaluate(conj, {column.name: None}) is False:
            facts.add(Atom("not_null"), check)
        reading = read_conjunct(table, column, conj)
        if reading is None:
            continue
        if len(reading) == 1 and reading[0] is not None:
            facts.add_all(reading[0], check)
        else:
            deferred.append((reading, check))
    problem = facts.problem()
    if problem:
        _raise(table, column, *problem)
    for options, check in deferred:
        fitting = []
        for option in options:
            if option is None:
                continue
            trial = facts.copy()
            trial.add_all(option, check)
            if trial.problem() is None:
                fitting.append(trial)
        if fitting:
            # Prefer the first branch known to leave a value (LIKE/NOT LIKE interplay is not proven either way).
            facts = next((f for f in fitting if f.witness()), fitting[0])
        else:
            if all(o is not None and all(a.exact for a in o) for o in options):
                others = [c for cs in facts.sources.values() for c in cs if c != check]
                _raise(table, column, "no branch of its OR fits the other constraints",
                       [check, *dict.fromkeys(others)])
    if not column.nullable and facts.is_null:
        _raise(table, column, "it must be NULL but the column is NOT NULL", facts.sources.get("is_null", []))
    return facts.to_spec(table, null_fraction)


def conjunct_understood(table: Table, column: Column, node: exp.Expression) -> bool:
    """Whether a single-column conjunct is fully turned into spec facts (at least one OR branch read)."""
    reading = read_conjunct(table, column, node)
    return reading is not None and any(o is not None for o in reading)
