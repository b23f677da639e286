"""The LLM content source: plugs into the generation engine as its :class:`~seeder.generate.engine.ContentSource`.

The engine decides every table's skeleton (keys, unique columns, foreign keys) and calls :meth:`LLMContent.fill`
once per topological generation with the content still to write. Here each table becomes a job in rows mode or
pools mode (``auto``: rows up to ``auto_threshold`` rows, pools above); all jobs of the generation run concurrently
on one event loop, bounded by the concurrency semaphore. The engine afterwards repairs column relations and
re-checks every CHECK and unique constraint, so integrity never depends on the model; this module still validates
everything the model returns and counts, per table, how each cell was made.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
from collections.abc import Callable, Coroutine, Sequence
from typing import Any, TypeVar

from seeder.generate.engine import ContentRequest
from seeder.llm.accounting import Accounting, Budget
from seeder.llm.cache import ResponseCache
from seeder.llm.caller import Caller
from seeder.llm.config import LLMSettings, hints_for
from seeder.llm.job import TableJob
from seeder.llm.pools import PoolsRun
from seeder.llm.provider import Provider
from seeder.llm.rows import RowsRun

T = TypeVar("T")


class LoopRunner:
    """One event loop for a whole run, driven from synchronous code.

    The HTTP client lives on this loop from the first ``fill`` to :meth:`close`, so its connection pool (and the TLS
    setup, which costs ~0.1 s per client) is shared by every topological generation. When the calling thread
    already runs an event loop (notebooks, async applications), the loop is driven from a helper thread instead.
    """

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run ``coro`` to completion on the run's loop."""
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return self.loop.run_until_complete(coro)
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(self.loop.run_until_complete, coro).result()

    def close(self) -> None:
        """Cancel whatever is still pending (after an error or Ctrl-C) and close the loop."""
        if self.loop.is_closed():
            return
        pending = [t for t in asyncio.all_tasks(self.loop) if not t.done()]
        for task in pending:
            task.cancel()
        if pending:
            with contextlib.suppress(BaseException):
                self.run(asyncio.gather(*pending, return_exceptions=True))
        self.loop.close()


def choose_mode(settings: LLMSettings, rows: int) -> str:
    """``rows`` or ``pools`` for a table of ``rows`` rows under ``settings.mode``."""
    if settings.mode != "auto":
        return settings.mode
    return "rows" if rows <= settings.auto_threshold else "pools"


class LLMContent:
    """A ContentSource that asks a model for content columns.

    Args:
        settings: resolved LLM settings (see :func:`seeder.llm.config.resolve_settings`).
        seed: the run's seed; part of every cache key (and sent to the server as ``seed``).
        provider: the model provider (default: :class:`~seeder.llm.provider.Provider` for ``settings``).

    Attributes:
        stats: run counters (see :meth:`Accounting.stats`), merged into ``Dataset.stats`` by the engine.
        accounting: per-table accounts; :meth:`report_lines` renders them.

    ``fill`` raises :class:`~seeder.errors.LLMError` when the server rejects the key or the model; every other
    failure is absorbed (cells filled locally, counted, and mentioned in :attr:`notes`).
    """

    def __init__(self, settings: LLMSettings, *, seed: int, provider: Provider | None = None) -> None:
        self.settings = settings
        self.seed = seed
        self.accounting = Accounting()
        self.budget = Budget(settings.max_calls, settings.max_tokens)
        self.cache = ResponseCache(settings.cache_dir, enabled=settings.use_cache)
        self.provider = provider or Provider(settings, seed=seed)
        self.caller = Caller(self.provider, self.cache, self.budget, self.accounting, settings, seed=seed)
        self.stats: dict[str, int] = {}
        self._runner: LoopRunner | None = None
        self._open = False

    def fill(self, requests: Sequence[ContentRequest]) -> list[dict[str, list[Any]]]:
        """Content for every request of one topological generation (see the ContentSource protocol)."""
        jobs = []
        for req in requests:
            name = str(req.table.name)
            hints = hints_for(self.settings.hints, req.table.name.schema, req.table.name.name)
            jobs.append(TableJob.create(req, choose_mode(self.settings, req.n), self.accounting.table(name), hints))
        if self._runner is None:
            self._runner = LoopRunner()
        try:
            self._runner.run(self._run(jobs))
        except BaseException:
            self.close()
            raise
        self.stats = self.accounting.stats()
        return [job.finish() for job in jobs]

    def watch(self, progress: Callable[[Any], None]) -> None:
        """Report every answered call to ``progress`` as an ``llm`` :class:`~seeder.progress.ProgressEvent`
        (``done``: the table's answered calls so far; the total is not known in advance)."""
        from seeder.progress import emit

        answered: dict[str, int] = {}

        def on_answer(table: str) -> None:
            answered[table] = answered.get(table, 0) + 1
            emit(progress, "llm", table, answered[table])

        self.caller.on_answer = on_answer

    async def _run(self, jobs: list[TableJob]) -> None:
        if not self._open:
            await self.provider.__aenter__()
            self.caller.bind()
            self._open = True
        tasks = [asyncio.ensure_future(self._job(job)) for job in jobs]
        try:
            await asyncio.gather(*tasks)
        except BaseException:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            raise

    def close(self) -> None:
        """Close the HTTP client and the event loop (idempotent). :func:`seeder.api.generate` calls it when the
        run ends; a closed source opens a new client if ``fill`` is called again."""
        runner, self._runner = self._runner, None
        if runner is None:
            return
        pending = [t for t in asyncio.all_tasks(runner.loop) if not t.done()]
        for task in pending:  # an interrupted run: stop its requests before closing their client
            task.cancel()
        if pending:
            with contextlib.suppress(BaseException):
                runner.run(asyncio.gather(*pending, return_exceptions=True))
        if self._open:
            self._open = False
            # closing a connection pool must not hide the run's own outcome
            with contextlib.suppress(Exception):
                runner.run(self.provider.__aexit__(None, None, None))
        runner.close()

    async def _job(self, job: TableJob) -> None:
        s = self.settings
        if job.mode == "rows":
            await RowsRun(job, self.caller, rows_per_call=s.rows_per_call, describe=s.describe).run()
        elif job.mode == "pools":
            await PoolsRun(job, self.caller, pool_size=s.pool_size, example_rows=s.example_rows,
                           describe=s.describe).run()

    @property
    def notes(self) -> list[str]:
        """Remarks for the user: budget reached, failed calls, JSON-mode fallback, fallbacks per table."""
        out = list(self.caller.notes)
        totals = self.accounting.totals()
        if totals.failed_calls:
            out.append(f"{totals.failed_calls} LLM calls failed (first: {self.caller.first_failure}); their cells "
                       f"were filled by the local generator")
        if self.provider.json_schema_supported is False:
            out.append(f"the server at {self.settings.host} does not accept JSON-schema output; used JSON mode")
        if totals.cells_fallback:
            out.append(f"{totals.cells_fallback} cells the model got wrong or could not write were filled locally "
                       f"({totals.cells_repaired} were fixed by the model on a second try)")
        return out

    def report_lines(self) -> list[str]:
        """The per-table accounting table (calls, cache hits, tokens, cells by path, wall time)."""
        return self.accounting.report_lines()
