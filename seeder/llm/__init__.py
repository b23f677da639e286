"""LLM generation: content columns written by a language model through any OpenAI-compatible API.

The engine keeps integrity (keys, foreign keys, unique columns are decided before the model is asked, and every
CHECK and unique constraint is verified afterwards); the model only writes content, for exactly those rows, seeing
each row's parent rows. Modules, one job each:

* :mod:`~seeder.llm.config` — settings from flags, config file and environment (:class:`LLMSettings`);
* :mod:`~seeder.llm.provider` — the only module importing ``openai``: one chat completion, errors sorted into
  retryable / refused / fatal;
* :mod:`~seeder.llm.caller` — one logical call: cache, budget, concurrency, retries with backoff;
* :mod:`~seeder.llm.cache` — the on-disk response cache; :mod:`~seeder.llm.accounting` — budget and per-table costs;
* :mod:`~seeder.llm.prompt` / :mod:`~seeder.llm.response_schema` — what is sent and the JSON schema of the answer;
* :mod:`~seeder.llm.validate` — JSON values to dataset values, checked against types, specs and CHECKs;
* :mod:`~seeder.llm.job`, :mod:`~seeder.llm.rows`, :mod:`~seeder.llm.pools` — one table's content in rows or pools
  mode; :mod:`~seeder.llm.content` — the engine's ContentSource (:class:`~seeder.llm.content.LLMContent`);
* :mod:`~seeder.llm.estimate` — ``seeder plan --llm``; :mod:`~seeder.llm.cli_options` — the CLI options.

Importing this package does not import ``openai`` (only :mod:`~seeder.llm.provider` does, when a run starts).
"""

from __future__ import annotations

from seeder.llm.config import LLMSettings, resolve_settings

__all__ = ["LLMSettings", "resolve_settings"]
