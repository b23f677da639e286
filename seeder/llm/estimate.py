"""``seeder plan --llm``: how many calls and tokens a run would spend, before anything is spent.

The estimate runs the local generator on a small copy of the plan (at most ``rows_per_call`` rows per table), which
yields the exact content requests the engine would make, then builds the real first prompt of every table and
measures it. Tokens are counted as characters / 4 (OpenAI's rule of thumb for English; actual tokenisers differ by
model, typically within 25%). Output tokens are estimated from the same rows rendered as the answer JSON, the local
values standing in for the model's. Repair round-trips (at most one per batch, only when an answer breaks rules)
and cache hits are not included.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from seeder.generate.engine import ContentRequest, LocalContent, generate
from seeder.llm.accounting import TableAccount
from seeder.llm.config import LLMSettings, hints_for
from seeder.llm.content import choose_mode
from seeder.llm.job import TableJob
from seeder.llm.pools import PoolsRun
from seeder.llm.prompt import estimate_tokens, jsonable, pools_messages, rows_messages
from seeder.llm.rows import RowsRun
from seeder.plan.model import Plan
from seeder.schema import Schema


@dataclass(frozen=True)
class TableEstimate:
    """Expected cost of one table: mode, rows, calls, input and output tokens (0 calls: nothing for the model)."""

    table: str
    mode: str
    rows: int
    calls: int
    input_tokens: int
    output_tokens: int


class _Recorder(LocalContent):
    """The local content source, keeping every request and what was filled for it."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[ContentRequest, dict[str, list[Any]]]] = []

    def fill(self, requests: Sequence[ContentRequest]) -> list[dict[str, list[Any]]]:
        """Fill locally and remember each request with its values."""
        filled = super().fill(requests)
        self.seen.extend(zip(requests, filled, strict=True))
        return filled


def estimate(schema: Schema, plan: Plan, settings: LLMSettings, *, seed: int = 0) -> list[TableEstimate]:
    """Per-table estimates for generating ``plan`` with the model, in insert order.

    Raises:
        GenerationError: as :func:`seeder.generate.engine.generate` (the sample run generates real rows).
    """
    sample = max(settings.rows_per_call, 1)
    small = replace(plan, tables={name: replace(tp, rows=min(tp.rows, sample)) for name, tp in plan.tables.items()})
    recorder = _Recorder()
    generate(schema, small, seed=seed, content=recorder)
    by_table = {req.table.name: (req, filled) for req, filled in recorder.seen}
    out = []
    for name in plan.order:
        rows = plan.rows(name)
        if name not in by_table:
            out.append(TableEstimate(str(name), "none", rows, 0, 0, 0))
            continue
        req, filled = by_table[name]
        out.append(_table_estimate(req, filled, rows, settings))
    return out


def _table_estimate(req: ContentRequest, filled: dict[str, list[Any]], rows: int,
                    settings: LLMSettings) -> TableEstimate:
    hints = hints_for(settings.hints, req.table.name.schema, req.table.name.name)
    job = TableJob.create(req, choose_mode(settings, rows), TableAccount(), hints)
    if not job.fill:
        return TableEstimate(job.name, "local", rows, 0, 0, 0)
    for c in job.fill:
        job.values[c] = list(filled[c])
    if job.mode == "pools":
        run = PoolsRun(job, None, pool_size=settings.pool_size, example_rows=settings.example_rows,  # type: ignore[arg-type]
                       describe=settings.describe)
        messages = pools_messages(req.table, job.specs, job.fill, run.parent_samples(), pool_size=settings.pool_size,
                                  example_rows=settings.example_rows, describe=settings.describe, hints=hints)
        per_value = _tokens_per_value(job)
        output = int(sum(per_value.values()) * (settings.pool_size + settings.example_rows)) + 10
        return TableEstimate(job.name, "pools", rows, 1, _prompt_tokens(messages, run.schema), output)
    runner = RowsRun(job, None, rows_per_call=settings.rows_per_call, describe=settings.describe)  # type: ignore[arg-type]
    batch = runner.batches()[0]
    messages = rows_messages(req.table, job.specs, job.fill, [runner.context(i) for i in batch],
                             runner.examples(batch), describe=settings.describe, hints=hints, key=job.key)
    answer = json.dumps({"rows": [{job.key: i, **{c: jsonable(job.values[c][i]) for c in job.fill}} for i in batch]},
                        ensure_ascii=False)
    calls = math.ceil(rows / settings.rows_per_call)
    per_row_in = _prompt_tokens(messages, runner.schema) / max(len(batch), 1)
    per_row_out = estimate_tokens(answer) / max(len(batch), 1)
    return TableEstimate(job.name, "rows", rows, calls, int(per_row_in * rows), int(per_row_out * rows))


def _prompt_tokens(messages: Sequence[dict[str, str]], schema: dict[str, Any]) -> int:
    text = "".join(m["content"] for m in messages) + json.dumps(schema)
    return estimate_tokens(text) + 4 * len(messages)


def _tokens_per_value(job: TableJob) -> dict[str, float]:
    out = {}
    for c in job.fill:
        values = [jsonable(v) for v in job.values[c] if v is not None]
        text = json.dumps(values, ensure_ascii=False)
        out[c] = estimate_tokens(text) / max(len(values), 1)
    return out
