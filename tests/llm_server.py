"""A fake OpenAI-compatible chat-completions server for tests and benchmarks (stdlib only, no key, no network).

``FakeLLM`` runs a real HTTP server (``http.server.ThreadingHTTPServer``) on ``127.0.0.1`` in a background thread and
answers ``POST /v1/chat/completions`` the way OpenAI does: a ``chat.completion`` object whose message content is
JSON following the request's ``response_format`` JSON schema, with ``usage`` token counts (one token per four
characters). Values are made up per property: integers/numbers inside the range stated in the property's
description (``between A and B``), strings within ``at most N characters``, enum members, dates in ISO format.
How many rows/pool values to return is read from the prompt's DATA block (the row numbers to fill, ``pool_size``,
``example_rows``), like a model reading its instructions.

Knobs (plain attributes, safe to change between requests):

* ``latency`` — seconds to sleep before answering each request;
* ``models`` — accepted model names (``None``: any); others get OpenAI's 404 ``model_not_found``;
* ``json_schema`` — ``False`` makes ``response_format`` type ``json_schema`` a 400 (like servers without it);
* ``script`` — faults for the next requests, consumed one per request (``None`` entries = normal answers);
  ``fault`` — the fault for every request after the script (``None``: normal);
* ``retry_after`` — the ``Retry-After`` header value sent with 429s; ``slow_seconds`` — delay of ``slow``;
* ``designs`` — answers to schema-design requests (``seeder design``), consumed one per request (a first answer
  with errors and a repaired second one, or two broken ones); ``design`` — the answer once ``designs`` is used up
  (default :data:`SENTENCE_DESIGN`, a model's design for :data:`SENTENCE`).

Faults: ``rate_limit`` (429 + Retry-After), ``server_error`` (500), ``slow`` (answers after ``slow_seconds``),
``malformed`` (truncated JSON), ``missing_fields``, ``extra_fields``, ``too_few``, ``too_many``, ``bad_values``
(too long strings, out-of-range numbers, labels outside the enum, wrong types), ``nasty`` (strings with quotes,
backslashes, newlines, NUL and ``'); DROP TABLE x; --``), ``duplicates`` (the same string in every row),
``empty`` (empty content), ``bad_key`` (401), ``echo_key`` (401 whose message repeats the key it was sent).

``log`` keeps every request: ``{"path", "body" (parsed JSON), "authorization" (or Azure's ``api-key``), "fault"}``;
``max_in_flight`` the most requests it was answering at once.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

#: Strings that must survive every sink and loader unchanged (NUL is stripped by the sinks' NUL policy).
NASTY_STRINGS = [
    "O'Reilly \"quoted\"",
    "back\\slash \\n not a newline",
    "line one\nline two\r\nline three",
    "nul\x00inside",
    "'); DROP TABLE x; --",
    "%s %(name)s :param ? $1",
    "emoji \U0001f600 and accents éü",
]
#: The description of issue 14's "done when", and a design a model would answer with (as structured output).
SENTENCE = ("customers with a name, a unique email, a G7 country and a last login in the past 90 days; "
            "orders with 1 to 5 lines each")
G7 = ("Canada", "France", "Germany", "Italy", "Japan", "United Kingdom", "United States")
SENTENCE_DESIGN: dict[str, Any] = {
    "tables": [
        {"name": "customers", "comment": "people who order", "primary_key": ["customer_id"], "unique": [["email"]],
         "foreign_keys": [], "columns": [
             {"name": "customer_id", "type": "integer", "nullable": False, "comment": None},
             {"name": "name", "type": "varchar(100)", "nullable": False, "comment": "full name"},
             {"name": "email", "type": "varchar(255)", "nullable": False, "comment": None},
             {"name": "country", "type": "varchar(40)", "nullable": False, "comment": "a G7 member state"},
             {"name": "last_login", "type": "timestamp", "nullable": False, "comment": None}]},
        {"name": "orders", "comment": None, "primary_key": ["order_id"], "unique": [],
         "foreign_keys": [{"columns": ["customer_id"], "references": "customers", "ref_columns": ["customer_id"]}],
         "columns": [
             {"name": "order_id", "type": "integer", "nullable": False, "comment": None},
             {"name": "customer_id", "type": "integer", "nullable": False, "comment": None},
             {"name": "placed_at", "type": "timestamp", "nullable": False, "comment": None}]},
        {"name": "order_lines", "comment": "the lines of an order", "primary_key": ["order_id", "line_no"],
         "unique": [], "foreign_keys": [{"columns": ["order_id"], "references": "orders",
                                         "ref_columns": ["order_id"]}],
         "columns": [
             {"name": "order_id", "type": "integer", "nullable": False, "comment": None},
             {"name": "line_no", "type": "smallint", "nullable": False, "comment": "1, 2, ... within the order"},
             {"name": "product", "type": "varchar(80)", "nullable": False, "comment": None},
             {"name": "quantity", "type": "integer", "nullable": False, "comment": None},
             {"name": "unit_price", "type": "numeric(10,2)", "nullable": False, "comment": None}]},
    ],
    "rules": [
        {"text": "the country is a G7 country", "table": "customers", "column": "country",
         "check": "country IN (" + ", ".join(f"'{c}'" for c in G7) + ")"},
        {"text": "the last login is in the past 90 days", "table": "customers", "column": "last_login",
         "check": None},
        {"text": "an order has at most 5 lines", "table": "order_lines", "column": "line_no",
         "check": "line_no BETWEEN 1 AND 5"},
        {"text": "every order has at least one line", "table": "orders", "column": None, "check": None},
        {"text": "quantities are positive", "table": "order_lines", "column": "quantity", "check": "quantity > 0"},
    ],
}
_WORDS = ["amber", "harbor", "velvet", "quartz", "meadow", "cobalt", "ember", "willow", "summit", "lagoon", "cedar",
          "falcon", "orchid", "prairie", "granite", "saffron", "tundra", "zephyr", "juniper", "onyx"]


class _QuietServer(ThreadingHTTPServer):
    """A client that hangs up mid-response (a timeout test, an interrupted run) is normal here: socketserver would
    print a traceback to stderr, which tests capture and read as seeder's own output."""

    def handle_error(self, request: object, client_address: object) -> None:
        import sys

        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError, TimeoutError)):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


def parse_data_block(text: str) -> dict[str, Any] | None:
    """The JSON object of the first DATA block of a prompt (``seeder.llm.prompt.data_block``), or None."""
    match = re.search(r"```json\n(.*?)\n```", text, re.DOTALL)
    if not match:
        return None
    try:
        value = json.loads(match.group(1))
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


class _Maker:
    """Makes values that follow a JSON schema (plus the limits written in descriptions)."""

    def __init__(self, rng: random.Random, fault: str | None) -> None:
        self.rng = rng
        self.fault = fault

    def value(self, schema: dict[str, Any], name: str, row: int) -> Any:
        types = schema.get("type")
        nullable = isinstance(types, list) and "null" in types
        kind = next((t for t in types if t != "null"), "string") if isinstance(types, list) else (types or "string")
        desc = str(schema.get("description", ""))
        if self.fault == "bad_values":
            return self.bad(schema, kind, desc, row)
        enum = [e for e in schema.get("enum", []) if e is not None]
        if enum:
            return self.rng.choice(enum)
        if nullable and self.rng.random() < 0.05:
            return None
        if kind == "integer":
            lo, hi = self.bounds(desc, -1000, 1000)
            return self.rng.randint(int(lo), int(hi))
        if kind == "number":
            lo, hi = self.bounds(desc, 0, 1000)
            return round(self.rng.uniform(lo, hi), 2)
        if kind == "boolean":
            return self.rng.random() < 0.5
        if kind == "array":
            return [self.value(schema.get("items", {}), name, row) for _ in range(self.rng.randint(1, 3))]
        return self.string(desc, name, row)

    def bounds(self, desc: str, lo: float, hi: float) -> tuple[float, float]:
        m = re.search(r"between (-?[\d.]+) and (-?[\d.]+)", desc)
        if m:
            return float(m.group(1)), float(m.group(2))
        least = re.search(r"(?:at least|greater than) (-?[\d.]+)\b(?! characters)", desc)
        most = re.search(r"(?:at most|less than) (-?[\d.]+)\b(?! characters)", desc)
        if least:
            lo = float(least.group(1)) + (1 if "greater than" in least.group(0) else 0)
            hi = max(hi, lo + 10)
        if most:
            hi = float(most.group(1)) - (1 if "less than" in most.group(0) else 0)
            lo = min(lo, hi - 10)
        m = re.search(r"^\w+\((\d+),\s*(\d+)\)", desc)
        if m:
            p, s = [int(g) for g in m.groups() if g is not None][:2]
            top = 10 ** (p - s) - 1
            lo, hi = max(lo, 0), min(hi, top)
        m = re.search(r"^smallint", desc, re.IGNORECASE)
        if m:
            lo, hi = max(lo, -32768), min(hi, 32767)
        return lo, hi

    def string(self, desc: str, name: str, row: int) -> str:
        if "YYYY-MM-DD HH:MM:SS" in desc or "YYYY-MM-DDTHH" in desc:
            when = datetime(2020, 1, 1) + timedelta(minutes=self.rng.randint(0, 3 * 365 * 24 * 60))
            return when.strftime("%Y-%m-%dT%H:%M:%SZ" if "UTC" in desc else "%Y-%m-%d %H:%M:%S")
        if "YYYY-MM-DD" in desc:
            return (date(2020, 1, 1) + timedelta(days=self.rng.randint(0, 1500))).isoformat()
        if "HH:MM:SS" in desc:
            return f"{self.rng.randint(0, 23):02d}:{self.rng.randint(0, 59):02d}:00"
        if "IP network" in desc:
            return f"10.{self.rng.randint(0, 255)}.0.0/16"
        if "IP address" in desc:
            return f"192.168.{self.rng.randint(0, 255)}.{self.rng.randint(1, 254)}"
        if "MAC address" in desc:
            return ":".join(f"{self.rng.randint(0, 255):02x}" for _ in range(6))
        if "JSON document" in desc:
            return json.dumps({"note": self.rng.choice(_WORDS)})
        m = re.search(r"comma-separated subset of: (.*)$", desc)
        if m:
            labels = [p.strip() for p in m.group(1).split(",")]
            return ",".join(sorted(set(self.rng.sample(labels, min(2, len(labels))))))
        limit = re.search(r"at most (\d+) characters", desc)
        cap = int(limit.group(1)) if limit else 60
        like = re.search(r"matching SQL LIKE '((?:[^']|'')*)'", desc)
        if like and self.fault != "nasty":
            filler = "same" if self.fault == "duplicates" else self.rng.choice(_WORDS)
            return like.group(1).replace("''", "'").replace("%", filler).replace("_", "x")[:cap]
        if self.fault == "nasty":
            text = NASTY_STRINGS[(row + len(name)) % len(NASTY_STRINGS)]
        elif self.fault == "duplicates":
            text = "same value"
        else:
            text = f"{name.replace('_', ' ').title()} {self.rng.choice(_WORDS)} {row}"
        return text[:cap]

    def bad(self, schema: dict[str, Any], kind: str, desc: str, row: int) -> Any:
        choice = row % 4
        if kind in ("integer", "number"):
            lo, hi = self.bounds(desc, -1000, 1000)
            return [hi + 1_000_000, lo - 1_000_000, "not a number", True][choice]
        if schema.get("enum"):
            return ["NOT-A-LABEL", 12, "", None][choice]
        if kind == "boolean":
            return ["maybe", 7, None, "yes"][choice]
        limit = re.search(r"at most (\d+) characters", desc)
        cap = int(limit.group(1)) if limit else 50
        return ["x" * (cap + 5), {"an": "object"}, 12345, "y" * (cap + 1)][choice]


def _instance(schema: dict[str, Any], maker: _Maker, data: dict[str, Any], fault: str | None) -> Any:
    """An answer for the rows or pools schema."""
    props = schema.get("properties", {})
    if "rows" in props:
        item = props["rows"].get("items", {})
        key = next((k for k in item.get("properties", {}) if k.lstrip("_") == "row"), "_row")
        wanted = data.get("rows_to_fix")
        if wanted is None:
            wanted = [r.get(key) for r in data.get("rows", []) if isinstance(r, dict)]
        if not wanted:
            wanted = list(range(3))
        if fault == "too_few":
            wanted = wanted[: max(len(wanted) // 2, 1)]
        rows = [_row(item, maker, n, key, fault) for n in wanted]
        if fault == "too_many":
            rows += [_row(item, maker, 10_000 + i, key, fault) for i in range(3)]
        return {"rows": rows}
    pools_schema = props.get("pools", {}).get("properties", {})
    size = int(data.get("pool_size", 10)) if fault != "too_few" else 1
    pools = {}
    for name, spec in pools_schema.items():
        item = spec.get("items", {})
        pools[name] = [maker.value(item, name, i) for i in range(size + (5 if fault == "too_many" else 0))]
    example_item = props.get("examples", {}).get("items", {})
    examples = [_row(example_item, maker, i, None, fault) for i in range(int(data.get("example_rows", 3)))]
    return {"pools": pools, "examples": examples}


def _row(item: dict[str, Any], maker: _Maker, number: int, key: str | None, fault: str | None) -> dict[str, Any]:
    row: dict[str, Any] = {}
    props = item.get("properties", {})
    for name, spec in props.items():
        if name == key:
            row[name] = number
        else:
            row[name] = maker.value(spec, name, number)
    if fault == "missing_fields":
        droppable = [k for k in row if k != key]
        if droppable:
            del row[droppable[number % len(droppable)]]
    if fault == "extra_fields":
        row["bogus_extra"] = "ignore me"
    return row


class FakeLLM:
    """The fake server. Use as a context manager (or :meth:`start`/:meth:`stop`); ``base_url`` ends in ``/v1``."""

    def __init__(self, *, latency: float = 0.0, models: set[str] | None = None) -> None:
        self.latency = latency
        self.models = models
        self.json_schema = True
        self.script: list[str | None] = []
        self.fault: str | None = None
        self.retry_after = "0"
        self.slow_seconds = 2.0
        self.designs: list[dict[str, Any]] = []
        self.design: dict[str, Any] = SENTENCE_DESIGN
        self.log: list[dict[str, Any]] = []
        #: Most requests being answered at the same moment (shows whether the client really ran them in parallel).
        self.max_in_flight = 0
        self._in_flight = 0
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------------------------------

    def start(self) -> FakeLLM:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in two writes; with Nagle's algorithm on, the body waits for the client's
            # delayed ACK (~40 ms on Linux) and every call would look 40 ms slower than its configured latency.
            disable_nagle_algorithm = True

            def do_POST(self) -> None:
                fake._handle(self)

            def log_message(self, format: str, *args: Any) -> None:
                return

        self._server = _QuietServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-llm", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeLLM:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    # -- requests ----------------------------------------------------------------------------------------------------

    @property
    def calls(self) -> int:
        """Chat-completion requests received."""
        return len(self.log)

    def prompts(self) -> list[str]:
        """The last user message of every request, in arrival order."""
        out = []
        for entry in self.log:
            messages = entry["body"].get("messages", []) if isinstance(entry["body"], dict) else []
            users = [m.get("content", "") for m in messages if m.get("role") == "user"]
            out.append(users[-1] if users else "")
        return out

    def _next_fault(self) -> str | None:
        with self._lock:
            if self.script:
                return self.script.pop(0)
            return self.fault

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        with self._lock:
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
        try:
            self._answer(handler)
        finally:
            with self._lock:
                self._in_flight -= 1

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("content-length") or 0)
        raw = handler.rfile.read(length)
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        fault = self._next_fault()
        auth = handler.headers.get("authorization") or handler.headers.get("api-key") or ""
        with self._lock:
            self.log.append({"path": handler.path, "body": body, "fault": fault, "authorization": auth})
        if self.latency:
            time.sleep(self.latency)
        if not handler.path.split("?")[0].rstrip("/").endswith("/chat/completions") or not isinstance(body, dict):
            self._send(handler, 404, {"error": {"message": f"no route {handler.path}",
                                                "type": "invalid_request_error"}})
            return
        model = body.get("model")
        if fault == "bad_key":
            self._send(handler, 401, {"error": {"message": "Incorrect API key provided.",
                                                "type": "invalid_request_error", "code": "invalid_api_key"}})
            return
        if fault == "echo_key":  # like OpenAI's "Incorrect API key provided: sk-abc...", but with the whole key
            self._send(handler, 401, {"error": {"message": f"Incorrect API key provided: {auth.split()[-1]}",
                                                "type": "invalid_request_error", "code": "invalid_api_key"}})
            return
        if self.models is not None and model not in self.models:
            self._send(handler, 404, {"error": {
                "message": f"The model `{model}` does not exist or you do not have access to it.",
                "type": "invalid_request_error", "param": None, "code": "model_not_found"}})
            return
        fmt = body.get("response_format") or {}
        if fmt.get("type") == "json_schema" and not self.json_schema:
            self._send(handler, 400, {"error": {"message": "response_format json_schema is not supported",
                                                "type": "invalid_request_error", "param": "response_format"}})
            return
        if fault == "rate_limit":
            self._send(handler, 429, {"error": {"message": "Rate limit reached", "type": "requests"}},
                       headers={"Retry-After": self.retry_after})
            return
        if fault == "server_error":
            self._send(handler, 500, {"error": {"message": "The server had an error", "type": "server_error"}})
            return
        if fault == "slow":
            time.sleep(self.slow_seconds)
        content = self._content(body, fault)
        prompt_chars = sum(len(str(m.get("content", ""))) for m in body.get("messages", []))
        answer = {
            "id": "chatcmpl-fake", "object": "chat.completion", "created": 0, "model": model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content, "refusal": None},
                         "finish_reason": "stop", "logprobs": None}],
            "usage": {"prompt_tokens": prompt_chars // 4, "completion_tokens": len(content) // 4,
                      "total_tokens": prompt_chars // 4 + len(content) // 4},
        }
        self._send(handler, 200, answer)

    def _content(self, body: dict[str, Any], fault: str | None) -> str:
        if fault == "empty":
            return ""
        messages = body.get("messages", [])
        users = [m.get("content", "") for m in messages if m.get("role") == "user"]
        last = users[-1] if users else ""
        data = parse_data_block(last) or {}
        if data.get("task") == "repair" and "rows_to_fix" not in data:
            # a full retry: answer the original request again
            data = (parse_data_block(users[0]) or {}) if users else {}
        fmt = body.get("response_format") or {}
        schema = fmt.get("json_schema", {}).get("schema") if fmt.get("type") == "json_schema" else None
        if schema is None:  # JSON mode: the schema is spelled out at the end of the prompt
            m = re.search(r"follows this JSON schema:\n(\{.*\})\s*$", last, re.DOTALL)
            schema = json.loads(m.group(1)) if m else {}
            if data.get("task") == "repair" and "rows_to_fix" not in data:
                data = parse_data_block(users[0]) or {}
        if "tables" in schema.get("properties", {}) and "rules" in schema.get("properties", {}):
            with self._lock:
                design = self.designs.pop(0) if self.designs else self.design
            return json.dumps(design, ensure_ascii=False)
        seed = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).digest()
        maker = _Maker(random.Random(seed), fault)
        text = json.dumps(_instance(schema, maker, data, fault), ensure_ascii=False)
        if fault == "malformed":
            return text[: max(len(text) // 2, 5)]
        return text

    @staticmethod
    def _send(handler: BaseHTTPRequestHandler, status: int, payload: dict[str, Any],
              headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode("utf-8")
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                handler.send_header(k, v)
            handler.end_headers()
            handler.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
            return


# ------------------------------------------------------------------------------------------------ test helpers


def settings_for(server: FakeLLM, cache_dir: Any, **flags: Any) -> Any:
    """LLMSettings pointing at ``server`` (no key needed: it is local), caching in ``cache_dir``, fast retries.

    ``flags`` are CLI-style names (``llm_mode``, ``rows_per_call``, ``llm_concurrency``, ``llm_timeout``, ...);
    ``file`` may hold ``[llm]`` config-file settings (e.g. ``max_retries``).
    """
    from seeder.llm.config import resolve_settings

    file = {"retry_base_delay": 0.01, **flags.pop("file", {})}
    return resolve_settings(file=file, flags={"llm_base_url": server.base_url, "cache_dir": str(cache_dir), **flags},
                            env={})


def llm_run(relative: Any, rows: int, server: FakeLLM, cache: Any, *, seed: int = 1, dialect: str | None = None,
            **flags: Any) -> tuple[Any, Any]:
    """Generate ``rows`` rows per table of a schema file (relative to the shared schemas) with the LLM source
    pointed at ``server``; returns ``(dataset, content source)``."""
    from seeder import api
    from seeder.llm.content import LLMContent
    from tests.engines import schema_path

    schema = api.read_schema(schema_path(relative), dialect)
    plan = api.build_plan(schema, rows)
    content = LLMContent(settings_for(server, cache, **flags), seed=seed)
    return api.generate(schema, plan, seed=seed, content=content), content


def sql_text(data: Any, dialect: str = "postgres") -> str:
    """The dataset as a SQL script (to compare runs byte for byte)."""
    import io

    from seeder import api

    out = io.StringIO()
    api.write_sql(data, out, dialect)
    return out.getvalue()


def assert_rules_hold(data: Any) -> None:
    """Declared lengths, enum labels, NOT NULL and every CHECK hold on every row (independently of any database)."""
    from seeder.generate.checks import failing_checks

    for td in data.tables:
        for name, values in zip(td.columns, td.values, strict=True):
            col = td.table.column(name)
            for v in values:
                if v is None:
                    assert col.nullable or col.default is not None or col.autoincrement, f"{td.table.name}.{name} NULL"
                    continue
                if col.type.kind in ("varchar", "char") and col.type.length and isinstance(v, str):
                    assert len(v) <= col.type.length, f"{td.table.name}.{name}: {v!r} too long"
                if col.type.kind == "enum" and col.type.values:
                    assert v in col.type.values
        for row in td.rows():
            assert not failing_checks(td.table, dict(zip(td.columns, row, strict=True))), td.table.name


@contextmanager
def fake_llm_process(latency: float = 0.0) -> Iterator[str]:
    """A FakeLLM in a child process (``python -m tests.llm_server``); yields its base URL.

    For benchmarks: an in-process server's threads compete with the client for the GIL and slow it down, which a
    real, remote server never does.
    """
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    proc = subprocess.Popen([sys.executable, "-m", "tests.llm_server", "--latency", str(latency)], cwd=root,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        if not url.startswith("http://"):
            raise RuntimeError(f"fake LLM server did not start (printed {url!r})")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@contextmanager
def fake_llm(**kwargs: Any) -> Iterator[FakeLLM]:
    """A running :class:`FakeLLM` for the duration of a ``with`` block."""
    server = FakeLLM(**kwargs).start()
    try:
        yield server
    finally:
        server.stop()


def main() -> None:  # pragma: no cover - manual use: python -m tests.llm_server --latency 0.3
    """Serve until interrupted, printing the base URL (for trying the CLI by hand)."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--fault", default=None)
    args = parser.parse_args()
    server = FakeLLM(latency=args.latency)
    server.fault = args.fault
    server.start()
    print(server.base_url, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":  # pragma: no cover
    main()
