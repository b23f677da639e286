"""The LLM options of ``seeder generate``, ``seeder load`` and ``seeder plan``, and what the CLI does with them.

Kept here so that the command module only adds one decorator and two calls per command.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import click

from seeder.config import Config
from seeder.llm.config import LLMSettings, llm_enabled, require_openai, resolve_settings

F = TypeVar("F", bound=Callable[..., Any])

def llm_options(fn: F) -> F:
    """Add the LLM options to a click command (they arrive as keyword arguments: ``llm``, ``model``,
    ``llm_base_url``, ``llm_concurrency``, ``rows_per_call``, ``llm_mode``, ``describe``, ``max_llm_calls``,
    ``max_llm_tokens``, ``no_cache``, ``cache_dir``, ``llm_timeout``)."""
    options = [
        click.option("--llm/--no-llm", "llm", default=None,
                     help="Write content columns with a language model (OpenAI-compatible API). Off by default; "
                          "an [llm] config section turns it on."),
        click.option("--model", help="Model name (Azure: deployment name). Default gpt-4o-mini."),
        click.option("--llm-base-url", help="OpenAI-compatible server URL, e.g. http://localhost:11434/v1 (Ollama). "
                                            "Default: $OPENAI_BASE_URL, else api.openai.com."),
        click.option("--llm-concurrency", type=int, help="Requests in flight at once (default 8)."),
        click.option("--rows-per-call", type=int, help="Rows per request in rows mode (default 20)."),
        click.option("--llm-mode", type=click.Choice(["rows", "pools", "auto"]),
                     help="rows: the model writes every cell; pools: value pools per table, sampled locally "
                          "(cost independent of rows); auto (default): rows up to 200 rows per table, pools above."),
        click.option("--describe", help="What the database is about, in a sentence (guides the model)."),
        click.option("--max-llm-calls", type=int, help="Stop calling the model after this many calls; the rest is "
                                                       "generated locally."),
        click.option("--max-llm-tokens", type=int, help="Stop calling the model after this many tokens."),
        click.option("--no-cache", is_flag=True, default=None, help="Ignore and do not write the response cache."),
        click.option("--cache-dir", help="Response cache folder (default .seeder-cache/llm)."),
        click.option("--llm-timeout", type=float, help="Seconds to wait for one answer (default 60)."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def settings_from_options(config: Config, options: Mapping[str, Any], *,
                          require_key: bool = True) -> LLMSettings | None:
    """The run's LLM settings, or ``None`` when the LLM is off (no ``--llm`` and no enabled ``[llm]`` section).
    ``require_key=False`` for estimates, which never call the model.

    Raises:
        ConfigError / LLMError: see :func:`seeder.llm.config.resolve_settings` (e.g. no API key); LLMError when the
        openai package is missing.
    """
    if not llm_enabled(config.llm, options.get("llm")):
        return None
    require_openai()
    return resolve_settings(file=config.llm, describe=config.describe, columns=getattr(config, "columns", None),
                            flags=options, where=config.path or "config", require_key=require_key)


def content_source(settings: LLMSettings | None, seed: int) -> Any:
    """An :class:`~seeder.llm.content.LLMContent` for ``settings`` (``None`` when the LLM is off)."""
    if settings is None:
        return None
    from seeder.llm.content import LLMContent

    return LLMContent(settings, seed=seed)


def echo_report(content: Any) -> None:
    """Print the per-table LLM accounting to stderr (nothing when the LLM was off)."""
    if content is None:
        return
    click.echo("LLM usage:", err=True)
    for line in content.report_lines():
        click.echo(f"  {line}", err=True)


def echo_estimate(rows: list[dict[str, Any]], settings: LLMSettings) -> None:
    """Print what an LLM run would cost (``seeder plan --llm``): ``rows`` as :func:`seeder.api.estimate_llm` gives."""
    width = max([len(r["table"]) for r in rows] + [5])
    click.echo(f"\nLLM estimate (model {settings.model}, mode {settings.mode}, {settings.rows_per_call} rows per call; "
               f"tokens ~ characters/4, repairs and cache hits not included):")
    click.echo(f"{'table':<{width}}  {'mode':<6}  {'calls':>6}  {'in tok':>9}  {'out tok':>9}")
    for r in rows:
        click.echo(f"{r['table']:<{width}}  {r['mode']:<6}  {r['calls']:>6}  {r['input_tokens']:>9}  "
                   f"{r['output_tokens']:>9}")
    click.echo(f"{'total':<{width}}  {'':<6}  {sum(r['calls'] for r in rows):>6}  "
               f"{sum(r['input_tokens'] for r in rows):>9}  {sum(r['output_tokens'] for r in rows):>9}")
