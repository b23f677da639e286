"""``seeder.generate(...)``: one call from any SOURCE to rows, for notebooks and scripts.

::

    import seeder

    result = seeder.generate("examples/shop.sql", rows=20, seed=1)
    result.tables["customer"][:3]          # rows as dicts
    frames = result.to_pandas()            # {"customer": DataFrame, ...} where pandas is installed
    result.to_sql("shop.sql", "sqlite")    # the same script as `seeder generate --to sqlite`
    result.load("sqlite:///shop.db", create_schema=True)

``source`` is anything the command line takes as SOURCE (a DDL, CSV or description file, a folder of CSV files, a
database URL where a reader for it is installed), a description in words (a string with spaces that is no file), or
a SQLAlchemy object: ``MetaData``, a ``Table``, a declarative model or base, or an ``Engine`` (its tables are
reflected). Everything goes through :mod:`seeder.api`, so the rows are the ones the CLI writes for the same seed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seeder import api
from seeder.dataset import Dataset
from seeder.errors import ConfigError


def _is_sqlalchemy(obj: Any) -> bool:
    return type(obj).__module__.startswith("sqlalchemy") or hasattr(obj, "__table__") or (
        hasattr(obj, "metadata") and type(obj.metadata).__module__.startswith("sqlalchemy"))


def read(source: Any, *, dialect: str | None = None, llm: Any = None, seed: int = 0) -> api.SchemaSource:
    """The :class:`~seeder.readers.sources.SchemaSource` of any ``source`` :func:`generate` accepts."""
    from seeder.readers import description_source

    if _is_sqlalchemy(source) and not isinstance(source, (str, Path)):
        from seeder.readers.sources import SourceOptions
        from seeder.readers.sqlalchemy_metadata import read_object

        return read_object(source, SourceOptions(dialect=dialect))  # the SOURCE kind module:attr reads
    text = str(source)
    if isinstance(source, str) and not Path(source).exists() and "://" not in source and " " in source.strip():
        text = description_source.PREFIX + source
    extra: dict[str, Any] = {"seed": seed}
    if description_source.claims(text):
        extra["llm"] = _settings(llm)
    return api.read_source(text, dialect, **extra)


def _settings(llm: Any) -> Any:
    from seeder.llm.config import require_openai, resolve_settings

    require_openai()
    return resolve_settings(flags=dict(llm) if isinstance(llm, Mapping) else {})


def _content(llm: Any, seed: int) -> Any:
    if llm is None or llm is False:
        return None
    if llm is True:
        return api.llm_content(seed)
    if isinstance(llm, Mapping):
        return api.llm_content(seed, **llm)
    return llm  # a ContentSource


@dataclass
class Result:
    """What :func:`generate` made: the dataset and the source it came from, with ways to look at it and write it.

    Attributes:
        dataset: the :class:`~seeder.dataset.Dataset` (tables in insert order, column-major).
        source: the read source (schema, DDL text, profiles, rules).
        seed: the seed used.
    """

    dataset: Dataset
    source: api.SchemaSource
    seed: int
    _tables: dict[str, list[dict[str, Any]]] | None = field(default=None, repr=False)

    @property
    def schema(self) -> Any:
        """The schema model."""
        return self.dataset.schema

    @property
    def tables(self) -> dict[str, list[dict[str, Any]]]:
        """Every table's rows as dicts (column -> Python value), by table name (``schema.table`` when qualified),
        in insert order."""
        if self._tables is None:
            self._tables = {str(td.table.name): [dict(zip(td.columns, row, strict=True)) for row in td.rows()]
                            for td in self.dataset.final_tables()}
        return self._tables

    def to_pandas(self) -> dict[str, Any]:
        """Every table as a ``pandas.DataFrame``, by table name.

        Raises:
            ConfigError: pandas is not installed.
        """
        try:
            import pandas as pd
        except ImportError:
            raise ConfigError("to_pandas() needs pandas: pip install pandas") from None
        return {str(td.table.name): pd.DataFrame({c: td.column_values(c) for c in td.columns}, columns=list(td.columns))
                for td in self.dataset.final_tables()}

    def to_sql(self, path: str | Path, dialect: str | None = None) -> Path:
        """Write the INSERT script for ``dialect`` (default: the schema's) to ``path`` (atomically), as ``seeder
        generate`` does; returns the path."""
        api.write_sql(self.dataset, path, dialect, header=api.script_header(self.source, self.seed))
        return Path(path)

    def to_csv(self, directory: str | Path) -> list[Path]:
        """Write one CSV file per table into ``directory``; returns the files."""
        return api.write_csv(self.dataset, directory)

    def to_fixture(self, path: str | Path, *, app_label: str | None = None) -> Path:
        """Write a Django fixture (JSON) for ``manage.py loaddata`` to ``path``; returns the path."""
        api.write_fixture(self.dataset, path, app_label=app_label)
        return Path(path)

    def ddl(self, dialect: str) -> str | None:
        """The DDL that creates the tables in ``dialect`` (see :func:`seeder.api.creation_ddl`)."""
        script = api.creation_ddl(self.source, dialect)
        return script if script is None or isinstance(script, str) else script.text

    def load(self, url: str, *, create_schema: bool = False, disable_triggers: bool = False) -> Any:
        """Load into the database at SQLAlchemy ``url`` in one transaction; ``create_schema`` creates the tables
        first. Returns the loader's report (rows per table, seconds)."""
        ddl = api.creation_ddl(self.source, url) if create_schema else None
        return api.load(self.dataset, url, create_schema=ddl, disable_triggers=disable_triggers)

    def fidelity(self) -> list[Any]:
        """Per profiled column, the distance to the sample (CSV sources, ``like_existing``); ``[]`` without one."""
        return api.fidelity(self.dataset, self.source.profiles) if self.source.profiles else []

    def __repr__(self) -> str:
        counts = ", ".join(f"{td.table.name}: {td.row_count}" for td in self.dataset.tables)
        return f"<seeder.Result seed={self.seed} {counts}>"


def generate(source: Any, *, rows: int = 10, seed: int = 0, llm: Any = None, dialect: str | None = None,
             tables: Mapping[str, int] | None = None, like_existing: Any = None,
             allow_copies: bool = False) -> Result:
    """Generate rows for ``source`` (see the module docstring for what it may be).

    Args:
        rows: rows per table (``tables`` overrides by table name).
        seed: the random seed; the same seed gives the same rows as ``seeder generate --seed``.
        llm: ``None``/``False`` for the local generator; ``True`` for a model configured by the environment
            (``OPENAI_API_KEY``, ``OPENAI_BASE_URL``); a dict of settings as :func:`seeder.api.llm_content` takes
            them (``{"llm_base_url": "http://localhost:11434/v1", "model": "llama3.1"}``); or a content source.
            A description source is designed with the same settings.
        dialect: the dialect of a DDL source (inferred when ``None``).
        like_existing: a sample to learn distributions from: a folder of CSV files, a CSV file, a database URL or
            a SQLAlchemy engine (for an engine ``source``, ``True`` samples it).
        allow_copies: keep generated rows equal to a sampled row.

    Raises:
        SeederError: as the CLI would report it (unreadable source, unsatisfiable constraint, model errors).
    """
    src = read(source, dialect=dialect, llm=llm if isinstance(llm, Mapping) else None, seed=seed)
    if like_existing is True:
        if not _is_sqlalchemy(source) or isinstance(source, (str, Path)):
            raise ConfigError("like_existing=True samples the source itself, which works for a SQLAlchemy engine; "
                              "give a sample (CSV folder or database URL) instead")
        like_existing = source
    if like_existing is not None:
        src = api.like_existing(src, like_existing)
    schema, content = api.content_for(src, _content(llm, seed), allow_copies=allow_copies)
    data = api.generate(schema, api.build_plan(src.schema, rows, tables), seed=seed, content=content)
    return Result(dataset=data, source=src, seed=seed)
