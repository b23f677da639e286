"""Learning from existing rows (``--like-existing``): samples from a real SQLite database through SQLAlchemy and from
CSV files, profile-driven generation that follows the sample without copying it, and the per-column distances."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from seeder import api
from seeder.cli import cli
from seeder.profiles.content import draw
from seeder.profiles.fidelity import column_fidelity, ks_against_quantiles
from seeder.profiles.learn import profile_column, row_fingerprint, template
from seeder.schema import TableName
from tests.engines import sqlite_fk_check, sqlite_query

SHOP = Path(__file__).resolve().parent.parent / "examples" / "shop.sql"
CLOSE = 0.15


@pytest.fixture
def production(tmp_path: Path) -> Path:
    """A shop database whose rows look unlike seeder's defaults: most orders delivered, most ratings 5, prices
    around 20, reviews from 2023."""
    db = tmp_path / "production.db"
    result = CliRunner().invoke(cli, ["load", str(SHOP), "--db", f"sqlite:///{db}", "--create-schema",
                                      "--rows", "300", "--seed", "5"])
    assert result.exit_code == 0, result.output
    rng = random.Random(3)
    engine = sa.create_engine(f"sqlite:///{db}")
    with engine.begin() as conn:
        for (order_id,) in conn.execute(sa.text('SELECT order_id FROM "order"')).all():
            status = rng.choices(["delivered", "shipped", "cancelled"], [8, 1, 1])[0]
            conn.execute(sa.text('UPDATE "order" SET status = :s WHERE order_id = :i'), {"s": status, "i": order_id})
        for (review_id,) in conn.execute(sa.text("SELECT review_id FROM review")).all():
            conn.execute(sa.text("UPDATE review SET rating = :r, created_at = :c WHERE review_id = :i"), {
                "r": rng.choices([5, 4, 1], [7, 2, 1])[0], "i": review_id,
                "c": (dt.datetime(2023, 1, 1) + dt.timedelta(hours=rng.randint(0, 8000))).isoformat(sep=" ")})
        for (product_id,) in conn.execute(sa.text("SELECT product_id FROM product")).all():
            conn.execute(sa.text("UPDATE product SET price = :p WHERE product_id = :i"),
                         {"p": round(max(0.5, rng.gauss(20, 4)), 2), "i": product_id})
    engine.dispose()
    return db


def distance(data: api.Dataset, profiles: dict, table: str, column: str) -> float:
    profile = profiles[TableName(None, table)].columns[column]
    return column_fidelity(table, profile, data.table_data(TableName(None, table)).column_values(column)).distance


def test_like_existing_database_follows_the_sample_and_copies_no_row(production: Path) -> None:
    src = api.like_existing(api.read_source(str(SHOP)), f"sqlite:///{production}")
    assert {str(t) for t in src.profiles} >= {"order", "review", "product", "customer"}
    plan = api.build_plan(src.schema, 300)
    like = api.generate(src.schema, plan, seed=9, content=api.profile_content(src.profiles))
    plain = api.generate(src.schema, plan, seed=9)
    for table, column in [("order", "status"), ("review", "rating"), ("review", "created_at"), ("product", "price")]:
        near, far = distance(like, src.profiles, table, column), distance(plain, src.profiles, table, column)
        assert near <= CLOSE < far, (table, column, near, far)
    sampled = sa.create_engine(f"sqlite:///{production}")
    with sampled.connect() as conn:
        reviews = {tuple(str(v) for v in r) for r in conn.execute(sa.text(
            "SELECT product_id, customer_id, rating, title FROM review")).all()}
    sampled.dispose()
    made = like.table_data(TableName(None, "review"))
    mine = {tuple(str(v) for v in r) for r in zip(*(made.column_values(c) for c in
                                                    ("product_id", "customer_id", "rating", "title")), strict=True)}
    assert len(mine & reviews) < len(mine) // 10  # whole rows differ (checked per full row by the source itself)


def test_like_existing_on_the_command_line_reports_distances_and_loads(production: Path, tmp_path: Path) -> None:
    target = tmp_path / "dev.db"
    result = CliRunner().invoke(cli, ["load", str(SHOP), "--db", f"sqlite:///{target}", "--create-schema",
                                      "--rows", "200", "--like-existing", f"sqlite:///{production}"])
    assert result.exit_code == 0, result.output
    assert "Fidelity to the sample" in result.stderr and "order.status: TVD" in result.stderr
    assert sqlite_fk_check(target) == []
    delivered = sqlite_query(target, "SELECT avg(status = 'delivered') FROM \"order\"")[0][0]
    assert delivered > 0.65


def test_like_existing_csv_sample_for_a_ddl_schema(production: Path, tmp_path: Path) -> None:
    sample = tmp_path / "sample"
    engine = sa.create_engine(f"sqlite:///{production}")  # exported from the database, as a user would
    sample.mkdir()
    with engine.connect() as conn:
        rows = conn.execute(sa.text('SELECT order_id, status, ordered_at FROM "order"')).all()
    engine.dispose()
    (sample / "order.csv").write_text("order_id,status,ordered_at\n" + "".join(
        f"{r[0]},{r[1]},{r[2]}\n" for r in rows), encoding="utf-8")
    out = tmp_path / "out.sql"
    result = CliRunner().invoke(cli, ["generate", str(SHOP), "--rows", "300", "--like-existing", str(sample),
                                      "-o", str(out), "--to", "sqlite"])
    assert result.exit_code == 0, result.output
    line = next(x for x in result.stderr.splitlines() if "order.status" in x)
    assert float(line.split("TVD ")[1].split()[0]) <= CLOSE


def test_like_existing_needs_a_sample_for_a_ddl_source() -> None:
    result = CliRunner().invoke(cli, ["generate", str(SHOP), "--like-existing"])
    assert result.exit_code == 1 and "--like-existing needs a sample" in result.stderr


def test_a_sample_that_does_not_fit_the_schema_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "order.csv").write_text("order_id,ordered_at\n1,yesterday\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["generate", str(SHOP), "--like-existing", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: {tmp_path}/order.csv:2: column ordered_at: 'yesterday' is not a TIMESTAMP"


def test_an_unreachable_sample_database_is_an_error_without_the_password(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["generate", str(SHOP), "--like-existing",
                                      "postgresql+psycopg://u:s3cret@127.0.0.1:1/x"])
    assert result.exit_code == 1 and "cannot sample" in result.stderr and "s3cret" not in result.stderr


# ------------------------------------------------------------------------------------------------ units


def test_ordered_values_are_drawn_between_quantiles_not_copied() -> None:
    rng = np.random.default_rng(0)
    sample = [Decimal(f"{x:.2f}") for x in rng.lognormal(3, 0.5, 500)]
    profile = profile_column("price", sample, "decimal")
    assert profile is not None and profile.kind == "ordered" and profile.scale == 2
    from seeder.generate.spec import ValueSpec
    from seeder.schema import Column, ColumnType

    spec = ValueSpec(column=Column("price", ColumnType("decimal", "numeric(8,2)", precision=8, scale=2)),
                     table=TableName(None, "p"))
    drawn = draw(profile, spec, 2000, np.random.default_rng(1))
    assert drawn is not None and all(isinstance(v, Decimal) for v in drawn)
    assert ks_against_quantiles(profile.quantiles, [float(v) for v in drawn]) < 0.05
    assert min(drawn) >= min(sample) and max(drawn) <= max(sample)


def test_distances_tell_near_from_far() -> None:
    profile = profile_column("status", ["a"] * 80 + ["b"] * 20, "str")
    assert profile is not None and profile.kind == "category"
    assert column_fidelity("t", profile, ["a"] * 78 + ["b"] * 22).distance == pytest.approx(0.02)
    assert column_fidelity("t", profile, ["a"] * 50 + ["b"] * 50).distance == pytest.approx(0.3)
    ordered = profile_column("n", list(range(100)), "int")
    assert ordered is not None and column_fidelity("t", ordered, list(range(0, 100, 2))).distance < 0.05
    assert column_fidelity("t", ordered, list(range(500, 600))).distance == 1.0


def test_templates_keep_shared_characters_and_never_a_whole_value() -> None:
    assert template(["OR-12", "OR-97"]) == "\\O\\R\\-99"
    assert template(["AB-12"]) == "AA\\-99"
    assert row_fingerprint({"a": 1, "b": None}, ["a", "b"]) == row_fingerprint({"a": "1", "b": None}, ["a", "b"])


def test_with_a_model_sampled_rows_are_few_shot_examples_in_the_data_block(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import seeder
    from tests.llm_server import FakeLLM

    monkeypatch.chdir(tmp_path)
    (tmp_path / "review.csv").write_text(
        "review_id,rating,title\n" + "".join(f"{i},{5 if i % 4 else 2},Lovely thing number {i}\n"
                                             for i in range(1, 41)), encoding="utf-8")
    with FakeLLM() as fake:
        result = seeder.generate(SHOP, rows=6, seed=2, like_existing=tmp_path / "review.csv",
                                 llm={"llm_base_url": fake.base_url, "no_cache": True})
        review_prompts = [p for p in fake.prompts() if '"name":"review"' in p]
    assert review_prompts and all("Existing rows look like these" in p for p in review_prompts)
    block = review_prompts[0].split("```json", 1)[1]
    assert "Lovely thing number 1" in block  # inside the DATA block: data, never instructions
    ratings = [r["rating"] for r in result.tables["review"]]
    assert set(ratings) <= {2, 5}  # drawn from the sample's categories; titles come from the model
