"""Earlier runs of the web page, kept in a local SQLite file: inputs (uploaded files or the description), settings,
status, and outputs (the page's plan and preview, the SQL, DDL, CSV zip and fixture), to download again or rerun.

Uses the standard library's :mod:`sqlite3`; one short-lived connection per operation, so request threads never
share one.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS run (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at  TEXT NOT NULL,
    source_name TEXT NOT NULL,
    description TEXT,
    settings    TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('ok', 'error')),
    error       TEXT,
    page        TEXT
);
CREATE TABLE IF NOT EXISTS run_input (
    run_id   INTEGER NOT NULL REFERENCES run (id),
    name     TEXT NOT NULL,
    content  BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS run_output (
    run_id   INTEGER NOT NULL REFERENCES run (id),
    kind     TEXT NOT NULL,
    content  BLOB NOT NULL,
    PRIMARY KEY (run_id, kind)
);
"""


@dataclass(frozen=True)
class RunRecord:
    """One row of the history (outputs are fetched separately with :meth:`History.output`)."""

    id: int
    created_at: str
    source_name: str
    description: str | None
    settings: dict[str, Any]
    status: str
    error: str | None
    page: dict[str, Any] | None


class History:
    """The history file at ``path`` (created with its tables on first use)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as conn, conn:
            conn.executescript(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30)
        conn.execute("PRAGMA foreign_keys = ON")
        return conn

    def add(self, *, source_name: str, description: str | None, files: list[tuple[str, bytes]],
            settings: dict[str, Any], error: str | None = None, page: dict[str, Any] | None = None,
            outputs: dict[str, bytes] | None = None) -> int:
        """Record a run; returns its id."""
        now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
        with closing(self._connect()) as conn, conn:
            cur = conn.execute(
                "INSERT INTO run (created_at, source_name, description, settings, status, error, page) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (now, source_name, description, json.dumps(settings), "error" if error else "ok", error,
                 json.dumps(page) if page is not None else None))
            run_id = int(cur.lastrowid or 0)
            conn.executemany("INSERT INTO run_input (run_id, name, content) VALUES (?, ?, ?)",
                             [(run_id, name, content) for name, content in files])
            conn.executemany("INSERT INTO run_output (run_id, kind, content) VALUES (?, ?, ?)",
                             [(run_id, kind, content) for kind, content in (outputs or {}).items()])
        return run_id

    def _record(self, row: tuple[Any, ...]) -> RunRecord:
        return RunRecord(id=row[0], created_at=row[1], source_name=row[2], description=row[3],
                         settings=json.loads(row[4]), status=row[5], error=row[6],
                         page=json.loads(row[7]) if row[7] else None)

    def get(self, run_id: int) -> RunRecord | None:
        """The run with id ``run_id``, or ``None``."""
        with closing(self._connect()) as conn:
            row = conn.execute("SELECT id, created_at, source_name, description, settings, status, error, page "
                               "FROM run WHERE id = ?", (run_id,)).fetchone()
        return self._record(row) if row else None

    def recent(self, limit: int = 50) -> list[RunRecord]:
        """The latest runs, newest first."""
        with closing(self._connect()) as conn:
            rows = conn.execute("SELECT id, created_at, source_name, description, settings, status, error, NULL "
                                "FROM run ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
        return [self._record(r) for r in rows]

    def inputs(self, run_id: int) -> list[tuple[str, bytes]]:
        """The files uploaded for a run (name, content)."""
        with closing(self._connect()) as conn:
            return [(n, bytes(c)) for n, c in conn.execute(
                "SELECT name, content FROM run_input WHERE run_id = ? ORDER BY rowid", (run_id,)).fetchall()]

    def output(self, run_id: int, kind: str) -> bytes | None:
        """One stored output of a run (``sql``, ``data_sql``, ``ddl``, ``csv_zip``, ``fixture``), or ``None``."""
        with closing(self._connect()) as conn:
            row = conn.execute("SELECT content FROM run_output WHERE run_id = ? AND kind = ?",
                               (run_id, kind)).fetchone()
        return bytes(row[0]) if row else None
