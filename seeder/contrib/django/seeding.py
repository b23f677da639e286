"""Seed a Django project's database from its models: read (:mod:`.models`), plan and generate (:mod:`seeder.api`),
then load through Django itself or write a fixture.

Loading goes through ``loaddata`` on Django's connection for the chosen alias, inside one
``transaction.atomic`` (with ``--truncate`` emptying the tables first, in the same transaction): every value passes
through its model field (so ``JSONField``, ``ArrayField``, time zones and content-type natural keys are Django's
business), foreign keys are checked at the end of the load (``loaddata`` defers or disables the checks and runs
``check_constraints``, which is how FK cycles load), and sequences are reset afterwards. Any error rolls everything
back. Works on every database Django supports, including in-memory SQLite test databases.

Existing rows: seeder's engine does not yet generate *around* existing rows (issue #9: new keys past existing ones,
old parents as FK targets). Until it does, this module reads what it needs through Django's connection
(:func:`existing_rows`: row count and largest auto key per table) and (a) moves every generated auto key, and each
FK value pointing at it, past the largest existing key, so nothing existing is overwritten (``loaddata`` would
otherwise UPDATE rows with equal keys); (b) keeps single-column (or single-expression) unique values away from the
existing ones by adding ``CHECK (col NOT IN (existing values))`` to the model before generation (the engine
regenerates cells that fail a CHECK), for tables of up to :data:`EXCLUDE_EXISTING_MAX` distinct values; (c) refuses,
naming model, field and value, a unique value that still exists in the table (larger tables). New rows reference
new parents only.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlglot import exp

from seeder.dataset import Dataset
from seeder.errors import SeederError
from seeder.schema import Check, Schema, Table, TableName

#: Up to this many distinct existing values of a unique column are excluded from generation (read in one query).
EXCLUDE_EXISTING_MAX = 20_000


@dataclass(frozen=True)
class ExistingRows:
    """What a table holds before seeding: ``count`` rows, ``max_key`` the largest auto key (``None``: no rows or no
    auto key). The shape issue #9's engine support for existing rows can take over."""

    count: int
    max_key: int | None = None


@dataclass
class SeedReport:
    """What :func:`seed` did: ``rows`` per model label, the dataset, notes, and the fixture written (if any)."""

    rows: dict[str, int]
    dataset: Dataset
    notes: list[str] = field(default_factory=list)
    fixture: Path | None = None


def seed(*, using: str = "default", rows: int = 10, seed: int = 0, app_labels: Sequence[str] = (),
         exclude: Sequence[str] = (), truncate: bool = False, fixture: str | os.PathLike[str] | None = None,
         table_rows: Mapping[str, int] | None = None, content: Any = None,
         echo: Callable[[str], None] | None = None) -> SeedReport:
    """Generate rows for the installed models and load them into database ``using`` (or write ``fixture``).

    Args:
        using: the ``DATABASES`` alias whose connection decides the column types and receives the rows.
        rows: rows per model (``table_rows`` overrides by table name, e.g. ``{"store_product": 50}``).
        seed: random seed; the same seed and database state give the same rows.
        app_labels: seed only these apps (``--app``); models their required FKs need are added (with a note).
        exclude: ``app_label`` or ``app_label.ModelName`` to leave out.
        truncate: empty the seeded tables first, in the same transaction (sequences restarted).
        fixture: write a ``loaddata`` fixture to this path instead of loading (the database is not written).
        content: a content source (e.g. :func:`seeder.api.llm_content`), default the local generator.
        echo: receives one-line progress messages.

    Raises:
        SeederError: a model seeder cannot read (one line naming ``app.Model.field``), an unsatisfiable
            constraint, or a failed load (rolled back; the message carries the database's).
    """
    from django.db import connections

    from seeder import api
    from seeder.contrib.django.models import read_models, select_models

    say = echo or (lambda _m: None)
    connection = connections[using]
    models, notes = select_models(app_labels, exclude, connection)
    if not models:
        raise SeederError("no models to seed (check --app and --exclude)")
    read = read_models(models, connection)
    notes.extend(read.notes)
    schema = read.schema
    existing: dict[TableName, ExistingRows] = {}
    run_seed = seed
    if fixture is None and not truncate:
        existing = existing_rows(connection, read)
        already = sum(e.count for e in existing.values())
        if already:
            schema = exclude_existing_values(connection, schema, existing)
            # Unique values built from the row number (user1@..., user2@...) differ only with the seed.
            run_seed = seed + already
            notes.append(f"the tables hold {already} rows already: new keys and unique values are kept apart "
                         f"from them (seed {seed} varied to {run_seed} by the existing row count)")
    plan = api.build_plan(schema, rows, table_rows)
    data = api.generate(schema, plan, seed=run_seed, content=content)
    notes.extend(data.notes)
    if existing:
        shift_keys(data, read, existing)
        refuse_duplicates(connection, data, read, existing)
    counts = {read.tables[td.table.name].label: td.row_count for td in data.tables}
    if fixture is not None:
        path = Path(fixture)
        _write(data, read, path)
        return SeedReport(counts, data, notes, path)
    with tempfile.TemporaryDirectory(prefix="seeder-django-") as tmp:
        path = Path(tmp) / "seed.json"
        _write(data, read, path)
        _load(connection, path, [td.table.name.name for td in data.tables] if truncate else [], say)
    return SeedReport(counts, data, notes)


def _write(data: Dataset, read: Any, path: Path) -> None:
    from seeder import api

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        with tmp.open("w", encoding="utf-8", newline="\n") as out:
            api.write_fixture(data, out, models=read.tables)
        tmp.replace(path)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def _load(connection: Any, path: Path, truncate: list[str], say: Callable[[str], None]) -> None:
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import transaction

    try:
        with transaction.atomic(using=connection.alias):
            if truncate:
                with connection.cursor() as cursor:
                    for sql in connection.ops.sql_flush(no_style(), truncate, reset_sequences=True):
                        cursor.execute(sql)
                say(f"emptied {len(truncate)} tables")
            call_command("loaddata", str(path), database=connection.alias, verbosity=0)
    except SeederError:
        raise
    except Exception as err:  # the database's or Django's own message, one line; nothing was kept
        first = " ".join(str(err).split("\n")[0].split())
        raise SeederError(f"loading into database {connection.alias!r} failed, nothing was written: "
                          f"{type(err).__name__}: {first}") from None


def existing_rows(connection: Any, read: Any) -> dict[TableName, ExistingRows]:
    """Row count and largest auto key of every seeded table, through ``connection`` (two aggregates per table)."""
    quote = connection.ops.quote_name
    found: dict[TableName, ExistingRows] = {}
    with connection.cursor() as cursor:
        for name, table in read.tables.items():
            key = f"MAX({quote(table.auto_key)})" if table.auto_key else "NULL"
            cursor.execute(f"SELECT COUNT(*), {key} FROM {quote(name.name)}")
            count, max_key = cursor.fetchone()
            found[name] = ExistingRows(int(count), int(max_key) if max_key is not None else None)
    return found


def exclude_existing_values(connection: Any, schema: Schema, existing: Mapping[TableName, ExistingRows]) -> Schema:
    """``schema`` with ``CHECK (x NOT IN (existing values))`` for every single-column or single-expression unique
    constraint (no ``WHERE``) of a table that has rows, read through ``connection`` (tables with more than
    :data:`EXCLUDE_EXISTING_MAX` distinct values are left to :func:`refuse_duplicates`)."""
    from dataclasses import replace

    quote = connection.ops.quote_name
    tables: list[Table] = []
    with connection.cursor() as cursor:
        for table in schema.tables:
            before = existing.get(table.name)
            if before is None or not before.count:
                tables.append(table)
                continue
            # FK columns point at new parent rows (see shift_keys): they cannot meet existing values
            references = {c for fk in table.foreign_keys for c in fk.columns}
            candidates = _single_columns(table)
            if table.primary_key is not None and len(table.primary_key.columns) == 1:
                key = table.primary_key.columns[0]
                if not table.column(key).autoincrement and table.column(key).identity is None:
                    candidates.append(key)
            uniques = [(column, exp.column(exp.to_identifier(column, quoted=True)))
                       for column in dict.fromkeys(candidates) if column not in references]
            column_checks: dict[str, list[Check]] = {}
            for column, expression in uniques:
                rendered = expression.sql(schema.dialect)
                cursor.execute(f"SELECT DISTINCT {rendered} FROM {quote(table.name.name)} "
                               f"WHERE {rendered} IS NOT NULL LIMIT {EXCLUDE_EXISTING_MAX + 1}")
                values = [r[0] for r in cursor.fetchall()]
                if not values or len(values) > EXCLUDE_EXISTING_MAX or not all(
                        isinstance(v, (str, int)) and not isinstance(v, bool) for v in values):
                    continue
                literals = [exp.Literal.string(v) if isinstance(v, str) else exp.Literal.number(v) for v in values]
                condition = exp.Not(this=exp.In(this=expression.copy(), expressions=literals))
                check = Check(None, condition, f"{rendered} NOT IN (<{len(values)} existing values>)")
                column_checks.setdefault(column, []).append(check)
            columns = tuple(replace(c, checks=c.checks + tuple(column_checks[c.name])) if c.name in column_checks
                            else c for c in table.columns)
            tables.append(replace(table, columns=columns))
    return replace(schema, tables=tuple(tables))


def _single_columns(table: Table) -> list[str]:
    """Columns that are unique on their own: single-column uniques, and single expressions over one column
    (``lower(name)``: the column's own existing values are excluded, which covers values generated in one case)."""
    found: list[str] = []
    for u in table.uniques:
        if u.where is not None or len(u.columns) + len(u.expressions) != 1:
            continue
        if u.columns:
            found.append(u.columns[0])
        else:
            names = {c.name for c in u.expressions[0].find_all(exp.Column)}
            if len(names) == 1:
                found.append(names.pop())
    return list(dict.fromkeys(found))


def shift_keys(data: Dataset, read: Any, existing: Mapping[TableName, ExistingRows]) -> None:
    """Move each table's generated auto keys past its largest existing key, and every FK value pointing at them.

    Adding the same offset to a key column and to each reference to it keeps keys unique and references intact.
    """
    offsets: dict[tuple[TableName, str], int] = {}
    for name, table in read.tables.items():
        before = existing.get(name)
        if table.auto_key and before is not None and before.max_key:
            offsets[(name, table.auto_key)] = before.max_key
    if not offsets:
        return
    for td in data.tables:
        moves = {c: offsets[(td.table.name, c)] for c in td.columns if (td.table.name, c) in offsets}
        for fk in td.table.foreign_keys:
            for col, ref in zip(fk.columns, fk.ref_columns, strict=True):
                if (fk.ref_table, ref) in offsets and col in td.columns:
                    moves[col] = offsets[(fk.ref_table, ref)]
        for col, offset in moves.items():
            values = td.column_values(col)
            values[:] = [v + offset if v is not None else None for v in values]


def refuse_duplicates(connection: Any, data: Dataset, read: Any, existing: Mapping[TableName, ExistingRows]) -> None:
    """:class:`SeederError` naming model, field and value when a generated single-column unique value is already in
    its table (the engine cannot yet avoid existing values; see the module docstring)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for td in data.tables:
            table = read.tables[td.table.name]
            before = existing.get(td.table.name)
            if before is None or not before.count:
                continue
            columns = {u.columns[0] for u in td.table.uniques if len(u.columns) == 1 and u.where is None
                       and not u.expressions and u.columns[0] != table.auto_key}
            for col in sorted(columns & set(td.columns)):
                values = [v for v in td.column_values(col) if v is not None]
                for start in range(0, len(values), 500):
                    batch = values[start:start + 500]
                    marks = ", ".join(["%s"] * len(batch))
                    cursor.execute(f"SELECT {quote(col)} FROM {quote(td.table.name.name)} "
                                   f"WHERE {quote(col)} IN ({marks}) LIMIT 1", batch)
                    hit = cursor.fetchone()
                    if hit is not None:
                        raise SeederError(f"{table.label}.{table.fields.get(col, col)}: the generated value "
                                          f"{hit[0]!r} exists already; seed with --truncate or another --seed")
