"""One logical model call: cache, budget, bounded concurrency, retries with backoff, accounting.

:meth:`Caller.ask` never raises for a failed call (the caller fills those cells locally) except
:class:`~seeder.errors.LLMError`, which ends the run: a rejected key or model, or a server that cannot be reached at
all before anything answered (a wrong URL; once the server has answered, connection failures are retried like any
other transient failure). Order of checks: the cache (a hit costs nothing and is never
refused), then the circuit breaker (after :data:`BREAKER_FAILURES` calls in a row failed even after retries, the run
stops calling), then the budget, then the request itself under the concurrency semaphore.

Backoff: exponential from ``retry_base_delay`` (doubling per attempt, capped at :data:`MAX_BACKOFF`) with "equal
jitter" (half fixed, half random) so that concurrent retries spread out; a server's ``Retry-After`` wins when given
(capped at :data:`MAX_RETRY_AFTER`). The semaphore is released while waiting, so one throttled request does not
hold a slot.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from seeder.errors import LLMError
from seeder.llm.accounting import Accounting, Budget
from seeder.llm.cache import ResponseCache, request_key
from seeder.llm.config import LLMSettings
from seeder.llm.provider import CallFailed, Provider, TransientError

#: Calls in a row that failed after all retries before the run stops calling the model.
BREAKER_FAILURES = 3
#: Longest backoff between retries, in seconds.
MAX_BACKOFF = 30.0
#: Longest ``Retry-After`` honoured, in seconds (a longer one is waited for this long, then retried).
MAX_RETRY_AFTER = 60.0

Source = Literal["model", "cache", "budget", "failed", "stopped"]


@dataclass(frozen=True)
class Answer:
    """The outcome of :meth:`Caller.ask`: ``text`` is the model's answer, or ``None`` with ``problem`` saying why."""

    text: str | None
    source: Source
    problem: str | None = None


class Caller:
    """Sends calls for one run. Create one per run; call :meth:`bind` inside each event loop before :meth:`ask`."""

    def __init__(self, provider: Provider, cache: ResponseCache, budget: Budget, accounting: Accounting,
                 settings: LLMSettings, *, seed: int,
                 sleep: Callable[[float], Awaitable[Any]] | None = None, rng: random.Random | None = None) -> None:
        self.provider = provider
        self.cache = cache
        self.budget = budget
        self.accounting = accounting
        self.settings = settings
        self.seed = seed
        self.notes: list[str] = []
        self._sleep = sleep or asyncio.sleep
        self._rng = rng or random.Random()
        self._semaphore: asyncio.Semaphore | None = None
        self._failures_in_a_row = 0
        self._succeeded = 0
        #: The first failure's reason (for the end-of-run note), and how many calls failed.
        self.first_failure: str | None = None
        #: Called with the table's name after each answered request (model, cache or failure): progress display.
        self.on_answer: Callable[[str], None] | None = None

    def bind(self) -> None:
        """Create the concurrency semaphore for the running event loop."""
        self._semaphore = asyncio.Semaphore(self.settings.concurrency)

    def note(self, text: str) -> None:
        """Add a run note once."""
        if text not in self.notes:
            self.notes.append(text)

    def key(self, messages: Sequence[dict[str, str]], name: str, schema: dict[str, Any], kind: str) -> str:
        """The cache key of a request: model, server (host, port, path), messages, schema, seed and kind; never the
        API key."""
        return request_key({"model": self.settings.model, "host": self.settings.endpoint_id, "messages": list(messages),
                            "schema_name": name, "schema": schema, "seed": self.seed, "kind": kind})

    async def ask(self, table: str, messages: Sequence[dict[str, str]], name: str, schema: dict[str, Any], *,
                  kind: str) -> Answer:
        """Get the answer to one request for ``table`` (cache first). ``kind`` (``rows``, ``pools``, ``repair``)
        is part of the cache key.

        Raises:
            LLMError: the server rejected the key or the model.
        """
        answer = await self._ask(table, messages, name, schema, kind=kind)
        if self.on_answer is not None:
            self.on_answer(table)
        return answer

    async def _ask(self, table: str, messages: Sequence[dict[str, str]], name: str, schema: dict[str, Any], *,
                   kind: str) -> Answer:
        account = self.accounting.table(table)
        key = self.key(messages, name, schema, kind)
        hit = self.cache.get(key)
        if hit is not None:
            account.cache_hits += 1
            return Answer(hit["text"], "cache")
        if self._failures_in_a_row >= BREAKER_FAILURES:
            self.accounting.circuit_open = True
            return Answer(None, "stopped", "model calls stopped after repeated failures")
        if not self.budget.reserve():
            if not self.accounting.budget_exhausted:
                self.accounting.budget_exhausted = True
                self.note(self._budget_note())
            return Answer(None, "budget", "LLM budget exhausted")
        account.calls += 1
        last: TransientError | None = None
        for attempt in range(self.settings.max_retries + 1):
            if self._failures_in_a_row >= BREAKER_FAILURES:
                break
            assert self._semaphore is not None, "Caller.bind() was not called in this event loop"
            async with self._semaphore:
                account.touch()
                try:
                    completion = await self.provider.complete(messages, name, schema)
                except TransientError as err:
                    last = err
                    if err.connect and not self._succeeded:
                        # Nothing answered yet in this run: a wrong URL or a server that is not running, not a blip.
                        where = self.settings.endpoint_id
                        raise LLMError(f"{err}; check --llm-base-url / OPENAI_BASE_URL (is the server at {where} "
                                       f"running?)") from None
                except CallFailed as err:
                    account.touch()
                    return self._failed(account, str(err))
                else:
                    account.touch()
                    self._failures_in_a_row = 0
                    self._succeeded += 1
                    account.input_tokens += completion.input_tokens
                    account.output_tokens += completion.output_tokens
                    self.budget.spend(completion.input_tokens + completion.output_tokens)
                    self.cache.put(key, completion.text, model=self.settings.model,
                                   input_tokens=completion.input_tokens, output_tokens=completion.output_tokens)
                    return Answer(completion.text, "model")
                account.touch()
            if attempt == self.settings.max_retries:
                break
            account.retries += 1
            await self._sleep(self.delay(attempt, last.retry_after if last else None))
        return self._failed(account, str(last) if last else "model calls stopped after repeated failures")

    def _failed(self, account: Any, problem: str) -> Answer:
        account.failed_calls += 1
        self._failures_in_a_row += 1
        if self.first_failure is None:
            self.first_failure = problem
        if self._failures_in_a_row >= BREAKER_FAILURES and not self.accounting.circuit_open:
            self.accounting.circuit_open = True
            self.note(f"{BREAKER_FAILURES} LLM calls in a row failed; the rest of the run was filled locally")
        return Answer(None, "failed", problem)

    def delay(self, attempt: int, retry_after: float | None) -> float:
        """Seconds to wait before retry number ``attempt + 1``."""
        base = self.settings.retry_base_delay
        if retry_after is not None:
            return min(retry_after, MAX_RETRY_AFTER) + self._rng.uniform(0, base / 2)
        backoff = min(base * (2 ** attempt), MAX_BACKOFF)
        return backoff / 2 + self._rng.uniform(0, backoff / 2)

    def _budget_note(self) -> str:
        parts = []
        if self.budget.max_calls is not None:
            parts.append(f"{self.budget.max_calls} calls")
        if self.budget.max_tokens is not None:
            parts.append(f"{self.budget.max_tokens} tokens")
        return (f"LLM budget ({' / '.join(parts)}) reached after {self.budget.calls} calls and "
                f"{self.budget.tokens} tokens; the rest of the run was filled by the local generator")
