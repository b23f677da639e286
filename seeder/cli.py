"""The ``seeder`` command line: a thin click layer over :mod:`seeder.api`.

Commands parse their arguments, call the API and print; every computation and every check of the library's rules
lives in the API, so the CLI, the pytest plugin and users' scripts behave alike. Every
:class:`~seeder.errors.SeederError` becomes one ``Error: ...`` line on stderr and exit code 1 (130 for an
interrupt); usage errors exit 2 (click's convention). No traceback is shown for user errors.

Typical use of ``seeder ddl``: a T-SQL, Oracle or DB2 schema with no such engine at hand is created on PostgreSQL,
then filled with ``seeder generate FILE --to postgres``::

    seeder ddl oracle_hr.sql --to postgres -o schema.sql
    psql -v ON_ERROR_STOP=1 --single-transaction -f schema.sql
    seeder generate oracle_hr.sql --to postgres -o data.sql
"""

from __future__ import annotations

import contextlib
import functools
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

import click

from seeder.cli_sources import (
    WayOptions,
    echo_fidelity,
    echo_source_facts,
    pop_way_options,
    read_for_cli,
    source_facts,
    way_options,
)
from seeder.config import DEFAULT_CHUNK_ROWS, DEFAULT_ROWS, DEFAULT_SEED, Config, load_config
from seeder.errors import ConfigError, Interrupted, SeederError
from seeder.formats import FOLDER_FORMATS, FORMATS, LOAD_METHODS
from seeder.lazy import lazy_module
from seeder.llm.cli_options import content_source, echo_estimate, echo_report, llm_options, settings_from_options
from seeder.llm.config import LLMSettings, is_local_url

if TYPE_CHECKING:
    from seeder import api
    from seeder.plan.model import Plan
    from seeder.schema import Schema
else:
    # Imported on first use: `seeder --help` and usage errors never load the engine (see seeder.lazy).
    api = lazy_module("seeder.api")

F = TypeVar("F", bound=Callable[..., Any])

STDOUT = "-"


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


def _source_extra(ctx: click.Context, param: click.Parameter, value: Any) -> None:
    if value is not None:
        ctx.meta.setdefault("seeder.source_extra", {})[param.name] = value


def _remember(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """Keep an option's value in the context (options several commands share, without widening each signature)."""
    ctx.meta[f"seeder.{param.name}"] = tuple(value or ())
    return value


def _remembered(name: str) -> tuple[str, ...]:
    ctx = click.get_current_context(silent=True)
    return tuple(ctx.meta.get(f"seeder.{name}", ())) if ctx is not None else ()


def source_options(fn: F) -> F:
    fn = click.option("--schema", "schemas", multiple=True, metavar="NAME", expose_value=False,
                      callback=lambda ctx, param, value: _source_extra(ctx, param, value or None),
                      help="Database SOURCE: the PostgreSQL schema to read (repeatable; default every schema with "
                           "tables).")(fn)
    fn = click.option("--rev", expose_value=False, callback=_source_extra, metavar="REV",
                      help="Alembic SOURCE: the revision whose schema to use (default: head).")(fn)
    fn = click.option("--config", "config_path", type=click.Path(dir_okay=False),
                      help="Config file (seeder.toml, or pyproject.toml with [tool.seeder]).")(fn)
    fn = click.option("--dialect", "-d", help="Dialect of the DDL (postgres, mysql, sqlite); inferred if omitted.")(fn)
    fn = click.argument("source", required=False)(fn)  # none: --describe designs one (seeder.cli_sources)
    return fn


def selection_options(fn: F) -> F:
    """``--only`` / ``--exclude``: seed part of a schema (names or globs, repeatable; also in the config file)."""
    fn = click.option("--exclude", "exclude", multiple=True, metavar="TABLE", expose_value=False,
                      callback=_remember, help="Do not seed TABLE (name or glob; repeatable).")(fn)
    fn = click.option("--only", "only", multiple=True, metavar="TABLE", expose_value=False, callback=_remember,
                      help="Seed only TABLE (name or glob; repeatable); its parents must be seeded too or hold "
                           "rows already.")(fn)
    return fn


def _read(source: str | None, dialect: str | None, config: Config, options: dict[str, Any] | None = None,
          seed: int = DEFAULT_SEED, ways: WayOptions | None = None, *, target: str | None = None) -> api.SchemaSource:
    # target: the dialect the output is for (--to, the --db URL's): sources without a dialect of their own (framework
    # models) are read for it. Source-kind options (--rev) travel in the click context.
    extra = dict(click.get_current_context().meta.get("seeder.source_extra", {}))
    if target:
        extra["target"] = target
    src = read_for_cli(source, config.source_dialect(dialect), config, options or {}, seed, ways, extra)
    for note in src.notes:
        click.echo(f"Note: {note}", err=True)
    if src.dialect_guessed:
        click.echo(f"Note: could not tell the dialect of {source}; reading it as {src.schema.dialect} "
                   f"(use --dialect to choose)", err=True)
    return src


def _plan(schema: Schema, rows: int | None, config: Config, sets: Iterable[str] = (),
          review: LLMSettings | None = None, existing: Any = None) -> Plan:
    """The run's plan with the config's rules and pins and ``--set``, the tables ``--only``/``--exclude`` (or the
    config) choose, and the rows the tables hold already (``existing``); with ``review``, the LLM plan review's
    proposals (one cached call per schema) join the inferred rules."""
    only, exclude = config.table_selection(_remembered("only"), _remembered("exclude"))
    plan = api.build_plan(schema, config.rows_per_table(rows), config.table_rows, rules=config.rules,
                          columns=config.columns, sets=tuple(sets), existing=existing, only=only, exclude=exclude)
    if review is None:
        return plan
    extra = api.review_plan(schema, plan, review)
    if not extra:
        return plan
    return api.build_plan(schema, config.rows_per_table(rows), config.table_rows, rules=config.rules,
                          columns=config.columns, sets=tuple(sets), extra_rules=extra, existing=existing, only=only,
                          exclude=exclude)


def _existing(src: api.SchemaSource, source: str | None) -> Any:
    """The existing rows of a database SOURCE (a context manager), or for a DDL file the rows it INSERTs itself."""
    if src.kind == "database":
        return api.existing_rows(source, src.schema)
    return contextlib.nullcontext(api.inserted_rows(src.schema))


def quiet_option(fn: F) -> F:
    return click.option("--quiet", "-q", is_flag=True,
                        help="No progress display (it is only drawn when stderr is a terminal).")(fn)


@contextlib.contextmanager
def _progress(quiet: bool) -> Iterator[Any]:
    """The progress callback for one phase: a live display on a terminal stderr, else ``None``; the display's
    summary is printed when the phase ends (see seeder.progress)."""
    from seeder.progress import for_terminal

    display = for_terminal(quiet)
    try:
        yield display
    finally:
        if display is not None:
            display.close()


def set_option(fn: F) -> F:
    return click.option("--set", "sets", multiple=True, metavar="TABLE.COLUMN=VALUE",
                        help="Pin a column for this run (repeatable), e.g. --set order.status=paid.")(fn)


def stream_options(fn: F) -> F:
    fn = click.option("--scheduler", metavar="ADDRESS",
                      help="Dask scheduler (tcp://host:8786): chunks run as Dask tasks, each writing a shard "
                           "<table>/part-NNNNN.csv (or .parquet) under the -o folder (--format csv or parquet; "
                           "pip install 'seeder[dask]').")(fn)
    fn = click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True,
                      help="Worker processes generating chunks of big tables (same rows for every value). Pays off "
                           "when rows are costly to make; moving cheap rows between processes costs more than it "
                           "saves (see README, Performance).")(fn)
    return click.option("--chunk-rows", "chunk_rows", type=click.IntRange(min=1), default=None,
                        help=f"Rows generated and written at a time (default {DEFAULT_CHUNK_ROWS:,}): memory stays "
                             "flat whatever the table size, and the rows are the same for every value. Standard "
                             "output is generated whole first unless this is given, so that an error writes "
                             "nothing.")(fn)


def _generate_shown(phases: contextlib.ExitStack, quiet: bool, schema: Any, plan: Any,
                    **options: Any) -> tuple[Any, Any]:
    """``api.generate(schema, plan, **options)`` under a progress display entered on ``phases``; returns the data
    and the display the writing or loading goes on with. A streamed run is generated while it is written or
    loaded: one display serves both and its notes come at the end. A run generated whole ends its display here,
    prints its notes, and the writing or loading gets a display of its own."""
    progress = phases.enter_context(_progress(quiet))
    data = api.generate(schema, plan, progress=progress, **options)
    if not data.streamed:
        phases.close()
        _echo_notes(data.notes)
        progress = phases.enter_context(_progress(quiet))
    return data, progress


def _echo_notes(notes: Iterable[str]) -> None:
    for note in notes:
        click.echo(f"Note: {note}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="seeder")
def cli() -> None:
    """Fill relational databases with realistic, constraint-valid data."""


# ------------------------------------------------------------------------------------------------------- inspect


def _echo_table(t: dict[str, Any]) -> None:
    extra = ""
    if "partition_of" in t:
        extra = f"  [partition of {t['partition_of']}]"
    elif "inherits" in t:
        extra = f"  [inherits {', '.join(t['inherits'])}]"
    if "rows" in t:
        extra += f"  ({t['rows']} rows)"
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


@cli.command()
@source_options
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@handle_errors
def inspect(source: str, dialect: str | None, config_path: str | None, as_json: bool) -> None:
    """Show the tables, columns, keys, foreign keys, cycles and topological order of SOURCE."""
    config = load_config(config_path)
    src = _read(source, dialect, config)
    with _existing(src, source) as existing:
        summary = api.describe_schema(src.schema, existing=existing)
    if as_json:
        click.echo(json.dumps(summary, indent=2))
        return
    fk_count = sum(len(t["foreign_keys"]) for t in summary["tables"])
    held = ""
    if existing is not None:
        held = f", {sum(t['rows'] for t in summary['tables'])} rows"
    click.echo(f"{summary['source']} ({summary['dialect']}): {len(summary['tables'])} tables{held}, {fk_count} "
               f"foreign keys, {len(summary['cycles'])} cycles, {len(summary['self_references'])} self-references")
    for t in summary["tables"]:
        _echo_table(t)
    if summary["cycles"]:
        click.echo("\nCycles:")
        for c in summary["cycles"]:
            click.echo(f"  {' <-> '.join(c)}")
    click.echo(f"\nTopological order: {', '.join(summary['topological_order'])}")


# ---------------------------------------------------------------------------------------------------------- plan


@cli.command("plan")
@source_options
@selection_options
@click.option("--rows", "-n", type=int, help=f"Rows per table (default {DEFAULT_ROWS}).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.option("--seed", "-s", type=int, help=f"Random seed (default {DEFAULT_SEED}); used by the --llm estimate.")
@click.option("--write-config", "write_config", is_flag=False, flag_value="seeder.toml", default=None,
              metavar="[PATH]", help="Write every rule into a config file to review and edit (default seeder.toml; "
                                     "its other settings are kept).")
@set_option
@llm_options
@handle_errors
def plan_cmd(source: str, dialect: str | None, config_path: str | None, rows: int | None, as_json: bool,
             seed: int | None, write_config: str | None, sets: tuple[str, ...], **llm: Any) -> None:
    """Show the insert order, row counts, cycle breaks, limits and the rules that make rows hold together for SOURCE
    (with --llm: the model reviews the rules, and the calls and tokens a run would take).

    On a database URL it also shows the rows each table holds and what a run would append."""
    config = load_config(config_path)
    llm_settings = settings_from_options(config, llm, require_key=False)
    src = _read(source, dialect, config, llm, config.run_seed(seed))
    schema = src.schema
    # the review calls the model: only with a real key or a local server (an estimate needs neither)
    review = llm_settings if llm_settings is not None and (
        llm_settings.secrets() or is_local_url(llm_settings.base_url)) else None
    with _existing(src, source) as existing:
        plan = _plan(schema, rows, config, sets, review, existing)
    if write_config:
        written = api.write_rules_config(plan, write_config)
        click.echo(f"Wrote {written} rules to {write_config}", err=True)
    summary = api.describe_plan(plan, schema)
    facts = source_facts(src)
    if facts:  # how a CSV or description source was read (nothing for a DDL file)
        summary["source"] = facts
    if llm_settings is not None:
        summary["llm_estimate"] = api.estimate_llm(schema, plan, llm_settings, seed=config.run_seed(seed))
    if as_json:
        click.echo(json.dumps(summary, indent=2))
        return
    width = max((len(t["table"]) for t in summary["tables"]), default=5)
    live = existing is not None
    held = f"  {'existing':>8}" if live else ""
    click.echo(f"{'table':<{width}}{held}  {'rows':>8}  note")
    for t in summary["tables"]:
        note = t.get("skipped") or t.get("limit") or t.get("role") or ""
        held = f"  {t['existing']:>8}" if live else ""
        click.echo(f"{t['table']:<{width}}{held}  {t['rows']:>8}  {note}".rstrip())
    for b in summary["cycle_breaks"]:
        click.echo(f"cycle break: {b['table']}({', '.join(b['columns'])}) -> {b['references']}: {b['strategy']}")
    for u in summary["unverified_checks"]:
        click.echo(f"unverified: {u['note']}")
    appended = f" appended to {sum(t['existing'] for t in summary['tables'])} existing rows" if live else ""
    click.echo(f"total: {summary['total_rows']} rows in {len(summary['order'])} tables{appended}")
    echo_source_facts(src)
    _echo_rules(summary)
    if llm_settings is not None:
        echo_estimate(summary["llm_estimate"], llm_settings)


def _echo_rules(summary: dict[str, Any]) -> None:
    """Every rule of the plan, grouped by table: ``id``, the rule in words, why, and where it came from."""
    rules = summary["rules"]
    if not rules and not summary["switched_off"]:
        return
    click.echo(f"\nrules ({len(rules)}; change or switch them off in seeder.toml, see --write-config):")
    by_table: dict[str, list[dict[str, Any]]] = {}
    for r in rules:
        by_table.setdefault(r["table"], []).append(r)
    order = [t for t in summary["order"] if t in by_table] + [t for t in by_table if t not in summary["order"]]
    for table in order:
        click.echo(f"  {table}")
        for r in by_table[table]:
            origin = "" if r["origin"] == "inferred" else f" [{r['origin']}]"
            click.echo(f"    {r['id']}: {r['rule']}  ({r['why']}){origin}")
    for rule_id in summary["switched_off"]:
        click.echo(f"  switched off: {rule_id}")


# ------------------------------------------------------------------------------------------------------ generate


@cli.command()
@source_options
@selection_options
@click.option("--to", "target", help="Dialect to render for (default: the input's dialect).")
@click.option("--rows", "-n", type=int, help=f"Rows per table (default {DEFAULT_ROWS}).")
@click.option("--seed", "-s", type=int, help=f"Random seed (default {DEFAULT_SEED}); same seed, same output.")
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="sql", show_default=True,
              help="sql: INSERT script; copy: psql script of COPY blocks (PostgreSQL); csv: one file per table; "
                   "jsonl: JSON Lines; fixture: Django fixture for manage.py loaddata; parquet: a folder per "
                   "table of Parquet files, one per chunk (pip install 'seeder[parquet]').")
@click.option("-o", "--output", "output", default=STDOUT,
              help="Output file (sql, copy, jsonl) or folder (csv, parquet); - is stdout. Written to a temporary "
                   "file and renamed at the end, so an interrupted run leaves no partial file.")
@click.option("--disable-triggers", is_flag=True, help="Script disables user triggers while loading (PostgreSQL).")
@click.option("--fixture-app", "fixture_app", metavar="LABEL",
              help="--format fixture: Django app label of every model (default: from <app>_<model> table names).")
@quiet_option
@stream_options
@set_option
@way_options
@llm_options
@handle_errors
def generate(source: str, dialect: str | None, config_path: str | None, target: str | None, rows: int | None,
             seed: int | None, fmt: str, output: str, disable_triggers: bool, fixture_app: str | None,
             sets: tuple[str, ...] = (), quiet: bool = False, chunk_rows: int | None = None, jobs: int = 1,
             scheduler: str | None = None, **llm: Any) -> None:
    """Generate rows for every table of SOURCE as a SQL script, CSV files or JSON Lines."""
    if chunk_rows is None and output != STDOUT:
        chunk_rows = DEFAULT_CHUNK_ROWS  # a file is written to a temporary name first: an error leaves nothing
    if fmt in FOLDER_FORMATS and output == STDOUT:
        what = "one file" if fmt == "csv" else "a folder of files"
        raise click.UsageError(f"--format {fmt} writes {what} per table: give a folder with -o")
    if scheduler is not None and fmt not in FOLDER_FORMATS:
        raise click.UsageError("--scheduler writes shards: add --format csv (or parquet) -o FOLDER")
    config = load_config(config_path)
    ways = pop_way_options(llm)
    llm_settings = settings_from_options(config, llm)  # no API key: fail before any work
    run_seed = config.run_seed(seed)
    src = _read(source, dialect, config, llm, run_seed, ways, target=target)
    to = api.check_output(src.schema, fmt, dialect=target, output=None if output == STDOUT else output)
    with contextlib.ExitStack() as phases:
        with _existing(src, source) as existing:  # a database SOURCE: the script appends to the rows it holds
            plan = _plan(src.schema, rows, config, sets, llm_settings, existing)
            llm_content = content_source(llm_settings, run_seed)
            run_schema, content = api.content_for(src, llm_content, allow_copies=ways.allow_copies)
            if scheduler is not None:
                if existing is not None or content is not None:
                    raise click.UsageError("--scheduler runs the local generator on a new database's schema only "
                                           "(not with --llm, a sample, or a database SOURCE)")
                shards = api.write_shards(run_schema, plan, output, scheduler=scheduler, seed=run_seed,
                                          chunk_rows=chunk_rows, format=fmt)
                _echo_notes(shards.notes)
                count = sum(len(f) for f in shards.files.values())
                kind = "CSV" if fmt == "csv" else "Parquet"
                click.echo(f"Wrote {sum(shards.rows.values())} rows in {len(shards.rows)} tables as {count} {kind} "
                           f"shards to {output}", err=True)
                return
            data, progress = _generate_shown(phases, quiet, run_schema, plan, seed=run_seed, content=content,
                                             existing=existing, chunk_rows=chunk_rows, jobs=jobs)
        streamed = data.streamed
        echo_report(llm_content)
        echo_fidelity(data, src)
        options: dict[str, Any] = {"dialect": to, "disable_triggers": disable_triggers,
                                   "header": api.script_header(src, run_seed), "app_label": fixture_app}
        files = None
        if output == STDOUT:
            try:
                api.write_dataset(data, sys.stdout, fmt, progress=progress, **options)
                sys.stdout.flush()
            except KeyboardInterrupt:
                raise Interrupted("interrupted while writing to standard output; the output is incomplete") from None
        else:
            files = api.write_dataset(data, output, fmt, progress=progress, **options)
    if streamed:
        _echo_notes(data.notes)
    if files is None:
        return
    if fmt in FOLDER_FORMATS:
        click.echo(f"Wrote {len(files)} {'CSV' if fmt == 'csv' else 'Parquet'} files to {output}", err=True)
        return
    click.echo(f"Wrote {data.stats.get('rows', 0)} rows in {len(data.plan.order)} tables to {output}", err=True)


# ---------------------------------------------------------------------------------------------------------- load


@cli.command()
@source_options
@selection_options
@click.option("--db", "url", help="SQLAlchemy URL to load into, e.g. sqlite:///dev.db, postgresql+psycopg://...; "
                                  "default: SOURCE itself when it is a database URL (seeding in place).")
@click.option("--rows", "-n", type=int, help=f"Rows per table (default {DEFAULT_ROWS}).")
@click.option("--seed", "-s", type=int, help=f"Random seed (default {DEFAULT_SEED}).")
@click.option("--create-schema", is_flag=True, help="Run the DDL first (for an empty database).")
@click.option("--disable-triggers", is_flag=True, help="Load with user triggers off (they are restored after).")
@click.option("--method", type=click.Choice(list(LOAD_METHODS)), default="auto", show_default=True,
              help="auto: COPY into PostgreSQL (psycopg), INSERT elsewhere; insert: multi-row INSERTs (every "
                   "database); copy: COPY FROM STDIN (PostgreSQL).")
@click.option("--bulk", is_flag=True, help="PostgreSQL: drop the tables' secondary indexes and FK/UNIQUE/CHECK "
                                           "constraints for the load and re-create them before COMMIT (the database "
                                           "still checks every row, once, at the end).")
@click.option("--truncate", is_flag=True, help="Empty the planned tables first, in the same transaction (identity "
                                               "and sequences restarted); asks for confirmation.")
@click.option("--cascade", is_flag=True, help="With --truncate: also empty the tables that reference them.")
@click.option("--yes", "-y", is_flag=True, help="Do not ask before --truncate empties tables.")
@quiet_option
@stream_options
@set_option
@way_options
@llm_options
@handle_errors
def load(source: str, dialect: str | None, config_path: str | None, url: str | None, rows: int | None,
         seed: int | None, create_schema: bool, disable_triggers: bool, method: str = "auto", bulk: bool = False,
         truncate: bool = False, cascade: bool = False, yes: bool = False, sets: tuple[str, ...] = (),
         quiet: bool = False, chunk_rows: int | None = None, jobs: int = 1, scheduler: str | None = None,
         **llm: Any) -> None:
    """Generate rows for SOURCE and load them into the database at --db (SOURCE itself when it is a database URL),
    in one transaction. Rows already there stay: new keys never collide with them, and new rows may reference them."""
    if cascade and not truncate:
        raise click.UsageError("--cascade only applies with --truncate")
    if scheduler is not None:
        raise click.UsageError("--scheduler writes shards: use seeder generate --format csv -o FOLDER --scheduler, "
                               "then the database's bulk path")
    chunk_rows = chunk_rows or DEFAULT_CHUNK_ROWS  # the load is one transaction: an error leaves nothing
    config = load_config(config_path)
    ways = pop_way_options(llm)
    llm_settings = settings_from_options(config, llm)  # no API key: fail before any work
    run_seed = config.run_seed(seed)
    if url is not None:
        api.check_load(url, method=method, bulk=bulk)
    src = _read(source, dialect, config, llm, run_seed, ways,
                target=api.database_dialect(url) if url is not None else None)
    if url is None and src.kind != "database":
        raise click.UsageError("Missing option '--db' (the database to load into; a database URL as SOURCE is "
                               "seeded in place)")
    target = api.load_target(source, src, url)
    # Refuse what cannot be loaded there before connecting (existing rows do not change that). A selection whose
    # left-out parents may hold rows is judged with the rows, below.
    try:
        before_rows = _plan(src.schema, rows, config, sets)
    except ConfigError:
        if not any(config.table_selection(_remembered("only"), _remembered("exclude"))):
            raise
        before_rows = None
    api.check_load(target, method=method, schema=src.schema, plan=before_rows, bulk=bulk)
    truncation = None
    # With --create-schema the tables hold only the rows the DDL file inserts itself.
    rows_there = (contextlib.nullcontext(api.inserted_rows(src.schema)) if create_schema
                  else api.existing_rows(target, src.schema))
    with contextlib.ExitStack() as phases:
        with rows_there as existing:
            plan = _plan(src.schema, rows, config, sets, llm_settings, existing)
            if truncate:
                truncation = api.truncation(src.schema, plan, cascade=cascade)
                _confirm_truncation(target, truncation.tables, yes)
                existing = api.without_tables(existing, truncation.tables)
                plan = _plan(src.schema, rows, config, sets, llm_settings, existing)
            llm_content = content_source(llm_settings, run_seed)
            run_schema, content = api.content_for(src, llm_content, allow_copies=ways.allow_copies)
            data, progress = _generate_shown(phases, quiet, run_schema, plan, seed=run_seed, content=content,
                                             existing=existing, chunk_rows=chunk_rows, jobs=jobs)
        streamed = data.streamed
        echo_report(llm_content)
        echo_fidelity(data, src)
        report = api.load(data, target, create_schema=api.creation_ddl(src, target) if create_schema else None,
                          disable_triggers=disable_triggers, method=method,
                          echo=progress.echo if progress else lambda msg: click.echo(msg, err=True),
                          truncate=truncation, progress=progress, bulk=bulk)
    if streamed:
        _echo_notes(data.notes)
    total = sum(report.tables.values())
    click.echo(f"Loaded {total} rows into {len(report.tables)} tables in {report.seconds:.2f}s ({report.url})")
    if report.regenerated:
        click.echo(f"Regenerated {len(report.regenerated)} rows the database refused at first (see above)", err=True)


def _stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def _confirm_truncation(target: str, tables: Iterable[Any], yes: bool) -> None:
    """Ask before emptying tables (``--yes`` skips the question; no terminal and no ``--yes`` is an error)."""
    from seeder.dialects import mask_password

    names = [str(t) for t in tables]
    shown = ", ".join(names[:12]) + (f" and {len(names) - 12} more" if len(names) > 12 else "")
    where = mask_password(target)
    if yes:
        return
    if not _stdin_is_terminal():
        raise ConfigError(f"--truncate would empty {len(names)} tables of {where} ({shown}); there is no "
                          "terminal to confirm on: add --yes")
    if not click.confirm(f"Empty {len(names)} tables of {where} ({shown}) before loading?", default=False,
                         err=True):
        raise ConfigError("not confirmed: nothing was changed")


# ----------------------------------------------------------------------------------------------------------- ddl


class _TargetDialectOption(click.Option):
    """``--to`` of ``seeder ddl``: its help lists the registry's dialects, read only when the help is shown."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        from seeder.dialects import dialect_names

        self.help = f"Dialect to write the DDL in ({', '.join(dialect_names())})."
        return super().get_help_record(ctx)


@cli.command("ddl")
@source_options
@click.option("--to", "target", required=True, cls=_TargetDialectOption)
@click.option("-o", "--output", "output", default=STDOUT, help="Output file; - is stdout.")
@handle_errors
def ddl_command(source: str, dialect: str | None, config_path: str | None, target: str, output: str) -> None:
    """Write the schema of SOURCE as DDL for another dialect (--to): CREATE TABLEs, keys, CHECKs, then FKs.

    What cannot be carried over (partitions, non-portable defaults, CHECKs sqlglot cannot transpile) is left out
    and listed as notes on stderr and in the script's header.
    """
    config = load_config(config_path)
    to = api.target_dialect(target)  # validate before reading
    src = _read(source, dialect, config, target=to)
    script = api.render_ddl(src.schema, to, header={"source": src.origin})
    _echo_notes(script.notes)
    if output == STDOUT:
        click.echo(script.text, nl=False)
        return
    api.write_ddl(script, output)
    click.echo(f"Wrote {script.dialect} DDL for {script.tables} tables to {output}", err=True)


# --------------------------------------------------------------------------------------------------------- graph


@cli.command("graph")
@source_options
@click.option("--format", "fmt", type=click.Choice(["mermaid", "dot"]), default="mermaid", show_default=True,
              help="mermaid: a flowchart for Markdown; dot: Graphviz.")
@click.option("-o", "--output", "output", default=STDOUT, help="Output file; - is stdout.")
@handle_errors
def graph_command(source: str, dialect: str | None, config_path: str | None, fmt: str, output: str) -> None:
    """Draw the foreign-key graph of SOURCE (cycle edges and the chosen cycle breaks marked) as Mermaid or DOT."""
    config = load_config(config_path)
    schema = _read(source, dialect, config).schema
    text = api.fk_graph(schema, api.build_plan(schema, 0), fmt)
    if output == STDOUT:
        click.echo(text, nl=False)
        return
    api.write_text(text, output)
    click.echo(f"Wrote the {fmt} graph of {len(schema.tables)} tables to {output}", err=True)


from seeder.cli_serve import serve_command  # noqa: E402  (these modules use this one's helpers)
from seeder.cli_ways import design_command, preview_command  # noqa: E402

cli.add_command(design_command)
cli.add_command(preview_command)
cli.add_command(serve_command)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="seeder")


if __name__ == "__main__":  # pragma: no cover
    main()
