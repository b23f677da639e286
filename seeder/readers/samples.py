"""Samples of existing rows, to learn profiles from (``--like-existing``): CSV files, or a database.

Both give, per table of the schema, a list of rows as ``{column: Python value}`` in the types of
:mod:`seeder.dataset`, so :func:`seeder.profiles.learn.profile_table` treats them alike.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from seeder.errors import SchemaReadError
from seeder.profiles.scalar import value_type
from seeder.readers.csv_values import cell
from seeder.schema import Schema, Table, TableName

#: Rows sampled per table by default.
SAMPLE_ROWS = 1000
#: Bytes read to guess a CSV file's delimiter.
SNIFF_BYTES = 64 * 1024

Rows = list[dict[str, Any]]


def read_csv_file(path: Path) -> tuple[list[str], list[list[str]]]:
    """The header and the data rows of a CSV file (UTF-8, optional BOM); the delimiter is sniffed among ``,;\\t|``.

    Raises:
        SchemaReadError: the file cannot be read, is not UTF-8, is empty, has no header, a duplicate or empty column
            name, or a row with more cells than the header (with its line).
    """
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            head = f.read(SNIFF_BYTES)
            f.seek(0)
            try:
                dialect: Any = csv.Sniffer().sniff(head, delimiters=",;\t|")
            except csv.Error:
                dialect = csv.excel
            reader = csv.reader(f, dialect)
            rows = [r for r in reader if r]
    except UnicodeDecodeError:
        raise SchemaReadError("not a UTF-8 text file", path=str(path)) from None
    except csv.Error as err:
        raise SchemaReadError(f"not a readable CSV file: {err}", path=str(path)) from None
    except OSError as err:
        raise SchemaReadError(f"cannot read: {err.strerror or err}", path=str(path)) from None
    if not rows:
        raise SchemaReadError("the CSV file is empty", path=str(path))
    header = [h.strip() for h in rows[0]]
    if any(not h for h in header):
        raise SchemaReadError("the header has an empty column name", path=str(path), line=1)
    duplicates = sorted({h for h in header if header.count(h) > 1})
    if duplicates:
        raise SchemaReadError(f"the header names column {duplicates[0]!r} twice", path=str(path), line=1)
    for number, row in enumerate(rows[1:], start=2):
        if len(row) > len(header):
            raise SchemaReadError(f"{len(row)} cells but the header has {len(header)} columns", path=str(path),
                                  line=number)
    data = [r + [""] * (len(header) - len(r)) for r in rows[1:]]
    return header, data


def _typed_rows(table: Table, header: list[str], data: list[list[str]], path: Path) -> Rows:
    known = {c.name.lower(): c for c in table.columns}
    columns = [(i, known[h.lower()]) for i, h in enumerate(header) if h.lower() in known]
    out = []
    for number, row in enumerate(data, start=2):
        typed: dict[str, Any] = {}
        for i, col in columns:
            try:
                typed[col.name] = cell(row[i], value_type(col.type))
            except ValueError:
                raise SchemaReadError(f"column {col.name}: {row[i]!r} is not a {col.type.sql}", path=str(path),
                                      line=number) from None
        out.append(typed)
    return out


def csv_sample(schema: Schema, source: str | Path) -> dict[TableName, Rows]:
    """Rows per table from CSV files: a folder holding ``<table>.csv`` files (names compared without case), or one
    ``.csv`` file for a one-table schema or named like a table. Tables without a file are not sampled; CSV columns
    the table does not have are ignored.

    Raises:
        SchemaReadError: the path does not exist, no file matches a table, or a cell does not fit its column's type.
    """
    path = Path(source)
    if path.is_dir():
        files = {p.stem.lower(): p for p in sorted(path.glob("*.csv"))}
    elif path.is_file():
        only = schema.tables[0].name.name.lower() if len(schema.tables) == 1 else path.stem.lower()
        files = {only: path}
    else:
        raise SchemaReadError("sample not found (give a folder of CSV files, a CSV file or a database URL)",
                              path=str(path))
    out: dict[TableName, Rows] = {}
    for table in schema.tables:
        file = files.get(table.name.name.lower())
        if file is None:
            continue
        header, data = read_csv_file(file)
        out[table.name] = _typed_rows(table, header, data, file)
    if not out:
        raise SchemaReadError(f"no CSV file is named like a table of the schema ({', '.join(sorted(files)) or 'none'})",
                              path=str(path))
    return out


def _from_driver(value: Any, vtype: str) -> Any:
    """Driver values in dataset types: SQLite hands dates, times and decimals back as text or floats."""
    if value is None:
        return None
    if isinstance(value, str) and vtype not in ("str", "other"):
        try:
            return cell(value, vtype)
        except ValueError:
            return value
    if vtype == "decimal" and isinstance(value, (int, float)):
        return Decimal(str(value))
    if vtype == "bool" and isinstance(value, int):
        return bool(value)
    return value


def database_sample(db: Any, schema: Schema, *, limit: int = SAMPLE_ROWS) -> dict[TableName, Rows]:
    """Up to ``limit`` rows per table of ``schema`` from a database: one ``SELECT columns FROM table LIMIT n`` per
    table (SQLAlchemy Core), in one read-only use of a connection.

    Args:
        db: a SQLAlchemy URL string, ``Engine`` or ``Connection``.
        schema: the tables and columns to sample (tables or columns the database lacks are an error).
        limit: rows per table.

    Raises:
        SchemaReadError: the database cannot be reached or a table cannot be read (password masked).
    """
    import sqlalchemy as sa

    engine = sa.create_engine(db) if isinstance(db, str) else db
    out: dict[TableName, Rows] = {}
    try:
        with (engine.connect() if hasattr(engine, "connect") else engine) as conn:
            for table in schema.tables:
                cols = [c for c in table.columns if not c.generated]
                query = sa.select(*[sa.column(c.name) for c in cols]).select_from(
                    sa.table(table.name.name, schema=table.name.schema)).limit(limit)
                rows = conn.execute(query).all()
                types = [value_type(c.type) for c in cols]
                out[table.name] = [{c.name: _from_driver(v, t) for c, v, t in zip(cols, row, types, strict=True)}
                                   for row in rows]
    except sa.exc.SQLAlchemyError as err:
        where = engine.url.render_as_string(hide_password=True) if hasattr(engine, "url") else "the database"
        reason = " ".join(str(getattr(err, "orig", None) or err).split())[:200]
        raise SchemaReadError(f"cannot sample {where}: {reason}") from None
    return out


def sample_rows(schema: Schema, sample: Any) -> dict[TableName, Rows]:
    """Rows from ``sample``: a database URL (``scheme://...``) or SQLAlchemy engine, else CSV file(s) at a path."""
    if not isinstance(sample, (str, Path)) or "://" in str(sample):
        return database_sample(sample, schema)
    return csv_sample(schema, sample)


def learn(schema: Schema, rows: Mapping[TableName, Rows]) -> dict[TableName, Any]:
    """Profiles of every sampled table (see :func:`seeder.profiles.learn.profile_table`)."""
    from seeder.profiles.learn import profile_table

    return {t.name: profile_table(t, rows[t.name]) for t in schema.tables if rows.get(t.name)}
