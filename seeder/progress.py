"""Progress of a run: events from generation, LLM calls and loading, a terminal display, and the end summary.

The engine, the LLM content source and the loaders report through one callback type, :data:`ProgressCallback`: a
function taking one :class:`ProgressEvent`. The Python API passes ``progress=`` through
(:func:`seeder.api.generate`, :func:`seeder.api.load`); the CLI passes a :class:`TerminalProgress` when stderr is a
terminal and ``--quiet`` is not given, else nothing, so output that goes to a file or a pipe is unchanged.

Events are cumulative per ``(phase, table)``: ``done`` is how many rows (LLM: answered calls) of that table that
phase has finished so far, so a consumer never has to add anything up and a missed event loses nothing. A table
that comes in several chunks sends one event per chunk. The callback runs in the thread doing the work (the load's
producer thread included): keep it quick, and never raise from it.

``rich`` is imported only when a :class:`TerminalProgress` is made (see :mod:`seeder.lazy` for why imports stay
light).
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TextIO

#: The phases that report: ``generate`` (rows generated per table), ``llm`` (model calls answered per table,
#: cache hits included), ``load`` (rows sent to the database per table), ``write`` (rows written to a file sink).
PHASES: tuple[str, ...] = ("generate", "llm", "load", "write")


@dataclass(frozen=True)
class ProgressEvent:
    """One step of a run.

    Attributes:
        phase: one of :data:`PHASES`.
        table: the table, as ``str(TableName)`` (``"public.film"`` or ``"film"``).
        done: rows (phase ``llm``: calls) of ``table`` finished so far in this phase; never decreases.
        total: rows (calls) planned for ``table`` in this phase; ``None`` when not known in advance.
        finished: ``True`` on the table's last event of the phase.
    """

    phase: str
    table: str
    done: int
    total: int | None = None
    finished: bool = False


#: ``callback(event) -> None``; see the module docstring for when it is called and what it may do.
ProgressCallback = Callable[[ProgressEvent], None]


def emit(progress: ProgressCallback | None, phase: str, table: Any, done: int, total: int | None = None,
         finished: bool = False) -> None:
    """Send one event to ``progress`` (nothing when it is ``None``); ``table`` is converted with ``str``."""
    if progress is not None:
        progress(ProgressEvent(phase, str(table), int(done), None if total is None else int(total), finished))


@dataclass
class _Line:
    """What :class:`Tracker` knows about one ``(phase, table)``."""

    done: int = 0
    total: int | None = None
    finished: bool = False
    started: float = 0.0
    ended: float = 0.0


@dataclass
class Tracker:
    """Collects events (call it as the callback) and computes rates, ETAs and the end summary. Thread-safe.

    ``clock`` (default :func:`time.perf_counter`, seconds) is injectable for tests.
    """

    clock: Callable[[], float] = time.perf_counter
    lines: dict[tuple[str, str], _Line] = field(default_factory=dict)
    started: float | None = None

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        #: When each phase last reported: a table's work starts when the one before it ended.
        self._phase_last: dict[str, float] = {}

    def __call__(self, event: ProgressEvent) -> None:
        now = self.clock()
        with self._lock:
            if self.started is None:
                self.started = now
            line = self.lines.get((event.phase, event.table))
            if line is None:
                line = self.lines[(event.phase, event.table)] = _Line(started=self._phase_last.get(event.phase, now))
            self._phase_last[event.phase] = now
            line.done = max(line.done, event.done)
            line.total = event.total if event.total is not None else line.total
            line.finished = line.finished or event.finished
            line.ended = now

    def rate(self, phase: str, table: str) -> float | None:
        """Rows (calls) per second of ``(phase, table)`` so far; ``None`` before any time has passed."""
        line = self.lines.get((phase, table))
        if line is None:
            return None
        end = line.ended if line.finished else self.clock()
        seconds = end - line.started
        return line.done / seconds if seconds > 0 else None

    def eta(self, phase: str, table: str) -> float | None:
        """Seconds left for ``(phase, table)`` at the rate so far; ``None`` when unknown (no total, no rate)."""
        line = self.lines.get((phase, table))
        rate = self.rate(phase, table)
        if line is None or line.total is None or not rate:
            return None
        return max(0.0, (line.total - line.done) / rate)

    def summary(self) -> list[str]:
        """The end-of-run summary: per phase, rows per table, then the phase's rows, seconds and rows/s."""
        out: list[str] = []
        with self._lock:
            by_phase: dict[str, list[tuple[str, _Line]]] = {}
            for (phase, table), line in self.lines.items():
                by_phase.setdefault(phase, []).append((table, line))
        for phase in PHASES:
            lines = by_phase.get(phase)
            if not lines:
                continue
            unit = "calls" if phase == "llm" else "rows"
            width = max(len(t) for t, _ in lines)
            out.append(f"{phase}:")
            out.extend(f"  {t:<{width}}  {line.done:>12,} {unit}" for t, line in lines)
            total = sum(line.done for _, line in lines)
            seconds = max(line.ended for _, line in lines) - min(line.started for _, line in lines)
            speed = f", {total / seconds:,.0f} {unit}/s" if seconds > 0 else ""
            out.append(f"  {'total':<{width}}  {total:>12,} {unit} in {seconds:.2f}s{speed}")
        return out


class TerminalProgress(Tracker):
    """A live display on a terminal (rich): one bar per ``(phase, table)`` with done/planned, rows/s and ETA, and
    the :meth:`~Tracker.summary` when :meth:`close` is called.

    Args:
        stream: where to draw (default ``sys.stderr``); rich draws only when it is a terminal.
        refresh_per_second: redraws per second.
    """

    def __init__(self, stream: TextIO | None = None, refresh_per_second: float = 8.0, *,
                 force_terminal: bool | None = None) -> None:
        super().__init__()
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

        self.console = Console(file=stream or sys.stderr, force_terminal=force_terminal)
        self._bars = Progress(TextColumn("{task.description}"), BarColumn(),
                              TextColumn("{task.completed:>10,.0f}/{task.fields[planned]}"),
                              TextColumn("{task.fields[speed]}"), TimeRemainingColumn(),
                              console=self.console, refresh_per_second=refresh_per_second, transient=True)
        self._tasks: dict[tuple[str, str], Any] = {}
        self._open = False
        self._closed = False

    def __call__(self, event: ProgressEvent) -> None:
        super().__call__(event)
        if self._closed:
            return
        if not self._open:
            self._bars.start()
            self._open = True
        key = (event.phase, event.table)
        rate = self.rate(*key)
        unit = "calls/s" if event.phase == "llm" else "rows/s"
        speed = f"{rate:>10,.0f} {unit}" if rate else ""
        planned = f"{event.total:,}" if event.total is not None else "?"
        task = self._tasks.get(key)
        if task is None:
            task = self._tasks[key] = self._bars.add_task(f"{event.phase:<8} {event.table}", total=event.total,
                                                          planned=planned, speed=speed)
        self._bars.update(task, completed=event.done, total=event.total, planned=planned, speed=speed)

    def echo(self, message: str) -> None:
        """Print a message line above the live display (the loader's messages go here while it is drawn)."""
        self.console.print(message, highlight=False, markup=False, soft_wrap=True)

    def close(self) -> None:
        """Stop the live display and print the summary (once)."""
        if self._closed:
            return
        self._closed = True
        if self._open:
            self._bars.stop()
        for line in self.summary():
            self.console.print(line, highlight=False, markup=False)


def watched(dataset: Any, progress: ProgressCallback | None, phase: str = "write") -> Any:
    """``dataset`` (a :class:`~seeder.dataset.Dataset`) whose :meth:`~seeder.dataset.Dataset.stream` also reports
    each chunk to ``progress`` as a ``phase`` event (rows of the table so far, of its rows); ``dataset`` itself when
    ``progress`` is ``None``. The copy shares the original's tables, notes and stats."""
    if progress is None:
        return dataset
    import dataclasses

    from seeder.dataset import Dataset

    class Watched(Dataset):
        def stream(self) -> Any:
            totals = {o.table.name: o.row_count for o in self.outline()}
            done: dict[Any, int] = {}
            last = None
            for chunk in super().stream():
                name = chunk.table.name
                if last is not None and name != last:
                    emit(progress, phase, last, done[last], totals.get(last), finished=True)
                last = name
                done[name] = done.get(name, 0) + chunk.row_count
                emit(progress, phase, name, done[name], totals.get(name))
                yield chunk
            if last is not None:
                emit(progress, phase, last, done[last], totals.get(last), finished=True)

    fields = {f.name: getattr(dataset, f.name) for f in dataclasses.fields(dataset)}
    return Watched(**fields)


def for_terminal(quiet: bool, stream: TextIO | None = None) -> TerminalProgress | None:
    """The CLI's progress: a :class:`TerminalProgress` when ``stream`` (default stderr) is a terminal and not
    ``quiet``, else ``None`` (nothing is drawn and nothing printed, so redirected output stays as it was)."""
    stream = stream or sys.stderr
    if quiet or not _is_terminal(stream):
        return None
    return TerminalProgress(stream)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # closed or replaced streams (test runners)
        return False


__all__ = ["PHASES", "ProgressCallback", "ProgressEvent", "TerminalProgress", "Tracker", "emit", "for_terminal",
           "watched"]
