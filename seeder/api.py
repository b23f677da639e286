"""The public Python API: the CLI and the pytest plugin are thin layers over these functions.

Typical use::

    from seeder import api

    schema = api.read_schema("schema.sql")             # dialect inferred from the file
    plan = api.build_plan(schema, rows=20)
    data = api.generate(schema, plan, seed=1)
    with open("out.sql", "w") as f:
        api.write_sql(data, f, dialect="postgres")
    api.load(data, "postgresql+psycopg://app@localhost/dev")
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TextIO

from seeder.dataset import Dataset
from seeder.generate.engine import ContentSource
from seeder.generate.engine import generate as _generate
from seeder.plan.model import Plan
from seeder.plan.planner import build_plan as _build_plan
from seeder.readers.sources import SchemaSource
from seeder.schema import Schema


def read_source(source: str | Path, dialect: str | None = None, **options: Any) -> SchemaSource:
    """Read a SOURCE into the schema model: a DDL file path (more kinds: see :mod:`seeder.readers.sources`).

    Args:
        source: what the user names as SOURCE (a path is converted with ``str``).
        dialect: a sqlglot dialect name (``postgres``, ``mysql``, ``sqlite``, ...) for DDL sources; inferred from the
            file name and content when ``None`` (``postgres`` when unsure, reported through ``dialect_guessed``).
        options: options of particular source kinds (e.g. ``schemas`` for a database), passed on by name.

    Raises:
        SchemaReadError: the source is missing, empty, not text, or a table statement cannot be understood.
        ConfigError: an unknown dialect name.
    """
    from seeder.readers.sources import SourceOptions
    from seeder.readers.sources import read_source as _read_source

    return _read_source(str(source), SourceOptions(dialect=dialect, extra=options))


def read_schema(path: str | Path, dialect: str | None = None) -> Schema:
    """Read a SOURCE into the schema model; see :func:`read_source` for arguments and errors."""
    return read_source(path, dialect).schema


def build_plan(schema: Schema, rows: int = 10, overrides: Mapping[str, int] | None = None) -> Plan:
    """Plan a run: topological order, row counts (``rows`` per table, ``overrides`` by table name), cycle breaks.

    Raises:
        ConfigError: invalid row counts or an override for a table the schema does not have.
    """
    return _build_plan(schema, rows, overrides)


def generate(schema: Schema, plan: Plan, *, seed: int = 0, content: ContentSource | None = None) -> Dataset:
    """Generate the rows of ``plan``; deterministic for a given ``seed`` (default 0).

    ``content`` fills the content columns (default: the local generator; :func:`llm_content` for a model). A
    source's ``notes`` (e.g. "LLM budget reached") are appended to the dataset's notes, and its ``close()`` (if
    any) is called when generation ends.

    Raises:
        GenerationError: a constraint cannot be satisfied (the message names it).
        LLMError: the model provider rejected the key or the model.
    """
    try:
        data = _generate(schema, plan, seed=seed, content=content)
    finally:
        close = getattr(content, "close", None)
        if close is not None:
            close()  # e.g. the LLM source's HTTP client
    data.notes.extend(getattr(content, "notes", None) or [])
    return data


def llm_content(seed: int = 0, **settings: Any) -> ContentSource:
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


def write_sql(dataset: Dataset, out: TextIO, dialect: str, *, disable_triggers: bool = False,
              header: Mapping[str, str] | None = None) -> None:
    """Write ``dataset`` as one-transaction SQL script of INSERTs for ``dialect`` to ``out``."""
    from seeder.sinks.sql import write_sql as _write_sql

    _write_sql(dataset, out, dialect, disable_triggers=disable_triggers, header=header)


def write_csv(dataset: Dataset, directory: str | Path) -> list[Path]:
    """Write one CSV file per table into ``directory`` (created if needed); returns the files written."""
    from seeder.sinks.csv import write_csv as _write_csv

    return _write_csv(dataset, Path(directory))


def write_jsonl(dataset: Dataset, out: TextIO | Path) -> None:
    """Write ``dataset`` as JSON Lines to a stream, or one ``.jsonl`` file per table into a directory."""
    from seeder.sinks.jsonl import write_jsonl as _write_jsonl

    _write_jsonl(dataset, out)


def write_fixture(dataset: Dataset, out: TextIO, *, app_label: str | None = None) -> None:
    """Write ``dataset`` as a Django fixture (JSON) for ``manage.py loaddata``; tables map to ``app_label.model``.

    Raises:
        ConfigError: a table name that cannot be mapped to a model label (give ``app_label``).
    """
    from seeder.sinks.fixture import write_fixture as _write_fixture

    _write_fixture(dataset, out, app_label=app_label)


def load(dataset: Dataset, url: str, *, create_schema: str | None = None, disable_triggers: bool = False,
         echo: Callable[[str], None] | None = None):
    """Load ``dataset`` into the database at SQLAlchemy ``url`` in one transaction (all or nothing).

    ``create_schema`` is DDL text run first in the same transaction (for an empty database).

    Raises:
        LoadError: connection or load failure; nothing is left behind; the message names table and row.
    """
    from seeder.loaders.sqlalchemy import load as _load

    return _load(dataset, url, create_schema=create_schema, disable_triggers=disable_triggers, echo=echo)


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


def creation_ddl(source: SchemaSource, dialect: str | None) -> str | None:
    """The DDL that creates ``source``'s tables in ``dialect``: the source's own text for a DDL file (run as
    written), the schema rendered for ``dialect`` when seeder made the schema itself (CSV, description)."""
    if source.kind == "ddl" or source.text is None or not dialect:
        return source.text
    from seeder.sinks.ddl import render_ddl

    return render_ddl(source.schema, dialect, header={"source": source.origin}).text
