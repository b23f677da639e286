"""``seeder design`` (a schema from words) and ``seeder preview`` (the first rows of every table, on the terminal)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from seeder.cli import _plan, _read, handle_errors, source_options
from seeder.cli_sources import echo_fidelity, pop_way_options, read_for_cli, way_options
from seeder.config import load_config
from seeder.errors import ConfigError
from seeder.lazy import lazy_module
from seeder.llm.cli_options import content_source, echo_report, llm_options, settings_from_options

if TYPE_CHECKING:
    from seeder import api
else:
    api = lazy_module("seeder.api")  # imported on first use (see seeder.lazy)

#: Characters of a cell shown by ``seeder preview``.
PREVIEW_CHARS = 40

@click.command("design")
@click.argument("description")
@click.option("--to", "target", default="postgres", show_default=True, help="Dialect of the DDL to write.")
@click.option("-o", "--output", "output", default="-", help="Output file; - is stdout. Nothing is written unless "
                                                              "the design is valid.")
@click.option("--seed", "-s", type=int, help="Seed (part of the response cache key; default 0).")
@click.option("--model", help="Model name (Azure: deployment name). Default gpt-4o-mini.")
@click.option("--llm-base-url", help="OpenAI-compatible server URL (default: $OPENAI_BASE_URL, else api.openai.com).")
@click.option("--no-cache", is_flag=True, default=None, help="Ignore and do not write the response cache.")
@click.option("--cache-dir", help="Response cache folder (default .seeder-cache/llm).")
@click.option("--llm-timeout", type=float, help="Seconds to wait for one answer (default 60).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Config file.")
@handle_errors
def design_command(description: str, target: str, output: str, seed: int | None, config_path: str | None,
                   **options: Any) -> None:
    """Design a schema for DESCRIPTION (words, or a .txt/.md file) with a language model and write it as DDL.

    The model's design is read back, planned and tried; a design with problems is sent back once with them, and
    one that still fails is an error: nothing is written. Rules the description states become CHECKs when one
    row can show them, else comments (context for --llm content); both are listed on stderr.
    """
    from seeder.readers import description_source

    config = load_config(config_path)
    to = api.target_dialect(target)
    if output != "-" and Path(output).is_dir():
        raise ConfigError(f"-o {output} is a directory; give a file name such as {Path(output) / 'schema.sql'}")
    is_file = description_source.claims(description) and Path(description).is_file()
    src = read_for_cli(description if is_file else description_source.PREFIX + description, None, config, options,
                       config.run_seed(seed))
    words = " ".join(description.split())
    script = api.render_ddl(src.schema, to, header={"designed from": words[:200] + ("..." if len(words) > 200 else "")})
    for note in (*src.notes, *script.notes):
        click.echo(f"Note: {note}", err=True)
    for rule in src.rules:
        click.echo(f"Rule: {rule.line()}", err=True)
    if output == "-":
        click.echo(script.text, nl=False)
        return
    api.write_ddl(script, output)
    click.echo(f"Wrote {to} DDL for {script.tables} tables to {output}", err=True)


# --------------------------------------------------------------------------------------------------- preview


def _cell(value: Any) -> Any:
    from rich.text import Text

    if value is None:
        return Text("NULL", style="dim")
    text = value if isinstance(value, str) else str(value)
    text = text.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")
    if len(text) > PREVIEW_CHARS:
        text = text[: PREVIEW_CHARS - 1] + "…"
    return Text(text)


def preview_tables(data: Any, names: tuple[str, ...]) -> list[Any]:
    """The tables to show: every table of ``data``, or those called ``names`` (``table`` or ``schema.table``).

    Raises:
        ConfigError: a name that is no table of the schema (the closest one is suggested).
    """
    import difflib

    if not names:
        return list(data.tables)
    by_name: dict[str, Any] = {}
    for td in data.tables:
        by_name.setdefault(str(td.table.name), td)
        by_name.setdefault(td.table.name.name, td)
    chosen = []
    for name in names:
        if name not in by_name:
            close = difflib.get_close_matches(name, list(by_name), n=1)
            raise ConfigError(f"no table {name!r}" + (f"; did you mean {close[0]!r}?" if close else ""))
        if by_name[name] not in chosen:
            chosen.append(by_name[name])
    return chosen


def render_preview(data: Any, names: tuple[str, ...], rows: int, *, file: Any = None,
                   width: int | None = None) -> None:
    """Print the first ``rows`` rows of each chosen table as an aligned table (rich) to ``file`` (stdout)."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(file=file or sys.stdout, width=width, highlight=False, soft_wrap=False)
    for td in preview_tables(data, names):
        shown = min(rows, td.row_count)
        console.print(Text(f"{td.table.name} ({shown} of {td.row_count} rows)", style="bold"))
        table = Table()
        for name in td.columns:
            table.add_column(Text(name), overflow="fold")
        for row in td.rows(0, shown):
            table.add_row(*[_cell(v) for v in row])
        console.print(table)


@click.command("preview")
@source_options
@click.option("--rows", "-n", type=int, default=5, show_default=True,
              help="Rows per table: generated exactly as `seeder generate --rows N` would, and shown.")
@click.option("--seed", "-s", type=int, help="Random seed (default 0), as for generate.")
@click.option("--table", "-t", "tables", multiple=True, help="Show only this table (repeatable).")
@click.option("--width", type=int, help="Width to lay the tables out for (default: the terminal's).")
@way_options
@llm_options
@handle_errors
def preview_command(source: str | None, dialect: str | None, config_path: str | None, rows: int, seed: int | None,
                    tables: tuple[str, ...], width: int | None, **options: Any) -> None:
    """Show the first rows of every table of SOURCE before anything is written or loaded (same engine and seed as
    generate)."""
    config = load_config(config_path)
    ways = pop_way_options(options)
    llm_settings = settings_from_options(config, options)
    run_seed = config.run_seed(seed)
    src = _read(source, dialect, config, options, run_seed, ways)
    plan = _plan(src.schema, rows, config)
    llm = content_source(llm_settings, run_seed)
    run_schema, content = api.content_for(src, llm, allow_copies=ways.allow_copies)
    data = api.generate(run_schema, plan, seed=run_seed, content=content)
    for note in data.notes:
        click.echo(f"Note: {note}", err=True)
    echo_report(llm)
    render_preview(data, tables, rows, width=width)
    echo_fidelity(data, src)
