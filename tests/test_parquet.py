"""--format parquet: one folder per table, one file per chunk; values read back equal; same seed, same bytes."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timezone
from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq
from click.testing import CliRunner

from seeder import api
from seeder.cli import cli
from seeder.dataset import Dataset, TableData
from tests.engines import schema_path

SHOP = Path(__file__).resolve().parent.parent / "examples" / "shop.sql"
SCALE = Path(__file__).resolve().parent.parent / "benchmarks" / "scale_schema.sql"


@dataclass
class Chunked(Dataset):
    """A dataset whose stream hands every table over in pieces of ``size`` rows (as the streamed engine will)."""

    size: int = 7

    def stream(self) -> Iterator[TableData]:
        for td in self.tables:
            for start in range(0, max(td.row_count, 1), self.size):
                yield TableData(td.table, td.columns, tuple(v[start:start + self.size] for v in td.values))


def _digest(files: list[Path], root: Path) -> dict[str, str]:
    return {str(f.relative_to(root)): hashlib.sha256(f.read_bytes()).hexdigest() for f in files}


def test_values_read_back_equal_the_dataset(tmp_path: Path) -> None:
    schema = api.read_schema(SCALE)
    data = api.generate(schema, api.build_plan(schema, 40), seed=5)
    files = api.write_parquet(data, tmp_path / "out")
    assert [f.relative_to(tmp_path / "out").as_posix() for f in files] == ["parent/part-00000.parquet",
                                                                          "item/part-00000.parquet"]
    item = data.table_data(next(td.table.name for td in data.tables if td.table.name.name == "item"))
    table = pq.read_table(tmp_path / "out" / "item")
    assert table.num_rows == item.row_count
    assert str(table.schema.field("price").type) == "decimal128(10, 2)"
    assert str(table.schema.field("created_at").type) == "timestamp[us, tz=UTC]"
    got = table.to_pydict()
    assert got["id"] == item.column_values("id")
    assert got["email"] == item.column_values("email")
    assert got["price"] == item.column_values("price") and all(isinstance(v, Decimal) for v in got["price"])
    assert got["created_at"] == [v.astimezone(timezone.utc) for v in item.column_values("created_at")]
    assert got["token"] == [str(v) for v in item.column_values("token")]
    assert got["note"] == item.column_values("note")
    assert got["active"] == item.column_values("active")


def test_chunks_become_part_files_and_the_same_seed_gives_the_same_bytes(tmp_path: Path) -> None:
    schema = api.read_schema(SHOP)
    data = api.generate(schema, api.build_plan(schema, 20), seed=1)
    chunked = Chunked(schema=data.schema, plan=data.plan, tables=data.tables, seed=data.seed, size=7)
    first = api.write_parquet(chunked, tmp_path / "a")
    again = api.write_parquet(chunked, tmp_path / "b")
    assert _digest(first, tmp_path / "a") == _digest(again, tmp_path / "b")
    customers = sorted((tmp_path / "a" / "customer").iterdir())
    assert [p.name for p in customers] == ["part-00000.parquet", "part-00001.parquet", "part-00002.parquet"]
    whole = pq.read_table(tmp_path / "a" / "customer").to_pydict()
    td = data.table_data(next(t.table.name for t in data.tables if t.table.name.name == "customer"))
    assert whole["customer_id"] == td.column_values("customer_id")
    # a rerun with fewer chunks leaves no stale part file behind
    api.write_parquet(data, tmp_path / "a")
    assert [p.name for p in (tmp_path / "a" / "customer").iterdir()] == ["part-00000.parquet"]


def test_every_type_of_a_real_schema_writes(tmp_path: Path) -> None:
    source = schema_path("pagila/postgres.sql")
    schema = api.read_schema(source)
    data = api.generate(schema, api.build_plan(schema, 15), seed=2)
    files = api.write_parquet(data, tmp_path)
    assert len(files) == len(data.tables)
    for td in data.tables:
        folder = files[data.tables.index(td)].parent
        assert pq.read_table(folder).num_rows == td.row_count


def test_cli_parquet(tmp_path: Path) -> None:
    out = tmp_path / "pq"
    result = CliRunner().invoke(cli, ["generate", str(SHOP), "--rows", "10", "--format", "parquet", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Wrote 7 Parquet files" in result.output
    assert pq.read_table(out / "order_item").num_rows > 0
    to_stdout = CliRunner().invoke(cli, ["generate", str(SHOP), "--format", "parquet"])
    assert to_stdout.exit_code == 2 and "give a folder with -o" in to_stdout.output


def test_every_sink_writes_the_same_bytes_whatever_the_chunks(tmp_path: Path) -> None:
    """Sinks consume Dataset.stream(): a table in pieces gives the same script, COPY blocks, CSV and JSONL files."""
    schema = api.read_schema(SHOP)
    data = api.generate(schema, api.build_plan(schema, 30), seed=4)
    for size in (1, 7, 1000):
        chunked = Chunked(schema=data.schema, plan=data.plan, tables=data.tables, seed=data.seed, size=size)
        for fmt, dialect in (("sql", "sqlite"), ("sql", "postgres"), ("copy", "postgres"), ("jsonl", None)):
            whole, pieces = tmp_path / f"w.{fmt}", tmp_path / f"p{size}.{fmt}"
            api.write_dataset(data, whole, fmt, dialect=dialect)
            api.write_dataset(chunked, pieces, fmt, dialect=dialect)
            assert pieces.read_bytes() == whole.read_bytes(), (fmt, dialect, size)
        for fmt in ("csv", "parquet"):
            a = api.write_dataset(data, tmp_path / f"w-{fmt}", fmt)
            b = api.write_dataset(chunked, tmp_path / f"p{size}-{fmt}", fmt)
            if fmt == "csv":
                assert [f.read_bytes() for f in a] == [f.read_bytes() for f in b]
            else:  # a file per chunk: the rows read back are the same
                for fa in a:
                    assert pq.read_table(fa.parent).equals(pq.read_table(tmp_path / f"p{size}-{fmt}" / fa.parent.name))
