"""LLM settings: command-line flags over the config file over the environment, resolved once per run.

Config file (``seeder.toml``, or ``[tool.seeder]`` in ``pyproject.toml``)::

    describe = "A DVD rental chain in Europe"      # domain description (``--describe`` wins)

    [llm]                        # the section's presence turns the LLM on (``enabled = false`` turns it off)
    model = "gpt-4o-mini"
    base_url = "http://localhost:11434/v1"        # any OpenAI-compatible server (Ollama, vLLM, LM Studio, ...)
    concurrency = 8
    rows_per_call = 20
    mode = "auto"                # rows | pools | auto
    auto_threshold = 200         # auto: rows mode up to this many rows per table, pools above
    max_calls = 500
    max_tokens = 2_000_000
    cache = true
    cache_dir = ".seeder-cache/llm"
    timeout = 60
    api_key_env = "OPENAI_API_KEY"                # the NAME of the variable holding the key, never the key

    [columns."film.description"]
    hint = "one-sentence plot summary"

Environment (read here and nowhere else): ``OPENAI_API_KEY``, ``OPENAI_BASE_URL``; Azure OpenAI when
``AZURE_OPENAI_ENDPOINT`` is set and no base URL is given: ``AZURE_OPENAI_API_KEY`` (or ``OPENAI_API_KEY``) and
``OPENAI_API_VERSION`` (default :data:`DEFAULT_AZURE_API_VERSION`); the model name is then the deployment name.

Keys never come from a file: a config file gets committed, so ``api_key`` in it is a :class:`ConfigError`. A server
on the local machine (``localhost``, ``127.0.0.1``, ``::1``) such as Ollama accepts any key; when no key is set for
one, seeder sends the placeholder :data:`LOCAL_PLACEHOLDER_KEY`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from seeder.errors import ConfigError, LLMError

Mode = Literal["rows", "pools", "auto"]

DEFAULT_MODEL = "gpt-4o-mini"
DEFAULT_AZURE_API_VERSION = "2024-10-21"
DEFAULT_CACHE_DIR = Path(".seeder-cache") / "llm"
LOCAL_PLACEHOLDER_KEY = "seeder-local-server-no-key"
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})

_FILE_KEYS = {
    "enabled", "model", "base_url", "concurrency", "rows_per_call", "mode", "auto_threshold", "pool_size",
    "example_rows", "max_calls", "max_tokens", "cache", "cache_dir", "timeout", "max_retries", "retry_base_delay",
    "api_key_env", "api_version", "azure_endpoint", "describe", "hints",
}


@dataclass(frozen=True)
class LLMSettings:
    """Everything a run needs to talk to a model. ``api_key`` is excluded from ``repr`` so it never reaches logs.

    Attributes:
        model: model name (Azure: deployment name).
        base_url: OpenAI-compatible endpoint, ``None`` for api.openai.com.
        api_key: the key (or the local placeholder); never printed, cached or written.
        azure_endpoint / api_version: set for Azure OpenAI.
        concurrency: requests in flight at once (``--llm-concurrency``, default 8).
        rows_per_call: rows per request in rows mode (``--rows-per-call``, default 20).
        mode: ``rows``, ``pools`` or ``auto`` (rows up to ``auto_threshold`` rows per table, pools above).
        pool_size / example_rows: pools mode: candidate values per column, coherent example rows.
        describe: domain description; hints: per-column hints keyed ``table.column`` (or ``schema.table.column``).
        max_calls / max_tokens: budget (``None`` = unlimited); after it the run finishes locally.
        use_cache / cache_dir: on-disk response cache.
        timeout: seconds per request; max_retries: retries on 429/5xx/timeouts; retry_base_delay: first backoff.
        key_source: where the key came from (for messages; never the key itself).
    """

    model: str = DEFAULT_MODEL
    base_url: str | None = None
    api_key: str = field(default="", repr=False)
    azure_endpoint: str | None = None
    api_version: str | None = None
    concurrency: int = 8
    rows_per_call: int = 20
    mode: Mode = "auto"
    auto_threshold: int = 200
    pool_size: int = 40
    example_rows: int = 5
    describe: str | None = None
    hints: dict[str, str] = field(default_factory=dict)
    max_calls: int | None = None
    max_tokens: int | None = None
    use_cache: bool = True
    cache_dir: Path = DEFAULT_CACHE_DIR
    timeout: float = 60.0
    max_retries: int = 4
    retry_base_delay: float = 0.5
    key_source: str = "OPENAI_API_KEY"

    @property
    def host(self) -> str:
        """The server's host name (``api.openai.com`` by default): part of cache keys and messages."""
        url = self.azure_endpoint or self.base_url
        if not url:
            return "api.openai.com"
        return urlsplit(url).hostname or url

    @property
    def endpoint_id(self) -> str:
        """Host, port and path of the endpoint, without credentials or query: what identifies the server in cache
        keys (two local servers on different ports must not share answers)."""
        url = self.azure_endpoint or self.base_url
        if not url:
            return "api.openai.com"
        parts = urlsplit(url)
        port = f":{parts.port}" if parts.port else ""
        return f"{parts.hostname or ''}{port}{parts.path.rstrip('/')}"

    def secrets(self) -> list[str]:
        """Strings that must never appear in output: the key (unless it is the public local placeholder)."""
        return [self.api_key] if self.api_key and self.api_key != LOCAL_PLACEHOLDER_KEY else []


def require_openai() -> None:
    """Raise LLMError when the ``openai`` package (the ``llm`` extra) is not installed."""
    import importlib.util

    if importlib.util.find_spec("openai") is None:
        raise LLMError("LLM generation needs the openai package: pip install 'seeder[llm]'")


def is_local_url(url: str | None) -> bool:
    """Whether ``url`` points at this machine (``localhost``, ``127.0.0.1``, ``::1``)."""
    if not url:
        return False
    host = urlsplit(url if "://" in url else f"http://{url}").hostname
    return host in LOCAL_HOSTS


def _first(*values: Any) -> Any:
    for v in values:
        if v is not None:
            return v
    return None


def _positive_int(value: Any, what: str, *, minimum: int = 1, maximum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum \
            or (maximum is not None and value > maximum):
        allowed = f"between {minimum} and {maximum}" if maximum is not None else f">= {minimum}"
        raise ConfigError(f"{what} must be a whole number {allowed}, got {value!r}")
    return value


def _optional_int(value: Any, what: str) -> int | None:
    return None if value is None else _positive_int(value, what, minimum=0)


def llm_enabled(file: Mapping[str, Any], flag: bool | None) -> bool:
    """``--llm``/``--no-llm`` when given, else whether the config has an ``[llm]`` section not disabled."""
    if flag is not None:
        return flag
    return bool(file) and file.get("enabled", True) is not False


def resolve_settings(*, file: Mapping[str, Any] | None = None, describe: str | None = None,
                     columns: Mapping[str, Any] | None = None, flags: Mapping[str, Any] | None = None,
                     env: Mapping[str, str] | None = None, where: str = "config",
                     require_key: bool = True) -> LLMSettings:
    """Build :class:`LLMSettings` from flags (win), the config file's ``[llm]`` section and ``describe``/``columns``,
    and the environment.

    Args:
        file: the ``[llm]`` table of the config file (``Config.llm``).
        describe: the config's top-level ``describe``.
        columns: the config's ``[columns."table.column"]`` tables; their ``hint`` keys become column hints.
        flags: command-line values by option name (``model``, ``llm_base_url``, ``llm_concurrency``,
            ``rows_per_call``, ``llm_mode``, ``describe``, ``max_llm_calls``, ``max_llm_tokens``, ``no_cache``,
            ``cache_dir``, ``llm_timeout``); ``None`` values mean "not given".
        env: the environment (default ``os.environ``).
        where: the config file's name, for messages.
        require_key: ``False`` for estimates (``seeder plan --llm``), which never call the model.

    Raises:
        ConfigError: an unknown or invalid setting, or an API key written in the config file.
        LLMError: no API key for a non-local server (the message names the variables to set).
    """
    file = dict(file or {})
    flags = {k: v for k, v in (flags or {}).items() if v is not None}
    env = os.environ if env is None else env
    unknown = sorted(set(file) - _FILE_KEYS)
    if "api_key" in unknown:
        raise ConfigError(f"{where}: [llm] api_key must not be in a config file; set OPENAI_API_KEY in the environment "
                          f"(or name another variable with api_key_env)")
    if unknown:
        raise ConfigError(f"{where}: unknown [llm] setting {unknown[0]!r} (known: {', '.join(sorted(_FILE_KEYS))})")

    base_url = _first(flags.get("llm_base_url"), file.get("base_url"), env.get("OPENAI_BASE_URL") or None)
    azure_endpoint = None if base_url else _first(file.get("azure_endpoint"), env.get("AZURE_OPENAI_ENDPOINT") or None)
    key_var = str(file.get("api_key_env", "OPENAI_API_KEY"))
    if azure_endpoint:
        key, source = env.get("AZURE_OPENAI_API_KEY") or env.get(key_var), "AZURE_OPENAI_API_KEY"
        if not env.get("AZURE_OPENAI_API_KEY") and env.get(key_var):
            source = key_var
    else:
        key, source = env.get(key_var), key_var
    if not key:
        if is_local_url(base_url) or not require_key:
            key, source = LOCAL_PLACEHOLDER_KEY, "placeholder for a local server"
        else:
            target = f"the server at {urlsplit(base_url).hostname or base_url}" if base_url else "OpenAI"
            azure = " (Azure: AZURE_OPENAI_ENDPOINT and AZURE_OPENAI_API_KEY)" if not base_url else ""
            raise LLMError(f"--llm needs an API key for {target}: set {key_var}{azure}, or point --llm-base-url at a "
                           f"local server (localhost needs no key)")

    mode = flags.get("llm_mode", file.get("mode", "auto"))
    if mode not in ("rows", "pools", "auto"):
        raise ConfigError(f"LLM mode must be rows, pools or auto, got {mode!r}")
    timeout = flags.get("llm_timeout", file.get("timeout", 60.0))
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0:
        raise ConfigError(f"LLM timeout must be a positive number of seconds, got {timeout!r}")
    base_delay = file.get("retry_base_delay", 0.5)
    if isinstance(base_delay, bool) or not isinstance(base_delay, (int, float)) or base_delay < 0:
        raise ConfigError(f"{where}: [llm] retry_base_delay must be a number of seconds >= 0, got {base_delay!r}")
    model = flags.get("model", file.get("model", DEFAULT_MODEL))
    if not isinstance(model, str) or not model.strip():
        raise ConfigError(f"LLM model must be a non-empty name, got {model!r}")
    use_cache = not flags.get("no_cache", False) and file.get("cache", True) is not False
    cache_dir = Path(str(flags.get("cache_dir", file.get("cache_dir", DEFAULT_CACHE_DIR))))

    return LLMSettings(
        model=model.strip(),
        base_url=base_url,
        api_key=key,
        azure_endpoint=azure_endpoint,
        api_version=(file.get("api_version") or env.get("OPENAI_API_VERSION") or DEFAULT_AZURE_API_VERSION)
        if azure_endpoint else None,
        concurrency=_positive_int(flags.get("llm_concurrency", file.get("concurrency", 8)), "LLM concurrency",
                                  maximum=256),
        rows_per_call=_positive_int(flags.get("rows_per_call", file.get("rows_per_call", 20)), "rows per call",
                                    maximum=500),
        mode=mode,
        auto_threshold=_positive_int(file.get("auto_threshold", 200), f"{where}: [llm] auto_threshold", minimum=0),
        pool_size=_positive_int(file.get("pool_size", 40), f"{where}: [llm] pool_size", maximum=1000),
        example_rows=_positive_int(file.get("example_rows", 5), f"{where}: [llm] example_rows", minimum=0,
                                   maximum=100),
        describe=_first(flags.get("describe"), file.get("describe"), describe),
        hints=_hints(file.get("hints"), columns, where),
        max_calls=_optional_int(flags.get("max_llm_calls", file.get("max_calls")), "max LLM calls"),
        max_tokens=_optional_int(flags.get("max_llm_tokens", file.get("max_tokens")), "max LLM tokens"),
        use_cache=use_cache,
        cache_dir=cache_dir,
        timeout=float(timeout),
        max_retries=_positive_int(file.get("max_retries", 4), f"{where}: [llm] max_retries", minimum=0, maximum=20),
        retry_base_delay=float(base_delay),
        key_source=source,
    )


def _hints(extra: Any, columns: Mapping[str, Any] | None, where: str) -> dict[str, str]:
    """Column hints from ``[columns."t.c"] hint = "..."`` and ``[llm.hints] "t.c" = "..."``."""
    hints: dict[str, str] = {}
    for name, settings in sorted((columns or {}).items()):
        if isinstance(settings, Mapping) and "hint" in settings:
            if not isinstance(settings["hint"], str):
                raise ConfigError(f"{where}: columns.{name}.hint must be a string")
            hints[name] = settings["hint"]
    if extra is not None:
        if not isinstance(extra, Mapping) or not all(isinstance(v, str) for v in extra.values()):
            raise ConfigError(f"{where}: [llm.hints] must map \"table.column\" to a string")
        hints.update({str(k): v for k, v in extra.items()})
    return hints


def hints_for(hints: Mapping[str, str], schema: str | None, table: str) -> dict[str, str]:
    """The hints of one table's columns, by column name (keys ``table.column`` or ``schema.table.column``)."""
    out: dict[str, str] = {}
    prefixes = [f"{table}."] + ([f"{schema}.{table}."] if schema else [])
    for key, text in hints.items():
        for prefix in prefixes:
            if key.startswith(prefix) and "." not in key[len(prefix):]:
                out[key[len(prefix):]] = text
    return out
