"""What migration-style statements do to the drafts: renames, dropped columns and constraints, changed enum types.

Projects ship schemas as a series of migrations (sqlc's ``0001_city.sql``, ``0002_venue.sql``,
``0003_add_column.sql``; Neosync's create-then-alter fixtures). The model must be the schema after every statement,
so ``ALTER TABLE ... RENAME TO``, ``RENAME COLUMN``, ``DROP COLUMN``, ``DROP CONSTRAINT``, ``DROP TABLE`` and
``ALTER TYPE ... ADD VALUE / RENAME VALUE`` rewrite the drafts here, together with every reference to what they
rename or drop (foreign keys of other tables, CHECK expressions, unique and key column lists).

PostgreSQL facts relied on (``ALTER TABLE`` reference page): ``DROP COLUMN`` also drops the indexes and table
constraints involving the column (foreign keys of other tables referencing it only with ``CASCADE``, else the
statement fails, so a valid script never leaves them); ``RENAME`` keeps the table's schema. Constraints declared
without a name get ``<table>_<column>_check``, ``<table>_<columns>_key``, ``<table>_<columns>_fkey`` and
``<table>_pkey`` (``ChooseConstraintName`` in ``pg_constraint.c``), which is how ``DROP CONSTRAINT`` finds them.
SQLite's ``RENAME TO`` / ``RENAME COLUMN`` also rewrite references in other tables (``legacy_alter_table=OFF``).
"""

from __future__ import annotations

from dataclasses import replace

from sqlglot import exp

from seeder.readers.ddl_drafts import CheckDraft, DraftSchema, TableDraft
from seeder.schema import EnumType, TableName


def rename_table(draft: DraftSchema, table: TableDraft, new_name: str) -> None:
    """Rename ``table`` to ``new_name`` (same schema) and point every reference at the new name."""
    old = table.name
    renamed = TableName(old.schema, new_name)
    for other in draft.tables:
        for fk in other.foreign_keys:
            if draft.find_table(fk.ref_table, other.name.schema) is table:
                fk.ref_table = renamed
        other.inherits = [renamed if draft.find_table(ref, other.name.schema) is table else ref
                          for ref in other.inherits]
        if other.partition_of is not None and draft.find_table(other.partition_of, other.name.schema) is table:
            other.partition_of = renamed
    draft.remove_table(table)
    table.name = renamed
    draft.add_table(table)


def rename_column(draft: DraftSchema, table: TableDraft, old: str, new: str) -> bool:
    """Rename column ``old`` of ``table`` to ``new`` everywhere it is named; False when there is no such column."""
    column = draft.find_column(table, old)
    if column is None:
        return False
    actual = column.name
    key = draft.names.key(actual)

    def swap(names: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(new if draft.names.key(n) == key else n for n in names)

    column.name = new
    if table.primary_key:
        table.primary_key = swap(table.primary_key)
    table.partition_columns = swap(table.partition_columns)
    for unique in table.uniques:
        unique.columns = swap(unique.columns)
        unique.expressions = tuple(_renamed_in(e, draft, key, new) for e in unique.expressions)
        unique.where = _renamed_in(unique.where, draft, key, new) if unique.where is not None else None
    for fk in table.foreign_keys:
        fk.columns = swap(fk.columns)
    for check in _all_checks(table):
        check.expression = _renamed_in(check.expression, draft, key, new)
    for other in draft.tables:
        for fk in other.foreign_keys:
            if fk.ref_columns and draft.find_table(fk.ref_table, other.name.schema) is table:
                fk.ref_columns = swap(fk.ref_columns)
    return True


def drop_column(draft: DraftSchema, table: TableDraft, name: str) -> bool:
    """Drop column ``name`` of ``table`` with the constraints involving it; False when there is no such column."""
    column = draft.find_column(table, name)
    if column is None:
        return False
    key = draft.names.key(column.name)

    def involves(names: tuple[str, ...] | None) -> bool:
        return any(draft.names.key(n) == key for n in names or ())

    table.columns.remove(column)
    if involves(table.primary_key):
        table.primary_key, table.primary_key_name = None, None
    table.uniques = [u for u in table.uniques if not involves(u.columns) and not any(
        _mentions(e, draft, key) for e in (*u.expressions, *([u.where] if u.where is not None else [])))]
    table.foreign_keys = [fk for fk in table.foreign_keys if not involves(fk.columns)]
    table.checks = [c for c in table.checks if not _mentions(c.expression, draft, key)]
    for other in draft.tables:
        other.foreign_keys = [fk for fk in other.foreign_keys
                              if not (draft.find_table(fk.ref_table, other.name.schema) is table
                                      and involves(fk.ref_columns))]
    return True


def drop_constraint(draft: DraftSchema, table: TableDraft, name: str) -> bool:
    """Drop the constraint called ``name`` (declared so, or PostgreSQL's generated name); False when none is."""
    key = draft.names.key(name)
    t = table.name.name

    def named(declared: str | None, generated: str) -> bool:
        return draft.names.key(declared if declared is not None else generated) == key

    if table.primary_key is not None and named(table.primary_key_name, f"{t}_pkey"):
        table.primary_key, table.primary_key_name = None, None
        return True
    for unique in table.uniques:
        if named(unique.name, f"{t}_{'_'.join(unique.columns)}_key"):
            table.uniques.remove(unique)
            return True
    for fk in table.foreign_keys:
        if named(fk.name, f"{t}_{'_'.join(fk.columns)}_fkey"):
            table.foreign_keys.remove(fk)
            return True
    for check in table.checks:
        if named(check.name, f"{t}_{_first_column(check)}_check"):
            table.checks.remove(check)
            return True
    for column in table.columns:
        for check in column.checks:
            if named(check.name, f"{t}_{column.name}_check"):
                column.checks.remove(check)
                return True
    return False


def drop_table(draft: DraftSchema, table: TableDraft) -> None:
    """Forget ``table`` and the foreign keys of other tables referencing it (``DROP TABLE ... CASCADE``)."""
    for other in draft.tables:
        if other is not table:
            other.foreign_keys = [fk for fk in other.foreign_keys
                                  if draft.find_table(fk.ref_table, other.name.schema) is not table]
    draft.remove_table(table)


def alter_enum(draft: DraftSchema, enum: EnumType, *, add: str | None = None, before: str | None = None,
               after: str | None = None, rename: tuple[str, str] | None = None) -> str | None:
    """Apply ``ALTER TYPE ... ADD VALUE add [BEFORE before | AFTER after]`` or ``RENAME VALUE old TO new``.

    Returns ``None`` when done, else what is wrong (a label that does not exist).
    """
    values = list(enum.values)
    if add is not None:
        if add in values:
            return None  # ADD VALUE IF NOT EXISTS, or a repeat PostgreSQL would refuse: the label is there
        anchor = before if before is not None else after
        if anchor is not None and anchor not in values:
            return f"enum {enum.name} has no label {anchor!r}"
        position = len(values) if anchor is None else values.index(anchor) + (0 if before is not None else 1)
        values.insert(position, add)
    elif rename is not None:
        if rename[0] not in values:
            return f"enum {enum.name} has no label {rename[0]!r}"
        values[values.index(rename[0])] = rename[1]
    draft.enums[draft.enums.index(enum)] = replace(enum, values=tuple(values))
    return None


# ------------------------------------------------------------------------------------------------- helpers


def _all_checks(table: TableDraft) -> list[CheckDraft]:
    return [*table.checks, *(c for column in table.columns for c in column.checks)]


def _first_column(check: CheckDraft) -> str:
    column = next(iter(check.expression.find_all(exp.Column)), None)
    return column.name if column is not None else ""


def _mentions(expression: exp.Expression, draft: DraftSchema, key: str | None) -> bool:
    return any(draft.names.key(draft.names.ident(c)) == key for c in expression.find_all(exp.Column))


def _renamed_in(expression: exp.Expression, draft: DraftSchema, key: str | None, new: str) -> exp.Expression:
    def rename(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Column) and draft.names.key(draft.names.ident(node)) == key:
            return exp.column(exp.to_identifier(new, quoted=draft.names.needs_quotes(new)))
        return node
    return expression.transform(rename)
