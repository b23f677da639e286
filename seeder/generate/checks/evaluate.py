"""Evaluate CHECK expressions (sqlglot trees) over one row of Python values, with SQL three-valued logic.

``evaluate_value`` computes any supported expression to a Python value (``None`` is NULL) and raises
:class:`UnsupportedExpression` for forms it does not know; ``evaluate`` applies it to a predicate and answers
``True``/``False``/``None`` (NULL or unknown). Value semantics (casts, comparisons, intervals, LIKE) live in
:mod:`seeder.generate.checks.sql_values`.

Logic follows the SQL standard (Kleene logic: ``FALSE AND x`` is FALSE, ``TRUE OR x`` is TRUE, whatever ``x``), which
also lets a CHECK be decided when one side of an AND/OR cannot be evaluated here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from sqlglot import exp

from seeder.generate.checks.forms import COMPARISONS, quantifier
from seeder.generate.checks.like import like_regex
from seeder.generate.checks.regex import glob_regex, posix_regex, similar_regex
from seeder.generate.checks.sql_values import (
    UTC,
    SqlInterval,
    UnsupportedExpression,
    arithmetic,
    cast_supported,
    cast_value,
    compare,
    parse_interval,
    parse_number,
    parse_pg_array,
    to_decimal,
    to_int,
    to_text,
)
from seeder.generate.memo import identity_cache

#: User-supplied SQL functions: lower-case name (``fn`` or ``schema.fn``) -> Python callable taking the evaluated
#: arguments (``None`` for NULL) and returning the result (``None`` for NULL).
Functions = Mapping[str, Callable[..., Any]]

_ARITHMETIC: dict[type[exp.Expression], str] = {
    exp.Add: "+", exp.Sub: "-", exp.Mul: "*", exp.Div: "/", exp.Mod: "%",
}


def truth(value: Any) -> bool | None:
    """The truth value of a predicate result: bool as is, NULL as ``None``, numbers as ``!= 0`` (SQLite/MySQL)."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, (int, Decimal, float)):
        return value != 0
    raise UnsupportedExpression(f"{type(value).__name__} value used as a condition")


def _json_type(value: Any) -> str:
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float, Decimal)):
        return "number"
    if isinstance(value, str):
        try:
            return _json_type(json.loads(value))
        except ValueError:
            return "string"
    raise UnsupportedExpression(f"not a JSON value: {type(value).__name__}")


def _json_valid(value: Any) -> bool:
    if isinstance(value, str):
        try:
            json.loads(value)
        except ValueError:
            return False
        return True
    return isinstance(value, (dict, list, int, float, Decimal, bool))


def _octet_length(value: Any) -> int:
    return len(value) if isinstance(value, bytes) else len(to_text(value).encode("utf-8"))


def _array_length(value: Any, dim: Any = 1) -> int | None:
    items = parse_pg_array(value) if isinstance(value, str) else value
    if not isinstance(items, list) or dim != 1:
        raise UnsupportedExpression("array_length of a non-array or beyond dimension 1")
    return len(items) or None  # PostgreSQL: the length of an empty array is NULL


def _cardinality(value: Any) -> int:
    items = parse_pg_array(value) if isinstance(value, str) else value
    if not isinstance(items, list):
        raise UnsupportedExpression("cardinality of a non-array")
    return len(items)


def _btrim(value: Any, chars: Any = " ") -> str:
    return to_text(value).strip(chars)


#: Built-in functions that sqlglot leaves as ``exp.Anonymous``: lower-case name -> callable on non-NULL arguments
#: (a NULL argument gives NULL without calling it).
_ANONYMOUS: dict[str, Callable[..., Any]] = {
    "octet_length": _octet_length,
    "bit_length": lambda v: 8 * _octet_length(v),
    "cardinality": _cardinality,
    "array_length": _array_length,
    "json_typeof": _json_type,
    "jsonb_typeof": _json_type,
    "json_valid": _json_valid,
    "isjson": _json_valid,
    "btrim": _btrim,
    "ltrim": lambda v, c=" ": to_text(v).lstrip(c),
    "rtrim": lambda v, c=" ": to_text(v).rstrip(c),
    "char_length": lambda v: len(to_text(v)),
    "character_length": lambda v: len(to_text(v)),
    "length": lambda v: len(v) if isinstance(v, bytes) else len(to_text(v)),
    "len": lambda v: len(to_text(v).rstrip(" ")),  # T-SQL LEN ignores trailing blanks
    "lower": lambda v: to_text(v).lower(),
    "upper": lambda v: to_text(v).upper(),
    "isfinite": lambda v: not (isinstance(v, float) and math.isinf(v)),
}

_EXTRACT_UNITS = ("year", "month", "day", "hour", "minute", "second", "dow", "isodow", "doy", "quarter",
                  "week", "epoch", "decade", "century", "millennium", "microseconds", "milliseconds")


def _extract(unit: str, value: Any) -> Any:
    if isinstance(value, str):
        value = cast_value(value, exp.DataType.build("timestamp"))
    if not isinstance(value, (dt.date, dt.time)):
        raise UnsupportedExpression(f"extract from {type(value).__name__}")
    unit = unit.lower()
    if isinstance(value, dt.time):
        parts = {"hour": value.hour, "minute": value.minute,
                 "second": Decimal(value.second) + Decimal(value.microsecond) / 1_000_000}
        if unit not in parts:
            raise UnsupportedExpression(f"extract {unit} from time")
        return parts[unit]
    stamp = value if isinstance(value, dt.datetime) else dt.datetime(value.year, value.month, value.day)
    simple = {
        "year": stamp.year, "month": stamp.month, "day": stamp.day, "hour": stamp.hour, "minute": stamp.minute,
        "dow": stamp.isoweekday() % 7, "isodow": stamp.isoweekday(), "doy": stamp.timetuple().tm_yday,
        "quarter": (stamp.month - 1) // 3 + 1, "week": stamp.isocalendar()[1], "decade": stamp.year // 10,
        "century": (stamp.year + 99) // 100, "millennium": (stamp.year + 999) // 1000,
    }
    if unit in simple:
        return simple[unit]
    if unit == "second":
        return Decimal(stamp.second) + Decimal(stamp.microsecond) / 1_000_000
    if unit == "epoch":
        aware = stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)
        return Decimal(str(aware.timestamp()))
    raise UnsupportedExpression(f"extract {unit}")


class _Evaluator:
    """One evaluation: a row, optional user functions and a fixed ``now`` for the time functions."""

    def __init__(self, row: Mapping[str, Any], functions: Functions | None, now: dt.datetime | None,
                 constants: Mapping[int, Any] | None = None) -> None:
        self.row = row
        self.functions = {k.lower(): v for k, v in functions.items()} if functions else {}
        self._now = now
        self.constants = constants or {}
        self._folded: dict[str, list[str]] | None = None

    @property
    def now(self) -> dt.datetime:
        """The evaluation's current time (UTC), read once, on first use."""
        if self._now is None:
            self._now = dt.datetime.now(UTC)
        return self._now

    # -- leaves ------------------------------------------------------------------------------------------------------

    def column(self, name: str) -> Any:
        if name in self.row:
            return self.row[name]
        if self._folded is None:
            self._folded = {}
            for key in self.row:
                self._folded.setdefault(key.lower(), []).append(key)
        keys = self._folded.get(name.lower(), [])
        if len(keys) != 1:
            raise UnsupportedExpression(f"column {name!r} is not in the row" if not keys else
                                        f"column {name!r} is ambiguous in the row")
        return self.row[keys[0]]

    # -- dispatch ----------------------------------------------------------------------------------------------------

    def ev(self, node: exp.Expression) -> Any:
        if self.constants:
            value = self.constants.get(id(node), _MISSING)
            if value is not _MISSING:
                return value
        handler = _HANDLERS.get(type(node))
        if handler is None:
            for cls, h in _HANDLERS.items():
                if isinstance(node, cls):
                    handler = h
                    break
        if handler is None:
            raise UnsupportedExpression(f"unsupported expression {type(node).__name__}: {node.sql()[:60]}")
        return handler(self, node)

    def cond(self, node: exp.Expression) -> bool | None:
        return truth(self.ev(node))

    # -- logic -------------------------------------------------------------------------------------------------------

    def _connective(self, node: exp.Expression, dominant: bool) -> bool | None:
        """AND (``dominant=False``) / OR (``dominant=True``) over the flattened operands, Kleene style."""
        operands = list(node.flatten())
        unknown, failure = False, None
        for operand in operands:
            try:
                value = self.cond(operand)
            except UnsupportedExpression as err:
                failure = err
                continue
            if value is dominant:
                return dominant
            if value is None:
                unknown = True
        if failure is not None:
            raise failure
        return None if unknown else (not dominant)

    def and_(self, node: exp.And) -> bool | None:
        return self._connective(node, False)

    def or_(self, node: exp.Or) -> bool | None:
        return self._connective(node, True)

    def not_(self, node: exp.Not) -> bool | None:
        value = self.cond(node.this)
        return None if value is None else not value

    def is_(self, node: exp.Is) -> bool:
        right = node.expression
        value = self.ev(node.this)
        if isinstance(right, exp.Null):
            result = value is None
        elif isinstance(right, exp.Boolean):
            result = value is not None and truth(value) is right.this
        elif isinstance(right, exp.JSON):
            result = value is not None and _json_valid(value)
        else:
            raise UnsupportedExpression(f"unsupported IS form: {node.sql()[:60]}")
        return (not result) if node.args.get("negate") else result

    # -- comparisons -------------------------------------------------------------------------------------------------

    def comparison(self, node: exp.Expression) -> bool | None:
        op = COMPARISONS[type(node)]
        right = node.expression
        quantified = quantifier(right)
        left = self.ev(node.this)
        if quantified is None:
            return compare(op, left, self.ev(right))
        kind, inner = quantified
        items = self.ev(inner)
        if items is None:
            return None
        if isinstance(items, str):
            items = parse_pg_array(items)
        if not isinstance(items, list):
            raise UnsupportedExpression(f"{kind} over a non-array")
        return _quantified(kind, [compare(op, left, item) for item in items])

    def null_safe(self, node: exp.Expression) -> bool:
        a, b = self.ev(node.this), self.ev(node.expression)
        same = (a is None and b is None) or (a is not None and b is not None and compare("=", a, b) is True)
        return same if isinstance(node, exp.NullSafeEQ) else not same

    def in_(self, node: exp.In) -> bool | None:
        if node.args.get("query") or node.args.get("unnest") or node.args.get("field"):
            raise UnsupportedExpression("IN with a subquery")
        value = self.ev(node.this)
        return _quantified("ANY", [compare("=", value, self.ev(e)) for e in node.expressions])

    def between(self, node: exp.Between) -> bool | None:
        value, low, high = self.ev(node.this), self.ev(node.args["low"]), self.ev(node.args["high"])
        if node.args.get("symmetric") and low is not None and high is not None and compare(">", low, high):
            low, high = high, low
        return _kleene_and([compare(">=", value, low), compare("<=", value, high)])

    # -- pattern matching --------------------------------------------------------------------------------------------

    def like(self, node: exp.Expression, escape: str | None = "\\") -> bool | None:
        value, pattern = self.ev(node.this), self.ev(node.expression)
        if value is None or pattern is None:
            return None
        regex = like_regex(to_text(pattern), escape or None, isinstance(node, exp.ILike))
        result = regex.fullmatch(to_text(value)) is not None
        return (not result) if node.args.get("negate") else result

    def escape(self, node: exp.Escape) -> bool | None:
        inner = node.this
        if not isinstance(inner, (exp.Like, exp.ILike)):
            raise UnsupportedExpression("ESCAPE outside LIKE")
        esc = self.ev(node.expression)
        return self.like(inner, esc)

    def regex(self, node: exp.Expression) -> bool | None:
        value, pattern = self.ev(node.this), self.ev(node.expression)
        if value is None or pattern is None:
            return None
        if node.args.get("flag") is not None:
            raise UnsupportedExpression("regex flags")
        compiled = posix_regex(to_text(pattern), isinstance(node, exp.RegexpILike))
        return compiled.search(to_text(value)) is not None

    def similar(self, node: exp.SimilarTo) -> bool | None:
        value, pattern = self.ev(node.this), self.ev(node.expression)
        if value is None or pattern is None:
            return None
        return similar_regex(to_text(pattern)).fullmatch(to_text(value)) is not None

    def glob(self, node: exp.Glob) -> bool | None:
        value, pattern = self.ev(node.this), self.ev(node.expression)
        if value is None or pattern is None:
            return None
        return glob_regex(to_text(pattern)).fullmatch(to_text(value)) is not None

    # -- values ------------------------------------------------------------------------------------------------------

    def literal(self, node: exp.Literal) -> Any:
        return node.this if node.is_string else parse_number(node.this)

    def cast(self, node: exp.Cast) -> Any:
        value = self.ev(node.this)
        if value is None:
            return None
        try:
            return cast_value(value, node.to)
        except UnsupportedExpression:
            if isinstance(node, exp.TryCast):
                return None
            raise

    def neg(self, node: exp.Neg) -> Any:
        value = self.ev(node.this)
        if value is None:
            return None
        if isinstance(value, str):
            value = parse_number(value)
        if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, dt.timedelta, SqlInterval)):
            raise UnsupportedExpression(f"negation of {type(value).__name__}")
        return -value

    def arith(self, node: exp.Expression) -> Any:
        typed = node.args.get("typed", True) if isinstance(node, exp.Div) else True
        return arithmetic(_ARITHMETIC[type(node)], self.ev(node.this), self.ev(node.expression),
                          typed_division=bool(typed))

    def int_div(self, node: exp.IntDiv) -> Any:
        return arithmetic("/", _to_int_or_none(self.ev(node.this)), _to_int_or_none(self.ev(node.expression)))

    def pow_(self, node: exp.Pow) -> Any:
        a, b = self.ev(node.this), self.ev(node.expression)
        if a is None or b is None:
            return None
        try:
            return to_decimal(a) ** to_decimal(b) if not isinstance(a, float) else a ** float(b)
        except ArithmeticError as err:
            raise UnsupportedExpression("power out of range") from err

    def concat_pipe(self, node: exp.DPipe) -> Any:
        a, b = self.ev(node.this), self.ev(node.expression)
        if a is None or b is None:
            return None
        if isinstance(a, list) or isinstance(b, list):
            return (a if isinstance(a, list) else [a]) + (b if isinstance(b, list) else [b])
        return to_text(a) + to_text(b)

    def concat(self, node: exp.Concat) -> Any:
        values = [self.ev(e) for e in node.expressions]
        if any(v is None for v in values) and not node.args.get("coalesce"):
            return None
        return "".join(to_text(v) for v in values if v is not None)

    def array(self, node: exp.Expression) -> list[Any]:
        return [self.ev(e) for e in node.expressions]

    def interval(self, node: exp.Interval) -> SqlInterval:
        amount = self.ev(node.this)
        unit = node.args.get("unit")
        text = to_text(amount) + (f" {unit.name}" if unit is not None else "")
        return parse_interval(text)

    def case(self, node: exp.Case) -> Any:
        operand = node.this
        subject = self.ev(operand) if operand is not None else None
        for branch in node.args.get("ifs") or []:
            if operand is not None:
                hit = compare("=", subject, self.ev(branch.this)) is True
            else:
                hit = self.cond(branch.this) is True
            if hit:
                return self.ev(branch.args["true"])
        default = node.args.get("default")
        return self.ev(default) if default is not None else None

    def if_(self, node: exp.If) -> Any:
        if self.cond(node.this) is True:
            return self.ev(node.args["true"])
        other = node.args.get("false")
        return self.ev(other) if other is not None else None

    def coalesce(self, node: exp.Coalesce) -> Any:
        for e in [node.this, *node.expressions]:
            value = self.ev(e)
            if value is not None:
                return value
        return None

    def nullif(self, node: exp.Nullif) -> Any:
        a, b = self.ev(node.this), self.ev(node.expression)
        return None if a is not None and compare("=", a, b) is True else a

    def extreme(self, node: exp.Expression) -> Any:
        values = [v for v in (self.ev(e) for e in [node.this, *node.expressions]) if v is not None]
        if not values:
            return None  # PostgreSQL GREATEST/LEAST ignore NULLs
        best = values[0]
        want = ">" if isinstance(node, exp.Greatest) else "<"
        for v in values[1:]:
            if compare(want, v, best):
                best = v
        return best

    def length(self, node: exp.Length) -> Any:
        value = self.ev(node.this)
        if value is None:
            return None
        if node.args.get("binary"):  # MySQL LENGTH() counts bytes
            return _octet_length(value)
        return len(value) if isinstance(value, bytes) else len(to_text(value))

    def case_fold(self, node: exp.Expression) -> Any:
        value = self.ev(node.this)
        if value is None:
            return None
        return to_text(value).upper() if isinstance(node, exp.Upper) else to_text(value).lower()

    def trim(self, node: exp.Trim) -> Any:
        value = self.ev(node.this)
        chars_node = node.expression
        chars = self.ev(chars_node) if chars_node is not None else " "
        if value is None or chars is None:
            return None
        text, chars = to_text(value), to_text(chars)
        position = str(node.args.get("position") or "BOTH").upper()
        if position == "LEADING":
            return text.lstrip(chars)
        if position == "TRAILING":
            return text.rstrip(chars)
        return text.strip(chars)

    def abs_(self, node: exp.Abs) -> Any:
        value = self.ev(node.this)
        return None if value is None else abs(parse_number(value) if isinstance(value, str) else value)

    def substring(self, node: exp.Substring) -> Any:
        value = self.ev(node.this)
        start = self.ev(node.args["start"]) if node.args.get("start") is not None else 1
        length = self.ev(node.args["length"]) if node.args.get("length") is not None else None
        if value is None or start is None or (node.args.get("length") is not None and length is None):
            return None
        text, begin = to_text(value), to_int(start)
        end = None if length is None else begin + to_int(length)
        # SQL positions are 1-based and may start before the string.
        return text[max(begin, 1) - 1: None if end is None else max(end - 1, 0)]

    def str_position(self, node: exp.StrPosition) -> Any:
        value, sub = self.ev(node.this), self.ev(node.args["substr"])
        if value is None or sub is None or node.args.get("position") is not None:
            if node.args.get("position") is not None:
                raise UnsupportedExpression("POSITION with a start offset")
            return None
        return to_text(value).find(to_text(sub)) + 1

    def left_right(self, node: exp.Expression) -> Any:
        value, count = self.ev(node.this), self.ev(node.expression)
        if value is None or count is None:
            return None
        text, n = to_text(value), to_int(count)
        if isinstance(node, exp.Left):
            return text[:n]  # a negative count drops characters from the end (PostgreSQL)
        return text[-n:] if n else ""

    def replace_(self, node: exp.Replace) -> Any:
        value, old, new = self.ev(node.this), self.ev(node.expression), self.ev(node.args["replacement"])
        if value is None or old is None or new is None:
            return None
        return to_text(value).replace(to_text(old), to_text(new))

    def rounding(self, node: exp.Expression) -> Any:
        value = self.ev(node.this)
        if value is None:
            return None
        if isinstance(value, str):
            value = parse_number(value)
        if isinstance(node, exp.Round):
            places_node = node.args.get("decimals")
            places = to_int(self.ev(places_node)) if places_node is not None else 0
            if isinstance(value, float):
                return round(value, places)
            return to_decimal(value, places) if places else to_int(to_decimal(value))
        if node.args.get("decimals") is not None or node.args.get("to") is not None:
            raise UnsupportedExpression("FLOOR/CEIL with precision")
        result = math.floor(value) if isinstance(node, exp.Floor) else math.ceil(value)
        return float(result) if isinstance(value, float) else result

    def sign(self, node: exp.Sign) -> Any:
        value = self.ev(node.this)
        if value is None:
            return None
        if isinstance(value, str):
            value = parse_number(value)
        if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
            raise UnsupportedExpression(f"sign of {type(value).__name__}")
        return (value > 0) - (value < 0)

    def extract(self, node: exp.Extract) -> Any:
        value = self.ev(node.expression)
        return None if value is None else _extract(node.this.name, value)

    def array_size(self, node: exp.ArraySize) -> Any:
        value = self.ev(node.this)
        dim = self.ev(node.expression) if node.expression is not None else 1
        return None if value is None else _array_length(value, dim)

    def clock(self, node: exp.Expression) -> Any:
        if isinstance(node, exp.CurrentDate):
            return self.now.date()
        if isinstance(node, exp.CurrentTime):
            return self.now.time()
        if isinstance(node, exp.Localtimestamp):
            return self.now.replace(tzinfo=None)
        return self.now

    def function(self, node: exp.Expression) -> Any:
        name, args = _function_name(node), _function_args(node)
        if name is None:
            raise UnsupportedExpression(f"unsupported expression: {node.sql()[:60]}")
        user = find_function(self.functions, name)
        if user is not None:
            return user(*[self.ev(a) for a in args])
        builtin = _ANONYMOUS.get(name)
        if builtin is None:
            raise UnsupportedExpression(f"unknown function {name}()")
        values = [self.ev(a) for a in args]
        if any(v is None for v in values):
            return None
        try:
            return builtin(*values)
        except TypeError as err:
            raise UnsupportedExpression(f"bad arguments for {name}(): {err}") from err


def _to_int_or_none(value: Any) -> int | None:
    return None if value is None else to_int(value)


def find_function(functions: Mapping[str, Any], name: str) -> Any | None:
    """The entry of ``functions`` for SQL function ``name`` (lower case, maybe schema-qualified).

    Tries the exact name, then the bare name, then a unique key whose bare name matches (``musicbrainz.f`` is found
    for a call to ``f`` and the other way round).
    """
    if name in functions:
        return functions[name]
    bare = name.rsplit(".", 1)[-1]
    if bare in functions:
        return functions[bare]
    keys = [k for k in functions if k.rsplit(".", 1)[-1] == bare]
    return functions[keys[0]] if len(keys) == 1 else None


def _function_name(node: exp.Expression) -> str | None:
    if isinstance(node, exp.Anonymous):
        return str(node.this).lower()
    if isinstance(node, exp.Dot) and isinstance(node.expression, exp.Anonymous):
        return f"{node.this.name}.{node.expression.this}".lower()
    return None


def _function_args(node: exp.Expression) -> list[exp.Expression]:
    inner = node.expression if isinstance(node, exp.Dot) else node
    return list(inner.expressions)


def _kleene_and(values: Iterable[bool | None]) -> bool | None:
    unknown = False
    for v in values:
        if v is False:
            return False
        unknown = unknown or v is None
    return None if unknown else True


def _quantified(kind: str, results: list[bool | None]) -> bool | None:
    """``x op ANY (...)`` is TRUE if any comparison is, else NULL if any is NULL; ALL is the dual."""
    if kind == "ALL":
        return _kleene_and(results)
    unknown = False
    for r in results:
        if r is True:
            return True
        unknown = unknown or r is None
    return None if unknown else False


_HANDLERS: dict[type[exp.Expression], Callable[[_Evaluator, Any], Any]] = {
    exp.Paren: lambda ev, n: ev.ev(n.this),
    exp.Column: lambda ev, n: ev.column(n.name),
    exp.Literal: _Evaluator.literal,
    exp.RawString: lambda ev, n: n.this,
    exp.Boolean: lambda ev, n: bool(n.this),
    exp.Null: lambda ev, n: None,
    exp.And: _Evaluator.and_,
    exp.Or: _Evaluator.or_,
    exp.Not: _Evaluator.not_,
    exp.Is: _Evaluator.is_,
    **{cls: _Evaluator.comparison for cls in COMPARISONS},
    exp.NullSafeEQ: _Evaluator.null_safe,
    exp.NullSafeNEQ: _Evaluator.null_safe,
    exp.In: _Evaluator.in_,
    exp.Between: _Evaluator.between,
    exp.Like: _Evaluator.like,
    exp.ILike: _Evaluator.like,
    exp.Escape: _Evaluator.escape,
    exp.RegexpLike: _Evaluator.regex,
    exp.RegexpILike: _Evaluator.regex,
    exp.SimilarTo: _Evaluator.similar,
    exp.Glob: _Evaluator.glob,
    exp.TryCast: _Evaluator.cast,
    exp.Cast: _Evaluator.cast,
    exp.Neg: _Evaluator.neg,
    **{cls: _Evaluator.arith for cls in _ARITHMETIC},
    exp.IntDiv: _Evaluator.int_div,
    exp.Pow: _Evaluator.pow_,
    exp.DPipe: _Evaluator.concat_pipe,
    exp.Concat: _Evaluator.concat,
    exp.Array: _Evaluator.array,
    exp.Tuple: _Evaluator.array,
    exp.Interval: _Evaluator.interval,
    exp.Case: _Evaluator.case,
    exp.If: _Evaluator.if_,
    exp.Coalesce: _Evaluator.coalesce,
    exp.Nullif: _Evaluator.nullif,
    exp.Greatest: _Evaluator.extreme,
    exp.Least: _Evaluator.extreme,
    exp.Length: _Evaluator.length,
    exp.Upper: _Evaluator.case_fold,
    exp.Lower: _Evaluator.case_fold,
    exp.Trim: _Evaluator.trim,
    exp.Abs: _Evaluator.abs_,
    exp.Substring: _Evaluator.substring,
    exp.StrPosition: _Evaluator.str_position,
    exp.Left: _Evaluator.left_right,
    exp.Right: _Evaluator.left_right,
    exp.Replace: _Evaluator.replace_,
    exp.Round: _Evaluator.rounding,
    exp.Floor: _Evaluator.rounding,
    exp.Ceil: _Evaluator.rounding,
    exp.Sign: _Evaluator.sign,
    exp.Extract: _Evaluator.extract,
    exp.ArraySize: _Evaluator.array_size,
    exp.CurrentTimestamp: _Evaluator.clock,
    exp.CurrentDate: _Evaluator.clock,
    exp.CurrentTime: _Evaluator.clock,
    exp.Localtimestamp: _Evaluator.clock,
    exp.Anonymous: _Evaluator.function,
    exp.Dot: _Evaluator.function,
}


_MISSING = object()
#: Subtrees whose value cannot change between rows or over time (no columns, clocks or function calls).
_VARIABLE = (exp.Column, exp.CurrentTimestamp, exp.CurrentDate, exp.CurrentTime, exp.Localtimestamp,
             exp.Anonymous, exp.Dot, exp.Subquery, exp.Query)
@identity_cache(4096)
def _constants_of(expression: exp.Expression) -> dict[int, Any]:
    """Values of the maximal constant subtrees of ``expression`` (casts of literals, ARRAY[...] lists), computed once
    per expression object: CHECKs are evaluated on every generated row."""
    values: dict[int, Any] = {}
    folder = _Evaluator({}, None, None)

    def fold(node: exp.Expression) -> None:
        with contextlib.suppress(UnsupportedExpression, ArithmeticError, ValueError, TypeError):
            values[id(node)] = folder.ev(node)

    def visit(node: exp.Expression) -> bool:
        children = list(node.iter_expressions())
        flags = [visit(child) for child in children]
        constant = all(flags) and not isinstance(node, _VARIABLE)
        if not constant:
            for child, flag in zip(children, flags, strict=True):
                if flag and not isinstance(child, (exp.DataType, exp.Identifier, exp.Var)):
                    fold(child)
        return constant

    if visit(expression):
        fold(expression)
    return values


def evaluate_value(expression: exp.Expression, row: Mapping[str, Any], *, functions: Functions | None = None,
                   now: dt.datetime | None = None) -> Any:
    """Compute ``expression`` over ``row`` (column name -> Python value; ``None`` is NULL).

    Columns are looked up by exact name, then case-insensitively (unquoted identifiers). ``functions`` adds SQL
    functions by lower-case name; ``now`` fixes ``now()``/``CURRENT_DATE`` (default: the current UTC time).

    Raises:
        UnsupportedExpression: a form, function, cast or value combination that cannot be evaluated, or a column
            missing from ``row``.
    """
    if isinstance(expression, exp.CheckColumnConstraint):
        expression = expression.this
    try:
        return _Evaluator(row, functions, now, _constants_of(expression)).ev(expression)
    except (ArithmeticError, ValueError) as err:  # overflow, decimal errors: the database would reject the row too
        raise UnsupportedExpression(f"cannot compute {expression.sql()[:60]}: {err}") from err


def evaluate(expression: exp.Expression, row: Mapping[str, Any], *, functions: Functions | None = None,
             now: dt.datetime | None = None) -> bool | None:
    """Evaluate a predicate with SQL three-valued logic: ``True``, ``False``, or ``None`` for NULL *and* unknown.

    ``None`` also covers forms that cannot be evaluated here (see :func:`is_evaluable`) unless the rest of an AND/OR
    decides the result regardless. Arguments as for :func:`evaluate_value`.
    """
    try:
        return truth(evaluate_value(expression, row, functions=functions, now=now))
    except UnsupportedExpression:
        return None


# --------------------------------------------------------------------------------------------------------------------
# Static support check

_STRUCTURAL = (exp.Identifier, exp.DataType, exp.DataTypeParam, exp.Var, exp.JSON)


def _node_supported(node: exp.Expression, functions: Mapping[str, Any]) -> bool:
    if isinstance(node, (exp.Subquery, exp.Select, exp.Query)):
        return False
    if isinstance(node, exp.Dot):
        name = _function_name(node)
        return name is not None and find_function(functions, name) is not None
    if isinstance(node, exp.Anonymous):
        if isinstance(node.parent, exp.Dot) and node.parent.expression is node:
            return _node_supported(node.parent, functions)
        name = str(node.this).lower()
        if find_function(functions, name) is not None or name in _ANONYMOUS:
            return True
        return name.upper() in ("ANY", "ALL", "SOME") and isinstance(node.parent, tuple(COMPARISONS))
    if isinstance(node, exp.Cast):
        return cast_supported(node.to)
    if isinstance(node, exp.Extract):
        return node.this.name.lower() in _EXTRACT_UNITS
    if isinstance(node, exp.In):
        return not (node.args.get("query") or node.args.get("unnest") or node.args.get("field"))
    if isinstance(node, (exp.RegexpLike, exp.RegexpILike)):
        if node.args.get("flag") is not None:
            return False
        pattern = node.expression.unnest() if isinstance(node.expression, exp.Paren) else node.expression
        if isinstance(pattern, (exp.Literal, exp.RawString)):
            try:
                posix_regex(pattern.this)
            except UnsupportedExpression:
                return False
        return True
    if isinstance(node, exp.Is):
        return isinstance(node.expression, (exp.Null, exp.Boolean, exp.JSON))
    if isinstance(node, exp.Column):
        return True
    if isinstance(node, (exp.Any, exp.All)):
        return isinstance(node.parent, tuple(COMPARISONS))
    if isinstance(node, _STRUCTURAL):
        return True
    return type(node) in _HANDLERS or any(isinstance(node, cls) for cls in _HANDLERS if cls is not exp.Dot)


def is_evaluable(expression: exp.Expression, *, functions: Functions | None = None) -> bool:
    """Whether every part of ``expression`` is a form :func:`evaluate` knows (so ``None`` can only mean NULL).

    Regex literals are test-compiled; casts must target a supported type; ``functions`` are the user functions
    that would be passed to :func:`evaluate`.
    """
    if isinstance(expression, exp.CheckColumnConstraint):
        expression = expression.this
    names = {k.lower(): True for k in (functions or {})}
    # Type names (``public.plan_pricing_type``) are not evaluated: do not descend into DataType nodes.
    nodes = expression.walk(prune=lambda n: isinstance(n, exp.DataType))
    return all(_node_supported(node, names) for node in nodes)


__all__ = ["Functions", "UnsupportedExpression", "evaluate", "evaluate_value", "is_evaluable", "truth"]
