"""Overlap rendering with the database: a producer thread runs a statement stream a few items ahead of the load.

While the database works on one COPY block or INSERT batch (the driver waits on the socket with the GIL released),
the producer renders the next ones, and, once the engine streams, generates them: both cores work. A bounded queue
(``depth`` items) keeps memory flat. The consumer sees the same items in the same order; an exception raised by the
stream (a :class:`~seeder.errors.SeederError` while rendering) is re-raised in the consumer when it reaches that
point. When the consumer stops early (a failed load, Ctrl-C), the producer stops at its next item.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")

#: Items rendered ahead of the one being executed. Two are enough to keep the database busy; each COPY block is at
#: most a few MB (:data:`seeder.sinks.copy.MAX_BLOCK_CHARS`).
DEPTH = 3

_DONE = object()


class _Raised:
    def __init__(self, error: BaseException) -> None:
        self.error = error


def prefetch(items: Iterable[T], depth: int = DEPTH) -> Iterator[T]:
    """Yield the items of ``items`` in order while a daemon thread produces up to ``depth`` of them ahead.

    Args:
        items: any iterable; it is iterated in the producer thread only.
        depth: queue size (positive).

    Raises:
        Whatever iterating ``items`` raises, at the position where it was raised.
    """
    if depth < 1:
        raise ValueError(f"depth must be positive, got {depth}")
    buffer: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                buffer.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put(item):
                    return
        except BaseException as error:  # handed to the consumer, which raises it
            put(_Raised(error))
            return
        put(_DONE)

    worker = threading.Thread(target=produce, name="seeder-prefetch", daemon=True)
    worker.start()
    try:
        while True:
            item = buffer.get()
            if item is _DONE:
                return
            if isinstance(item, _Raised):
                raise item.error
            yield item  # type: ignore[misc]
    finally:
        stop.set()


__all__ = ["DEPTH", "prefetch"]
