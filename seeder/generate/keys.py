"""Key structure of one table: which columns are unique by construction, which combinations must be sampled
without replacement, and how foreign-key columns take their parents' key tuples.

The engine asks :func:`key_layout` once per table; the result says how to satisfy every PRIMARY KEY and UNIQUE
constraint by construction, so no retry loop is ever needed for keys:

* a constraint that contains a free (non-FK) column with an unbounded domain is satisfied by making that one column
  unique (integers ``1..n``, strings with a distinguishing code, ...);
* a constraint made only of FK column groups and small-domain columns (booleans, enums) is a *joint group*: its
  tuples are drawn without replacement from the product of the component domains (mixed-radix decoding of distinct
  indices), which also gives one-to-one relationships for an FK that is itself unique.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlglot import exp

from seeder.schema import ForeignKey, Table
from seeder.types import SMALL_DOMAIN_KINDS

#: Whether the parent of a foreign key is unique on the given subset of its referenced columns:
#: ``(fk, ref_columns) -> bool``. Lets an FK that reaches beyond a unique constraint still give distinct tuples.
ParentUnique = Callable[[ForeignKey, tuple[str, ...]], bool]

#: Preferred kinds for the column that carries a constraint's uniqueness (cheap to make unique, reads naturally).
_PREFERRED = ("integer", "bigint", "smallint", "uuid", "varchar", "text", "char", "decimal")


@dataclass
class JointGroup:
    """Columns of one unique constraint whose tuples are sampled without replacement.

    ``fks`` are the FK column groups inside it (each contributes its parent's row count to the product; an FK may
    also set columns outside the constraint when the parent is unique on the columns inside it); ``columns`` the
    remaining small-domain columns (each contributes its number of distinct values). ``partial`` marks a partial
    unique index (``WHERE ...``): the engine may drop such a group when it would limit the row count, and make the
    predicate false on rows that repeat a key instead.
    """

    constraint: tuple[str, ...]
    fks: list[ForeignKey] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    partial: bool = False


@dataclass
class KeyLayout:
    """How one table's unique constraints are met: ``unique_columns`` made unique on their own, ``groups`` sampled."""

    unique_columns: list[str] = field(default_factory=list)
    groups: list[JointGroup] = field(default_factory=list)

    def group_of_fk(self, fk: ForeignKey) -> JointGroup | None:
        for g in self.groups:
            if fk in g.fks:
                return g
        return None

    def group_of_column(self, name: str) -> JointGroup | None:
        for g in self.groups:
            if name in g.columns:
                return g
        return None


def unique_constraints(table: Table) -> list[tuple[tuple[str, ...], bool]]:
    """``(columns, partial)`` for the PRIMARY KEY and every UNIQUE constraint/index, de-duplicated by columns.

    Expression indexes count by the plain columns inside their expressions (``lower(email)`` by ``email``); a
    column set that is also unique without a predicate is not partial.
    """
    found: dict[tuple[str, ...], bool] = {}
    if table.primary_key:
        found[table.primary_key.columns] = False
    for uq in table.uniques:
        cols = uq.columns
        for e in uq.expressions:
            # lower(email): uniqueness of the underlying column is what we can construct
            inner = sorted({c.name for c in e.find_all(exp.Column)})
            cols = cols + tuple(c for c in inner if c not in cols)
        if cols:
            found[cols] = found.get(cols, True) and uq.where is not None
    return list(found.items())


def unique_sets(table: Table) -> list[tuple[str, ...]]:
    """Column sets of the PRIMARY KEY and every UNIQUE constraint/index over plain columns.

    Expression and partial unique indexes count by their plain columns (a partial index treated as total is
    stricter, hence still correct); their expressions are verified after generation.
    """
    return [cols for cols, _partial in unique_constraints(table)]


def key_layout(table: Table, fk_columns: set[str], written: set[str],
               deferred: frozenset[ForeignKey] = frozenset(), parent_unique: ParentUnique | None = None) -> KeyLayout:
    """Decide how every unique constraint of ``table`` is satisfied by construction.

    Args:
        table: the (effective) table.
        fk_columns: names of columns that belong to some foreign key (their values come from parents).
        written: names of columns the engine writes (others, e.g. generated columns, are left out).
        deferred: FKs filled only after their parent is generated (cycle breaks); they never join a joint group,
            the engine makes them one-to-one itself when they are unique.
        parent_unique: tells whether an FK's parent is unique on a subset of its referenced columns; such an FK
            joins a group for the constraint columns it covers even when it has columns outside the constraint
            (``unique (membership_id, role_id)`` with FK ``(membership_id, organization_id)``). Default: never.
    """
    layout = KeyLayout()
    for cols, partial in unique_constraints(table):
        cols = tuple(c for c in cols if c in written)
        if not cols:
            continue
        if any(c in layout.unique_columns for c in cols):
            continue  # already unique through one of its columns
        free = [c for c in cols if c not in fk_columns]
        big = [c for c in free if table.column(c).type.kind not in SMALL_DOMAIN_KINDS]
        if big:
            big.sort(key=lambda c: _PREFERRED.index(table.column(c).type.kind)
                     if table.column(c).type.kind in _PREFERRED else len(_PREFERRED))
            layout.unique_columns.append(big[0])
            continue
        if any(set(cols) <= set(g.constraint) or set(g.constraint) <= set(cols) for g in layout.groups):
            continue  # overlapping groups are verified after generation
        group = JointGroup(constraint=cols, partial=partial)
        covered: set[str] = set()
        for fk in table.foreign_keys:
            if fk.ref_table != table.name and set(fk.columns) <= set(cols) and not (set(fk.columns) & covered):
                group.fks.append(fk)
                covered |= set(fk.columns)
        for fk in table.foreign_keys:
            inside = tuple(c for c in fk.columns if c in cols and c not in covered)
            if fk.ref_table == table.name or not inside or set(fk.columns) <= set(cols) or parent_unique is None:
                continue
            if set(fk.columns) & covered or not all(c in written for c in fk.columns):
                continue
            ref_inside = tuple(fk.ref_columns[fk.columns.index(c)] for c in inside)
            if parent_unique(fk, ref_inside):
                group.fks.append(fk)
                covered |= set(fk.columns)
        if any(fk in deferred for fk in group.fks):
            continue
        group.columns = [c for c in cols if c not in covered]
        if any(c in fk_columns for c in group.columns):
            # an FK column whose FK is not wholly inside the constraint (or a self-reference): verify afterwards
            continue
        layout.groups.append(group)
    return layout
