"""The plan's semantic layer without a database: inferred rules, config (switch off, add, pin, --set), the
``--write-config`` round trip, ``seeder plan`` showing every rule, determinism, and row rules on generated data.

The rates on real engines are measured in ``tests/test_semantics_pg.py``.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner

from seeder import api
from seeder.cli import cli
from seeder.config import load_config
from seeder.errors import ConfigError
from seeder.generate.values.codes import luhn_valid
from seeder.plan.rules import RULE_KINDS, Agreement, Existence, Pin, RowExpression, TableRole, TimeOrder
from tests.engines import schema_path
from tests.llm_server import sql_text

REPO = Path(__file__).resolve().parent.parent
SHOP = str(REPO / "examples" / "shop.sql")


def rule_ids(plan: api.Plan) -> set[str]:  # type: ignore[name-defined]
    return {r.id for r in plan.rules}


def table_values(data: object, table: str, column: str) -> list:
    td = next(t for t in data.tables if t.table.name.name == table)  # type: ignore[attr-defined]
    return td.column_values(column)


# ------------------------------------------------------------------------------------------------------ inference


def test_shop_rules_cover_every_family() -> None:
    plan = api.build_plan(api.read_schema(SHOP), 50)
    ids = rule_ids(plan)
    for expected in ("role:category", "role:order_item", "fanout:order_item.order_id", "copy:order_item.unit_price",
                     "exists:review.product_id+customer_id", "status:order.status", "linked:address.address",
                     "vocab:category.name", "vocab:product.sku", "time:customer.created_at<updated_at",
                     "after:review.created_at", "magnitude:product.price"):
        assert expected in ids, expected
    roles = {r.table.name: r.role for r in plan.rules.of(TableRole)}
    assert roles["category"] == "lookup" and roles["order_item"] == "detail" and roles["customer"] == "entity"
    assert plan.rows(next(n for n in plan.order if n.name == "order_item")) == 150  # lines: 3 x --rows


@pytest.mark.parametrize(("schema_file", "rule_id"), [
    ("pagila/postgres.sql", "agree:public.payment.customer_id"),
    ("pagila/postgres.sql", "agree:public.rental.staff_id"),
    ("pagila/postgres.sql", "linked:public.customer.flags:active"),
    ("pagila/postgres.sql", "time:public.rental.rental_date<return_date"),
    ("chinook/postgres.sql", "aggregate:invoice.total"),
    ("chinook/postgres.sql", "copy:invoice.billing_country"),
    ("northwind/postgres.sql", "time:orders.order_date<shipped_date"),
    ("northwind/postgres.sql", "linked:employees.person"),
    ("employees/mysql.sql", "exists:dept_manager.emp_no+dept_no"),
    ("employees/mysql.sql", "periods:salaries.from_date..to_date"),
    ("employees/mysql.sql", "time:employees.birth_date<hire_date"),
    ("adventureworks/postgres.sql", "expr:sales.salesorderheader.totaldue"),
    ("adventureworks/postgres.sql", "agree:sales.salesorderheader.customerid"),
    ("adventureworks/postgres.sql", "linked:sales.creditcard.card"),
    ("adventureworks/postgres.sql", "expr:production.product.standardcost"),
])
def test_corpus_rules_are_inferred(schema_file: str, rule_id: str) -> None:
    plan = api.build_plan(api.read_schema(schema_path(schema_file)), 20)
    assert rule_id in rule_ids(plan)


def test_agreement_follows_ownership_not_every_shared_ancestor() -> None:
    plan = api.build_plan(api.read_schema(schema_path("pagila/postgres.sql")), 20)
    agreements = plan.rules.of(Agreement)
    # a payment's customer is its rental's customer
    payment = next(r for r in agreements if r.id == "agree:public.payment.customer_id")
    assert [h.ref_table.name for h in payment.first] == ["rental", "customer"]
    # a customer's address and its store's address are not required to agree (an address is a place, not owned)
    assert not any(r.table.name == "customer" for r in agreements)
    existence = api.build_plan(api.read_schema(SHOP), 20).rules.of(Existence)
    assert [e.witness.name for e in existence] == ["order_item"]


def test_lookup_tables_are_small_and_rows_scale_the_database() -> None:
    schema = api.read_schema(schema_path("chinook/postgres.sql"))
    small, big = api.build_plan(schema, 20), api.build_plan(schema, 2000)
    rows = {n.name: big.rows(n) for n in big.order}
    assert rows["genre"] <= 50 and rows["media_type"] <= 50
    assert rows["invoice_line"] == 3 * rows["invoice"]
    assert sum(big.rows(n) for n in big.order) > 50 * sum(small.rows(n) for n in small.order)


def test_every_rule_kind_round_trips_through_settings() -> None:
    plan = api.build_plan(api.read_schema(schema_path("adventureworks/postgres.sql")), 20)
    kinds = Counter(r.kind for r in plan.rules)
    assert set(kinds) >= set(RULE_KINDS) - {"pin", "status", "exists"}  # AdventureWorks has neither
    json.dumps([r.settings() for r in plan.rules])


# ------------------------------------------------------------------------------------------------------- config


def test_config_switches_a_rule_off_adds_one_and_pins_columns(tmp_path: Path) -> None:
    config = tmp_path / "seeder.toml"
    config.write_text("""
[rules."status:order.status"]
enabled = false

[rules."expr:order_item.unit_price"]
expression = "quantity * 2"

[rules."time:review.created_at<created_at"]
enabled = false

[columns."order.status"]
choices = ["paid", "shipped"]
weights = [3, 1]

[columns."product.name"]
faker = "catch_phrase"
""", encoding="utf-8")
    cfg = load_config(config)
    schema = api.read_schema(SHOP)
    plan = api.build_plan(schema, 40, rules=cfg.rules, columns=cfg.columns)
    ids = rule_ids(plan)
    assert "status:order.status" not in ids and "status:order.status" in plan.rules.switched_off
    added = plan.rules.by_id()["expr:order_item.unit_price"]
    assert isinstance(added, RowExpression) and added.origin == "config"
    data = api.generate(schema, plan, seed=3)
    statuses = table_values(data, "order", "status")
    assert set(statuses) == {"paid", "shipped"} and statuses.count("paid") > statuses.count("shipped")
    q, p = table_values(data, "order_item", "quantity"), table_values(data, "order_item", "unit_price")
    assert all(price == qty * 2 for qty, price in zip(q, p, strict=True))
    from seeder.generate.row_rules import faker_pool

    assert set(table_values(data, "product", "name")) <= set(faker_pool("catch_phrase"))


def test_set_pins_a_column_for_one_run_and_the_status_timeline_follows() -> None:
    schema = api.read_schema(SHOP)
    plan = api.build_plan(schema, 40, sets=["order.status=pending"])
    assert isinstance(plan.rules.by_id()["pin:order.status"], Pin)
    data = api.generate(schema, plan, seed=1)
    assert set(table_values(data, "order", "status")) == {"pending"}
    assert all(v is None for v in table_values(data, "order", "shipped_at"))  # nothing shipped while pending


def test_pin_expression_reads_the_fk_parent() -> None:
    schema = api.read_schema(SHOP)
    plan = api.build_plan(schema, 30, columns={"order_item.unit_price": {"expression": "product.price * 2"}})
    data = api.generate(schema, plan, seed=2)
    prices = dict(zip(table_values(data, "product", "product_id"), table_values(data, "product", "price"),
                      strict=True))
    items = zip(table_values(data, "order_item", "product_id"), table_values(data, "order_item", "unit_price"),
                strict=True)
    assert all(price == prices[pid] * 2 for pid, price in items)


@pytest.mark.parametrize(("section", "message"), [
    ({"nope:order.status": {}}, "unknown rule kind"),
    ({"time:order.ordered_at<nope": {}}, "no column 'nope'"),
    ({"expr:order_item.unit_price": {"expresion": "1"}}, "did you mean expression"),
    ({"vocab:nosuchtable.name": {"domain": "x"}}, "no table"),
])
def test_config_mistakes_are_one_line_errors(section: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        api.build_plan(api.read_schema(SHOP), 10, rules=section)


def test_cli_set_and_bad_pin_errors(tmp_path: Path) -> None:
    out = tmp_path / "out.sql"
    ok = CliRunner().invoke(cli, ["generate", SHOP, "--rows", "5", "--set", "order.status=paid", "-o", str(out)])
    assert ok.exit_code == 0, ok.output
    assert "'pending'" not in out.read_text(encoding="utf-8").split('INSERT INTO "order"')[1].split(";")[0]
    bad = CliRunner().invoke(cli, ["plan", SHOP, "--set", "order.nope=1"])
    assert bad.exit_code == 1 and bad.output.strip().startswith("Error:") and "nope" in bad.output


# ------------------------------------------------------------------------------------- plan output, write-config


def test_plan_shows_every_rule_in_text_and_json() -> None:
    schema = api.read_schema(schema_path("pagila/postgres.sql"))
    plan = api.build_plan(schema, 20)
    text = CliRunner().invoke(cli, ["plan", str(schema_path("pagila/postgres.sql")), "--rows", "20"])
    assert text.exit_code == 0, text.output
    for rule in plan.rules:
        assert rule.id in text.output
    data = json.loads(CliRunner().invoke(cli, ["plan", str(schema_path("pagila/postgres.sql")), "--rows", "20",
                                               "--json"]).output)
    assert [r["id"] for r in data["rules"]] == [r.id for r in plan.rules]
    assert all(r["why"] for r in data["rules"])


def test_write_config_round_trip_keeps_user_settings(tmp_path: Path) -> None:
    config = tmp_path / "seeder.toml"
    config.write_text('# my settings\nrows = 7\n\n[rules."status:order.status"]\nenabled = false\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["plan", SHOP, "--config", str(config), "--write-config", str(config)])
    assert result.exit_code == 0, result.output
    text = config.read_text(encoding="utf-8")
    assert text.startswith("# my settings\nrows = 7")
    cfg = load_config(config)
    schema = api.read_schema(SHOP)
    first = api.build_plan(schema, 7, rules={'status:order.status': {"enabled": False}})
    again = api.build_plan(schema, 7, rules=cfg.rules, columns=cfg.columns)
    assert [r.settings() for r in again.rules] == [r.settings() for r in first.rules]
    assert again.rules.switched_off == ("status:order.status",)
    assert all(r.origin == "config" for r in again.rules if r.id != "status:order.status")


# ------------------------------------------------------------------------------------------ generated rows


def test_row_rules_are_deterministic_and_chunk_order_free() -> None:
    schema = api.read_schema(schema_path("northwind/postgres.sql"))
    plan = api.build_plan(schema, 40)
    assert sql_text(api.generate(schema, plan, seed=5)) == sql_text(api.generate(schema, plan, seed=5))
    assert sql_text(api.generate(schema, plan, seed=5)) != sql_text(api.generate(schema, plan, seed=6))


def test_codes_are_shaped_and_check_digits_hold() -> None:
    schema = api.read_schema(SHOP)
    data = api.generate(schema, api.build_plan(schema, 200), seed=1)
    skus = table_values(data, "product", "sku")
    assert len(set(skus)) == len(skus)
    assert all(s[:2].isalpha() and s[2:].isdigit() and luhn_valid(s) for s in skus)


def test_time_order_lags_are_days_and_birth_precedes_hire_by_adult_years() -> None:
    schema = api.read_schema(schema_path("employees/mysql.sql"))
    plan = api.build_plan(schema, 100)
    assert any(isinstance(r, TimeOrder) and r.lag.unit == "years" for r in plan.rules)
    data = api.generate(schema, plan, seed=1)
    births, hires = table_values(data, "employees", "birth_date"), table_values(data, "employees", "hire_date")
    assert all((h - b).days >= 18 * 365 for b, h in zip(births, hires, strict=True))


# ------------------------------------------------------------------------------------------------ LLM plan review


def _review_server(proposals: list[dict]) -> type:
    """A chat-completions handler that answers every request with ``proposals`` and counts requests."""
    from http.server import BaseHTTPRequestHandler

    class Handler(BaseHTTPRequestHandler):
        requests: ClassVar[list[dict]] = []

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["content-length"])))
            Handler.requests.append(body)
            content = json.dumps({"proposals": proposals})
            answer = json.dumps({"id": "x", "object": "chat.completion", "created": 0, "model": body["model"],
                                 "choices": [{"index": 0, "finish_reason": "stop",
                                              "message": {"role": "assistant", "content": content}}],
                                 "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20}})
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer.encode())

        def log_message(self, *args: object) -> None:
            return

    return Handler


def test_llm_review_adds_checked_rules_in_one_cached_call(tmp_path: Path) -> None:
    from tests.engines import serve_http
    from tests.llm_server import settings_for

    proposals = [
        {"id": "magnitude:product.stock", "settings": '{"low": 0, "high": 40}', "why": "a small shop's stock"},
        {"id": "vocab:nosuch.column", "settings": '{"domain": "x"}', "why": "a table that does not exist"},
        {"id": "expr:order_item.quantity", "settings": '{"expresion": "1"}', "why": "a misspelt setting"},
        {"id": "status:order.status", "settings": "{}", "why": "already inferred: not replaced"},
        {"id": "'); DROP TABLE x; --", "settings": "not json", "why": "junk"},
    ]
    handler = _review_server(proposals)
    schema = api.read_schema(SHOP)
    plan = api.build_plan(schema, 20)

    class Server:
        base_url: str

    with serve_http(handler) as url:
        server = Server()
        server.base_url = url
        settings = settings_for(server, tmp_path / "cache")  # type: ignore[arg-type]
        extra = api.review_plan(schema, plan, settings)
        again = api.review_plan(schema, plan, settings)
    assert [r.id for r in extra] == ["magnitude:product.stock"] == [r.id for r in again]
    assert extra[0].origin == "llm" and extra[0].why == "a small shop's stock"
    assert len(handler.requests) == 1  # the second review came from the cache
    prompt = handler.requests[0]["messages"][-1]["content"]
    assert "status:order.status" in prompt and "order_item" in prompt
    reviewed = api.build_plan(schema, 20, extra_rules=extra)
    assert reviewed.rules.by_id()["magnitude:product.stock"].origin == "llm"
    data = api.generate(schema, reviewed, seed=1)
    assert all(0 <= s <= 40 for s in table_values(data, "product", "stock"))


def test_plan_llm_shows_the_reviews_rules(tmp_path: Path) -> None:
    from tests.engines import serve_http

    handler = _review_server([{"id": "magnitude:product.stock", "settings": '{"low": 0, "high": 40}',
                               "why": "a small shop's stock"}])
    with serve_http(handler) as url:
        result = CliRunner().invoke(cli, ["plan", SHOP, "--llm", "--llm-base-url", url, "--cache-dir",
                                          str(tmp_path / "cache")])
    assert result.exit_code == 0, result.output
    assert "magnitude:product.stock: stock: 0..40 (uniform)  (a small shop's stock) [llm]" in result.output
