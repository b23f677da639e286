"""Configuration from ``seeder.toml`` or ``[tool.seeder]`` in ``pyproject.toml`` (read with tomllib).

Layout (every key optional)::

    rows = 20            # rows per table (``--rows`` wins)
    seed = 1             # random seed (``--seed`` wins)
    dialect = "postgres" # dialect of the DDL (``--dialect`` wins)

    only = ["film*", "public.actor"]   # seed these tables only (names or globs; ``--only`` wins)
    exclude = ["audit_*"]               # never seed these (``--exclude`` wins)

    [tables."public.film"]   # or [tables.film]
    rows = 100

    [rules."agree:order.address_id"]   # change, add or switch off plan rules (see seeder.plan.rule_config)
    enabled = false

    [columns."order.status"]           # pin a column (value, choices + weights, faker, expression)
    value = "paid"

Flags given on the command line override the file.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seeder.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

_TOP_KEYS = {"rows", "seed", "dialect", "tables", "llm", "describe", "columns", "rules", "only", "exclude"}

#: Rows per table when neither a flag nor the config file says.
DEFAULT_ROWS = 10
#: Random seed when neither a flag nor the config file says.
DEFAULT_SEED = 0
#: Rows per piece a streamed run hands to sinks and loaders (``--chunk-rows``; rounded up to whole blocks of
#: :data:`seeder.generate.blocks.BLOCK_ROWS`). Big enough to amortise per-piece work, small enough for flat memory.
DEFAULT_CHUNK_ROWS = 50_000


@dataclass(frozen=True)
class Config:
    """Settings read from a config file. ``table_rows`` maps table names as written to row counts."""

    rows: int | None = None
    seed: int | None = None
    dialect: str | None = None
    table_rows: dict[str, int] = field(default_factory=dict)
    llm: dict[str, Any] = field(default_factory=dict)
    describe: str | None = None
    path: str | None = None
    columns: dict[str, Any] = field(default_factory=dict)
    rules: dict[str, Any] = field(default_factory=dict)
    only: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    def rows_per_table(self, flag: int | None = None) -> int:
        """Rows per table of a run: ``flag`` (e.g. ``--rows``) when given, else the file's ``rows``, else
        :data:`DEFAULT_ROWS`. Not validated here: :func:`seeder.api.build_plan` checks the range."""
        if flag is not None:
            return flag
        return self.rows if self.rows is not None else DEFAULT_ROWS

    def run_seed(self, flag: int | None = None) -> int:
        """Random seed of a run: ``flag`` (e.g. ``--seed``) when given, else the file's ``seed``, else
        :data:`DEFAULT_SEED`."""
        if flag is not None:
            return flag
        return self.seed if self.seed is not None else DEFAULT_SEED

    def source_dialect(self, flag: str | None = None) -> str | None:
        """Dialect to read a DDL source in: ``flag`` (e.g. ``--dialect``), else the file's ``dialect``, else ``None``
        (inferred from the source)."""
        return flag or self.dialect

    def table_selection(self, only: tuple[str, ...] = (), exclude: tuple[str, ...] = ()) -> tuple[tuple[str, ...],
                                                                                                 tuple[str, ...]]:
        """``(only, exclude)`` table patterns of a run: each flag (``--only``/``--exclude``) when given, else the
        file's list."""
        return (tuple(only) or self.only, tuple(exclude) or self.exclude)


def _parse(data: dict[str, Any], path: str) -> Config:
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        raise ConfigError(f"{path}: unknown setting {unknown[0]!r} (known: {', '.join(sorted(_TOP_KEYS))})")
    table_rows: dict[str, int] = {}
    tables = data.get("tables", {})
    if not isinstance(tables, dict):
        raise ConfigError(f"{path}: [tables] must be a table of tables")
    for name, settings in tables.items():
        if not isinstance(settings, dict):
            raise ConfigError(f"{path}: [tables.{name}] must be a table, e.g. rows = 100")
        if "rows" in settings:
            table_rows[name] = _int(settings["rows"], f"{path}: tables.{name}.rows")
    for key in ("rows", "seed"):
        if key in data:
            _int(data[key], f"{path}: {key}")
    for key in ("only", "exclude"):
        if key in data and (not isinstance(data[key], list) or not all(isinstance(v, str) for v in data[key])):
            raise ConfigError(f"{path}: {key} must be a list of table names or globs, e.g. {key} = [\"film*\"]")
    for key in ("rules", "columns"):
        if not isinstance(data.get(key, {}), dict):
            raise ConfigError(f"{path}: [{key}] must be a table of tables")
    return Config(rows=data.get("rows"), seed=data.get("seed"), dialect=data.get("dialect"),
                  table_rows=table_rows, llm=dict(data.get("llm", {})), describe=data.get("describe"), path=path,
                  columns=dict(data.get("columns", {})), rules=dict(data.get("rules", {})),
                  only=tuple(data.get("only", ())), exclude=tuple(data.get("exclude", ())))


def _int(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(f"{what} must be a whole number, got {value!r}")
    return value


def load_config(path: str | Path | None = None, *, search_dir: str | Path = ".") -> Config:
    """Read the configuration.

    Args:
        path: an explicit file (``seeder.toml``-style, or a ``pyproject.toml`` whose ``[tool.seeder]`` is used).
            When ``None``, ``seeder.toml`` then ``pyproject.toml`` (only if it has ``[tool.seeder]``) are looked for
            in ``search_dir``; none found gives an empty :class:`Config`.

    Raises:
        ConfigError: the file is missing (when given explicitly), is not valid TOML, or has unknown/invalid keys.
    """
    if path is not None:
        p = Path(path)
        if not p.is_file():
            raise ConfigError(f"config file not found: {p}")
        return _read(p, required=True)
    base = Path(search_dir)
    if (base / "seeder.toml").is_file():
        return _read(base / "seeder.toml", required=True)
    if (base / "pyproject.toml").is_file():
        return _read(base / "pyproject.toml", required=False)
    return Config()


def _read(p: Path, *, required: bool) -> Config:
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise ConfigError(f"{p}: not valid TOML: {err}") from None
    if p.name == "pyproject.toml":
        section = data.get("tool", {}).get("seeder")
        if section is None:
            if required:
                raise ConfigError(f"{p}: has no [tool.seeder] section")
            return Config()
        return _parse(section, f"{p} [tool.seeder]")
    return _parse(data, str(p))
