"""Budget and accounting: how many calls and tokens a run may spend, and what it spent, per table.

:class:`Budget` is checked before every call that would reach the server (cache hits are free). When it runs out,
the rest of the run is filled by the local generator and the run says so.

:class:`Accounting` counts per table: mode, calls, retries, failed calls, cache hits, input/output tokens, cells by
path (``llm``: as the model wrote them; ``repaired``: fixed by the model after being told what was wrong;
``fallback``: filled locally because the model's value failed, the budget ran out or calls failed; ``local``:
columns the model never writes, such as uuids or binary data) and wall time. :meth:`Accounting.stats` flattens it
into :attr:`seeder.dataset.Dataset.stats` keys; :meth:`Accounting.report_lines` is the end-of-run table.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, fields


@dataclass
class Budget:
    """Limits on calls and tokens (``None``: unlimited) and what has been spent."""

    max_calls: int | None = None
    max_tokens: int | None = None
    calls: int = 0
    tokens: int = 0

    def reserve(self) -> bool:
        """Take one call from the budget; False when none is left."""
        over_calls = self.max_calls is not None and self.calls >= self.max_calls
        over_tokens = self.max_tokens is not None and self.tokens >= self.max_tokens
        if over_calls or over_tokens:
            return False
        self.calls += 1
        return True

    def spend(self, tokens: int) -> None:
        """Record the tokens (input + output) one call used."""
        self.tokens += tokens


@dataclass
class TableAccount:
    """What one table cost and how its cells were made."""

    mode: str = ""
    calls: int = 0
    retries: int = 0
    failed_calls: int = 0
    cache_hits: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cells_llm: int = 0
    cells_repaired: int = 0
    cells_fallback: int = 0
    cells_local: int = 0
    started: float | None = None
    finished: float | None = None

    def touch(self) -> None:
        """Note activity now (first call start / last call end give the table's wall time)."""
        now = time.monotonic()
        if self.started is None:
            self.started = now
        self.finished = now

    @property
    def seconds(self) -> float:
        """Wall time from the table's first call to its last answer (0 without calls)."""
        if self.started is None or self.finished is None:
            return 0.0
        return self.finished - self.started


_COUNTERS = [f.name for f in fields(TableAccount) if f.name not in ("mode", "started", "finished")]


@dataclass
class Accounting:
    """Per-table accounts of one run, by table name (``str(TableName)``), plus run-wide notes."""

    tables: dict[str, TableAccount] = field(default_factory=dict)
    budget_exhausted: bool = False
    circuit_open: bool = False

    def table(self, name: str) -> TableAccount:
        """The account of table ``name`` (created on first use)."""
        if name not in self.tables:
            self.tables[name] = TableAccount()
        return self.tables[name]

    def totals(self) -> TableAccount:
        """Every counter summed over the tables."""
        total = TableAccount(mode="total")
        for account in self.tables.values():
            for name in _COUNTERS:
                setattr(total, name, getattr(total, name) + getattr(account, name))
        return total

    def stats(self) -> dict[str, int]:
        """Flat counters for :attr:`Dataset.stats`: run totals (``llm_calls``, ``llm_input_tokens``,
        ``cells_llm``, ``cells_fallback``, ...) and per table ``llm:<table>:<counter>`` (wall time in ms)."""
        total = self.totals()
        out: dict[str, int] = {}
        for name in _COUNTERS:
            key = name if name.startswith("cells_") else f"llm_{name}"
            out[key] = getattr(total, name)
        out["llm_budget_exhausted"] = int(self.budget_exhausted)
        for table, account in sorted(self.tables.items()):
            for name in _COUNTERS:
                value = getattr(account, name)
                if value:
                    out[f"llm:{table}:{name}"] = value
            out[f"llm:{table}:ms"] = int(account.seconds * 1000)
        return out

    def report_lines(self) -> list[str]:
        """The end-of-run report: one line per table and a total line (fixed-width columns)."""
        header = ("table", "mode", "calls", "cached", "retries", "in tok", "out tok", "llm", "repaired", "fallback",
                  "local", "secs")
        rows = []
        for table, a in sorted(self.tables.items()):
            rows.append((table, a.mode, a.calls, a.cache_hits, a.retries, a.input_tokens, a.output_tokens,
                         a.cells_llm, a.cells_repaired, a.cells_fallback, a.cells_local, f"{a.seconds:.2f}"))
        t = self.totals()
        rows.append(("total", "", t.calls, t.cache_hits, t.retries, t.input_tokens, t.output_tokens, t.cells_llm,
                     t.cells_repaired, t.cells_fallback, t.cells_local, ""))
        widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
        lines = []
        for r in [header, *rows]:
            cells = [str(v).ljust(widths[i]) if i < 2 else str(v).rjust(widths[i]) for i, v in enumerate(r)]
            lines.append("  ".join(cells).rstrip())
        return lines
