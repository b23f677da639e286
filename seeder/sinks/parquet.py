"""Parquet sink (``--format parquet``, ``pip install 'seeder[parquet]'``): one folder per table, one file per chunk.

Layout: ``DIR/<schema.>table/part-00000.parquet``, ``part-00001.parquet``, ... in the order of
:meth:`seeder.dataset.Dataset.stream` (a table that comes in several chunks gets several files; a table without rows
gets one file with its schema and no rows). Each folder is a Parquet dataset that pyarrow, DuckDB, Spark, Dask or
pandas read as one table (``pyarrow.parquet.read_table("DIR/film")``), and a database loads through its own bulk
path (DuckDB ``COPY film FROM 'DIR/film/*.parquet'``, Spark/Dask jobs). The files of one run are byte-identical for
the same seed and pyarrow version (no timestamps are written).

Column types (Apache Arrow types, https://arrow.apache.org/docs/python/api/datatypes.html):

=============================  ======================================================================
column kind                    Arrow type
=============================  ======================================================================
integers                       the narrowest of ``int16``/``int32``/``int64``/``uint64`` holding the type's range in
                               the schema's dialect (:func:`seeder.types.integer_range`; SQLite INTEGER: ``int64``)
decimal(p, s), p <= 38         ``decimal128(p, s)``; decimals without precision, money: ``string``
float / double                 ``float32`` / ``float64``
boolean                        ``bool``
date / time                    ``date32`` / ``time64[us]``
timestamp / timestamptz        ``timestamp[us]`` / ``timestamp[us, tz=UTC]`` (naive values are UTC)
interval                       ``duration[us]``
bytes                          ``binary``
everything else                ``string``: UUIDs canonical, JSON documents and arrays as JSON text,
                               the other kinds as the CSV sink writes them
=============================  ======================================================================

Text follows the NUL policy of :mod:`seeder.sinks.literals` (``NUL_POLICY``): U+0000 is removed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from seeder import types
from seeder.dataset import Dataset, TableData
from seeder.errors import ConfigError
from seeder.schema import ColumnType
from seeder.sinks.columns import column_texts
from seeder.sinks.csv import column_formatter, table_file_names, value_text
from seeder.sinks.literals import utc_naive

_UTC = timezone.utc


def _pyarrow() -> Any:
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise ConfigError("--format parquet needs pyarrow: pip install 'seeder[parquet]'") from None
    return pyarrow


def check_parquet() -> None:
    """Raise :class:`~seeder.errors.ConfigError` when pyarrow is not installed."""
    _pyarrow()


def arrow_type(col_type: ColumnType, dialect: str = "") -> Any:
    """The Arrow type a column of ``col_type`` (in the schema's ``dialect``) is written as (see the module
    docstring)."""
    pa = _pyarrow()
    kind = col_type.kind
    if kind in types.INTEGER_KINDS:
        # the narrowest Arrow integer that holds the type's range in the schema's dialect (SQLite INTEGER: 64 bits)
        low, high = types.integer_range(col_type, dialect)
        for bits, arrow in ((16, pa.int16()), (32, pa.int32()), (64, pa.int64())):
            if -(2 ** (bits - 1)) <= low and high < 2 ** (bits - 1):
                return arrow
        return pa.uint64() if low >= 0 and high < 2**64 else pa.string()
    if kind == "decimal" and col_type.precision is not None and col_type.precision <= 38:
        return pa.decimal128(col_type.precision, col_type.scale or 0)
    if kind == "float":
        return pa.float32()
    if kind == "double":
        return pa.float64()
    if kind == "boolean":
        return pa.bool_()
    if kind == "date":
        return pa.date32()
    if kind == "time":
        return pa.time64("us")
    if kind == "timestamp":
        return pa.timestamp("us")
    if kind == "timestamptz":
        return pa.timestamp("us", tz="UTC")
    if kind == "interval":
        return pa.duration("us")
    if kind == "bytes":
        return pa.binary()
    return pa.string()


def _converter(col_type: ColumnType) -> Callable[[Any], Any] | None:
    """``value -> value Arrow takes`` for the column, or ``None`` when values go in as they are."""
    kind = col_type.kind
    if kind == "timestamp":
        return lambda v: utc_naive(v) if isinstance(v, datetime) else v
    if kind == "timestamptz":
        return lambda v: v.replace(tzinfo=_UTC) if isinstance(v, datetime) and v.tzinfo is None else v
    if kind == "time":
        return lambda v: v.replace(tzinfo=None) if v is not None and getattr(v, "tzinfo", None) else v
    if kind in types.INTEGER_KINDS or kind in ("float", "double", "boolean", "date", "interval", "bytes") or (
            kind == "decimal" and col_type.precision is not None and col_type.precision <= 38):
        return None
    return column_formatter(col_type)  # every other kind: the CSV sink's text (NULs removed there)


def _array(values: Sequence[Any], col_type: ColumnType, dialect: str) -> Any:
    pa = _pyarrow()
    convert = _converter(col_type)
    if convert is not None and convert is column_formatter(col_type):
        # text of the CSV sink, through its column-at-a-time paths (sinks/columns.py)
        values = column_texts(col_type, convert, plain=convert is value_text)(values)
    elif convert is not None:
        values = [None if v is None else convert(v) for v in values]
    arrow = arrow_type(col_type, dialect)
    if arrow == pa.string() and col_type.kind in types.INTEGER_KINDS:
        values = [None if v is None else str(v) for v in values]
    return pa.array(values, type=arrow)


def _table(td: TableData, dialect: str) -> Any:
    pa = _pyarrow()
    by_name = {c.name: c for c in td.table.columns}
    fields = [pa.field(name, arrow_type(by_name[name].type, dialect), nullable=by_name[name].nullable)
              for name in td.columns]
    arrays = [_array(values, by_name[name].type, dialect)
              for name, values in zip(td.columns, td.values, strict=True)]
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def write_parquet(dataset: Dataset, directory: Path | str) -> list[Path]:
    """Write ``dataset`` as Parquet files into ``directory`` (see the module docstring for the layout).

    Args:
        dataset: the generated data, consumed through :meth:`~seeder.dataset.Dataset.stream`.
        directory: target folder (created if missing); a table's folder gets ``part-NNNNN.parquet`` files.

    Returns:
        The files written, in stream order.

    Raises:
        ConfigError: pyarrow is not installed. GenerationError: a value the column's type cannot hold.
    """
    pa = _pyarrow()
    import pyarrow.parquet as pq

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    outline = dataset.outline()
    folders = dict(zip((td.table.name for td in outline),
                       table_file_names((td.table.name for td in outline), ""), strict=True))
    parts: dict[Any, int] = {}
    written: list[Path] = []
    for chunk in dataset.final_stream():
        name = chunk.table.name
        part = parts.get(name, 0)
        parts[name] = part + 1
        folder = directory / folders[name]
        folder.mkdir(exist_ok=True)
        path = folder / f"part-{part:05d}.parquet"
        try:
            table = _table(chunk, dataset.schema.dialect or "")
        except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError) as err:
            from seeder.errors import GenerationError

            raise GenerationError(f"table {name}: a value does not fit its Parquet column: {err}") from None
        pq.write_table(table, path, compression="zstd")
        written.append(path)
    return written


__all__ = ["arrow_type", "check_parquet", "write_parquet"]
