"""Memoisation by object identity, for functions of schema objects that are asked the same question for every row.

Tables, columns, CHECKs and specs are frozen dataclasses holding sqlglot trees: hashing or comparing them by value
costs more than the work a cache saves. :func:`identity_cache` keys on the arguments' ``id`` instead, and keeps the
arguments alive beside the result, so no other object can take an id while its entry exists.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

F = TypeVar("F", bound=Callable[..., Any])


def identity_cache(maxsize: int) -> Callable[[F], F]:
    """Decorate a function of positional arguments to remember its result per argument objects (by identity).

    ``maxsize`` bounds the entries; the cache is emptied when it is full (callers ask about the same few objects
    in bursts: one table's rows, one table's CHECKs). Results are shared between callers: they must not modify them.
    """

    def decorate(function: F) -> F:
        cache: dict[tuple[int, ...], tuple[tuple[Any, ...], Any]] = {}

        @functools.wraps(function)
        def cached(*args: Any) -> Any:
            key = tuple(map(id, args))
            hit = cache.get(key)
            if hit is not None:
                return hit[1]
            result = function(*args)
            if len(cache) >= maxsize:
                cache.clear()
            cache[key] = (args, result)
            return result

        return cast(F, cached)

    return decorate
