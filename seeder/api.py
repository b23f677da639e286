"""The public Python API: the CLI, the pytest plugin and users' scripts share these functions (one code path).

Typical use::

    from seeder import api

    schema = api.read_schema("schema.sql")             # dialect inferred from the file
    plan = api.build_plan(schema, rows=20)
    data = api.generate(schema, plan, seed=1)
    api.write_sql(data, "out.sql", dialect="postgres")  # a path is written atomically; a text stream also works
    api.load(data, "postgresql+psycopg://app@localhost/dev")

Every function raises only :class:`~seeder.errors.SeederError` subclasses for user mistakes (named per function), so
a front end can show the message as it is. Validation a front end wants *before* spending time on generation has its
own function (:func:`check_output`, :func:`check_load`); the writers and :func:`load` run the same checks again.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from seeder.atomic_write import write_file_atomically, write_folder_atomically
from seeder.config import DEFAULT_ROWS, DEFAULT_SEED
from seeder.dataset import Dataset
from seeder.dialects import dialect_names, get_dialect, target_dialects, url_dialect
from seeder.errors import ConfigError
from seeder.formats import FOLDER_FORMATS, FORMATS, LOAD_METHODS, SCRIPT_FORMATS
from seeder.generate.engine import ContentSource, UnverifiedCheck
from seeder.generate.engine import generate as _generate
from seeder.generate.engine import unverified_checks as _unverified_checks
from seeder.plan.model import Plan
from seeder.plan.planner import build_plan as _build_plan
from seeder.plan.rules import Rule
from seeder.readers.sources import SchemaSource
from seeder.schema import Schema
from seeder.summary import describe_plan as _describe_plan
from seeder.summary import describe_schema as _describe_schema

if TYPE_CHECKING:
    from seeder.llm.config import LLMSettings
    from seeder.loaders.sqlalchemy import LoadReport
    from seeder.loaders.truncate import Truncation
    from seeder.plan.existing import Existing
    from seeder.progress import ProgressCallback
    from seeder.readers.database.rows import ExistingRows
    from seeder.sinks.ddl import DdlScript

#: Where a writer puts its output: a text stream (opened with ``encoding="utf-8"``), or a file path.
Output = TextIO | str | os.PathLike[str]

#: Dialects seeder writes scripts for (T-SQL, Oracle and DB2 are input-only), in the order messages name them.
WRITABLE_DIALECTS: tuple[str, ...] = tuple(d.name for d in target_dialects())

__all__ = [
    "DEFAULT_ROWS",
    "DEFAULT_SEED",
    "FORMATS",
    "LOAD_METHODS",
    "SCRIPT_FORMATS",
    "WRITABLE_DIALECTS",
    "Output",
    "SchemaSource",
    "build_plan",
    "check_load",
    "check_output",
    "content_for",
    "creation_ddl",
    "database_dialect",
    "describe_plan",
    "describe_schema",
    "dialect_names",
    "estimate_llm",
    "existing_rows",
    "fidelity",
    "fk_graph",
    "generate",
    "like_existing",
    "llm_content",
    "load",
    "load_method",
    "load_target",
    "profile_content",
    "read_schema",
    "read_source",
    "render_ddl",
    "review_plan",
    "script_header",
    "target_dialect",
    "truncation",
    "unverified_checks",
    "without_tables",
    "write_copy",
    "write_csv",
    "write_dataset",
    "write_ddl",
    "write_fixture",
    "write_jsonl",
    "write_parquet",
    "write_rules_config",
    "write_sql",
    "write_text",
]


# ------------------------------------------------------------------------------------------------ read and plan


def read_source(source: str | Path, dialect: str | None = None, **options: Any) -> SchemaSource:
    """Read a SOURCE into the schema model: a DDL file path or a database URL (``sqlite:///app.db``,
    ``postgresql://user@host/db``, ``mysql://...``: the live database is introspected; more kinds: see
    :mod:`seeder.readers.sources`).

    Args:
        source: what the user names as SOURCE (a path is converted with ``str``).
        dialect: a sqlglot dialect name (``postgres``, ``mysql``, ``sqlite``, ...) for DDL sources; inferred from the
            file name and content when ``None`` (``postgres`` when unsure, reported through ``dialect_guessed``).
        options: options of particular source kinds, passed on by name: ``schemas`` (PostgreSQL schemas of a
            database URL to read, default every schema holding tables).

    Raises:
        SchemaReadError: the source is missing, empty, not text, or a table statement cannot be understood; a
            database has no tables.
        ConfigError: an unknown dialect name; an unsupported URL scheme; an unknown PostgreSQL schema.
        DatabaseError: a database URL cannot be reached or read (the message masks the password).
    """
    from seeder.readers.sources import SourceOptions
    from seeder.readers.sources import read_source as _read_source

    return _read_source(str(source), SourceOptions(dialect=dialect, extra=options))


def read_schema(path: str | Path, dialect: str | None = None) -> Schema:
    """Read a SOURCE into the schema model; see :func:`read_source` for arguments and errors."""
    return read_source(path, dialect).schema


def build_plan(schema: Schema, rows: int = DEFAULT_ROWS, overrides: Mapping[str, int] | None = None, *,
               existing: Existing | None = None, only: Sequence[str] = (), exclude: Sequence[str] = (),
               rules: Mapping[str, Any] | None = None, columns: Mapping[str, Any] | None = None,
               sets: Sequence[str] = (), extra_rules: Sequence[Rule] = (), semantics: bool = True) -> Plan:
    """Plan a run: topological order, row counts (``rows`` per table scaled by each table's role, ``overrides`` by
    table name), cycle breaks, and the semantic rules (``plan.rules``) that make rows hold together.

    Args:
        existing: rows the tables hold already (:func:`existing_rows`): they are parents for NOT NULL foreign keys,
            use up capacity ("already full: 0 new rows"), and ``TablePlan.existing`` reports them.
        only, exclude: table names or globs choosing the tables to seed; the others keep their existing rows only.
        rules: a config's ``[rules]`` section (change, add or switch off rules by id).
        columns: a config's ``[columns]`` section (``value``/``choices``/``faker``/``expression`` pin a column).
        sets: ``table.column=value`` pins for one run (``--set``).
        extra_rules: proposals of the LLM plan review (:func:`review_plan`).
        semantics: ``False`` plans keys and row counts only (no rules; every table gets ``rows``).

    Raises:
        ConfigError: invalid row counts, an override for a table the schema does not have, or a rule, pin or
            ``--set`` that names an unknown table, column, kind or setting; an ``only``/``exclude`` pattern that
            matches no table; a NOT NULL parent that is left out and empty (the message names it).
    """
    return _build_plan(schema, rows, overrides, existing=existing, only=only, exclude=exclude, rules=rules,
                       columns=columns, sets=sets, extra_rules=extra_rules, semantics=semantics)


def write_rules_config(plan: Plan, path: str | os.PathLike[str]) -> int:
    """Write the plan's rules into a ``seeder.toml`` (or ``pyproject.toml``) at ``path``, keeping the file's other
    settings (``seeder plan --write-config``); returns the number of rules written.

    Raises:
        ConfigError: the file exists but is not valid TOML, or cannot be written.
    """
    from seeder.config_writer import write_rules_config as _write

    return _write(plan, path)


def review_plan(schema: Schema, plan: Plan, settings: LLMSettings) -> list[Rule]:
    """Ask the language model once (cached per schema) to review ``plan``'s rules; returns the additions it
    proposes that pass seeder's checks (existing tables and columns, known kinds), marked ``origin="llm"``. Pass
    them to :func:`build_plan` as ``extra_rules``. See :mod:`seeder.llm.review`.

    Raises:
        LLMError: the provider rejected the key or the model.
    """
    from seeder.llm.review import review_rules

    return review_rules(schema, plan, settings)


def describe_schema(schema: Schema, plan: Plan | None = None, existing: Existing | None = None) -> dict[str, Any]:
    """The facts ``seeder inspect`` shows, as a JSON-ready dict (see :func:`seeder.summary.describe_schema`).

    Args:
        schema: the schema model.
        plan: a plan of ``schema`` for the cycles, self-references and topological order; default: a plan with
            0 rows per table (the graph facts do not depend on row counts).
        existing: rows the tables hold (:func:`existing_rows`); each table then reports ``rows``.

    Raises:
        PlanError: only when ``plan`` is omitted and no plan exists for the schema.
    """
    counts = {name: t.row_count for name, t in existing.items()} if existing is not None else None
    return _describe_schema(schema, plan if plan is not None else build_plan(schema, 0), counts)


def estimate_llm(schema: Schema, plan: Plan, settings: LLMSettings, *,
                 seed: int = DEFAULT_SEED) -> list[dict[str, Any]]:
    """What an LLM run of ``plan`` would cost, per table, without calling the model (``seeder plan --llm``).

    Args:
        schema, plan: the run.
        settings: resolved LLM settings (:func:`seeder.llm.config.resolve_settings`; no API key needed).
        seed: the run's seed (it decides which rows a pools-mode run samples).

    Returns:
        ``[{"table", "mode", "rows", "calls", "input_tokens", "output_tokens"}, ...]`` in insert order; tokens are
        estimated as characters / 4, repairs and cache hits not included.
    """
    from dataclasses import asdict

    from seeder.llm.estimate import estimate

    return [asdict(e) for e in estimate(schema, plan, settings, seed=seed)]


def unverified_checks(schema: Schema, plan: Plan) -> list[UnverifiedCheck]:
    """The CHECKs of the planned tables that seeder cannot evaluate, so generated rows are not verified against them
    (e.g. ``CHECK (my_valid_name(name))``); each has ``table``, ``check`` and a one-line ``note``. A run lists them
    in its dataset's notes too."""
    return _unverified_checks(schema, plan)


def describe_plan(plan: Plan, schema: Schema | None = None) -> dict[str, Any]:
    """The facts ``seeder plan`` shows, as a JSON-ready dict (see :func:`seeder.summary.describe_plan`).

    With ``schema`` (the schema ``plan`` was built from) it also lists ``unverified_checks``: the CHECKs seeder
    cannot verify rows against (:func:`unverified_checks`), each ``{"table", "constraint", "check", "note"}``.
    """
    return _describe_plan(plan, None if schema is None else unverified_checks(schema, plan))


# ---------------------------------------------------------------------------------------------------- generate


def generate(schema: Schema, plan: Plan, *, seed: int = DEFAULT_SEED, content: ContentSource | None = None,
             existing: Existing | None = None, progress: ProgressCallback | None = None) -> Dataset:
    """Generate the rows of ``plan``; deterministic for a given ``seed`` (default 0) and existing rows.

    ``existing`` (:func:`existing_rows`): rows the tables hold already; new keys and unique values do not collide
    with them, and foreign keys may point at them (a new order may belong to an old customer).

    ``content`` fills the content columns (default: the local generator; :func:`llm_content` for a model). A
    source's ``notes`` (e.g. "LLM budget reached") are appended to the dataset's notes, and its ``close()`` (if
    any) is called when generation ends.

    ``progress`` (:data:`seeder.progress.ProgressCallback`, ``callback(event) -> None``) receives a ``generate``
    event per finished table (``done`` rows of ``total`` planned) and, from a content source with a ``watch``
    method (the LLM source), an ``llm`` event per answered call; see :mod:`seeder.progress`.

    Raises:
        GenerationError: a constraint cannot be satisfied (the message names it).
        LLMError: the model provider rejected the key or the model.
    """
    watch = getattr(content, "watch", None)
    if progress is not None and watch is not None:
        watch(progress)
    try:
        data = _generate(schema, plan, seed=seed, content=content, existing=existing, progress=progress)
    finally:
        close = getattr(content, "close", None)
        if close is not None:
            close()  # e.g. the LLM source's HTTP client
    data.notes.extend(getattr(content, "notes", None) or [])
    return data


def llm_content(seed: int = DEFAULT_SEED, **settings: Any) -> ContentSource:
    """A content source that asks a language model (OpenAI-compatible API) for content columns.

    ``settings`` take the names of the CLI options with underscores and win over the environment
    (``OPENAI_API_KEY``, ``OPENAI_BASE_URL``, Azure variables): ``model``, ``llm_base_url``, ``llm_mode``,
    ``rows_per_call``, ``llm_concurrency``, ``describe``, ``max_llm_calls``, ``max_llm_tokens``, ``no_cache``,
    ``cache_dir``, ``llm_timeout``; e.g. ``api.llm_content(llm_base_url="http://localhost:11434/v1",
    model="llama3.1", llm_mode="pools")``. Pass the same ``seed`` to :func:`generate`. The source's
    ``report_lines()`` and ``accounting`` tell what the run cost.

    Raises:
        LLMError: no API key for a non-local server, or the openai package is not installed.
        ConfigError: an invalid setting.
    """
    from seeder.llm.config import require_openai, resolve_settings

    require_openai()
    from seeder.llm.content import LLMContent

    return LLMContent(resolve_settings(flags=settings), seed=seed)


# ------------------------------------------------------------------------------------------------------ output


def target_dialect(name: str) -> str:
    """The canonical name (``postgres``, ``mysql``, ``sqlite``) of a dialect seeder writes, from any alias.

    Raises:
        ConfigError: not a dialect seeder writes; the message suggests the closest name.
    """
    return get_dialect(name).name


def _script_dialect(schema: Schema, fmt: str, dialect: str | None) -> str:
    to = dialect or schema.dialect or "postgres"
    if dialect is None and to not in WRITABLE_DIALECTS:
        raise ConfigError(f"seeder reads {to or 'DB2'} DDL but writes only {', '.join(WRITABLE_DIALECTS)}: "
                          f"choose one with --to")
    to = target_dialect(to)
    if fmt == "copy" and not get_dialect(to).copy_from_stdin:
        raise ConfigError(f"--format copy writes PostgreSQL COPY blocks, but the target is {to}: add --to postgres or "
                          "use --format sql")
    return to


def check_output(schema: Schema, format: str = "sql", *, dialect: str | None = None,
                 output: str | os.PathLike[str] | None = None) -> str | None:
    """Check, before generating, that rows of ``schema`` can be written as ``format`` for ``dialect`` to ``output``.

    Args:
        schema: the schema the data will come from.
        format: one of :data:`FORMATS`.
        dialect: the script's target dialect (any alias); ``None``: the schema's own dialect (``postgres`` when it
            has none), which must be one seeder writes.
        output: the file (or, for ``csv``, folder) to write; ``None`` for a stream.

    Returns:
        The canonical target dialect for the script formats (:data:`SCRIPT_FORMATS`), else ``None``.

    Raises:
        ConfigError: an unknown format or dialect; an input-only source dialect (T-SQL, Oracle, DB2) without
            ``dialect``; ``copy`` for a target other than PostgreSQL; ``output`` is an existing folder but the format
            writes one file.
    """
    if format not in FORMATS:
        raise ConfigError(f"unknown output format {format!r}: use one of {', '.join(FORMATS)}")
    to = _script_dialect(schema, format, dialect) if format in SCRIPT_FORMATS else None
    if format == "parquet":
        from seeder.sinks.parquet import check_parquet

        check_parquet()
    if output is not None and format not in FOLDER_FORMATS and Path(output).is_dir():
        raise ConfigError(f"-o {os.fspath(output)} is a directory; give a file name for --format {format}")
    return to


def script_header(source: SchemaSource, seed: int) -> dict[str, str]:
    """The ``key: value`` lines a script's header names its input with: source, seed and source dialect."""
    return {"source": source.origin, "seed": str(seed), "source dialect": source.schema.dialect or "default"}


def _write_text(out: Output, write: Callable[[TextIO], object]) -> None:
    """Run ``write`` on ``out``: a stream directly, a path through a temporary file renamed at the end."""
    if isinstance(out, (str, os.PathLike)):
        write_file_atomically(Path(out), write)
    else:
        write(out)


def write_sql(dataset: Dataset, out: Output, dialect: str | None = None, *, disable_triggers: bool = False,
              header: Mapping[str, str] | None = None) -> None:
    """Write ``dataset`` as a one-transaction SQL script of INSERTs.

    Args:
        dataset: the generated data.
        out: a text stream, or a file path: written to a temporary file next to it and renamed at the end, so an
            error or Ctrl-C leaves no partial file and an existing file as it was (missing folders are created).
        dialect: target dialect (``postgres``, ``mysql``, ``sqlite`` or an alias); ``None``: the schema's dialect.
        disable_triggers: the script turns user triggers off while it loads (PostgreSQL only).
        header: extra ``key: value`` lines for the header comment (e.g. :func:`script_header`).

    Raises:
        ConfigError: see :func:`check_output`; ``disable_triggers`` for a dialect whose scripts cannot do it; the
            file cannot be written. PlanError: no load order exists. Interrupted: Ctrl-C while writing a file.
    """
    from seeder.sinks.sql import write_sql as _write_sql

    to = _script_dialect(dataset.schema, "sql", dialect)
    _write_text(out, lambda f: _write_sql(dataset, f, to, disable_triggers=disable_triggers, header=header))


def write_copy(dataset: Dataset, out: Output, dialect: str | None = None, *, disable_triggers: bool = False,
               header: Mapping[str, str] | None = None) -> None:
    """Write ``dataset`` as a psql script of ``COPY ... FROM STDIN`` blocks (one transaction; PostgreSQL only).

    Arguments and errors as :func:`write_sql`; ``dialect`` must name PostgreSQL (``None``: the schema's dialect,
    so a MySQL or SQLite schema needs ``dialect="postgres"``).
    """
    from seeder.sinks.copy import write_copy as _write_copy

    to = _script_dialect(dataset.schema, "copy", dialect)
    _write_text(out, lambda f: _write_copy(dataset, f, to, disable_triggers=disable_triggers, header=header))


def write_csv(dataset: Dataset, directory: str | os.PathLike[str]) -> list[Path]:
    """Write one CSV file per table (PostgreSQL's CSV quoting, a header line) into ``directory``.

    The files are written into a temporary folder next to ``directory`` and moved in only when all are written, so
    an error or Ctrl-C leaves ``directory`` untouched (created if missing; other files in it are kept).

    Returns:
        The files written, in dataset order.

    Raises:
        ConfigError: a folder or file cannot be written. Interrupted: Ctrl-C while writing.
    """
    from seeder.sinks.csv import write_csv as _write_csv

    return write_folder_atomically(Path(directory), lambda tmp: _write_csv(dataset, tmp))


def write_parquet(dataset: Dataset, directory: str | os.PathLike[str]) -> list[Path]:
    """Write the dataset as Parquet files, ``directory/<table>/part-NNNNN.parquet`` (one per chunk; see
    :mod:`seeder.sinks.parquet`), atomically as :func:`write_csv`: a table's folder is replaced whole.

    Returns:
        The files written, in stream order.

    Raises:
        ConfigError: pyarrow is missing (``pip install 'seeder[parquet]'``); a folder or file cannot be written.
        GenerationError: a value its column's Parquet type cannot hold. Interrupted: Ctrl-C while writing.
    """
    from seeder.atomic_write import write_tree_atomically
    from seeder.sinks.parquet import write_parquet as _write_parquet

    return write_tree_atomically(Path(directory), lambda tmp: _write_parquet(dataset, tmp))


def write_jsonl(dataset: Dataset, out: Output, *, per_table: bool = False) -> list[Path]:
    """Write ``dataset`` as JSON Lines: one ``{"table": ..., "row": {...}}`` object per line.

    Args:
        dataset: the generated data.
        out: a text stream, or a path written atomically as :func:`write_sql` does.
        per_table: with a path: treat it as a folder and write one ``<schema.>table.jsonl`` file per table into it
            (atomically, as :func:`write_csv`) instead of one file.

    Returns:
        The files written (empty for a stream).

    Raises:
        GenerationError: a float value is not finite. ConfigError: the output cannot be written; ``per_table``
        with a stream. Interrupted: Ctrl-C while writing a file.
    """
    from seeder.sinks.jsonl import write_jsonl as _write_jsonl

    if per_table:
        if not isinstance(out, (str, os.PathLike)):
            raise ConfigError("per_table JSON Lines need a folder path, not a stream")
        return write_folder_atomically(Path(out), lambda tmp: _write_jsonl(dataset, tmp))
    _write_text(out, lambda f: _write_jsonl(dataset, f))
    return [Path(out)] if isinstance(out, (str, os.PathLike)) else []


def write_fixture(dataset: Dataset, out: Output, *, app_label: str | None = None,
                  models: Mapping[Any, Any] | None = None) -> None:
    """Write ``dataset`` as a Django fixture (JSON) for ``manage.py loaddata``; tables map to ``app_label.model``.

    Args:
        dataset: the generated data.
        out: a text stream, or a path written atomically as :func:`write_sql` does.
        app_label: the app label of every model; ``None``: taken from ``<app>_<model>`` table names.
        models: table name -> what a reader of the Django models knows about it (label, field names, natural
            keys: a :class:`seeder.sinks.fixture.FixtureModel`); listed tables ignore ``app_label`` and the naming
            rules.

    Raises:
        ConfigError: a table name that cannot be mapped to a model label (give ``app_label``); the file cannot be
            written. GenerationError: a float value is not finite. Interrupted: Ctrl-C while writing a file.
    """
    from seeder.sinks.fixture import write_fixture as _write_fixture

    _write_text(out, lambda f: _write_fixture(dataset, f, app_label=app_label, models=models))


def write_dataset(dataset: Dataset, out: Output, format: str = "sql", *, dialect: str | None = None,
                  disable_triggers: bool = False, header: Mapping[str, str] | None = None,
                  app_label: str | None = None, progress: ProgressCallback | None = None) -> list[Path]:
    """Write ``dataset`` in one of :data:`FORMATS` (what ``seeder generate --format`` does).

    Args:
        dataset: the generated data.
        out: a text stream or a file path (``csv``: a folder path); paths are written atomically.
        format: ``sql`` (:func:`write_sql`), ``copy`` (:func:`write_copy`), ``csv`` (:func:`write_csv`), ``jsonl``
            (:func:`write_jsonl`, one file), ``fixture`` (:func:`write_fixture`) or ``parquet``
            (:func:`write_parquet`, a folder).
        dialect, disable_triggers, header: for the script formats; app_label: for ``fixture``. Options a format
            does not use are ignored.
        progress: receives a ``write`` event (:class:`seeder.progress.ProgressEvent`) per chunk written.

    Returns:
        The files written (empty for a stream).

    Raises:
        ConfigError: an unknown format; ``csv`` to a stream; what the format's writer raises.
    """
    if progress is not None:
        from seeder.progress import watched

        dataset = watched(dataset, progress, "write")
    if format in SCRIPT_FORMATS:
        writer = write_sql if format == "sql" else write_copy
        writer(dataset, out, dialect, disable_triggers=disable_triggers, header=header)
    elif format in FOLDER_FORMATS:
        if not isinstance(out, (str, os.PathLike)):
            what = "one file" if format == "csv" else "a folder of files"
            raise ConfigError(f"the {format} format writes {what} per table: give a folder path, not a stream")
        return write_csv(dataset, out) if format == "csv" else write_parquet(dataset, out)
    elif format == "jsonl":
        return write_jsonl(dataset, out)
    elif format == "fixture":
        write_fixture(dataset, out, app_label=app_label)
    else:
        raise ConfigError(f"unknown output format {format!r}: use one of {', '.join(FORMATS)}")
    return [Path(out)] if isinstance(out, (str, os.PathLike)) else []


def write_text(text: str, out: Output) -> None:
    """Write ``text`` to a text stream, or atomically to a file path (as :func:`write_sql`).

    Raises:
        ConfigError: the path is an existing folder, or cannot be written. Interrupted: Ctrl-C while writing.
    """
    if isinstance(out, (str, os.PathLike)) and Path(out).is_dir():
        raise ConfigError(f"-o {os.fspath(out)} is a directory: give a file name")
    _write_text(out, lambda f: f.write(text))


def render_ddl(schema: Schema, dialect: str, *, header: Mapping[str, str] | None = None) -> DdlScript:
    """Render ``schema`` as DDL for ``dialect`` (CREATE TABLEs, keys, CHECKs, then FKs).

    Args:
        schema: the schema model (any source dialect).
        dialect: ``postgres``, ``mysql``, ``sqlite`` or an alias.
        header: extra ``key: value`` lines for the header comment (e.g. ``{"source": "hr.sql"}``).

    Returns:
        A :class:`seeder.sinks.ddl.DdlScript`: ``text``, ``notes`` (what could not be carried over: partitions,
        non-portable defaults, CHECKs sqlglot cannot transpile), canonical ``dialect``, number of ``tables``.

    Raises:
        ConfigError: unknown target dialect.
    """
    from seeder.sinks.ddl import render_ddl as _render_ddl

    return _render_ddl(schema, dialect, header=header)


def write_ddl(script: DdlScript, out: Output) -> None:
    """Write a :func:`render_ddl` script to a text stream, or atomically to a file path (as :func:`write_sql`).

    Raises:
        ConfigError: the path is an existing folder, or cannot be written. Interrupted: Ctrl-C while writing.
    """
    if isinstance(out, (str, os.PathLike)) and Path(out).is_dir():
        raise ConfigError(f"-o {os.fspath(out)} is a directory: give a file name such as {Path(out) / 'schema.sql'}")
    _write_text(out, lambda f: f.write(script.text))


# -------------------------------------------------------------------------------------------------------- load


def database_dialect(url: str) -> str | None:
    """The dialect name (``postgres``, ``mysql``, ``sqlite``) of a database URL, ``None`` when seeder cannot load
    into it."""
    target = url_dialect(url)  # the registry's one map from URL scheme to dialect (the loaders use it too)
    return target.name if target is not None else None


def load_method(url: str, method: str = "auto") -> str:
    """The load method ``method`` means for the database at ``url``: ``auto`` is ``copy`` where the dialect reads
    ``COPY ... FROM STDIN`` and the URL's driver is the one that can send it (psycopg 3: ``postgresql://``,
    ``postgres://``, ``postgresql+psycopg://``), else ``insert``; ``insert`` and ``copy`` stay as they are.

    COPY is PostgreSQL's fastest safe path: it checks constraints and fires triggers like INSERT (PostgreSQL manual,
    COPY) at a fraction of the per-row cost (see README "Performance").
    """
    if method != "auto":
        return method
    from seeder.dialects import database_url

    database = url_dialect(url)
    if database is None or not database.copy_from_stdin or database.loader.copy_driver is None:
        return "insert"
    try:
        driver = database_url(url).url.get_driver_name()
    except ConfigError:
        return "insert"
    return "copy" if driver == database.loader.copy_driver else "insert"


def check_load(url: str, *, method: str = "auto", schema: Schema | None = None, plan: Plan | None = None,
               bulk: bool = False) -> None:
    """Check, before generating, that ``method`` can load into the database at ``url`` (no connection is made).

    With ``schema`` and ``plan`` it also checks that the plan can be loaded there at all (the load's own checks,
    run on a stand-in of one row per table): a cycle that the database's means cannot get around fails here, before
    anything connects or generates.

    Raises:
        ConfigError: ``method`` is not one of :data:`LOAD_METHODS`; ``copy`` for a database other than PostgreSQL;
            ``bulk`` for a database other than PostgreSQL.
        PlanError: the plan cannot be loaded into that database (the message says what to change).
    """
    if method not in LOAD_METHODS:
        raise ConfigError(f"unknown load method {method!r}: use one of {', '.join(LOAD_METHODS)}")
    database = url_dialect(url)
    if method == "copy" and (database is None or not database.copy_from_stdin):
        raise ConfigError("--method copy loads PostgreSQL only; use --method insert for this database")
    if bulk and database is not None:
        from seeder.loaders.bulk import check_bulk

        check_bulk(database)
    if schema is not None and plan is not None and database is not None:
        from seeder.dataset import TableData
        from seeder.plan.graph import effective_table
        from seeder.sinks.sql import iter_statements

        tables = {t.name: effective_table(schema, t) for t in schema.tables}
        stand_in = [TableData(tables[n], tuple(names), tuple([None] for _ in names))
                    for n in plan.order if plan.rows(n)
                    for names in [[c.name for c in tables[n].columns if not c.generated]]]
        iter_statements(Dataset(schema=schema, plan=plan, tables=stand_in), database, transaction=False)


def _check_create_schema(dataset: Dataset, create_schema: str | DdlScript, url: str) -> str:
    """The DDL text to run; ConfigError when it is written for another dialect than the database at ``url``."""
    from seeder.sinks.ddl import DdlScript

    if isinstance(create_schema, DdlScript):
        written_for, text = create_schema.dialect, create_schema.text
    else:
        written_for, text = dataset.schema.dialect, create_schema
    target = database_dialect(url)
    if target and written_for and target != written_for:
        raise ConfigError(f"--create-schema runs the DDL as written, which is {written_for}, but the database is "
                          f"{target}; create the schema first or use DDL for {target}")
    return text


def load(dataset: Dataset, url: str, *, create_schema: str | DdlScript | None = None, disable_triggers: bool = False,
         method: str = "auto", echo: Callable[[str], None] | None = None, truncate: Truncation | None = None,
         regenerate: bool = True, progress: ProgressCallback | None = None, bulk: bool = False) -> LoadReport:
    """Load ``dataset`` into the database at SQLAlchemy ``url`` in one transaction (all or nothing).

    Args:
        dataset: the generated data.
        url: ``sqlite:///x.db``, ``postgresql+psycopg://user@host/db``, ``mysql+pymysql://...``.
        create_schema: DDL run first in the same transaction (for an empty database): text in the dialect of
            ``dataset.schema`` (e.g. :attr:`SchemaSource.text`), or a :func:`render_ddl` script for the database.
        disable_triggers: keep user triggers from firing during the load (PostgreSQL, SQLite); restored after.
        method: ``auto`` (default: ``copy`` into PostgreSQL through psycopg 3, else ``insert``; see
            :func:`load_method`), ``insert`` (multi-row INSERTs, every database) or ``copy`` (psycopg's COPY,
            PostgreSQL only).
        echo: receives one-line progress messages.
        truncate: empty these tables first, in the same transaction (:func:`truncation`).
        regenerate: when the database refuses rows (a trigger that RAISEs, a CHECK calling a user function), find
            them by bisection, regenerate them (:class:`seeder.generate.redraw.RowRedraw`) and retry, a bounded
            number of times; ``False``: the first refused row fails the load.
        progress: receives a ``load`` event (:class:`seeder.progress.ProgressEvent`) after every batch.
        bulk: drop the written tables' secondary indexes and FK/UNIQUE/CHECK constraints for the load and re-create
            them before COMMIT, so the database checks every row once at the end (PostgreSQL;
            :mod:`seeder.loaders.bulk`).

    Returns:
        A :class:`seeder.loaders.sqlalchemy.LoadReport` (rows per table, seconds, the URL with its password hidden,
        the tables emptied, the rows regenerated with the database's messages).

    Raises:
        ConfigError: see :func:`check_load`; ``create_schema`` written for another dialect than the database; an
            unparsable URL or unsupported driver; ``disable_triggers`` on MySQL.
        LoadError: connection or load failure; nothing is left behind; the message names table and row.
        Interrupted: Ctrl-C during the load; the transaction was rolled back.
    """
    check_load(url, method=method, bulk=bulk)
    ddl = _check_create_schema(dataset, create_schema, url) if create_schema is not None else None
    if load_method(url, method) == "copy":
        from seeder.loaders.copy import load as _load
    else:
        from seeder.loaders.sqlalchemy import load as _load
    redraw = None
    if regenerate:
        from seeder.generate.redraw import RowRedraw

        redraw = RowRedraw(dataset, dataset.seed)
    return _load(dataset, url, create_schema=ddl, disable_triggers=disable_triggers, echo=echo, truncate=truncate,
                 regenerate=redraw, progress=progress, bulk=bulk)


# ------------------------------------------------------------------------------------------- live databases


def load_target(source: str, read: SchemaSource, db: str | None) -> str:
    """The database a load goes into: ``db`` when given, else the database URL ``source`` itself (seeding in place).

    Raises:
        ConfigError: neither: a SOURCE that is not a database URL needs ``db`` (``--db``).
    """
    if db:
        return db
    if read.kind == "database":
        return source
    raise ConfigError("give the database to load into with --db URL (a database URL as SOURCE is seeded in place)")


def existing_rows(url: str, schema: Schema) -> ExistingRows:
    """The rows the tables of ``schema`` hold in the database at ``url``: a mapping of table name to
    :class:`~seeder.plan.existing.ExistingTable` (row counts read at once; keys sampled, maxima and collisions
    asked through bounded queries while generating). Use it as a context manager, or ``close()`` it, before
    loading: it keeps a connection open.

    Raises:
        ConfigError: unsupported URL. DatabaseError: the database cannot be reached, or a table of ``schema`` is
            missing there (the message says to create the schema first).
    """
    from seeder.readers.database.rows import ExistingRows

    return ExistingRows(url, schema)


def inserted_rows(schema: Schema) -> Existing | None:
    """The rows ``schema``'s DDL file INSERTs itself (``Schema.inserted``) as existing rows: a mapping of table name
    to :class:`~seeder.plan.existing.ExistingTable` answered from memory, or ``None`` when the file inserts none.
    They stand for the database's rows wherever the DDL file is what creates the tables (``seeder generate FILE``,
    ``seeder load FILE --create-schema``); a database that already holds the tables answers for itself
    (:func:`existing_rows`)."""
    from seeder.plan.inserted import inserted_rows as from_memory

    return from_memory(schema) or None


def without_tables(existing: Existing | None, tables: Sequence[Any]) -> dict[Any, Any]:
    """``existing`` without the entries of ``tables`` (tables a truncation empties count as empty)."""
    gone = set(tables)
    return {name: rows for name, rows in (existing or {}).items() if name not in gone}


def truncation(schema: Schema, plan: Plan, *, cascade: bool = False) -> Truncation:
    """The tables ``seeder load --truncate`` empties: every table the plan seeds, the ones whose rows come with
    them (partitions, INHERITS children, tables an INSERT trigger fills), and with ``cascade`` every table that
    references one of them (transitively).

    Raises:
        ConfigError: without ``cascade``, a table outside the run references one that would be emptied (its rows
            would lose their parents); the message names both and suggests ``--cascade`` or seeding it too.
    """
    from seeder.loaders.truncate import Truncation
    from seeder.plan.truncation import truncation_tables

    return Truncation(truncation_tables(schema, plan, cascade=cascade), cascade=cascade)


def fk_graph(schema: Schema, plan: Plan, format: str = "mermaid") -> str:
    """The foreign-key graph of ``schema`` as Mermaid or Graphviz DOT text (``seeder graph``): one node per
    table, one edge per foreign key (parent -> child), cycle edges and the plan's cycle breaks marked.

    Raises:
        ConfigError: an unknown format (``mermaid`` or ``dot``).
    """
    from seeder.fk_graph import render_graph

    return render_graph(schema, plan, format)


# ------------------------------------------------------------------------------------- more ways in (issue 14)


def like_existing(source: SchemaSource, sample: Any, *, limit: int | None = None) -> SchemaSource:
    """``source`` with column profiles learnt from a sample of existing rows, for generation to follow.

    Args:
        source: a read source (its schema names the tables and columns to sample).
        sample: a folder of ``<table>.csv`` files or one CSV file, a database URL, or a SQLAlchemy ``Engine`` /
            ``Connection`` (one ``SELECT ... LIMIT`` per table).
        limit: rows sampled per table from a database (default :data:`seeder.readers.samples.SAMPLE_ROWS`).

    Raises:
        SchemaReadError: the sample cannot be read, or a value does not fit its column.
    """
    from dataclasses import replace

    from seeder.readers.samples import SAMPLE_ROWS, csv_sample, database_sample, learn

    if isinstance(sample, (str, Path)) and "://" not in str(sample):
        rows = csv_sample(source.schema, sample)
    else:
        rows = database_sample(sample, source.schema, limit=limit or SAMPLE_ROWS)
    return replace(source, profiles={**source.profiles, **learn(source.schema, rows)})


def profile_content(profiles: Mapping[Any, Any], fallback: ContentSource | None = None, *,
                    allow_copies: bool = False) -> ContentSource:
    """A content source that draws content columns from ``profiles`` (``SchemaSource.profiles``) and leaves the
    other columns to ``fallback`` (default: the local generator; pass :func:`llm_content` for a model). Generated
    rows equal to a sampled row are changed unless ``allow_copies``."""
    from seeder.profiles.content import ProfileContent

    return ProfileContent(profiles, fallback, allow_copies=allow_copies)


def content_for(source: SchemaSource, content: ContentSource | None = None, *,
                allow_copies: bool = False) -> tuple[Schema, ContentSource | None]:
    """The schema and content source to generate ``source`` with.

    Without profiles: ``source.schema`` and ``content`` unchanged. With profiles (a CSV source, :func:`like_existing`):
    a :func:`profile_content` source drawing from them, handing other columns to ``content`` (the local generator
    when ``None``); when ``content`` is a model's (it has ``report_lines``), the schema carries a few sampled rows
    per table as examples for the prompts (see :func:`seeder.profiles.examples.with_examples`).
    """
    if not source.profiles:
        return source.schema, content
    schema = source.schema
    if content is not None and hasattr(content, "report_lines"):
        from seeder.profiles.examples import with_examples

        schema = with_examples(schema, source.profiles)
    return schema, profile_content(source.profiles, content, allow_copies=allow_copies)


def fidelity(dataset: Dataset, profiles: Mapping[Any, Any]) -> list[Any]:
    """Per profiled column, how far the generated values are from the sample (0 = same distribution, 1 = nothing in
    common): a list of :class:`seeder.profiles.fidelity.ColumnFidelity`."""
    from seeder.profiles.fidelity import fidelity as _fidelity

    return _fidelity(dataset, profiles)


def creation_ddl(source: SchemaSource, target: str) -> str | DdlScript | None:
    """The DDL that creates ``source``'s tables for ``target`` (a dialect name, or a database URL), as
    :func:`load` takes it: what the framework emits for framework models (``source.create_ddl``: SQLAlchemy's
    ``metadata.create_all``, an Alembic project's migrations), a DDL source's own text, run as written (so
    :func:`load` refuses it for a database of another dialect), or, when seeder made the schema itself (CSV files, a
    description), the schema rendered for the target by :func:`render_ddl`.

    Raises:
        ConfigError: an unknown dialect name; framework DDL that cannot be rendered for the target.
    """
    dialect = database_dialect(target) if "://" in target else target_dialect(target)
    if source.create_ddl is not None:
        to = dialect or source.schema.dialect
        from seeder.sinks.ddl import DdlScript

        return DdlScript(text=source.create_ddl(to), notes=(), dialect=to, tables=len(source.schema.tables))
    if source.kind in ("ddl", "database") or source.text is None:  # DDL as the file or the database has it
        return source.text
    if dialect is None:
        return source.text
    return render_ddl(source.schema, dialect, header={"source": source.origin})
