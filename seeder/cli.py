"""The ``seeder`` command line: a thin click layer over :mod:`seeder.api`.

Every :class:`~seeder.errors.SeederError` becomes one ``Error: ...`` line on stderr and exit code 1 (130 for an
interrupt); usage errors exit 2 (click's convention). No traceback is shown for user errors.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import secrets
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO, TypeVar

import click

from seeder import api
from seeder.cli_sources import (
    WayOptions,
    echo_fidelity,
    echo_source_facts,
    pop_way_options,
    read_for_cli,
    source_facts,
    way_options,
)
from seeder.config import Config, load_config
from seeder.errors import ConfigError, Interrupted, SeederError
from seeder.llm.cli_options import content_source, echo_estimate, echo_report, llm_options, settings_from_options
from seeder.plan.model import Plan
from seeder.schema import Schema

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_ROWS = 10
DEFAULT_SEED = 0
#: Dialects seeder renders INSERT scripts for (T-SQL, Oracle and DB2 are input-only).
WRITABLE_DIALECTS = ("postgres", "mysql", "sqlite")


def _fail(message: str, code: int = 1) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


def handle_errors(fn: F) -> F:
    """Turn SeederError and Ctrl-C into a one-line message and an exit code."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except Interrupted as err:
            _fail(str(err) or "interrupted; nothing was written to the database", err.exit_code)
        except KeyboardInterrupt:
            _fail("interrupted; nothing was written", 130)
        except SeederError as err:
            message = " ".join(str(err).split("\n")[0].split()) or type(err).__name__
            _fail(message, err.exit_code)
        except BrokenPipeError:  # `seeder generate ... | head`
            sys.stderr.close()
            sys.exit(0)

    return wrapper  # type: ignore[return-value]


def source_options(fn: F) -> F:
    fn = click.option("--config", "config_path", type=click.Path(dir_okay=False),
                      help="Config file (seeder.toml, or pyproject.toml with [tool.seeder]).")(fn)
    fn = click.option("--dialect", "-d", help="Dialect of the DDL (postgres, mysql, sqlite); inferred if omitted.")(fn)
    fn = click.argument("source", required=False)(fn)  # none: --describe designs one (seeder.cli_sources)
    return fn


def _read(source: str | None, dialect: str | None, config: Config, options: dict[str, Any] | None = None,
          seed: int = DEFAULT_SEED, ways: WayOptions | None = None) -> api.SchemaSource:
    src = read_for_cli(source, dialect or config.dialect, config, options or {}, seed, ways)
    if src.dialect_guessed:
        click.echo(f"Note: could not tell the dialect of {source}; reading it as {src.schema.dialect} "
                   f"(use --dialect to choose)", err=True)
    return src


def _plan(schema: Schema, rows: int | None, config: Config) -> Plan:
    n = rows if rows is not None else (config.rows if config.rows is not None else DEFAULT_ROWS)
    return api.build_plan(schema, n, config.table_rows)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="seeder")
def cli() -> None:
    """Fill relational databases with realistic, constraint-valid data."""


# ------------------------------------------------------------------------------------------------------- inspect


def schema_summary(schema: Schema, plan: Plan) -> dict[str, Any]:
    """The facts ``seeder inspect --json`` prints: tables, columns, keys, FKs, cycles, topological order."""
    tables = []
    for t in schema.tables:
        tables.append({
            "name": str(t.name),
            "columns": [{
                "name": c.name, "type": c.type.sql, "kind": c.type.kind, "nullable": c.nullable,
                "default": c.default, "identity": c.identity, "autoincrement": c.autoincrement,
                "generated": c.generated, "domain": c.domain,
                **({"values": list(c.type.values)} if c.type.values else {}),
                **({"checks": [ch.sql for ch in c.checks]} if c.checks else {}),
            } for c in t.columns],
            "primary_key": list(t.primary_key.columns) if t.primary_key else None,
            "foreign_keys": [{
                "name": fk.name, "columns": list(fk.columns), "references": str(fk.ref_table),
                "ref_columns": list(fk.ref_columns), "deferrable": fk.deferrable, "on_delete": fk.on_delete,
            } for fk in t.foreign_keys],
            "unique": [{"name": u.name, "columns": list(u.columns),
                        "expressions": [e.sql() for e in u.expressions],
                        "where": u.where.sql() if u.where is not None else None} for u in t.uniques],
            "checks": [{"name": c.name, "sql": c.sql} for c in t.checks],
            **({"partition_of": str(t.partition_of)} if t.partition_of else {}),
            **({"inherits": [str(p) for p in t.inherits]} if t.inherits else {}),
            **({"partitioned_by": {"method": t.partitioning.method, "columns": list(t.partitioning.columns),
                                   "partitions": len(t.partitioning.partitions)}} if t.partitioning else {}),
        })
    return {
        "source": schema.source, "dialect": schema.dialect, "tables": tables,
        "enums": [{"name": e.name, "values": list(e.values)} for e in schema.enums],
        "domains": [{"name": d.name, "type": d.type.sql, "checks": [c.sql for c in d.checks]} for d in schema.domains],
        "cycles": [[str(n) for n in c] for c in plan.cycles],
        "self_references": [{"table": str(t), "columns": list(fk.columns)} for t, fk in plan.self_references],
        "topological_order": [str(n) for n in plan.order],
    }


@cli.command()
@source_options
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@handle_errors
def inspect(source: str, dialect: str | None, config_path: str | None, as_json: bool) -> None:
    """Show the tables, columns, keys, foreign keys, cycles and topological order of SOURCE."""
    config = load_config(config_path)
    schema = _read(source, dialect, config).schema
    plan = api.build_plan(schema, 0)
    summary = schema_summary(schema, plan)
    if as_json:
        click.echo(json.dumps(summary, indent=2))
        return
    fk_count = sum(len(t["foreign_keys"]) for t in summary["tables"])
    click.echo(f"{schema.source} ({schema.dialect}): {len(schema.tables)} tables, {fk_count} foreign keys, "
               f"{len(plan.cycles)} cycles, {len(plan.self_references)} self-references")
    for t in summary["tables"]:
        extra = ""
        if "partition_of" in t:
            extra = f"  [partition of {t['partition_of']}]"
        elif "inherits" in t:
            extra = f"  [inherits {', '.join(t['inherits'])}]"
        click.echo(f"\n{t['name']}{extra}")
        width = max((len(c["name"]) for c in t["columns"]), default=0)
        for c in t["columns"]:
            flags = []
            if t["primary_key"] and c["name"] in t["primary_key"]:
                flags.append("PK")
            if not c["nullable"]:
                flags.append("NOT NULL")
            if c["identity"]:
                flags.append(f"identity {c['identity'].replace('_', ' ')}")
            elif c["autoincrement"]:
                flags.append("auto-increment")
            if c["generated"]:
                flags.append("generated")
            if c["default"] is not None and not c["autoincrement"]:
                flags.append(f"default {c['default']}")
            click.echo(f"  {c['name']:<{width}}  {c['type']}  {'  '.join(flags)}".rstrip())
        for fk in t["foreign_keys"]:
            click.echo(f"  FK ({', '.join(fk['columns'])}) -> {fk['references']}({', '.join(fk['ref_columns'])})"
                       f"{'  deferrable' if fk['deferrable'] else ''}")
        for u in t["unique"]:
            parts = u["columns"] + u["expressions"]
            click.echo(f"  UNIQUE ({', '.join(parts)}){'  WHERE ' + u['where'] if u['where'] else ''}")
        for ch in t["checks"]:
            click.echo(f"  CHECK {ch['sql']}")
    if plan.cycles:
        click.echo("\nCycles:")
        for c in summary["cycles"]:
            click.echo(f"  {' <-> '.join(c)}")
    click.echo(f"\nTopological order: {', '.join(summary['topological_order'])}")


# ---------------------------------------------------------------------------------------------------------- plan


def plan_summary(plan: Plan) -> dict[str, Any]:
    """The facts ``seeder plan --json`` prints."""
    return {
        "order": [str(n) for n in plan.order],
        "generations": [[str(n) for n in g] for g in plan.generations],
        "tables": [{"table": str(tp.table), "requested": tp.requested, "rows": tp.rows,
                    **({"limit": tp.limit} if tp.limit else {}), **({"skipped": tp.skipped} if tp.skipped else {})}
                   for tp in [plan.tables[n] for n in plan.order]
                   + [p for p in plan.tables.values() if p.skipped]],
        "cycle_breaks": [{"table": str(b.table), "columns": list(b.foreign_key.columns),
                          "references": str(b.foreign_key.ref_table),
                          "strategy": _break_strategy(b)} for b in plan.cycle_breaks],
        "total_rows": sum(plan.rows(n) for n in plan.order),
    }


def _break_strategy(b: Any) -> str:
    if b.nullable:
        return "insert NULL, UPDATE after the referenced rows exist"
    if b.deferrable:
        return "constraint deferred to COMMIT"
    return "NOT NULL and not deferrable: check suspended inside the load transaction"


@cli.command("plan")
@source_options
@click.option("--rows", "-n", type=int, help=f"Rows per table (default {DEFAULT_ROWS}).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.option("--seed", "-s", type=int, help=f"Random seed (default {DEFAULT_SEED}); used by the --llm estimate.")
@llm_options
@handle_errors
def plan_cmd(source: str, dialect: str | None, config_path: str | None, rows: int | None, as_json: bool,
             seed: int | None, **llm: Any) -> None:
    """Show the insert order, row counts, cycle breaks and limits for SOURCE (with --llm: model calls and tokens)."""
    config = load_config(config_path)
    llm_settings = settings_from_options(config, llm, require_key=False)
    src = _read(source, dialect, config, llm, _seed(seed, config))
    schema = src.schema
    plan = _plan(schema, rows, config)
    summary = plan_summary(plan)
    summary["source"] = source_facts(src)
    if as_json:
        if llm_settings is not None:
            from dataclasses import asdict

            from seeder.llm.estimate import estimate

            summary["llm_estimate"] = [asdict(e) for e in estimate(schema, plan, llm_settings,
                                                                    seed=_seed(seed, config))]
        click.echo(json.dumps(summary, indent=2))
        return
    width = max((len(t["table"]) for t in summary["tables"]), default=5)
    click.echo(f"{'table':<{width}}  {'rows':>8}  note")
    for t in summary["tables"]:
        note = t.get("skipped") or t.get("limit") or ""
        click.echo(f"{t['table']:<{width}}  {t['rows']:>8}  {note}".rstrip())
    for b in summary["cycle_breaks"]:
        click.echo(f"cycle break: {b['table']}({', '.join(b['columns'])}) -> {b['references']}: {b['strategy']}")
    click.echo(f"total: {summary['total_rows']} rows in {len(plan.order)} tables")
    echo_source_facts(src)
    if llm_settings is not None:
        echo_estimate(schema, plan, llm_settings, _seed(seed, config))


# ------------------------------------------------------------------------------------------------------ generate


def _seed(seed: int | None, config: Config) -> int:
    if seed is not None:
        return seed
    return config.seed if config.seed is not None else DEFAULT_SEED


def _temporary_sibling(path: Path) -> Path:
    # Same directory as the target, so the final os.replace is a rename on one file system (atomic on POSIX).
    return path.parent / f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp"


def _cannot_write(path: Path, err: OSError) -> ConfigError:
    if isinstance(err, FileExistsError) and err.filename is not None and not Path(err.filename).is_dir():
        # mkdir(parents=True) met a file where a folder of the path should be
        return ConfigError(f"cannot write {path}: {err.filename} is a file, not a folder")
    return ConfigError(f"cannot write {path}: {err.strerror or err}")


def write_file_atomically(path: Path, write: Callable[[TextIO], None]) -> None:
    """Run ``write`` on a temporary file next to ``path`` and rename it to ``path`` only when it succeeded.

    An error or Ctrl-C leaves ``path`` as it was (absent or the previous file) and no temporary file behind.

    Raises:
        Interrupted: on KeyboardInterrupt (nothing written). ConfigError: the file cannot be created or written.
    """
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = _temporary_sibling(path)
        with open(tmp, "x", encoding="utf-8", newline="\n") as f:
            write(f)
        os.replace(tmp, path)
        tmp = None
    except KeyboardInterrupt:
        raise Interrupted(f"interrupted; nothing was written to {path}") from None
    except OSError as err:
        raise _cannot_write(path, err) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()


def write_csv_atomically(data: Any, directory: Path) -> list[Path]:
    """Write the CSV files into a temporary folder next to ``directory``, then move each into ``directory``.

    An error or Ctrl-C while writing leaves ``directory`` untouched and removes the temporary folder.

    Raises:
        Interrupted: on KeyboardInterrupt. ConfigError: the folder or a file cannot be written.
    """
    tmp = None
    try:
        directory.parent.mkdir(parents=True, exist_ok=True)
        tmp = _temporary_sibling(directory)
        written = api.write_csv(data, tmp)
        directory.mkdir(exist_ok=True)
        files = []
        for f in written:
            os.replace(f, directory / f.name)
            files.append(directory / f.name)
        return files
    except KeyboardInterrupt:
        raise Interrupted(f"interrupted; nothing was written to {directory}") from None
    except OSError as err:
        raise _cannot_write(directory, err) from None
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


@cli.command()
@source_options
@click.option("--to", "target", help="Dialect to render for (default: the input's dialect).")
@click.option("--rows", "-n", type=int, help=f"Rows per table (default {DEFAULT_ROWS}).")
@click.option("--seed", "-s", type=int, help=f"Random seed (default {DEFAULT_SEED}); same seed, same output.")
@click.option("--format", "fmt", type=click.Choice(["sql", "copy", "csv", "jsonl", "fixture"]), default="sql",
              show_default=True,
              help="sql: INSERT script; copy: psql script of COPY blocks (PostgreSQL); csv: one file per table; "
                   "jsonl: JSON Lines; fixture: Django fixture for manage.py loaddata.")
@click.option("-o", "--output", "output", default="-",
              help="Output file (sql, copy, jsonl) or folder (csv); - is stdout. Written to a temporary file and "
                   "renamed at the end, so an interrupted run leaves no partial file.")
@click.option("--disable-triggers", is_flag=True, help="Script disables user triggers while loading (PostgreSQL).")
@click.option("--fixture-app", "fixture_app", metavar="LABEL",
              help="--format fixture: Django app label of every model (default: from <app>_<model> table names).")
@way_options
@llm_options
@handle_errors
def generate(source: str, dialect: str | None, config_path: str | None, target: str | None, rows: int | None,
             seed: int | None, fmt: str, output: str, disable_triggers: bool, fixture_app: str | None,
             **llm: Any) -> None:
    """Generate rows for every table of SOURCE as a SQL script, CSV files or JSON Lines."""
    config = load_config(config_path)
    ways = pop_way_options(llm)
    llm_settings = settings_from_options(config, llm)  # no API key: fail before any work
    run_seed = _seed(seed, config)
    src = _read(source, dialect, config, llm, run_seed, ways)
    schema = src.schema
    plan = _plan(schema, rows, config)
    to = target or schema.dialect or "postgres"
    if fmt in ("sql", "copy") and target is None and to not in WRITABLE_DIALECTS:
        raise ConfigError(f"seeder reads {to or 'DB2'} DDL but writes only {', '.join(WRITABLE_DIALECTS)}: "
                          f"choose one with --to")
    if fmt in ("sql", "copy"):
        from seeder.dialects import get_dialect

        to = get_dialect(to).name  # validate before spending time on generation
        if fmt == "copy" and to != "postgres":
            raise ConfigError(f"--format copy writes PostgreSQL COPY blocks, but the target is {to}: add --to postgres "
                              "or use --format sql")
    if output != "-" and fmt != "csv" and Path(output).is_dir():
        raise ConfigError(f"-o {output} is a directory; give a file name for --format {fmt}")
    llm_content = content_source(llm_settings, run_seed)
    run_schema, content = api.content_for(src, llm_content, allow_copies=ways.allow_copies)
    data = api.generate(run_schema, plan, seed=run_seed, content=content)
    for note in data.notes:
        click.echo(f"Note: {note}", err=True)
    echo_report(llm_content)
    echo_fidelity(data, src)
    if fmt == "csv":
        if output == "-":
            raise click.UsageError("--format csv writes one file per table: give a folder with -o")
        files = write_csv_atomically(data, Path(output))
        click.echo(f"Wrote {len(files)} CSV files to {output}", err=True)
        return
    header = {"source": src.origin, "seed": str(run_seed), "source dialect": schema.dialect or "default"}

    def write(out: TextIO) -> None:
        if fmt == "sql":
            api.write_sql(data, out, to, disable_triggers=disable_triggers, header=header)
        elif fmt == "copy":
            from seeder.sinks.copy import write_copy

            write_copy(data, out, to, disable_triggers=disable_triggers, header=header)
        elif fmt == "fixture":
            from seeder.sinks.fixture import write_fixture

            write_fixture(data, out, app_label=fixture_app)
        else:
            api.write_jsonl(data, out)

    if output == "-":
        try:
            write(sys.stdout)
            sys.stdout.flush()
        except KeyboardInterrupt:
            raise Interrupted("interrupted while writing to standard output; the output is incomplete") from None
        return
    write_file_atomically(Path(output), write)
    total = sum(td.row_count for td in data.tables)
    click.echo(f"Wrote {total} rows in {len(data.tables)} tables to {output}", err=True)


# ---------------------------------------------------------------------------------------------------------- load


@cli.command()
@source_options
@click.option("--db", "url", required=True, help="SQLAlchemy URL, e.g. sqlite:///dev.db, postgresql+psycopg://...")
@click.option("--rows", "-n", type=int, help=f"Rows per table (default {DEFAULT_ROWS}).")
@click.option("--seed", "-s", type=int, help=f"Random seed (default {DEFAULT_SEED}).")
@click.option("--create-schema", is_flag=True, help="Run the DDL first (for an empty database).")
@click.option("--disable-triggers", is_flag=True, help="Load with user triggers off (they are restored after).")
@click.option("--method", type=click.Choice(["insert", "copy"]), default="insert", show_default=True,
              help="insert: multi-row INSERTs (every database); copy: COPY FROM STDIN bulk load (PostgreSQL).")
@way_options
@llm_options
@handle_errors
def load(source: str, dialect: str | None, config_path: str | None, url: str, rows: int | None, seed: int | None,
         create_schema: bool, disable_triggers: bool, method: str = "insert", **llm: Any) -> None:
    """Generate rows for SOURCE and load them into the database at --db, in one transaction."""
    config = load_config(config_path)
    if method == "copy" and _url_dialect(url) != "postgres":
        raise ConfigError("--method copy loads PostgreSQL only; use --method insert for this database")
    ways = pop_way_options(llm)
    llm_settings = settings_from_options(config, llm)  # no API key: fail before any work
    src = _read(source, dialect, config, llm, _seed(seed, config), ways)
    schema = src.schema
    plan = _plan(schema, rows, config)
    llm_content = content_source(llm_settings, _seed(seed, config))
    run_schema, content = api.content_for(src, llm_content, allow_copies=ways.allow_copies)
    data = api.generate(run_schema, plan, seed=_seed(seed, config), content=content)
    for note in data.notes:
        click.echo(f"Note: {note}", err=True)
    echo_report(llm_content)
    echo_fidelity(data, src)
    ddl = api.creation_ddl(src, _url_dialect(url)) if create_schema else None
    if ddl is not None and src.kind == "ddl":
        target = _url_dialect(url)
        if target and schema.dialect and target != schema.dialect:
            raise ConfigError(f"--create-schema runs the DDL as written, which is {schema.dialect}, but the database "
                              f"is {target}; create the schema first or use DDL for {target}")
    loader = api.load
    if method == "copy":
        from seeder.loaders.copy import load as loader  # type: ignore[assignment]
    report = loader(data, url, create_schema=ddl, disable_triggers=disable_triggers,
                    echo=lambda msg: click.echo(msg, err=True))
    total = sum(report.tables.values())
    click.echo(f"Loaded {total} rows into {len(report.tables)} tables in {report.seconds:.2f}s ({report.url})")


def _url_dialect(url: str) -> str | None:
    scheme = url.split(":", 1)[0].split("+", 1)[0].lower()
    return {"postgresql": "postgres", "postgres": "postgres", "sqlite": "sqlite", "mysql": "mysql",
            "mariadb": "mysql"}.get(scheme)


from seeder.cli_ddl import ddl_command  # noqa: E402  (seeder.cli_ddl uses this module's helpers)
from seeder.cli_serve import serve_command  # noqa: E402  (uses this module's helpers too)
from seeder.cli_ways import design_command, preview_command  # noqa: E402  (uses this module's helpers too)

cli.add_command(ddl_command)
cli.add_command(design_command)
cli.add_command(preview_command)
cli.add_command(serve_command)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="seeder")


if __name__ == "__main__":  # pragma: no cover
    main()
