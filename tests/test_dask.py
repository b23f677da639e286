"""The Dask backend: chunks run as tasks on a ``distributed.LocalCluster`` and write CSV shards whose rows, in part
order, are exactly the CSV files a local run writes (same seed, same blocks)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from seeder import api
from seeder.cli import cli
from seeder.generate.dask_backend import write_shards
from seeder.generate.engine import generate
from tests.engines import REPO_ROOT, schema_path

distributed = pytest.importorskip("distributed")

SHOP = REPO_ROOT / "examples" / "shop.sql"
BLOCK = 16


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as c:
        yield c


def _joined(parts: list[Path]) -> str:
    text = ""
    for i, part in enumerate(parts):
        lines = part.read_text(encoding="utf-8").splitlines(keepends=True)
        text += "".join(lines if i == 0 else lines[1:])  # every shard repeats the header line
    return text


@pytest.mark.parametrize("source", ["shop", "chinook/sqlite.sql"])
def test_shards_equal_the_local_csv(cluster, tmp_path: Path, source: str) -> None:
    schema = api.read_source(SHOP if source == "shop" else schema_path(source)).schema
    plan = api.build_plan(schema, 60)
    with distributed.Client(cluster) as client:
        report = write_shards(schema, plan, tmp_path / "shards", scheduler=client, seed=5, chunk_rows=BLOCK,
                              block_rows=BLOCK)
    local = api.write_csv(generate(schema, plan, seed=5, block_rows=BLOCK), tmp_path / "local")
    assert len(local) == len(plan.order) == len(report.files)
    many = 0
    for path in local:
        parts = report.files[path.name[: -len(".csv")]]
        many += len(parts) > 1
        assert _joined(parts) == path.read_text(encoding="utf-8"), path.name
    assert many >= 3  # most tables really ran as several tasks
    assert sum(report.rows.values()) == sum(plan.rows(t) for t in plan.order)


def test_parquet_shards_equal_the_local_parquet_files(cluster, tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    schema = api.read_source(schema_path("chinook/sqlite.sql")).schema  # invoice totals: a first pass learns them
    plan = api.build_plan(schema, 50)
    with distributed.Client(cluster) as client:
        report = write_shards(schema, plan, tmp_path / "shards", scheduler=client, seed=4, chunk_rows=BLOCK,
                              block_rows=BLOCK, fmt="parquet")
    local = api.write_dataset(generate(schema, plan, seed=4, block_rows=BLOCK, chunk_rows=BLOCK),
                              str(tmp_path / "local"), "parquet")
    shards = [p for parts in report.files.values() for p in parts]
    assert len(shards) == len(local) > len(plan.order)
    for path in local:
        twin = tmp_path / "shards" / path.relative_to(tmp_path / "local")
        assert twin.read_bytes() == path.read_bytes(), path


def test_cli_scheduler_writes_shards(cluster, tmp_path: Path) -> None:
    out = tmp_path / "shards"
    result = CliRunner().invoke(cli, ["generate", str(SHOP), "--rows", "30", "--format", "csv", "-o", str(out),
                                      "--scheduler", cluster.scheduler_address, "--chunk-rows", "10"])
    assert result.exit_code == 0, result.output
    assert "CSV shards" in result.output
    local = CliRunner().invoke(cli, ["generate", str(SHOP), "--rows", "30", "--format", "csv", "-o",
                                     str(tmp_path / "local")])
    assert local.exit_code == 0, local.output
    for path in sorted((tmp_path / "local").glob("*.csv")):
        assert _joined(sorted((out / path.stem).glob("part-*.csv"))) == path.read_text(encoding="utf-8")
    bad = CliRunner().invoke(cli, ["generate", str(SHOP), "--scheduler", cluster.scheduler_address])
    assert bad.exit_code == 2 and "--format csv (or parquet)" in bad.output
