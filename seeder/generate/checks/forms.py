"""Recognise CHECK forms: normalise predicates, split conjuncts, find the column a term is about.

Shared by the single-column analysis (:mod:`seeder.generate.checks.single_column`) and the column-relation analysis
(:mod:`seeder.generate.checks.relations`). Nothing here evaluates values.
"""

from __future__ import annotations

from sqlglot import exp

from seeder.generate.checks.sql_values import (
    DATE_TYPES,
    DECIMAL_TYPES,
    FLOAT_TYPES,
    INTEGER_TYPES,
    TEXT_TYPES,
    TIMESTAMP_TYPES,
    TIMESTAMPTZ_TYPES,
)
from seeder.generate.memo import identity_cache
from seeder.schema import Check, Column, Table
from seeder.types import DECIMAL_KINDS, FLOAT_KINDS, INTEGER_KINDS, STRING_KINDS, TEXT_KINDS

_DT = exp.DataType.Type

#: Comparison classes and their operator text, and the operator for ``b op a`` given ``a op b``.
COMPARISONS: dict[type[exp.Expression], str] = {
    exp.EQ: "=", exp.NEQ: "<>", exp.LT: "<", exp.LTE: "<=", exp.GT: ">", exp.GTE: ">=",
}
FLIPPED = {"=": "=", "<>": "<>", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
NEGATED = {"=": "<>", "<>": "=", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}
_OP_CLASS = {v: k for k, v in COMPARISONS.items()}


def same_check(a: Check, b: Check) -> bool:
    """Whether two CHECK objects are the same constraint (a reader may put one CHECK on a table and its column)."""
    return a is b or (a.name == b.name and a.sql == b.sql and a.expression == b.expression)


def describe_check(check: Check) -> str:
    """``CHECK name (sql)`` on one line, the SQL cut to 100 characters, for messages."""
    sql = " ".join(check.sql.split())
    sql = sql if len(sql) <= 100 else sql[:97] + "..."
    return f"CHECK {check.name} ({sql})" if check.name else f"CHECK ({sql})"


@identity_cache(1024)
def all_checks(table: Table) -> tuple[Check, ...]:
    """Every CHECK of ``table``: its table-level CHECKs, then each column's, without duplicates (a CHECK a reader
    put both on the table and on its column counts once). Cached per table object (it is asked for every row)."""
    out: list[Check] = []
    for check in [*table.checks, *(c for col in table.columns for c in col.checks)]:
        if not any(same_check(check, seen) for seen in out):
            out.append(check)
    return tuple(out)


@identity_cache(8192)
def check_conjuncts(check: Check) -> tuple[exp.Expression, ...]:
    """The normalised conjuncts of ``check`` (cached per CHECK object: normalising copies the tree). Callers must
    not modify the returned expressions."""
    return tuple(conjuncts(normalise(check.expression)))


def strip(node: exp.Expression) -> exp.Expression:
    """``node`` without enclosing parentheses."""
    while isinstance(node, exp.Paren):
        node = node.this
    return node


def make_comparison(op: str, left: exp.Expression, right: exp.Expression) -> exp.Expression:
    return _OP_CLASS[op](this=left, expression=right)


def normalise(node: exp.Expression, negate: bool = False) -> exp.Expression:
    """A copy of predicate ``node`` with parentheses dropped and NOT pushed down to the atoms.

    The rewrites hold in SQL's three-valued (Kleene) logic: De Morgan, ``NOT (a < b)`` = ``a >= b``,
    ``NOT (x = ANY (l))`` = ``x <> ALL (l)``, ``NOT (x BETWEEN a AND b)`` = ``x < a OR x > b``. ``NOT IN`` stays
    ``Not(In)``; other negated atoms stay wrapped in ``Not``.
    """
    node = strip(node)
    if isinstance(node, exp.CheckColumnConstraint):
        return normalise(node.this, negate)
    if isinstance(node, exp.Not):
        return normalise(node.this, not negate)
    if isinstance(node, exp.Case) and (rewritten := _case_as_or(node)) is not None:
        return normalise(rewritten, negate)
    if isinstance(node, (exp.And, exp.Or)):
        parts = [normalise(p, negate) for p in node.flatten()]
        conj = isinstance(node, exp.And) != negate
        result = parts[0]
        for part in parts[1:]:
            result = exp.And(this=result, expression=part) if conj else exp.Or(this=result, expression=part)
        return result
    if not negate:
        return node.copy()
    if type(node) in COMPARISONS:
        op = NEGATED[COMPARISONS[type(node)]]
        right = strip(node.expression)
        if isinstance(right, (exp.Any, exp.All)):
            swapped = (exp.All if isinstance(right, exp.Any) else exp.Any)(this=right.this.copy())
            return make_comparison(op, node.this.copy(), swapped)
        if isinstance(right, exp.Anonymous) and str(right.this).upper() in ("ANY", "SOME", "ALL"):
            kind = "ANY" if str(right.this).upper() == "ALL" else "ALL"
            swapped_anon = exp.Anonymous(this=kind, expressions=[e.copy() for e in right.expressions])
            return make_comparison(op, node.this.copy(), swapped_anon)
        return make_comparison(op, node.this.copy(), node.expression.copy())
    if isinstance(node, (exp.Is, exp.Like, exp.ILike)):
        flipped = node.copy()
        flipped.set("negate", not node.args.get("negate"))
        return flipped
    if isinstance(node, exp.Between) and not node.args.get("symmetric"):
        x = node.this
        return exp.Or(this=exp.LT(this=x.copy(), expression=node.args["low"].copy()),
                      expression=exp.GT(this=x.copy(), expression=node.args["high"].copy()))
    return exp.Not(this=node.copy())


def _case_as_or(node: exp.Case) -> exp.Expression | None:
    """A predicate ``CASE WHEN c1 THEN p1 ... ELSE q END`` as ``(c1 AND p1) OR (NOT c1 AND c2 AND p2) ... OR (NOT
    c1 AND ... AND q)`` (icingadb's ``CASE WHEN a IS NULL THEN b IS NOT NULL ELSE ... END``), so the engine plans
    the branches the way it plans an OR. Only when every condition is an ``IS`` test, which is never NULL (a NULL
    condition would take the ELSE branch, where ``NOT c`` is NULL); a missing ELSE is NULL, which a CHECK passes.
    ``None`` for other forms (a simple ``CASE x WHEN``, conditions that may be NULL)."""
    if node.this is not None:
        return None
    ifs = node.args.get("ifs") or []
    if not ifs or not all(isinstance(strip(i.this), exp.Is) for i in ifs):
        return None
    default = node.args.get("default")
    branches: list[exp.Expression] = []
    earlier: list[exp.Expression] = []
    for item in ifs:
        condition = strip(item.this)
        branches.append(exp.and_(*[exp.Not(this=c.copy()) for c in earlier], condition.copy(),
                                 exp.Paren(this=item.args["true"].copy())))
        earlier.append(condition)
    tail = default.copy() if default is not None else exp.true()
    branches.append(exp.and_(*[exp.Not(this=c.copy()) for c in earlier], exp.Paren(this=tail)))
    return exp.or_(*[exp.Paren(this=b) for b in branches])


def quantifier(node: exp.Expression) -> tuple[str, exp.Expression] | None:
    """``ANY (x)`` / ``SOME (x)`` / ``ALL (x)`` on the right of a comparison: ``("ANY" | "ALL", x)``; ``None`` for a
    plain operand."""
    node = strip(node)
    if isinstance(node, exp.Any):
        return "ANY", node.this
    if isinstance(node, exp.All):
        return "ALL", node.this
    if isinstance(node, exp.Anonymous) and str(node.this).upper() in ("ANY", "SOME", "ALL") and \
            len(node.expressions) == 1:
        return ("ALL" if str(node.this).upper() == "ALL" else "ANY"), node.expressions[0]
    return None


def conjuncts(node: exp.Expression) -> list[exp.Expression]:
    """The top-level AND operands of a normalised predicate."""
    return list(node.flatten()) if isinstance(node, exp.And) else [node]


def disjuncts(node: exp.Expression) -> list[exp.Expression]:
    """The top-level OR operands of a normalised predicate."""
    return list(node.flatten()) if isinstance(node, exp.Or) else [node]


def resolve_column(table: Table, name: str) -> Column | None:
    """The column of ``table`` called ``name``: exact match first, then a unique case-insensitive match."""
    for col in table.columns:
        if col.name == name:
            return col
    folded = [c for c in table.columns if c.name.lower() == name.lower()]
    return folded[0] if len(folded) == 1 else None


def referenced_columns(table: Table, node: exp.Expression) -> list[Column] | None:
    """The distinct table columns ``node`` mentions, in table order; ``None`` if it names an unknown column."""
    names = []
    for col in node.find_all(exp.Column):
        resolved = resolve_column(table, col.name)
        if resolved is None:
            return None
        names.append(resolved.name)
    return [c for c in table.columns if c.name in names]


def _params(datatype: exp.DataType) -> list[int]:
    out = []
    for p in datatype.expressions:
        node = p.this if isinstance(p, exp.DataTypeParam) else p
        if isinstance(node, exp.Literal) and node.this.isdigit():
            out.append(int(node.this))
    return out


def transparent_cast(column: Column, target: exp.DataType) -> bool:
    """Whether casting ``column``'s values to ``target`` keeps every value and its order (``(name)::text``).

    Such casts are looked through when a CHECK is read as a bound, a choice list or a relation.
    """
    kind, t = column.type.kind, target.this
    params = _params(target)
    if kind in STRING_KINDS:
        if t in (_DT.USERDEFINED, _DT.UNKNOWN):
            return True
        if t in TEXT_TYPES:
            if t in (_DT.CHAR, _DT.NCHAR) and params:
                return False  # char(n) pads
            limit = params[0] if params else None
            return limit is None or (column.type.length is not None and column.type.length <= limit)
        return False
    if kind in INTEGER_KINDS:
        return t in INTEGER_TYPES or t in FLOAT_TYPES or (t in DECIMAL_TYPES and len(params) < 2)
    if kind in DECIMAL_KINDS:
        if t not in DECIMAL_TYPES:
            return False
        if not params:
            return True
        if len(params) < 2 or column.type.precision is None:
            return False
        scale = column.type.scale or 0
        return params[1] >= scale and params[0] - params[1] >= column.type.precision - scale
    if kind in FLOAT_KINDS:
        return t in FLOAT_TYPES
    if kind == "date":
        return t in DATE_TYPES or t in TIMESTAMP_TYPES
    if kind == "timestamp":
        return t in TIMESTAMP_TYPES
    if kind == "timestamptz":
        return t in TIMESTAMPTZ_TYPES
    simple = {"boolean": _DT.BOOLEAN, "uuid": _DT.UUID, "interval": _DT.INTERVAL, "time": _DT.TIME}
    return simple.get(kind) == t


def plain_column(table: Table, node: exp.Expression) -> Column | None:
    """The column ``node`` is, through parentheses and transparent casts; ``None`` if it is anything else."""
    node = strip(node)
    if isinstance(node, exp.Column):
        return resolve_column(table, node.name)
    if isinstance(node, exp.Cast) and not isinstance(node, exp.TryCast):
        inner = plain_column(table, node.this)
        if inner is not None and transparent_cast(inner, node.to):
            return inner
    return None


def subject(table: Table, node: exp.Expression) -> tuple[Column, str] | None:
    """What a comparison operand says about one column: ``(column, form)``.

    ``form`` is ``plain`` (the column itself), ``upper``/``lower`` (case-folded text), ``length`` (characters;
    bytes of a byte-string column) or ``octets`` (bytes of a text column). ``None`` for anything else.
    """
    node = strip(node)
    col = plain_column(table, node)
    if col is not None:
        return col, "plain"
    if isinstance(node, exp.Cast) and not isinstance(node, exp.TryCast) and node.to.this in TEXT_TYPES:
        inner = subject(table, node.this)  # upper(x)::text, length(...)::text is not a subject
        return inner if inner is not None and inner[1] in ("upper", "lower") else None
    if isinstance(node, (exp.Upper, exp.Lower)):
        col = plain_column(table, node.this)
        if col is not None and col.type.kind in STRING_KINDS:
            return col, "upper" if isinstance(node, exp.Upper) else "lower"
        return None
    if isinstance(node, exp.Length):
        col = plain_column(table, node.this)
        if col is not None and col.type.kind == "bytes":
            return col, "length"  # the length of a byte string is its number of bytes
        if col is not None and col.type.kind in TEXT_KINDS:
            return col, "octets" if node.args.get("binary") else "length"
        return None
    if isinstance(node, exp.Anonymous) and len(node.expressions) == 1:
        name = str(node.this).lower()
        col = plain_column(table, node.expressions[0])
        if col is not None and col.type.kind == "bytes" and name in ("octet_length", "length"):
            return col, "length"  # icingadb's CHECK (octet_length(VALUE) = 20) on a bytea domain
        if col is None or col.type.kind not in TEXT_KINDS:
            return None
        if name in ("char_length", "character_length", "length"):
            return col, "length"
        if name == "octet_length":
            return col, "octets"
    return None


def is_null_test(table: Table, node: exp.Expression) -> Column | None:
    """The column of a plain ``col IS NULL`` test, else ``None``."""
    node = strip(node)
    if isinstance(node, exp.Is) and isinstance(node.expression, exp.Null) and not node.args.get("negate"):
        return plain_column(table, node.this)
    return None


def has_columns(node: exp.Expression) -> bool:
    return next(node.find_all(exp.Column), None) is not None
