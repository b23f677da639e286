"""``seeder ddl``: render a schema as DDL for another dialect (see :mod:`seeder.sinks.ddl`).

Typical use: a T-SQL, Oracle or DB2 schema with no such engine at hand is created on PostgreSQL, then filled with
``seeder generate FILE --to postgres``::

    seeder ddl oracle_hr.sql --to postgres -o schema.sql
    psql -v ON_ERROR_STOP=1 --single-transaction -f schema.sql
    seeder generate oracle_hr.sql --to postgres -o data.sql
"""

from __future__ import annotations

from pathlib import Path

import click

from seeder.cli import _read, handle_errors, source_options
from seeder.config import load_config
from seeder.dialects import dialect_names, get_dialect
from seeder.errors import ConfigError
from seeder.sinks.ddl import render_ddl


@click.command("ddl")
@source_options
@click.option("--to", "target", required=True,
              help=f"Dialect to write the DDL in ({', '.join(dialect_names())}).")
@click.option("-o", "--output", "output", default="-", help="Output file; - is stdout.")
@handle_errors
def ddl_command(source: str, dialect: str | None, config_path: str | None, target: str, output: str) -> None:
    """Write the schema of SOURCE as DDL for another dialect (--to): CREATE TABLEs, keys, CHECKs, then FKs.

    What cannot be carried over (partitions, non-portable defaults, CHECKs sqlglot cannot transpile) is left out
    and listed as notes on stderr and in the script's header.
    """
    config = load_config(config_path)
    to = get_dialect(target).name  # validate before reading
    src = _read(source, dialect, config, target=to)
    script = render_ddl(src.schema, to, header={"source": src.origin})
    for note in script.notes:
        click.echo(f"Note: {note}", err=True)
    if output == "-":
        click.echo(script.text, nl=False)
        return
    path = Path(output)
    if path.is_dir():
        raise ConfigError(f"-o {output} is a directory: give a file name such as {path / 'schema.sql'}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(script.text, encoding="utf-8", newline="\n")
    click.echo(f"Wrote {to} DDL for {script.tables} tables to {output}", err=True)
