"""Cross-table rules hold in the streamed engine: the corpus schemas generated in many small blocks (16 rows, so a
table of 200 rows spans 13 blocks and its chunks hold 3) and loaded into PostgreSQL keep the rates
tests/test_coherence_pg.py measures on whole-table runs: FK pairs agree, reviews imply purchases, totals add up,
copied prices match, children come after their parents, few parents are childless."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from seeder import api
from seeder.generate.engine import generate
from tests.engines import pg_query, pg_schema_databases
from tests.test_coherence_pg import AGREEMENTS, SCHEMAS, rate

BLOCK = 16
ROWS = 200


@pytest.fixture(scope="module")
def streamed(pg_server, tmp_path_factory) -> Iterator[dict[str, str]]:  # type: ignore[no-untyped-def]
    """Per schema name, a PostgreSQL database holding the schema and ``ROWS`` rows per table generated in blocks
    of ``BLOCK`` rows (created on first use)."""
    def write_rows(schema: Any, _path: Path, folder: Path) -> Path:
        plan = api.build_plan(schema, ROWS)
        assert max(plan.rows(t) for t in plan.order) > 3 * BLOCK
        data = generate(schema, plan, seed=1, block_rows=BLOCK, chunk_rows=3 * BLOCK)
        out = folder / "data.sql"
        api.write_sql(data, out, "postgres")
        return out

    yield from pg_schema_databases(pg_server, tmp_path_factory, SCHEMAS, write_rows)


@pytest.mark.postgres
@pytest.mark.parametrize(("schema", "bad", "total"), [a for a in AGREEMENTS if a[0] in ("shop", "pagila")])
def test_fk_pairs_agree_across_blocks(streamed: dict[str, str], schema: str, bad: str, total: str) -> None:
    assert rate(streamed[schema], bad, total) <= 0.01


@pytest.mark.postgres
def test_reviews_imply_purchases_across_blocks(streamed: dict[str, str]) -> None:
    bad = ("SELECT 1 FROM review r WHERE NOT EXISTS (SELECT 1 FROM order_item i JOIN \"order\" o USING (order_id) "
           "WHERE i.product_id = r.product_id AND o.customer_id = r.customer_id)")
    assert rate(streamed["shop"], bad, "SELECT 1 FROM review") <= 0.01
    # the review's (customer, product) key stays unique although blocks take their tuples separately
    assert pg_query(streamed["shop"], "SELECT count(*) - count(DISTINCT (customer_id, product_id)) FROM review")[0][0] \
        == 0


@pytest.mark.postgres
def test_totals_add_up_when_lines_span_blocks(streamed: dict[str, str]) -> None:
    bad = ("SELECT 1 FROM invoice v WHERE total <> (SELECT coalesce(sum(unit_price * quantity), 0) "
           "FROM invoice_line l WHERE l.invoice_id = v.invoice_id)")
    assert rate(streamed["chinook"], bad, "SELECT 1 FROM invoice") == 0.0


@pytest.mark.postgres
@pytest.mark.parametrize(("schema", "equal", "total"), [
    ("shop", "SELECT 1 FROM order_item i JOIN product p USING (product_id) WHERE i.unit_price = p.price",
     "SELECT 1 FROM order_item"),
    ("chinook", "SELECT 1 FROM invoice_line l JOIN track t USING (track_id) WHERE l.unit_price = t.unit_price",
     "SELECT 1 FROM invoice_line"),
])
def test_copies_across_blocks(streamed: dict[str, str], schema: str, equal: str, total: str) -> None:
    assert rate(streamed[schema], equal, total) >= 0.90


@pytest.mark.postgres
@pytest.mark.parametrize(("schema", "bad", "total"), [
    ("shop", 'SELECT 1 FROM "order" o JOIN customer c USING (customer_id) WHERE o.ordered_at < c.created_at',
     'SELECT 1 FROM "order"'),
    ("pagila", "SELECT 1 FROM rental r JOIN customer c USING (customer_id) WHERE r.rental_date < c.create_date",
     "SELECT 1 FROM rental"),
])
def test_children_after_parents_across_blocks(streamed: dict[str, str], schema: str, bad: str, total: str) -> None:
    assert rate(streamed[schema], bad, total) <= 0.01


@pytest.mark.postgres
def test_fan_out_covers_parents_across_blocks(streamed: dict[str, str]) -> None:
    childless = 'SELECT 1 FROM "order" o WHERE NOT EXISTS (SELECT 1 FROM order_item i WHERE i.order_id = o.order_id)'
    assert rate(streamed["shop"], childless, 'SELECT 1 FROM "order"') <= 0.05
