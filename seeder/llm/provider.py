"""The model provider: the only module of seeder that imports ``openai``.

One :class:`Provider` per run talks to one OpenAI-compatible endpoint (OpenAI, Azure OpenAI, or any server speaking
``POST /v1/chat/completions``: Ollama, vLLM, LM Studio, llama.cpp, ...). It sends one chat completion at a time and
turns every outcome into something the caller can act on:

* a :class:`Completion` (answer text and token usage);
* :class:`TransientError` for what a retry may fix: HTTP 408/409/429/5xx, timeouts, connection failures, with the
  server's ``Retry-After`` / ``retry-after-ms`` when it sent one (the client's own retries are off,
  ``max_retries=0``, so that retries are seeder's, counted and testable);
* :class:`CallFailed` for a request the server refuses that another request may still pass (e.g. a 400 about one
  prompt);
* :class:`~seeder.errors.LLMError` for what no retry fixes: a rejected key (401/403), an unknown model (404, or a
  400 naming the model), which end the run with one line.

Structured output: requests carry ``response_format={"type": "json_schema", ...}`` (strict). When the server
rejects that (a 400/422 mentioning ``response_format``/``json_schema``), the provider switches to
``{"type": "json_object"}`` plus the schema spelled out in the prompt, and remembers it for the rest of the run.

Every message that leaves this module passes through :func:`scrub`, so the key never appears in an error.
"""

from __future__ import annotations

import email.utils
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import openai

from seeder.errors import LLMError
from seeder.llm.config import LLMSettings


@dataclass(frozen=True)
class Completion:
    """A model answer: its text and the token usage the server reported (0 when it reported none)."""

    text: str
    input_tokens: int
    output_tokens: int


class TransientError(Exception):
    """A failure worth retrying; ``retry_after`` is the server's requested wait in seconds, if it gave one."""

    def __init__(self, message: str, retry_after: float | None = None, *, connect: bool = False) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        #: True when no connection could be made at all (as opposed to a slow or failing server).
        self.connect = connect


class CallFailed(Exception):
    """The server refused this one request for a reason retrying will not change; other requests may work."""


def scrub(text: str, secrets: Sequence[str]) -> str:
    """``text`` with every secret (and its first 12 characters, in case a server echoed it truncated) replaced."""
    for secret in secrets:
        if not secret:
            continue
        text = text.replace(secret, "[redacted]")
        if len(secret) > 16:
            text = text.replace(secret[:12], "[redacted]")
    return text


def _server_message(err: openai.APIStatusError) -> str:
    body: Any = err.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and isinstance(inner.get("message"), str):
            return " ".join(inner["message"].split())[:300]
        if isinstance(body.get("message"), str):
            return " ".join(body["message"].split())[:300]
    text = getattr(err.response, "text", "") or err.message
    return " ".join(str(text).split())[:300]


def retry_after_seconds(headers: Any) -> float | None:
    """The wait a response asks for: ``retry-after-ms`` (OpenAI), else ``Retry-After`` in seconds or as an HTTP
    date (RFC 9110, section 10.2.3); ``None`` when absent or unreadable."""
    if headers is None:
        return None
    ms = headers.get("retry-after-ms")
    if ms:
        try:
            return max(float(ms) / 1000.0, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - time.time(), 0.0)


def _mentions_format(message: str) -> bool:
    low = message.lower()
    return any(word in low for word in ("response_format", "json_schema", "structured output", "response format"))


class Provider:
    """Chat completions against one endpoint, with JSON-schema output and the fallback to JSON mode.

    Use inside a running event loop: ``async with provider:`` opens the HTTP client (one per event loop), then
    :meth:`complete` may be awaited concurrently.
    """

    def __init__(self, settings: LLMSettings, *, seed: int | None = None) -> None:
        self.settings = settings
        self.seed = seed
        #: ``False`` once the server rejected ``json_schema`` (kept across event loops, for the whole run).
        self.json_schema_supported: bool | None = None
        self._client: Any = None

    async def __aenter__(self) -> Provider:
        s = self.settings
        if s.azure_endpoint:
            self._client = openai.AsyncAzureOpenAI(azure_endpoint=s.azure_endpoint, api_key=s.api_key,
                                                   api_version=s.api_version, timeout=s.timeout, max_retries=0)
        else:
            self._client = openai.AsyncOpenAI(api_key=s.api_key, base_url=s.base_url, timeout=s.timeout,
                                              max_retries=0)
        return self

    async def __aexit__(self, *exc: object) -> None:
        client, self._client = self._client, None
        if client is not None:
            await client.close()

    def _scrub(self, text: str) -> str:
        return scrub(text, self.settings.secrets())

    async def complete(self, messages: Sequence[dict[str, str]], name: str, schema: dict[str, Any]) -> Completion:
        """Send one chat completion asking for JSON that follows ``schema`` (named ``name``).

        Raises:
            TransientError: 408/409/429/5xx, timeout or connection failure (retry later).
            CallFailed: the server refused this request (other requests may work).
            LLMError: the key or the model was rejected; the run cannot continue.
        """
        if self.json_schema_supported is not False:
            fmt = {"type": "json_schema", "json_schema": {"name": name, "strict": True, "schema": schema}}
            try:
                return await self._create(list(messages), fmt)
            except _FormatRejected:
                self.json_schema_supported = False
        hinted = [*messages[:-1], {"role": messages[-1]["role"], "content": messages[-1]["content"]
                                   + "\n\nAnswer with a JSON object that follows this JSON schema:\n"
                                   + json.dumps(schema, ensure_ascii=False)}]
        try:
            return await self._create(hinted, {"type": "json_object"})
        except _FormatRejected as err:
            raise CallFailed(str(err)) from None

    async def _create(self, messages: list[dict[str, str]], fmt: dict[str, Any]) -> Completion:
        s = self.settings
        body: dict[str, Any] = {"model": s.model, "messages": messages, "response_format": fmt}
        if self.seed is not None:
            body["seed"] = self.seed
        try:
            # ``post`` is the client's documented way to send a raw body ("Making custom/undocumented requests" in
            # the openai-python README): the same URL, auth, Azure deployment routing, timeout and error types as
            # ``chat.completions.create``, without its per-call walk over the (large) parameters and response model,
            # which costs more CPU than everything else seeder does per call.
            text = await self._client.post("/chat/completions", cast_to=str, body=body)
        except openai.APITimeoutError:
            raise TransientError(f"no answer within {s.timeout:g}s") from None
        except openai.APIConnectionError as err:
            raise TransientError(self._scrub(f"cannot reach {s.host}: {err.__cause__ or err}"), connect=True) from None
        except openai.APIStatusError as err:
            raise self._status_error(err, fmt) from None
        return self._completion(text)

    def _status_error(self, err: openai.APIStatusError, fmt: dict[str, Any]) -> Exception:
        s = self.settings
        status = err.status_code
        message = self._scrub(_server_message(err))
        if status in (408, 409, 429) or status >= 500:
            return TransientError(f"HTTP {status} from {s.host}: {message}",
                                  retry_after_seconds(getattr(err.response, "headers", None)))
        if status in (401, 403):
            return LLMError(f"the server at {s.host} rejected the API key from {s.key_source} "
                            f"(HTTP {status}): {message}")
        low = message.lower()
        if status == 404 or (status == 400 and "model" in low and not _mentions_format(message)):
            return LLMError(f"model {s.model!r} was rejected by the server at {s.host} (HTTP {status}): {message}")
        if status in (400, 422) and _mentions_format(message):
            return _FormatRejected(f"HTTP {status} from {s.host}: {message}")
        return CallFailed(f"HTTP {status} from {s.host}: {message}")

    def _completion(self, raw: str) -> Completion:
        """Read a ``chat.completion`` object (OpenAI API reference, "The chat completion object")."""
        try:
            doc = json.loads(raw)
        except ValueError:
            raise CallFailed(self._scrub(f"the server at {self.settings.host} answered with something that is not "
                                         f"JSON: {raw[:80]!r}")) from None
        choices = doc.get("choices") if isinstance(doc, dict) else None
        text = ""
        if isinstance(choices, list) and choices and isinstance(choices[0], dict):
            message = choices[0].get("message") or {}
            content = message.get("content") if isinstance(message, dict) else None
            text = content if isinstance(content, str) else ""  # a refusal or no content: unusable, repaired later
        usage = doc.get("usage") if isinstance(doc, dict) else None
        usage = usage if isinstance(usage, dict) else {}
        return Completion(text=text, input_tokens=_count(usage.get("prompt_tokens")),
                          output_tokens=_count(usage.get("completion_tokens")))


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


class _FormatRejected(Exception):
    """The server does not accept this ``response_format``."""
