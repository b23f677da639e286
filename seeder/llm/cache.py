"""The on-disk response cache: same request, same answer, no call.

A request's key is the SHA-256 of a canonical JSON document of everything that shapes the answer: model name,
server (host, port and path), messages, response schema, the run's seed and the mode (see :func:`request_key`).
Neither the API key nor the full base URL (which may embed credentials) is part of it, and entries hold only the
answer text and its token usage. Entries live in ``<cache_dir>/<first two hex digits>/<key>.json`` and are written
atomically (temporary file + ``os.replace``), so concurrent runs sharing a cache never read half a file.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

#: Bump when the entry layout or the key material changes, so old entries are ignored.
CACHE_VERSION = 1


def request_key(material: Mapping[str, Any]) -> str:
    """The hex SHA-256 of ``material`` as canonical JSON (sorted keys, compact, UTF-8)."""
    text = json.dumps({"v": CACHE_VERSION, **material}, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class ResponseCache:
    """Answers by request key, in ``directory`` (created on first write). ``enabled=False`` makes it a no-op."""

    def __init__(self, directory: str | os.PathLike[str], *, enabled: bool = True) -> None:
        self.directory = Path(directory)
        self.enabled = enabled
        self._made: set[Path] = set()  # folders known to exist (mkdir is a slow syscall on some file systems)

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        """The stored entry (``{"text": ..., "input_tokens": ..., "output_tokens": ...}``) or ``None``."""
        if not self.enabled:
            return None
        try:
            entry = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(entry, dict) or entry.get("version") != CACHE_VERSION:
            return None
        if not isinstance(entry.get("text"), str):
            return None
        return entry

    def put(self, key: str, text: str, *, model: str, input_tokens: int, output_tokens: int) -> None:
        """Store an answer. Failures to write (read-only disk, ...) are ignored: the cache is an optimisation."""
        if not self.enabled:
            return
        path = self._path(key)
        entry = {"version": CACHE_VERSION, "model": model, "text": text, "input_tokens": input_tokens,
                 "output_tokens": output_tokens}
        tmp = None
        try:
            if path.parent not in self._made:
                path.parent.mkdir(parents=True, exist_ok=True)
                self._made.add(path.parent)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(entry, f, ensure_ascii=False, sort_keys=True)
            os.replace(tmp, path)
        except OSError:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
