"""One run of the web page: uploaded files or a description -> schema, plan, data -> the page and the downloads.

Everything goes through :mod:`seeder.api`, like the command line: the same readers (a ``.sql`` file, ``.csv``
files, a ``.txt``/``.md`` description), the same engine and seed, the same sinks. A user mistake is a
:class:`~seeder.errors.SeederError` whose first line the page shows.
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seeder import api
from seeder.errors import ConfigError, SeederError
from seeder.web.graph import dependency_svg

#: File name endings a run accepts.
ACCEPTED = (".sql", ".csv", ".txt", ".md")
#: Rows shown per table on the page.
PREVIEW_ROWS = 10
#: Characters of a cell shown on the page.
CELL_CHARS = 60
#: Target dialects offered: those seeder writes scripts for.
DIALECTS = api.WRITABLE_DIALECTS


@dataclass(frozen=True)
class RunSettings:
    """What the form chose: rows per table, seed, target dialect, whether a model writes content."""

    rows: int = 10
    seed: int = 0
    dialect: str = "postgres"
    llm: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "seed": self.seed, "dialect": self.dialect, "llm": self.llm}


@dataclass
class RunResult:
    """A finished run: ``page`` (JSON-able facts the run page shows) and ``outputs`` (downloads by kind)."""

    source_name: str
    page: dict[str, Any]
    outputs: dict[str, bytes] = field(default_factory=dict)


def _safe_name(name: str) -> str:
    base = Path(name.replace("\\", "/")).name
    return re.sub(r"[^A-Za-z0-9._-]+", "_", base).lstrip(".") or "upload"


def stage_inputs(files: list[tuple[str, bytes]], description: str | None, folder: Path) -> tuple[str, str]:
    """Write the uploaded files into ``folder``; returns (SOURCE for the readers, name to show).

    Raises:
        ConfigError: no input, both a file and a description, an unsupported file type, or several files that are
            not all CSV.
    """
    from seeder.readers.description_source import PREFIX

    text = (description or "").strip()
    if files and text:
        raise ConfigError("give either a file or a description, not both")
    if not files:
        if not text:
            raise ConfigError("upload a .sql, .csv or .txt file, or type a description")
        return PREFIX + text, "description"
    names = [_safe_name(n) for n, _ in files]
    for name in names:
        if not name.lower().endswith(ACCEPTED):
            raise ConfigError(f"{name}: seeder reads .sql, .csv, .txt and .md files")
    if len(files) > 1 and not all(n.lower().endswith(".csv") for n in names):
        raise ConfigError("several files must all be .csv files (one table each)")
    if len(set(names)) != len(names):
        raise ConfigError("two uploaded files have the same name")
    for name, (_, content) in zip(names, files, strict=True):
        (folder / name).write_bytes(content)
    if len(files) > 1:
        return str(folder), f"{len(files)} CSV files"
    return str(folder / names[0]), names[0]


def _cell(value: Any) -> str:
    if value is None:
        return "NULL"
    text = value if isinstance(value, str) else str(value)
    return text if len(text) <= CELL_CHARS else text[: CELL_CHARS - 1] + "…"


def _plan_rows(plan: Any) -> list[dict[str, Any]]:
    out = []
    for name in plan.order:
        tp = plan.tables[name]
        out.append({"table": str(name), "rows": tp.rows, "note": tp.limit or ""})
    out += [{"table": str(tp.table), "rows": 0, "note": tp.skipped} for tp in plan.tables.values() if tp.skipped]
    return out


def _csv_zip(data: Any) -> bytes:
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in api.write_csv(data, tmp):
            archive.write(path, path.name)
    return buffer.getvalue()


def execute(files: list[tuple[str, bytes]], description: str | None, settings: RunSettings,
            llm_flags: dict[str, Any]) -> RunResult:
    """Run seeder on the inputs and collect the page and the downloads.

    Args:
        files: uploaded (name, content) pairs; description: typed words (one of the two).
        settings: the form's choices. llm_flags: the server's LLM options (``llm_base_url``, ``model``, ...).

    Raises:
        SeederError: anything the user can fix (the page shows its first line).
    """
    with tempfile.TemporaryDirectory(prefix="seeder-web-") as tmp:
        try:
            return _execute(files, description, settings, llm_flags, Path(tmp))
        except SeederError as err:  # name uploads as the user did, not by the server's temporary folder
            raise SeederError(str(err).replace(f"{tmp}/", "").replace(tmp, "upload")) from None


def _execute(files: list[tuple[str, bytes]], description: str | None, settings: RunSettings,
             llm_flags: dict[str, Any], folder: Path) -> RunResult:
    from seeder.llm.config import require_openai, resolve_settings
    from seeder.readers import description_source

    source, shown = stage_inputs(files, description, folder)
    extra: dict[str, Any] = {"seed": settings.seed}
    if settings.llm or description_source.claims(source):  # a description is designed by the model
        require_openai()
        extra["llm"] = resolve_settings(flags=llm_flags)
    src = api.read_source(source, None, **extra)
    plan = api.build_plan(src.schema, settings.rows)
    schema, content = api.content_for(src, api.llm_content(settings.seed, **llm_flags) if settings.llm else None)
    data = api.generate(schema, plan, seed=settings.seed, content=content)
    return RunResult(source_name=shown, page=_page(src, plan, data), outputs=_outputs(src, data, settings))


def _page(src: Any, plan: Any, data: Any) -> dict[str, Any]:
    preview = [{"table": str(td.table.name), "columns": list(td.columns), "total": td.row_count,
                "rows": [[_cell(v) for v in row] for row in td.rows(0, PREVIEW_ROWS)]} for td in data.tables]
    fidelity = [f.line() for f in api.fidelity(data, src.profiles)] if src.profiles else []
    return {"kind": src.kind, "dialect": src.schema.dialect, "plan": _plan_rows(plan),
            "cycle_breaks": [f"{b.table}({', '.join(b.foreign_key.columns)}) -> {b.foreign_key.ref_table}"
                             for b in plan.cycle_breaks],
            "graph": dependency_svg(src.schema, plan), "preview": preview,
            "notes": list(src.notes) + list(data.notes), "rules": [r.line() for r in src.rules],
            "fidelity": fidelity, "total": sum(td.row_count for td in data.tables)}


def _outputs(src: Any, data: Any, settings: RunSettings) -> dict[str, bytes]:
    script = io.StringIO()
    api.write_sql(data, script, settings.dialect, header={"source": src.origin, "seed": str(settings.seed)})
    if src.kind == "ddl" and src.schema.dialect == settings.dialect and src.text is not None:
        ddl = src.text  # the upload as written
    else:  # rendered for the target (another dialect's DDL, CSV files, a description)
        ddl = api.render_ddl(src.schema, settings.dialect, header={"source": src.origin}).text
    outputs = {"data_sql": script.getvalue().encode(), "ddl": ddl.encode(),
               "sql": (ddl + "\n" + script.getvalue()).encode(), "csv_zip": _csv_zip(data)}
    try:
        fixture = io.StringIO()
        api.write_fixture(data, fixture, app_label="app")
        outputs["fixture"] = fixture.getvalue().encode()
    except SeederError:
        pass  # tables a Django fixture cannot name: no fixture download
    return outputs
