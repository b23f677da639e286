"""One table's content under construction: which columns the model writes, which are local, and the values so far.

A :class:`TableJob` wraps the engine's :class:`~seeder.generate.engine.ContentRequest`. Columns the model cannot
usefully write (uuids, binary, search vectors, fixed values) are generated locally up front, exactly as the offline
source would, so that every row is complete when its CHECKs are evaluated. Model columns start empty and are filled
cell by cell, each cell counted by path (llm / repaired / fallback). A fallback cell takes the value the local
generator makes for that row, from one vector per column drawn with the column's own generator: fallback values do
not depend on which other cells failed, or in what order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from seeder.generate.engine import ContentRequest
from seeder.generate.spec import ValueSpec
from seeder.generate.values import generate_values
from seeder.llm.accounting import TableAccount
from seeder.llm.response_schema import model_writable, row_key

#: Marks a model cell not decided yet.
PENDING = object()


@dataclass
class TableJob:
    """Content of one table: ``fill`` (model columns), ``local`` (local columns), ``values`` (column -> n values)."""

    request: ContentRequest
    mode: str
    account: TableAccount
    hints: dict[str, str]
    specs: dict[str, ValueSpec] = field(default_factory=dict)
    fill: list[str] = field(default_factory=list)
    local: list[str] = field(default_factory=list)
    values: dict[str, list[Any]] = field(default_factory=dict)
    key: str = "_row"
    _fallback: dict[str, list[Any]] = field(default_factory=dict)

    @classmethod
    def create(cls, request: ContentRequest, mode: str, account: TableAccount, hints: dict[str, str]) -> TableJob:
        """Split ``request``'s columns into model and local ones and generate the local ones now."""
        table = request.table
        specs = {c.name: request.specs[c.name] for c in request.columns}
        fill = [c.name for c in request.columns if model_writable(c, specs[c.name])]
        local = [c.name for c in request.columns if c.name not in fill]
        job = cls(request=request, mode=mode if fill else "local", account=account, hints=hints, specs=specs,
                  fill=fill, local=local, key=row_key([c.name for c in table.columns]))
        n = request.n
        for name in local:
            job.values[name] = generate_values(specs[name], n, request.rng_for(name))
        for name in fill:
            job.values[name] = [PENDING] * n
        account.mode = job.mode
        account.cells_local += n * len(local)
        return job

    @property
    def name(self) -> str:
        """The table's name as text (``schema.table``)."""
        return str(self.request.table.name)

    @property
    def n(self) -> int:
        """Rows to fill."""
        return self.request.n

    def fallback_value(self, column: str, row: int) -> Any:
        """The local generator's value for ``column`` at ``row`` (one vector per column, drawn on first use)."""
        vector = self._fallback.get(column)
        if vector is None:
            vector = generate_values(self.specs[column], self.n, self.request.rng_for(column))
            self._fallback[column] = vector
        return vector[row]

    def set_cell(self, row: int, column: str, value: Any, path: str) -> None:
        """Decide one model cell; ``path`` is ``llm``, ``repaired`` or ``fallback`` (counted in the account)."""
        if path == "fallback":
            value = self.fallback_value(column, row)
        self.values[column][row] = value
        setattr(self.account, f"cells_{path}", getattr(self.account, f"cells_{path}") + 1)

    def fall_back(self, rows: range | list[int], columns: list[str] | None = None) -> None:
        """Fill every still-pending cell of ``rows`` (in ``columns``, default all model columns) locally."""
        for column in columns or self.fill:
            for row in rows:
                if self.values[column][row] is PENDING:
                    self.set_cell(row, column, None, "fallback")

    def row(self, i: int, content: dict[str, Any] | None = None) -> dict[str, Any]:
        """Row ``i`` as ``{column: value}``: decided values, local values, model values so far (pending -> NULL),
        overridden by ``content``."""
        out = {c: v[i] for c, v in self.request.skeleton.items()}
        for c, v in self.values.items():
            value = v[i]
            out[c] = None if value is PENDING else value
        if content:
            out.update(content)
        return out

    def finish(self) -> dict[str, list[Any]]:
        """The values for the engine; any cell still pending is filled locally (defensive: should be none)."""
        self.fall_back(range(self.n))
        return self.values
