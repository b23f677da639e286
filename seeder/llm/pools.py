"""Pools mode: one request per table, whatever the row count; a local sampler expands the answer to every row.

The model writes, per content column, a pool of distinct candidate values, plus a few complete example rows whose
values agree with each other. Invalid pool values are dropped (and listed in one repair request when any were
found); a column whose pool ends up empty is filled by the local generator. The sampler then draws with numpy:
a share of rows (:data:`EXAMPLE_SHARE`) copy a whole example row, the rest draw each column from its pool, and
nullable columns get NULL at their usual rate. The prompt does not mention the row count, so 100 rows and 100,000
rows send the same request (and share a cache entry).
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from seeder.dataset import TableData
from seeder.llm.caller import Caller
from seeder.llm.job import TableJob
from seeder.llm.prompt import PARENT_SAMPLES, ParentIndex, fk_label, parent_indexes, pools_messages, repair_messages
from seeder.llm.response_schema import pools_schema, schema_name
from seeder.llm.validate import InvalidValue, convert_cell, row_problems

#: Share of rows that copy a whole example row (keeps some fully coherent rows among the independently drawn ones).
EXAMPLE_SHARE = 0.2
#: Problems listed in the repair request.
MAX_PROBLEMS = 40


def _hashable(value: Any) -> Any:
    return json.dumps(value, sort_keys=True, default=str) if isinstance(value, (list, dict)) else value


class Pool:
    """Distinct valid values of one column, each with the path it came from (``llm`` or ``repaired``)."""

    def __init__(self) -> None:
        self.values: list[Any] = []
        self.paths: list[str] = []
        self._seen: set[Any] = set()

    def add(self, value: Any, path: str) -> None:
        """Add ``value`` (from ``path``) unless the pool has it already."""
        key = _hashable(value)
        if key in self._seen:
            return
        self._seen.add(key)
        self.values.append(value)
        self.paths.append(path)


class PoolsRun:
    """The pools-mode work for one table."""

    def __init__(self, job: TableJob, caller: Caller, *, pool_size: int, example_rows: int,
                 describe: str | None) -> None:
        self.job = job
        self.caller = caller
        self.pool_size = pool_size
        self.example_rows = example_rows
        self.describe = describe
        self.schema = pools_schema(job.fill, job.specs)
        self.schema_name = schema_name(job.name, "pools")
        self.pools = {c: Pool() for c in job.fill}
        self.example_values: list[tuple[dict[str, Any], str]] = []

    def parent_samples(self) -> dict[str, list[dict[str, Any]]]:
        """A few rows of each parent table (its first rows: independent of this table's row count)."""
        out = {}
        for p in parent_indexes(self.job.request.parents):
            out[fk_label(p.fk)] = _first_rows(p, PARENT_SAMPLES)
        return out

    async def run(self) -> None:
        """Ask for the pools (and one repair when values were rejected), then sample every row."""
        job = self.job
        messages = pools_messages(job.request.table, job.specs, job.fill, self.parent_samples(),
                                  pool_size=self.pool_size, example_rows=self.example_rows,
                                  describe=self.describe, hints=job.hints)
        answer = await self.caller.ask(job.name, messages, self.schema_name, self.schema, kind="pools")
        if answer.text is not None:
            problems = self.accept(answer.text, "llm")
            if problems:
                distinct = {json.dumps(p, sort_keys=True, default=str): p for p in problems}
                shown = list(distinct.values())[:MAX_PROBLEMS]
                follow_up = repair_messages(messages, answer.text, shown, rows_to_fix=None, key=job.key)
                repaired = await self.caller.ask(job.name, follow_up, self.schema_name, self.schema, kind="repair")
                if repaired.text is not None:
                    self.accept(repaired.text, "repaired")
        self.expand()

    def accept(self, text: str, path: str) -> list[dict[str, Any]]:
        """Add the answer's valid pool values and example rows; return the problems found."""
        job = self.job
        try:
            doc = json.loads(text)
        except ValueError as err:
            return [{"problem": f"the answer is not valid JSON ({err.msg} at character {err.pos})"}]
        if not isinstance(doc, dict):
            return [{"problem": "the answer is not a JSON object"}]
        problems: list[dict[str, Any]] = []
        pools = doc.get("pools")
        if not isinstance(pools, dict):
            pools = {}
            problems.append({"problem": "the answer has no \"pools\" object"})
        for column in job.fill:
            candidates = pools.get(column)
            if not isinstance(candidates, list) or not candidates:
                problems.append({"column": column, "problem": "pool missing or empty"})
                continue
            for raw in candidates[: self.pool_size * 2]:
                try:
                    value = convert_cell(raw, job.specs[column], job.request.table)
                except InvalidValue as err:
                    problems.append({"column": column, "value": _short(raw), "problem": str(err)})
                    continue
                if value is None:
                    continue
                if row_problems(job.request.table, {column: value}, [column], 0):
                    problems.append({"column": column, "value": _short(raw), "problem": "breaks a CHECK"})
                    continue
                self.pools[column].add(value, path)
        examples = doc.get("examples")
        if isinstance(examples, list):
            for obj in examples[: self.example_rows * 2]:
                row = self._example(obj)
                if row is not None:
                    self.example_values.append((row, path))
        return problems

    def _example(self, obj: Any) -> dict[str, Any] | None:
        """A fully valid example row (content columns), or None."""
        if not isinstance(obj, dict):
            return None
        job = self.job
        row: dict[str, Any] = {}
        for column in job.fill:
            if column not in obj:
                return None
            try:
                row[column] = convert_cell(obj[column], job.specs[column], job.request.table)
            except InvalidValue:
                return None
        if row_problems(job.request.table, row, list(row), 0):
            return None
        return row

    def expand(self) -> None:
        """Fill every row: example rows for a share of them, pool draws for the rest, locally where a pool is empty."""
        job = self.job
        n = job.n
        rng = job.request.rng_for("#llm-examples")
        use_example = np.zeros(n, dtype=bool)
        which = np.zeros(n, dtype=np.int64)
        if self.example_values:
            use_example = rng.random(n) < EXAMPLE_SHARE
            which = rng.integers(0, len(self.example_values), n)
        for column in job.fill:
            pool = self.pools[column]
            spec = job.specs[column]
            if not pool.values:
                job.fall_back(range(n), [column])
                continue
            crng = job.request.rng_for(f"{column}#llm-pool")
            picks = crng.integers(0, len(pool.values), n)
            nulls = (crng.random(n) < spec.null_fraction) if spec.column.nullable and spec.null_fraction > 0 \
                else np.zeros(n, dtype=bool)
            values = job.values[column]
            counts = {"llm": 0, "repaired": 0}
            for i in range(n):
                if use_example[i]:
                    row, path = self.example_values[int(which[i])]
                    values[i] = row[column]
                elif nulls[i]:
                    values[i], path = None, "llm"
                else:
                    k = int(picks[i])
                    values[i], path = pool.values[k], pool.paths[k]
                counts[path] += 1
            job.account.cells_llm += counts["llm"]
            job.account.cells_repaired += counts["repaired"]


def _first_rows(parent: ParentIndex, limit: int) -> list[dict[str, Any]]:
    data: TableData = parent.data
    return [parent.row(i) for i in range(min(limit, data.row_count))]


def _short(value: Any) -> Any:
    if isinstance(value, str) and len(value) > 80:
        return value[:77] + "..."
    return value
