"""The streamed engine: tables generated in blocks, handed on in chunks, with the same rows at every chunk size and
every ``--jobs``, constraints holding across blocks, and only the columns later tables read kept in memory.

Small blocks (``block_rows=16``) make the corpus schemas' tables span many blocks, so every cross-block mechanism
(unique ranks, joint-key bijection, one-to-one parents, FK sampling from retained parent columns) is exercised on
real schemas; the rows are then loaded into SQLite with every constraint enforced.
"""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from seeder import api
from seeder.cli import cli
from seeder.dataset import Dataset
from seeder.generate.blocks import block_count, chunk_blocks, permute
from seeder.generate.engine import generate
from seeder.generate.store import IntColumn, Retainer, take
from seeder.schema import TableName
from tests.engines import REPO_ROOT, schema_path, sqlite_fk_check

SHOP = REPO_ROOT / "examples" / "shop.sql"
CORPUS = {"chinook": "chinook/sqlite.sql", "pagila": "pagila/postgres.sql"}
BLOCK = 16


def _schema(name: str):
    path = SHOP if name == "shop" else schema_path(CORPUS[name])
    return api.read_source(path).schema


def _sql(data: Dataset, dialect: str | None = None) -> str:
    buf = io.StringIO()
    api.write_sql(data, buf, dialect)
    return buf.getvalue()


def _csv(data: Dataset, folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in api.write_csv(data, folder)}


# --------------------------------------------------------------------------------------------- identical output


@pytest.mark.parametrize("name", ["shop", "chinook", "pagila"])
def test_same_sql_at_every_chunk_size(name: str) -> None:
    schema = _schema(name)
    plan = api.build_plan(schema, 60)
    assert any(block_count(plan.rows(t), BLOCK) >= 3 for t in plan.order)  # tables really span blocks
    scripts = {chunk: _sql(generate(schema, plan, seed=5, block_rows=BLOCK, chunk_rows=chunk))
               for chunk in (BLOCK, 3 * BLOCK, None)}
    assert scripts[BLOCK] == scripts[3 * BLOCK] == scripts[None]
    assert "INSERT INTO" in scripts[None]


def test_same_csv_at_every_chunk_size(tmp_path: Path) -> None:
    schema = _schema("chinook")
    plan = api.build_plan(schema, 50)
    files = [_csv(generate(schema, plan, seed=2, block_rows=BLOCK, chunk_rows=chunk), tmp_path / str(chunk))
             for chunk in (BLOCK, 3 * BLOCK, None)]
    assert files[0] == files[1] == files[2]
    assert len(files[0]) == len(plan.order)


def test_pieces_are_whole_blocks_and_lazy() -> None:
    schema = _schema("chinook")  # no FK cycle: a table waiting for a cycle-broken FK is handed on whole
    plan = api.build_plan(schema, 70)
    assert not plan.cycle_breaks
    data = generate(schema, plan, seed=1, block_rows=BLOCK, chunk_rows=40)  # 40 rows: 3 blocks per chunk
    assert data.streamed and data.notes == [] and data.stats == {}
    sizes: dict[str, list[int]] = {}
    for piece in data.stream():
        sizes.setdefault(str(piece.table.name), []).append(piece.row_count)
    assert list(sizes) == [str(t) for t in plan.order]
    assert all(s <= 3 * BLOCK for counts in sizes.values() for s in counts)
    assert any(len(counts) >= 2 for counts in sizes.values())
    assert data.stats["rows"] == sum(sum(c) for c in sizes.values())
    assert data.streamed  # streaming keeps nothing: reading again generates again, identically
    assert [td.row_count for td in data.tables] == [sum(sizes[str(t)]) for t in plan.order]
    assert not data.streamed


def test_jobs_give_the_same_rows() -> None:
    schema = _schema("pagila")
    plan = api.build_plan(schema, 60)
    one = _sql(generate(schema, plan, seed=3, block_rows=BLOCK, chunk_rows=BLOCK))
    two = _sql(generate(schema, plan, seed=3, block_rows=BLOCK, chunk_rows=BLOCK, jobs=2))
    assert one == two


def test_tables_of_one_block_do_not_depend_on_the_block_size() -> None:
    """Block 0 is keyed as a whole-table run: small tables keep the rows they always had."""
    schema = _schema("shop")
    plan = api.build_plan(schema, 40)
    biggest = max(plan.rows(t) for t in plan.order)
    assert _sql(generate(schema, plan, seed=4)) == _sql(generate(schema, plan, seed=4, block_rows=biggest)) \
        == _sql(generate(schema, plan, seed=4, block_rows=biggest * 7, chunk_rows=5))


# ------------------------------------------------------------------------------------- constraints across blocks


@pytest.mark.parametrize("name", ["shop", "chinook"])
def test_many_blocks_load_into_sqlite_with_every_constraint(name: str, tmp_path: Path) -> None:
    schema = _schema(name)
    plan = api.build_plan(schema, 80)
    data = generate(schema, plan, seed=9, block_rows=BLOCK, chunk_rows=2 * BLOCK)
    db = tmp_path / "x.db"
    report = api.load(data, f"sqlite:///{db}", create_schema=api.render_ddl(schema, "sqlite"))
    assert sum(report.tables.values()) == data.stats["rows"] > 0
    assert sqlite_fk_check(db) == []
    with sqlite3.connect(db) as conn:
        for t in plan.order:
            count = conn.execute(f'SELECT count(*) FROM "{t.name}"').fetchone()[0]
            assert count == plan.rows(t) or count > 0


CROSS = """
CREATE TABLE account (id integer PRIMARY KEY, email varchar(80) NOT NULL UNIQUE, code char(3) NOT NULL UNIQUE);
CREATE TABLE profile (account_id integer PRIMARY KEY REFERENCES account(id), bio text);
CREATE TABLE tag (id integer PRIMARY KEY, name text NOT NULL);
CREATE TABLE account_tag (account_id integer NOT NULL REFERENCES account(id), tag_id integer NOT NULL
    REFERENCES tag(id), PRIMARY KEY (account_id, tag_id));
CREATE TABLE node (id integer PRIMARY KEY, parent_id integer REFERENCES node(id), account_id integer NOT NULL
    REFERENCES account(id));
"""


def test_keys_unique_and_parents_distinct_across_blocks(tmp_path: Path) -> None:
    """Unique columns by rank, joint keys by a bijection, one-to-one FKs by a bijection of the free parents: no
    block repeats another's values; SQL over the loaded rows shows it."""
    ddl = tmp_path / "cross.sql"
    ddl.write_text(CROSS)
    schema = api.read_source(ddl).schema
    plan = api.build_plan(schema, 200, {"profile": 150, "account_tag": 300, "tag": 20, "node": 120})
    data = generate(schema, plan, seed=7, block_rows=BLOCK, chunk_rows=BLOCK)
    db = tmp_path / "cross.db"
    api.load(data, f"sqlite:///{db}", create_schema=CROSS)
    with sqlite3.connect(db) as conn:
        q = lambda sql: conn.execute(sql).fetchone()  # noqa: E731
        assert q("SELECT count(*), count(DISTINCT email), count(DISTINCT code) FROM account") == (200, 200, 200)
        assert q("SELECT count(*), count(DISTINCT account_id) FROM profile") == (150, 150)
        assert q("SELECT count(*) FROM (SELECT DISTINCT account_id, tag_id FROM account_tag)") == (300,)
        # one-to-one parents and joint keys spread over the whole parent table, not one block of it
        assert q("SELECT max(account_id) - min(account_id) FROM profile")[0] > 150
        # self-references point at earlier rows of the same block: roots and trees in every block
        assert q("SELECT count(*) FROM node WHERE parent_id >= id")[0] == 0
        assert q("SELECT count(*) FROM node WHERE parent_id IS NULL")[0] >= block_count(120, BLOCK)
    assert sqlite_fk_check(db) == []


# ------------------------------------------------------------------------------------------------------ pieces


def test_permute_is_a_bijection_for_any_range() -> None:
    for total in (1, 2, 3, 17, 1000, 4097):
        out = permute(np.arange(total), total, key=12345)
        assert sorted(out.tolist()) == list(range(total))
        halves = np.concatenate([permute(np.arange(0, total // 2), total, 12345),
                                 permute(np.arange(total // 2, total), total, 12345)])
        assert halves.tolist() == out.tolist()
    assert permute(np.arange(50), 1000, 1).tolist() != permute(np.arange(50), 1000, 2).tolist()


def test_chunks_are_whole_blocks() -> None:
    assert [list(c) for c in chunk_blocks(100, 40, 16)] == [[0, 1, 2], [3, 4, 5], [6]]
    assert [list(c) for c in chunk_blocks(100, None, 16)] == [list(range(7))]
    assert [list(c) for c in chunk_blocks(0, 10, 16)] == [[]]


def test_retained_keys_are_compact() -> None:
    from seeder.dataset import TableData
    from seeder.schema import Column, ColumnType, Table

    table = Table(TableName(None, "t"), (Column("id", ColumnType("integer", "integer")),
                                         Column("k", ColumnType("integer", "integer")),
                                         Column("s", ColumnType("text", "text"))))
    keeper = Retainer(table, {"id", "k", "s"})
    keeper.add(TableData(table, ("id", "k", "s"), ([1, 2, 3], [5, 9, 7], ["a", None, "c"])))
    keeper.add(TableData(table, ("id", "k", "s"), ([4, 5], [1, 2], ["d", "e"])))
    kept = keeper.finish()
    assert kept.row_count == 5
    assert kept.column_values("id") == range(1, 6)
    k = kept.column_values("k")
    assert isinstance(k, IntColumn) and list(k) == [5, 9, 7, 1, 2] and type(k[1]) is int
    assert take(k, [4, 0, None]) == [2, 5, None] and take(kept.column_values("id"), [2, 0]) == [3, 1]
    assert kept.column_values("s") == ["a", None, "c", "d", "e"]
    with pytest.raises(KeyError):
        kept.column_values("nope")


# --------------------------------------------------------------------------------------------------------- cli


def test_cli_chunk_rows_and_jobs_keep_the_output(tmp_path: Path) -> None:
    runner = CliRunner()
    outs = []
    for extra in ([], ["--chunk-rows", "7"], ["--chunk-rows", "7", "--jobs", "2"]):
        out = tmp_path / f"out{len(outs)}.sql"
        result = runner.invoke(cli, ["generate", str(SHOP), "--rows", "30", "-o", str(out), *extra])
        assert result.exit_code == 0, result.output
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] == outs[2]
    bad = runner.invoke(cli, ["generate", str(SHOP), "--chunk-rows", "0"])
    assert bad.exit_code == 2 and "Traceback" not in bad.output


def test_pieces_cross_to_workers_unchanged() -> None:
    import uuid
    from decimal import Decimal

    from seeder.dataset import TableData
    from seeder.generate.pool import decode_piece, encode_piece
    from seeder.schema import Column, ColumnType, Table

    table = Table(TableName(None, "t"), (Column("u", ColumnType("uuid", "uuid")),
                                         Column("d", ColumnType("decimal", "numeric(6,2)")),
                                         Column("j", ColumnType("json", "json"))))
    piece = TableData(table, ("u", "d", "j"), ([uuid.uuid4(), None], [Decimal("1.10"), None], [{"a": 1}, None]))
    back = decode_piece(encode_piece(piece))
    assert back.values == piece.values and back.columns == piece.columns
    assert type(back.values[0][0]) is uuid.UUID and str(back.values[1][0]) == "1.10"


@pytest.mark.parametrize("fmt", ["sql", "copy", "csv", "jsonl", "load"])
def test_sinks_and_loaders_generate_a_streamed_run_once(fmt: str, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Sinks and loaders read a streamed run through ``stream()``/``outline()`` only: it is generated once and
    never held whole (runs with totals over child rows are generated twice by file sinks, see final_stream)."""
    from seeder.dataset import LazyTables

    runs = []
    make = LazyTables.__init__

    def counting(self, produce, *args, **kwargs):  # type: ignore[no-untyped-def]
        def produce_counted():  # type: ignore[no-untyped-def]
            runs.append(1)
            return produce()
        make(self, produce_counted, *args, **kwargs)

    monkeypatch.setattr(LazyTables, "__init__", counting)
    schema = _schema("shop")
    plan = api.build_plan(schema, 40)
    data = generate(schema, plan, seed=1, block_rows=BLOCK, chunk_rows=BLOCK)
    if fmt == "load":
        report = api.load(data, f"sqlite:///{tmp_path / 'x.db'}", create_schema=api.render_ddl(schema, "sqlite"))
        assert sum(report.tables.values()) == data.stats["rows"]
    else:
        out = tmp_path / ("out" if fmt == "csv" else "out.txt")
        api.write_dataset(data, str(out), fmt, dialect="postgres" if fmt in ("sql", "copy") else None)
    assert runs == [1] and data.streamed
