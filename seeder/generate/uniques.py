"""Every PRIMARY KEY and UNIQUE constraint holds on every row: verify, rescue or drop the rows that repeat a key.

Keys built by construction (:mod:`seeder.generate.skeleton`) are distinct already; repeats come from overlapping
constraints, expression indexes (``lower(email)``) and partial unique indexes (``WHERE deleted_at IS NULL``). A row
that repeats a key is rescued if it can be (the partial index's predicate made false, a fresh value in one of the
key's own columns, another parent row) while it still passes its CHECKs; only then is it dropped, and the run's
notes say how many rows were.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlglot import exp

from seeder.generate.check_repair import TableRepair, apply_plan
from seeder.generate.checks import Functions, UnsupportedExpression, evaluate, evaluate_value, failing_checks
from seeder.generate.checks.branches import plans_for
from seeder.generate.checks.regex_checks import column_patterns, fit_patterns
from seeder.generate.context import GenerationContext
from seeder.generate.memo import identity_cache
from seeder.generate.values import generate_values
from seeder.schema import Check, Table


def _row(values: dict[str, list[Any]], i: int) -> dict[str, Any]:
    return {c: v[i] for c, v in values.items()}


def enforce_uniques(ctx: GenerationContext, table: Table, values: dict[str, list[Any]], n: int,
                     repair: TableRepair | None = None, unique_columns: Sequence[str] = (),
                     keep: list[bool] | None = None, rank_base: int | None = None) -> int:
    """Make rows that repeat a unique key distinct, or drop them; return the new row count.

    ``rank_base`` (default ``n``): the first rank fresh unique values may take (a block passes one past every rank
    of its table's own rows, so that blocks never rescue onto the same value).

    Keys built by construction are distinct already; repeats come from overlapping constraints, expression indexes
    (``lower(email)``) and partial unique indexes whose group was not built. A repeating row first gets the partial
    index's predicate made false (``deleted_at`` set for ``WHERE deleted_at IS NULL``), else a fresh value in one of
    the key's own columns, as long as the row still passes its CHECKs; only then is it dropped.
    """
    keep = [True] * n if keep is None else keep
    rescued = False
    for uq_cols, exprs, where in _unique_checks(table):
        if not all(c in values for c in uq_cols):
            continue
        # fast path (sets in C): keys built by construction are nearly always distinct already
        if not exprs and where is None and uq_cols and all(keep) and _all_distinct([values[c] for c in uq_cols]):
            continue
        seen: set[tuple[Any, ...]] = set()
        for i in range(n):
            if not keep[i]:
                continue
            hk = _unique_key(ctx, values, i, uq_cols, exprs, where)
            if hk is not None and hk in seen and repair is not None:
                rescued = True
                for attempt in range(8):
                    if not _rescue_duplicate(repair, unique_columns, i, uq_cols, where, attempt,
                                             n if rank_base is None else rank_base):
                        break
                    hk = _unique_key(ctx, values, i, uq_cols, exprs, where)
                    if hk is None or hk not in seen:
                        break
            if hk is None:
                continue
            if hk in seen:
                keep[i] = False
            else:
                seen.add(hk)
    if repair is not None and rescued:
        # a rescue may have moved a row onto a key of a constraint checked before it: verify once more
        return enforce_uniques(ctx, table, values, n, None, unique_columns, keep, rank_base)
    dropped = keep.count(False)
    if not dropped:
        return n
    ctx.notes.append(f"{table.name}: dropped {dropped} rows that repeated a unique key")
    _unlink_dropped(table, values, keep)
    for c in values:
        values[c] = [v for v, k in zip(values[c], keep, strict=False) if k]
    return n - dropped


def _unlink_dropped(table: Table, values: dict[str, list[Any]], keep: list[bool]) -> None:
    """Point self-references away from rows about to be dropped: NULL when nullable, else the row itself."""
    for fk in table.foreign_keys:
        if fk.ref_table != table.name or not all(c in values for c in (*fk.columns, *fk.ref_columns)):
            continue
        gone = {tuple(values[rc][i] for rc in fk.ref_columns) for i, k in enumerate(keep) if not k}
        nullable = all(table.column(c).nullable for c in fk.columns)
        for i, k in enumerate(keep):
            if k and tuple(values[c][i] for c in fk.columns) in gone:
                for c, rc in zip(fk.columns, fk.ref_columns, strict=True):
                    values[c][i] = None if nullable else values[rc][i]


def _unique_key(ctx: GenerationContext, values: dict[str, list[Any]], i: int, uq_cols: tuple[str, ...],
                exprs: tuple[Any, ...], where: Any) -> tuple[Any, ...] | None:
    """Row ``i``'s key for one unique constraint, ``None`` when the row is outside it (NULL, predicate not TRUE)."""
    key = tuple(values[c][i] for c in uq_cols)
    if any(k is None for k in key):
        return None
    row = None
    if where is not None or exprs:
        names = _names_in(where, exprs)
        row = {c: values[c][i] for c in names} if all(c in values for c in names) else _row(values, i)
    if where is not None and evaluate(where, row, functions=ctx.functions) is not True:
        return None
    if exprs:
        key = key + tuple(_expression_key(e, row, ctx.functions) for e in exprs)
        if any(k is None for k in key):
            return None
    return tuple(_hashable(k) for k in key)


@identity_cache(4096)
def _names_in(where: Any, exprs: tuple[Any, ...]) -> tuple[str, ...]:
    """Column names a unique index's predicate and expressions mention (cached per expression objects)."""
    return tuple(sorted({c.name for x in (where, *exprs) if x is not None for c in x.find_all(exp.Column)}))


def _rescue_duplicate(repair: TableRepair, unique_columns: Sequence[str], i: int, uq_cols: tuple[str, ...],
                      where: exp.Expression | None, attempt: int, n: int) -> bool:
    """Change row ``i`` so it may leave a unique key it repeats; ``False`` when nothing can be changed.

    The change is kept only if the row still passes its CHECKs.
    """
    values = repair.values
    before = {c: values[c][i] for c in values}
    salt = f"#unique{attempt}:{i}"
    changed = False
    if where is not None and attempt % 2 == 0:
        negated = Check(name=None, expression=exp.Not(this=where.copy()), sql=f"NOT ({where.sql()})")
        plans = plans_for(repair.table, negated, _row(values, i), repair.freedom, functions=repair.functions)
        changed = bool(plans) and apply_plan(repair, plans[0], i, salt)
    own = [c for c in uq_cols if c in repair.specs and (c in repair.freedom.free or c in unique_columns)]
    if not changed and own:
        col = own[attempt % len(own)]
        spec = repair.specs[col]
        rng = repair.rng(col, salt)
        value = generate_values(spec, 1, rng, unique=col in unique_columns, start=n + attempt + i * 8)[0]
        fresh = [value]
        fit_patterns(spec, column_patterns(repair.table, repair.table.column(col)), fresh, rng)
        values[col][i] = fresh[0]
        changed = True
    if not changed:
        # a key made of foreign keys: another parent row, or NULL in a nullable key column (NULLs never collide)
        all_fks = repair.table.foreign_keys
        fks = [fk for fk in all_fks if set(fk.columns) & set(uq_cols) and fk.ref_table != repair.table.name
               and all(c in values for c in fk.columns)
               and not any(set(fk.columns) & set(o.columns) for o in all_fks if o is not fk)]
        nullable = [c for c in uq_cols if c in repair.freedom.nullable]
        if fks and repair.fill_fk is not None and (attempt < 6 or not nullable):
            fk = fks[attempt % len(fks)]
            assignment = repair.fill_fk(fk, repair.rng("|".join(fk.columns), salt))
            if assignment is not None and all(c not in unique_columns for c in assignment):
                for c, v in assignment.items():
                    values[c][i] = v
                changed = True
        if not changed and nullable:
            values[nullable[attempt % len(nullable)]][i] = None
            changed = True
    if not changed:
        return False
    if failing_checks(repair.table, _row(values, i), functions=repair.functions):
        for c, v in before.items():
            values[c][i] = v
        return False
    return changed


def _unique_checks(table: Table) -> list[tuple[tuple[str, ...], tuple[Any, ...], Any]]:
    out: list[tuple[tuple[str, ...], tuple[Any, ...], Any]] = []
    if table.primary_key:
        out.append((table.primary_key.columns, (), None))
    for uq in table.uniques:
        out.append((uq.columns, uq.expressions, uq.where))
    return out


def _expression_key(expression: exp.Expression, row: dict[str, Any], functions: Functions | None = None) -> Any:
    """The value of a unique-index expression such as ``lower(email)``; unknown forms fall back to the row repr."""
    try:
        return _hashable(evaluate_value(expression, row, functions=functions))
    except UnsupportedExpression:
        return repr(sorted(row.items(), key=lambda kv: kv[0]))


def _all_distinct(columns: list[list[Any]]) -> bool:
    """Whether the key tuples of ``columns`` (one list per key column) are pairwise distinct (NULLs never collide)."""
    if len(columns) == 1:
        column = columns[0]
        try:
            if len(set(column)) == len(column) and None not in column:
                return True  # one column of plain values, all distinct: the common case, kept in C
        except TypeError:  # unhashable values (lists, dicts)
            pass
    keys = list(zip(*columns, strict=True))
    return len(set(map(_hashable_key, keys))) == len(keys)


def _hashable_key(key: tuple[Any, ...]) -> Any:
    if any(k is None for k in key):
        return object()  # NULLs never collide in a unique constraint
    return tuple(_hashable(k) for k in key)


def _hashable(v: Any) -> Any:
    if isinstance(v, (list, dict)):
        return repr(v)
    return v
