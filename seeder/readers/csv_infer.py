"""Infer a schema from CSV files: one table per file, with types, NOT NULL, keys, value lists, ranges and the
foreign keys that shared column names and values suggest.

The inference is written out as PostgreSQL DDL and read back with the DDL reader, so a CSV source becomes the same
schema model (and the same ``--create-schema`` DDL) as a hand-written one. What is inferred, per column:

* the type: the narrowest of boolean, integer, numeric(p, s), double precision, date, timestamp, timestamptz,
  time, varchar(n) every non-empty cell parses as (:mod:`seeder.readers.csv_values`);
* NOT NULL when no cell is empty;
* the primary key: a column called ``id`` or ``<table>_id`` (singular or plural), else the first column, when its
  values are distinct and never empty; else the first two columns when their pairs are (a link table);
* UNIQUE for other columns whose values are distinct and never empty, with at least :data:`UNIQUE_MIN_ROWS` rows,
  when they identify rather than measure: integers numbering a dense range, strings without spaces (an e-mail or
  code column; names with spaces repeat in real data);
* a value list (``CHECK (col IN (...))``) for string columns with few, repeated values, and a range
  (``CHECK (col BETWEEN min AND max)``) for other numbers, dates and times: generated values stay within what the
  CSV shows;
* a foreign key ``orders.customer_id -> customers(customer_id | id)`` when the names match (same name as the other
  table's key, or ``<other table>_id`` for a key called ``id``) and every value is one of the key's values.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlglot import exp

from seeder.profiles.learn import is_categorical
from seeder.readers.csv_values import cell, infer_value_type
from seeder.schema import ColumnType
from seeder.types import integer_range

#: Fewest rows before a column of distinct values is declared UNIQUE.
UNIQUE_MIN_ROWS = 10
_INTEGER_TOP = integer_range(ColumnType("integer", "integer"))[1]
_VARCHAR_STEPS = (10, 20, 50, 100, 255, 1000)


@dataclass
class CsvColumn:
    """One inferred column: ``values`` are the typed cells (``None`` for empty ones)."""

    name: str
    vtype: str
    values: list[Any]
    unique: bool = False
    categorical: bool = False

    @property
    def present(self) -> list[Any]:
        return [v for v in self.values if v is not None]

    @property
    def nullable(self) -> bool:
        return len(self.present) < len(self.values) or not self.values


@dataclass
class CsvTable:
    """One inferred table (one file)."""

    name: str
    path: Path
    columns: list[CsvColumn]
    primary_key: tuple[str, ...] = ()
    foreign_keys: list[tuple[str, str, str]] = field(default_factory=list)  # (column, table, ref column)

    def column(self, name: str) -> CsvColumn:
        return next(c for c in self.columns if c.name == name)

    @property
    def rows(self) -> list[dict[str, Any]]:
        n = len(self.columns[0].values) if self.columns else 0
        return [{c.name: c.values[i] for c in self.columns} for i in range(n)]


def table_name(path: Path) -> str:
    """A table name from a file name: lower case, runs of other characters than letters and digits as ``_``."""
    name = re.sub(r"[^0-9a-zA-Z]+", "_", path.stem).strip("_").lower()
    return name or "data"


def _singular(name: str) -> str:
    if name.endswith("ies"):
        return name[:-3] + "y"
    if name.endswith("ses") or name.endswith("xes"):
        return name[:-2]
    return name[:-1] if name.endswith("s") else name


def _identifier_like(values: list[Any], vtype: str) -> bool:
    """Values that identify rather than measure: integers numbering a dense range (not random measurements that
    happen to differ), or strings without spaces (codes, e-mails; names with spaces repeat in real data)."""
    if vtype == "int":
        return max(values) - min(values) < 2 * len(values)
    return vtype == "str" and not any(any(ch.isspace() for ch in v) for v in values)


def infer_table(name: str, path: Path, header: list[str], data: list[list[str]]) -> CsvTable:
    """Types, NOT NULL, categories, uniqueness and the primary key of one file's columns."""
    columns = []
    for i, col_name in enumerate(header):
        cells = [row[i] for row in data]
        vtype = infer_value_type(cells)
        values = [cell(c, vtype) for c in cells]
        column = CsvColumn(name=col_name, vtype=vtype, values=values)
        present = column.present
        column.categorical = is_categorical(present, vtype)
        column.unique = (not column.nullable and len(present) >= UNIQUE_MIN_ROWS
                         and len(set(present)) == len(present) and _identifier_like(present, vtype))
        columns.append(column)
    table = CsvTable(name=name, path=path, columns=columns)
    candidates = ["id", f"{name}_id", f"{_singular(name)}_id"]
    for cand in [c for c in candidates if c in header] + header[:1]:
        if _is_key(table, [cand]):
            table.primary_key = (cand,)
            break
    else:
        if len(header) >= 2 and _is_key(table, header[:2]):  # a link table: (a_id, b_id)
            table.primary_key = tuple(header[:2])
    return table


def _is_key(table: CsvTable, names: list[str]) -> bool:
    """Whether the columns ``names`` hold integers or strings, never empty, distinct together."""
    cols = [table.column(n) for n in names]
    if not cols[0].values or any(c.vtype not in ("int", "str") or c.nullable for c in cols):
        return False
    keys = list(zip(*(c.values for c in cols), strict=True))
    return len(set(keys)) == len(keys)


def propose_foreign_keys(tables: list[CsvTable]) -> None:
    """Add to each table the foreign keys shared names and contained values suggest (see the module docstring)."""
    for table in tables:
        for col in table.columns:
            if table.primary_key == (col.name,):
                continue
            for other in tables:
                if other is table or len(other.primary_key) != 1:
                    continue
                key = other.primary_key[0]
                names = {key} if key != "id" else {f"{other.name}_id", f"{_singular(other.name)}_id"}
                if col.name not in names:
                    continue
                ref = other.column(key)
                if ref.vtype != col.vtype or not set(col.present) <= set(ref.present) or not col.present:
                    continue
                table.foreign_keys.append((col.name, other.name, key))
                break


def _sql_type(col: CsvColumn) -> str:
    present = col.present
    if col.vtype == "int":
        return "bigint" if present and max(abs(v) for v in present) > _INTEGER_TOP else "integer"
    if col.vtype == "decimal":
        scale = max((-v.as_tuple().exponent for v in present if isinstance(v.as_tuple().exponent, int)), default=0)
        digits = max((len(str(abs(int(v)))) for v in present), default=1)
        return f"numeric({min(digits + scale + 2, 38)},{scale})"
    simple = {"float": "double precision", "bool": "boolean", "date": "date", "datetime": "timestamp",
              "datetimetz": "timestamptz", "time": "time"}
    if col.vtype in simple:
        return simple[col.vtype]
    longest = max((len(v) for v in present), default=1)
    for step in _VARCHAR_STEPS:
        if longest <= step:
            return f"varchar({step})"
    return "text"


def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    if isinstance(value, dt.datetime):
        text = value.isoformat(sep=" ")
    elif isinstance(value, (dt.date, dt.time)):
        text = value.isoformat()
    else:
        text = str(value)
    return exp.Literal.string(text).sql("postgres")


def _ident(name: str) -> str:
    return exp.to_identifier(name, quoted=True).sql("postgres")


def _checks(table: CsvTable, col: CsvColumn, keyed: set[str]) -> list[str]:
    present = col.present
    if col.name in keyed or not present or col.vtype == "bool":
        return []
    if col.vtype == "str":
        if not col.categorical:
            return []
        values = ", ".join(_literal(v) for v in sorted(set(present)))
        return [f"CONSTRAINT {_ident(f'{table.name}_{col.name}_values')} CHECK ({_ident(col.name)} IN ({values}))"]
    low, high = min(present), max(present)
    return [f"CONSTRAINT {_ident(f'{table.name}_{col.name}_range')} CHECK ({_ident(col.name)} BETWEEN "
            f"{_literal(low)} AND {_literal(high)})"]


def ddl(tables: list[CsvTable]) -> str:
    """PostgreSQL DDL for the inferred tables: CREATE TABLEs with keys and CHECKs, then the foreign keys."""
    statements = []
    for table in tables:
        keyed = set(table.primary_key) | {fk[0] for fk in table.foreign_keys}
        lines = []
        for col in table.columns:
            lines.append(f"{_ident(col.name)} {_sql_type(col)}{'' if col.nullable else ' NOT NULL'}")
        if table.primary_key:
            lines.append(f"PRIMARY KEY ({', '.join(_ident(c) for c in table.primary_key)})")
        for col in table.columns:
            if col.unique and (col.name,) != table.primary_key:
                lines.append(f"UNIQUE ({_ident(col.name)})")
            lines += _checks(table, col, keyed)
        body = ",\n  ".join(lines)
        statements.append(f"CREATE TABLE {_ident(table.name)} (\n  {body}\n);")
    for table in tables:
        for column, ref_table, ref_column in table.foreign_keys:
            statements.append(f"ALTER TABLE {_ident(table.name)} ADD FOREIGN KEY ({_ident(column)}) "
                              f"REFERENCES {_ident(ref_table)} ({_ident(ref_column)});")
    return "\n\n".join(statements) + "\n"
