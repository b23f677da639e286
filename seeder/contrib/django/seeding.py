"""Seed a Django project's database from its models: read (:mod:`.models`), plan and generate (:mod:`seeder.api`),
then load through Django itself or write a fixture.

Loading goes through ``loaddata`` on Django's connection for the chosen alias, inside one
``transaction.atomic`` (with ``--truncate`` emptying the tables first, in the same transaction): every value passes
through its model field (so ``JSONField``, ``ArrayField``, time zones and content-type natural keys are Django's
business), foreign keys are checked at the end of the load (``loaddata`` defers or disables the checks and runs
``check_constraints``, which is how FK cycles load), and sequences are reset afterwards. Any error rolls everything
back. Works on every database Django supports, including in-memory SQLite test databases.

Existing rows: the engine generates around them (:mod:`seeder.generate.existing_rows`), asking through Django's
connection (:class:`~seeder.contrib.django.existing.DjangoRows`): new keys start past the existing ones (``loaddata``
would otherwise UPDATE rows with equal keys), unique values never repeat existing ones, and new rows may reference
existing parents (a new order may belong to an old customer). ``--truncate`` counts the emptied tables as empty;
``--fixture`` ignores the database's rows of seeded models (the file is meant for any database).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seeder.dataset import Dataset
from seeder.errors import SeederError


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
    from seeder.contrib.django.existing import DjangoRows
    from seeder.contrib.django.models import read_models, select_models

    say = echo or (lambda _m: None)
    connection = connections[using]
    models, notes = select_models(app_labels, exclude, connection)
    if not models:
        raise SeederError("no models to seed (check --app and --exclude)")
    read = read_models(models, connection)
    notes.extend(read.notes)
    schema = read.schema
    existing: DjangoRows | None = None
    if fixture is None and not truncate:  # (--truncate empties every seeded table first)
        existing = DjangoRows(connection, schema)
        already = existing.total
        if already:
            notes.append(f"the tables hold {already} rows already: new keys and unique values are kept apart "
                         "from them, and new rows may reference existing parents")
    plan = api.build_plan(schema, rows, table_rows, existing=existing)
    data = api.generate(schema, plan, seed=seed, content=content, existing=existing)
    notes.extend(data.notes)
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
                    # TRUNCATE commits by itself where DDL cannot be rolled back (MySQL): DELETE there instead,
                    # which keeps the emptying inside this transaction (numbering is not restarted; new keys are
                    # explicit anyway)
                    restart = bool(connection.features.can_rollback_ddl)
                    for sql in connection.ops.sql_flush(no_style(), truncate, reset_sequences=restart):
                        cursor.execute(sql)
                say(f"emptied {len(truncate)} tables")
            call_command("loaddata", str(path), database=connection.alias, verbosity=0)
    except SeederError:
        raise
    except Exception as err:  # the database's or Django's own message, one line; nothing was kept
        first = " ".join(str(err).split("\n")[0].split())
        raise SeederError(f"loading into database {connection.alias!r} failed, nothing was written: "
                          f"{type(err).__name__}: {first}") from None

