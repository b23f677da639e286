"""How the commands read SOURCE beyond a DDL file: descriptions (``--describe`` without SOURCE, ``.txt``/``.md``
sources), CSV sources and ``--like-existing`` samples, and what they print about them (rules, proposed foreign
keys, fidelity to the sample).

Kept out of :mod:`seeder.cli` so that each command there only calls :func:`read_for_cli`,
:func:`seeder.api.content_for` and the ``echo_*`` helpers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import click

from seeder.config import Config
from seeder.errors import ConfigError
from seeder.lazy import lazy_module

if TYPE_CHECKING:
    from seeder import api
else:
    api = lazy_module("seeder.api")  # imported on first use (see seeder.lazy)

F = TypeVar("F", bound=Callable[..., Any])

#: ``--like-existing`` without a value: sample the SOURCE itself (a database, or CSV files).
SAME_SOURCE = "@source"


@dataclass(frozen=True)
class WayOptions:
    """``--like-existing [SAMPLE]`` and ``--allow-copies``."""

    like_existing: str | None = None
    allow_copies: bool = False


def way_options(fn: F) -> F:
    """Add ``--like-existing`` and ``--allow-copies`` to a command (read back with :func:`pop_way_options`)."""
    fn = click.option("--allow-copies", is_flag=True, default=None,
                      help="With --like-existing or a CSV source: keep generated rows that equal a sampled row.")(fn)
    fn = click.option("--like-existing", "like_existing", metavar="[SAMPLE]", is_flag=False, flag_value=SAME_SOURCE,
                      default=None,
                      help="Generate like existing rows: a folder of <table>.csv files, a CSV file or a database "
                           "URL (no value: the SOURCE itself). Distributions are learnt, rows are not copied.")(fn)
    return fn


def pop_way_options(options: MutableMapping[str, Any]) -> WayOptions:
    """Take the way options out of a command's keyword arguments."""
    return WayOptions(like_existing=options.pop("like_existing", None),
                      allow_copies=bool(options.pop("allow_copies", None)))


def design_settings(config: Config, options: Mapping[str, Any]) -> Any:
    """LLM settings for designing a schema: the same flags, config and environment as ``--llm``, needed even
    when ``--llm`` (model-written content) is off.

    Raises:
        LLMError: no API key for a remote server, or the openai package is missing.
    """
    from seeder.llm.config import require_openai, resolve_settings

    require_openai()
    return resolve_settings(file=config.llm, describe=config.describe, columns=config.columns, flags=options,
                            where=config.path or "config")


def read_for_cli(source: str | None, dialect: str | None, config: Config, options: Mapping[str, Any],
                 seed: int, ways: WayOptions | None = None,
                 source_options: Mapping[str, Any] | None = None) -> api.SchemaSource:
    """Read SOURCE the way every command does, plus: no SOURCE with ``--describe`` designs a schema; description
    sources get the LLM settings and seed; ``--like-existing`` learns profiles from its sample. ``source_options``
    go to the source's reader (``rev`` for Alembic, ``target``: the dialect the output is for).

    Raises:
        click.UsageError: no SOURCE and no description. SeederError: see :func:`seeder.api.read_source`.
    """
    from seeder.readers import description_source

    if source is None:
        describe = options.get("describe") or config.describe
        if not describe:
            raise click.UsageError("Missing argument 'SOURCE' (or give --describe \"...\" to design a schema "
                                   "from a description).")
        source = description_source.PREFIX + describe
    extra: dict[str, Any] = dict(source_options or {})
    if description_source.claims(source):
        extra.update({"llm": design_settings(config, options), "seed": seed})
    src = api.read_source(source, dialect, **extra)
    like = (ways or WayOptions()).like_existing
    if like is None or (like == SAME_SOURCE and src.profiles):
        return src
    if like == SAME_SOURCE:
        if "://" not in source:
            raise ConfigError("--like-existing needs a sample for this SOURCE: a folder of <table>.csv files, a CSV "
                              "file or a database URL (e.g. --like-existing samples/)")
        like = source
    return api.like_existing(src, like)


def echo_fidelity(data: Any, src: api.SchemaSource) -> None:
    """Print, per profiled column, the distance between the generated values and the sample (stderr)."""
    if not src.profiles:
        return
    rows = api.fidelity(data, src.profiles)
    if not rows:
        return
    click.echo("Fidelity to the sample (0 = same distribution; TVD for categories, KS for numbers, dates and "
               "string lengths):", err=True)
    for r in rows:
        click.echo(f"  {r.line()}", err=True)
    uncopied = data.stats.get("rows_uncopied", 0)
    if uncopied:
        click.echo(f"  {uncopied} generated rows equalled a sampled row and were changed", err=True)


def source_facts(src: api.SchemaSource) -> dict[str, Any]:
    """What ``seeder plan`` shows about how the source was read: notes (proposed foreign keys, CHECKs taken from
    data) and the rules of a description, each a CHECK (verified per row) or context (prompt only); ``{}`` for a
    DDL file, so ``plan --json`` of a DDL file is :func:`seeder.api.describe_plan` unchanged."""
    if src.kind == "ddl" and not src.rules:
        return {}
    return {"kind": src.kind, "notes": list(src.notes),
            "rules": [{"text": r.text, "table": r.table, "column": r.column, "check": r.check, "name": r.name,
                       "kept_as": "CHECK (verified per row)" if r.enforced else "context (prompt only)"}
                      for r in src.rules]}


def echo_source_facts(src: api.SchemaSource) -> None:
    """Print :func:`source_facts` under the plan (nothing for a plain DDL file)."""
    if src.notes and src.kind != "ddl":
        click.echo(f"\nFrom the {src.kind} source:")
        for note in src.notes:
            click.echo(f"  {note}")
    if src.rules:
        click.echo("\nRules from the description:")
        for rule in src.rules:
            click.echo(f"  {rule.line()}")
