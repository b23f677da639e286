"""The Alembic source kind: a path to ``alembic.ini`` (or the folder holding it).

The project is read the way ``alembic`` itself runs it: a :class:`alembic.config.Config` for the ini file, its
:class:`~alembic.script.ScriptDirectory`, and the project's own ``env.py`` run under an
:class:`~alembic.runtime.environment.EnvironmentContext` in offline (``--sql``) mode, from the ini file's folder
(relative ``script_location`` and ``prepend_sys_path`` mean that folder, as when a user runs ``alembic`` there).
Offline mode never connects, so no database (file) has to exist.

* At ``head`` (the default), when ``env.py`` configures a ``target_metadata``: the schema is that metadata, read by
  :mod:`seeder.readers.sqlalchemy_metadata` (the migration function handed to ``env.py`` records the metadata and
  runs no step). ``load --create-schema`` runs what ``metadata.create_all`` emits plus the ``alembic stamp head``
  SQL, so the database is at ``head`` afterwards.
* Otherwise (no metadata: raw-SQL migrations), or for ``rev`` (``--rev REV``, ``SourceOptions.extra["rev"]``): the
  offline migration script (``alembic upgrade REV --sql``, through ``alembic.command.upgrade`` with an output
  buffer) is read by the DDL reader; ``--create-schema`` runs that script (which also stamps the version table).

Alembic's version table is never seeded. A note says which way the schema was read.
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from seeder.errors import SchemaReadError
from seeder.readers.sources import SchemaSource, SourceOptions

INI_NAME = "alembic.ini"
DEFAULT_VERSION_TABLE = "alembic_version"


def claims(source: str) -> bool:
    """An existing ``*.ini`` file, or a folder holding ``alembic.ini``."""
    path = Path(source)
    if path.is_dir():
        return (path / INI_NAME).is_file()
    return path.suffix.lower() == ".ini" and path.is_file()


def read(source: str, options: SourceOptions) -> SchemaSource:
    """Read the Alembic project at ``source`` at ``head`` or at ``options.extra["rev"]``.

    The dialect is ``options.dialect``, else ``options.extra["target"]``, else the one of the ini file's
    ``sqlalchemy.url``, else PostgreSQL (``dialect_guessed``).

    Raises:
        SchemaReadError: not an Alembic project, an unknown revision, or ``env.py``/a migration failing in offline
            mode (the message carries Alembic's first line).
        ConfigError: unknown dialect.
    """
    from seeder.readers.ddl import read_ddl
    from seeder.readers.sqlalchemy_metadata import resolve_tables, strip_tables
    from seeder.readers.sqlalchemy_tables import create_all_ddl, schema_from_tables

    ini = Path(source) / INI_NAME if Path(source).is_dir() else Path(source)
    dialect, guessed = _dialect(ini, options)
    rev = options.extra.get("rev")
    project = _Project(ini, dialect)
    origin = str(ini)
    metadata, version_table = (None, DEFAULT_VERSION_TABLE) if rev else project.target_metadata()
    if metadata is not None:
        tables = [t for t in resolve_tables(metadata, origin) if t.name != version_table]
        schema = strip_tables(schema_from_tables(tables, dialect, source=origin), [version_table])

        def create(target: str) -> str:
            return create_all_ddl(tables, target) + _Project(ini, target).offline_sql("stamp", "head")

        note = "Alembic project read at head from env.py's target_metadata"
        return SchemaSource(schema=schema, text=None, dialect_guessed=guessed, kind="alembic", origin=origin,
                            notes=(note,), create_ddl=create)
    revision = rev or "head"
    text = project.offline_sql("upgrade", revision)
    schema = strip_tables(read_ddl(text, dialect, path=origin), [version_table])
    if not schema.tables:
        raise SchemaReadError(f"the migrations up to {revision} create no tables", path=origin)
    why = f"--rev {rev}" if rev else "env.py has no target_metadata"
    note = f"Alembic project read from its offline migration SQL up to {revision} ({why})"
    return SchemaSource(schema=schema, text=None, dialect_guessed=guessed, kind="alembic", origin=origin,
                        notes=(note,), create_ddl=lambda target: _Project(ini, target).offline_sql("upgrade",
                                                                                                 revision))


def _dialect(ini: Path, options: SourceOptions) -> tuple[str, bool]:
    from seeder.dialects import read_dialect

    chosen = options.dialect or options.extra.get("target")
    if chosen:
        return read_dialect(chosen).sqlglot_dialect, False
    url = _Project(ini, "postgres").config(override_url=False).get_main_option("sqlalchemy.url")
    from seeder.dialects import url_dialect

    named = url_dialect(url) if url else None
    if named is not None:
        return named.name, False
    return "postgres", True


@contextlib.contextmanager
def _in_folder(path: Path) -> Iterator[None]:
    previous = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(previous)


class _Project:
    """One Alembic project, run offline for one dialect."""

    def __init__(self, ini: Path, dialect: str) -> None:
        self.ini = ini.resolve()
        self.dialect = dialect

    def config(self, *, override_url: bool = True, buffer: io.StringIO | None = None) -> Any:
        """Alembic's ``Config`` for the ini file; its logging section is not applied (env.py calls ``fileConfig``
        only when ``config_file_name`` is set, and it would reconfigure this process's loggers)."""
        try:
            from alembic.config import Config
        except ImportError:
            raise SchemaReadError("reading an Alembic project needs alembic: pip install alembic",
                                  path=str(self.ini)) from None
        cfg = Config(str(self.ini), output_buffer=buffer, stdout=io.StringIO())
        try:
            parser = cfg.file_config  # read now, while config_file_name still gives %(here)s
        except Exception as err:
            raise SchemaReadError(f"cannot read the ini file: {err}", path=str(self.ini)) from None
        if not parser.has_section(cfg.config_ini_section):
            raise SchemaReadError(f"not an Alembic ini file (no [{cfg.config_ini_section}] section)",
                                  path=str(self.ini))
        cfg.config_file_name = None
        if override_url:
            from seeder.readers.sqlalchemy_tables import sqlalchemy_backend

            # Offline mode only needs the dialect: a URL without host or database, never connected to.
            cfg.set_main_option("sqlalchemy.url", f"{sqlalchemy_backend(self.dialect)}://")
        return cfg

    def _run(self, action: str, work: Any) -> Any:
        from alembic.util import CommandError

        with _in_folder(self.ini.parent):
            try:
                return work()
            except CommandError as err:
                raise SchemaReadError(f"alembic {action}: {str(err).splitlines()[0]}", path=str(self.ini)) from None
            except SchemaReadError:
                raise
            except Exception as err:  # env.py and migrations are user code
                first = str(err).splitlines()[0] if str(err) else ""
                raise SchemaReadError(f"alembic {action} failed in offline mode: {type(err).__name__}: {first}",
                                      path=str(self.ini)) from None

    def target_metadata(self) -> tuple[Any, str]:
        """``(env.py's target_metadata or None, the version table's name)``."""
        from alembic.runtime.environment import EnvironmentContext
        from alembic.script import ScriptDirectory

        found: dict[str, Any] = {}

        def record(_rev: Any, context: Any) -> list[Any]:
            found["metadata"] = context.opts.get("target_metadata")
            found["version_table"] = context.opts.get("version_table") or DEFAULT_VERSION_TABLE
            return []  # no migration step: only env.py's configuration is wanted

        def work() -> None:
            cfg = self.config(buffer=io.StringIO())
            script = ScriptDirectory.from_config(cfg)
            with EnvironmentContext(cfg, script, fn=record, as_sql=True, destination_rev="head"):
                script.run_env()

        self._run("env.py", work)
        return found.get("metadata"), found.get("version_table", DEFAULT_VERSION_TABLE)

    def offline_sql(self, command: str, revision: str) -> str:
        """The SQL of ``alembic <command> <revision> --sql`` (``upgrade`` or ``stamp``) for this dialect."""
        from alembic import command as alembic_command

        buffer = io.StringIO()

        def work() -> None:
            getattr(alembic_command, command)(self.config(buffer=buffer), revision, sql=True)

        self._run(f"{command} {revision} --sql", work)
        return buffer.getvalue()
