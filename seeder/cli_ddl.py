"""``seeder ddl``: render a schema as DDL for another dialect (see :mod:`seeder.sinks.ddl`).

Typical use: a T-SQL, Oracle or DB2 schema with no such engine at hand is created on PostgreSQL, then filled with
``seeder generate FILE --to postgres``::

    seeder ddl oracle_hr.sql --to postgres -o schema.sql
    psql -v ON_ERROR_STOP=1 --single-transaction -f schema.sql
    seeder generate oracle_hr.sql --to postgres -o data.sql
"""

from __future__ import annotations

import click

from seeder import api
from seeder.cli import STDOUT, _echo_notes, _read, handle_errors, source_options
from seeder.config import load_config


@click.command("ddl")
@source_options
@click.option("--to", "target", required=True,
              help=f"Dialect to write the DDL in ({', '.join(api.dialect_names())}).")
@click.option("-o", "--output", "output", default=STDOUT, help="Output file; - is stdout.")
@handle_errors
def ddl_command(source: str, dialect: str | None, config_path: str | None, target: str, output: str) -> None:
    """Write the schema of SOURCE as DDL for another dialect (--to): CREATE TABLEs, keys, CHECKs, then FKs.

    What cannot be carried over (partitions, non-portable defaults, CHECKs sqlglot cannot transpile) is left out
    and listed as notes on stderr and in the script's header.
    """
    config = load_config(config_path)
    to = api.target_dialect(target)  # validate before reading
    src = _read(source, dialect, config)
    script = api.render_ddl(src.schema, to, header={"source": src.origin})
    _echo_notes(script.notes)
    if output == STDOUT:
        click.echo(script.text, nl=False)
        return
    api.write_ddl(script, output)
    click.echo(f"Wrote {script.dialect} DDL for {script.tables} tables to {output}", err=True)
