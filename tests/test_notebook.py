"""The notebook API (``seeder.generate``) and its example: every kind of source, the same rows as the CLI, and the
same sinks and loaders."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import seeder
from seeder.cli import cli
from tests.engines import sqlite_fk_check, sqlite_query
from tests.llm_server import SENTENCE, FakeLLM

ROOT = Path(__file__).resolve().parent.parent
SHOP = ROOT / "examples" / "shop.sql"


def _statements(text: str) -> list[str]:
    return [line for line in text.splitlines() if line and not line.startswith("--")]


def test_the_notebook_example_runs(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, str(ROOT / "examples" / "notebook.py")], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    # 6 tables x 20 rows, order_item (order lines) 3 x 20
    assert "loaded 180 rows" in proc.stdout and "sales.amount: KS" in proc.stdout


def test_import_seeder_stays_cheap() -> None:
    code = "import sys, seeder; print(sorted(m for m in sys.modules if m.startswith(('seeder', 'sqlglot', 'numpy'))))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['seeder', 'seeder.errors']"


def test_rows_and_script_are_the_cli_s(tmp_path: Path) -> None:
    result = seeder.generate(SHOP, rows=6, seed=3)
    assert list(result.tables) == ["category", "customer", "address", "product", "order", "order_item", "review"]
    assert len(result.tables["review"]) == 6 and set(result.tables["customer"][0]) >= {"email", "created_at"}
    mine = result.to_sql(tmp_path / "api.sql", "sqlite")
    cli_out = tmp_path / "cli.sql"
    assert CliRunner().invoke(cli, ["generate", str(SHOP), "--rows", "6", "--seed", "3", "--to", "sqlite",
                                    "-o", str(cli_out)]).exit_code == 0
    assert _statements(mine.read_text(encoding="utf-8")) == _statements(cli_out.read_text(encoding="utf-8"))


def test_writers_and_loader(tmp_path: Path) -> None:
    result = seeder.generate(SHOP, rows=8, seed=1)
    files = result.to_csv(tmp_path / "csv")
    assert sorted(f.name for f in files)[0] == "address.csv"
    fixture = result.to_fixture(tmp_path / "f.json", app_label="shop")
    assert '"model":"shop.customer"' in fixture.read_text(encoding="utf-8")
    report = result.load(f"sqlite:///{tmp_path / 'x.db'}", create_schema=True)
    assert report.tables["order_item"] == 24 and sqlite_fk_check(tmp_path / "x.db") == []
    frames = result.to_pandas()
    assert frames["customer"].shape == (8, 8) and frames["order"].columns[0] == "order_id"


def test_sqlalchemy_metadata_and_engine_sources(tmp_path: Path) -> None:
    import sqlalchemy as sa

    metadata = sa.MetaData()
    sa.Table("author", metadata, sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("email", sa.String(120), unique=True, nullable=False))
    sa.Table("post", metadata, sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("author_id", sa.ForeignKey("author.id"), nullable=False),
             sa.Column("stars", sa.Integer, sa.CheckConstraint("stars BETWEEN 1 AND 3"), nullable=False))
    blog = seeder.generate(metadata, rows=30, seed=2)
    posts = blog.tables["post"]
    assert {p["author_id"] for p in posts} <= {a["id"] for a in blog.tables["author"]}
    assert {p["stars"] for p in posts} <= {1, 2, 3}
    db = tmp_path / "blog.db"
    blog.load(f"sqlite:///{db}", create_schema=True)
    engine = sa.create_engine(f"sqlite:///{db}")
    again = seeder.generate(engine, rows=40, seed=5, like_existing=True)  # reflected, and sampled
    engine.dispose()
    assert {p["stars"] for p in again.tables["post"]} <= {1, 2, 3}
    assert [f.column for f in again.fidelity()] == ["email", "stars"]


def test_a_description_with_a_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with FakeLLM() as fake:
        result = seeder.generate(SENTENCE, rows=5, llm={"llm_base_url": fake.base_url})
        assert {"customers", "orders", "order_lines"} <= set(result.tables)
        assert fake.calls > 1  # the design, then content from the model
    assert [r.enforced for r in result.source.rules] == [True, False, True, False, True]
    result.load(f"sqlite:///{tmp_path / 'd.db'}", create_schema=True)
    assert sqlite_query(tmp_path / "d.db", "SELECT count(*) FROM order_lines")[0][0] == 5


def test_errors_are_seeder_errors(tmp_path: Path) -> None:
    with pytest.raises(seeder.SeederError, match="file not found"):
        seeder.generate(tmp_path / "missing.sql")
    with pytest.raises(seeder.SeederError, match="like_existing=True"):
        seeder.generate(SHOP, like_existing=True)
