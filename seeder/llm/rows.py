"""Rows mode: the model writes every content cell, ``rows_per_call`` rows per request.

Batches are fixed slices of the table (rows ``0..k-1``, ``k..2k-1``, ...), so what each request holds never depends
on timing. The first :data:`OPEN_BATCHES` batches go at once, without examples; every later batch waits for the
first batch and shows a few of its rows as examples ("rows already in the table: do not repeat them"). Which batch
carries which examples is fixed by its position alone, and the first wave keeps the connection slots busy while the
first batch is on its way. Every row carries its parent rows and decided values.

Per batch: read the answer, validate every cell and then every row's CHECKs, send the problems back once, take the
corrected cells that now pass, and fill whatever still fails locally.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from typing import Any

from seeder.llm.caller import Caller
from seeder.llm.job import PENDING, TableJob
from seeder.llm.prompt import (
    DECIDED_COLUMNS,
    ParentIndex,
    fk_label,
    jsonable,
    parent_indexes,
    repair_messages,
    rows_messages,
)
from seeder.llm.response_schema import rows_schema, schema_name
from seeder.llm.validate import CellProblem, InvalidValue, convert_cell, row_problems

#: Rows of the first batch shown as examples to the later batches.
EXAMPLE_ROWS = 3
#: Batches sent without waiting for the first one (so without examples). A constant, not the concurrency setting:
#: prompts must not change with ``--llm-concurrency``, or the cache would miss.
OPEN_BATCHES = 4
#: Problems listed in one repair request (the rest are filled locally without asking).
MAX_PROBLEMS = 60


class RowsRun:
    """The rows-mode work for one table."""

    def __init__(self, job: TableJob, caller: Caller, *, rows_per_call: int, describe: str | None) -> None:
        self.job = job
        self.caller = caller
        self.rows_per_call = rows_per_call
        self.describe = describe
        req = job.request
        self.parents: list[ParentIndex] = parent_indexes(req.parents)
        fk_cols = {c for fk in req.table.foreign_keys for c in fk.columns}
        keys = set(req.table.primary_key.columns) if req.table.primary_key else set()
        self.decided = [c for c in req.skeleton if c not in fk_cols and c not in keys][:DECIDED_COLUMNS]
        self.schema = rows_schema(job.fill, job.specs, job.key)
        self.schema_name = schema_name(job.name, "rows")

    def batches(self) -> list[range]:
        """The fixed row slices of the table."""
        n, k = self.job.n, self.rows_per_call
        return [range(start, min(start + k, n)) for start in range(0, n, k)]

    async def run(self) -> None:
        """Fill every model cell of the table."""
        batches = self.batches()
        if not batches:
            return
        first = asyncio.ensure_future(self.batch(batches[0], []))

        async def later(rows: range) -> None:
            await asyncio.shield(first)
            await self.batch(rows, self.examples(batches[0]))

        rest = [self.batch(b, []) for b in batches[1:OPEN_BATCHES]] + [later(b) for b in batches[OPEN_BATCHES:]]
        try:
            await asyncio.gather(first, *rest)
        except BaseException:
            first.cancel()
            raise

    def examples(self, rows: range) -> list[dict[str, Any]]:
        """Up to :data:`EXAMPLE_ROWS` rows of ``rows`` as the model wrote them (content columns)."""
        out = []
        for i in rows:
            out.append({c: jsonable(self.job.values[c][i]) for c in self.job.fill})
            if len(out) == EXAMPLE_ROWS:
                break
        return out

    def context(self, i: int) -> dict[str, Any]:
        """Row ``i`` as the prompt shows it: its number, decided values and parent rows."""
        skeleton = self.job.request.skeleton
        out: dict[str, Any] = {self.job.key: i}
        decided = {c: jsonable(skeleton[c][i]) for c in self.decided}
        if decided:
            out["decided"] = decided
        parents = {}
        for p in self.parents:
            key = tuple(skeleton[c][i] for c in p.fk.columns)
            if any(k is None for k in key):
                continue
            row = p.lookup(key)
            if row is not None:
                parents[fk_label(p.fk)] = row
        if parents:
            out["parents"] = parents
        return out

    async def batch(self, rows: range, examples: list[dict[str, Any]]) -> None:
        """Ask for one batch, validate, repair once, fall back for the rest."""
        job = self.job
        messages = rows_messages(job.request.table, job.specs, job.fill, [self.context(i) for i in rows], examples,
                                 describe=self.describe, hints=job.hints, key=job.key)
        answer = await self.caller.ask(job.name, messages, self.schema_name, self.schema, kind="rows")
        if answer.text is None:
            job.fall_back(rows)
            return
        objects, general = read_rows(answer.text, list(rows), job.key)
        problems = self.accept(objects, list(rows), "llm") + general_problems(general, rows)
        if not problems:
            return
        to_fix = sorted({p.row for p in problems})
        shown = [p.as_json() for p in problems[:MAX_PROBLEMS]]
        if len(shown) < len(problems):
            shown.append({"problem": f"... and {len(problems) - len(shown)} more problems in the listed rows"})
        follow_up = repair_messages(messages, answer.text, shown, rows_to_fix=to_fix, key=job.key)
        repaired = await self.caller.ask(job.name, follow_up, self.schema_name, self.schema, kind="repair")
        if repaired.text is not None:
            objects, _ = read_rows(repaired.text, to_fix, job.key)
            self.accept(objects, to_fix, "repaired")
        job.fall_back(to_fix)

    def accept(self, objects: dict[int, dict[str, Any]], rows: Sequence[int], path: str) -> list[CellProblem]:
        """Validate the answer's rows and store the good cells as ``path``; return the problems.

        A pending cell is one not yet decided; cells decided earlier (valid in the first answer) are kept even if a
        repair answer repeats the row differently. A row's CHECKs are evaluated with every cell that passed the
        column rules; a failing CHECK rejects the model cells it mentions.
        """
        job = self.job
        problems: list[CellProblem] = []
        for i in rows:
            obj = objects.get(i)
            pending = [c for c in job.fill if job.values[c][i] is PENDING]
            if not pending:
                continue
            if obj is None:
                problems.append(CellProblem(i, "*", None, "row missing from the answer"))
                continue
            good: dict[str, Any] = {}
            for c in pending:
                if c not in obj:
                    problems.append(CellProblem(i, c, None, "missing"))
                    continue
                try:
                    good[c] = convert_cell(obj[c], job.specs[c], job.request.table)
                except InvalidValue as err:
                    problems.append(CellProblem(i, c, obj[c], str(err)))
            check_problems = row_problems(job.request.table, job.row(i, good), list(good), i)
            blamed = {p.column for p in check_problems}
            problems.extend(check_problems)
            for c, value in good.items():
                if c not in blamed:
                    job.set_cell(i, c, value, path)
        return problems


def general_problems(general: list[str], rows: range) -> list[CellProblem]:
    """Answer-level problems (not JSON, no rows array) as one problem on the batch's first row."""
    return [CellProblem(rows[0], "*", None, g) for g in general] if general and len(rows) else []


def read_rows(text: str, expected: list[int], key: str) -> tuple[dict[int, dict[str, Any]], list[str]]:
    """Match the answer's row objects to the expected row numbers.

    Objects with a valid, unused row number in ``key`` go to that row; the others fill the remaining expected rows
    in order (for servers that drop the key). Extra objects are ignored. Returns the objects by row number and
    answer-level problems (invalid JSON, no ``rows`` array).
    """
    try:
        doc = json.loads(text)
    except ValueError as err:
        return {}, [f"the answer is not valid JSON ({err.msg} at character {err.pos})"]
    items = doc.get("rows") if isinstance(doc, dict) else doc
    if not isinstance(items, list):
        return {}, ["the answer has no \"rows\" array"]
    objects = [item for item in items if isinstance(item, dict)]
    wanted = set(expected)
    out: dict[int, dict[str, Any]] = {}
    unkeyed = []
    for obj in objects:
        number = obj.get(key)
        if isinstance(number, int) and not isinstance(number, bool) and number in wanted and number not in out:
            out[number] = obj
        else:
            unkeyed.append(obj)
    free = [i for i in expected if i not in out]
    for i, obj in zip(free, unkeyed, strict=False):
        out[i] = obj
    return out, []
