"""``seeder design``: ask a model for a normalised schema that fits a description, through structured output.

The answer is a JSON document following :data:`DESIGN_SCHEMA` (tables, columns, keys, foreign keys, rules). It is
turned into PostgreSQL DDL (:mod:`seeder.design.draft`) and validated by reading it back with the DDL reader,
planning it and generating a few rows (:mod:`seeder.design.validate`). A design with problems is sent back once,
with every problem listed; a design that still fails is a :class:`~seeder.errors.SchemaReadError` naming the first
problems, and nothing is written. Answers go through the same caller as content requests: response cache (a rerun
with the same description, model and seed makes no call), budget, retries with backoff, and the key never printed.

The description is the user's instruction; it is not data from a database, so it goes into the instructions.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from seeder.design.draft import draft_from_document
from seeder.design.model import Design
from seeder.design.validate import validate_ddl
from seeder.errors import SchemaReadError
from seeder.llm.accounting import Accounting, Budget
from seeder.llm.cache import ResponseCache
from seeder.llm.caller import Caller
from seeder.llm.config import LLMSettings
from seeder.llm.prompt import SYSTEM_PROMPT, data_block
from seeder.llm.provider import Provider

#: Answers the model may give: the first, and one after the problems were sent back.
ATTEMPTS = 2
#: Problems named in the error when the second design fails too.
PROBLEMS_SHOWN = 3

_NULLABLE_TEXT = {"type": ["string", "null"]}
_NAMES = {"type": "array", "items": {"type": "string"}}

#: The structured-output schema of a design (OpenAI strict mode: every property required, no others).
DESIGN_SCHEMA: dict[str, Any] = {
    "type": "object", "additionalProperties": False, "required": ["tables", "rules"],
    "properties": {
        "tables": {"type": "array", "items": {
            "type": "object", "additionalProperties": False,
            "required": ["name", "comment", "columns", "primary_key", "unique", "foreign_keys"],
            "properties": {
                "name": {"type": "string", "description": "snake_case table name"},
                "comment": {**_NULLABLE_TEXT, "description": "what a row is; semantics a generator should know"},
                "columns": {"type": "array", "items": {
                    "type": "object", "additionalProperties": False,
                    "required": ["name", "type", "nullable", "comment"],
                    "properties": {
                        "name": {"type": "string", "description": "snake_case column name"},
                        "type": {"type": "string", "description": "PostgreSQL type: integer, bigint, "
                                 "numeric(10,2), varchar(100), text, boolean, date, timestamp, ..."},
                        "nullable": {"type": "boolean"},
                        "comment": {**_NULLABLE_TEXT, "description": "meaning, unit, typical values, correlations"},
                    }}},
                "primary_key": _NAMES,
                "unique": {"type": "array", "items": _NAMES},
                "foreign_keys": {"type": "array", "items": {
                    "type": "object", "additionalProperties": False,
                    "required": ["columns", "references", "ref_columns"],
                    "properties": {"columns": _NAMES, "references": {"type": "string"}, "ref_columns": _NAMES}}},
            }}},
        "rules": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["text", "table", "column", "check"],
            "properties": {
                "text": {"type": "string", "description": "the constraint in words"},
                "table": {"type": "string"},
                "column": _NULLABLE_TEXT,
                "check": {**_NULLABLE_TEXT, "description": "a PostgreSQL boolean expression over the table's own "
                          "columns that every row must satisfy, or null when the rule cannot be checked on one "
                          "row alone (it depends on the current date, on other rows or on other tables)"},
            }}},
    },
}

_INSTRUCTIONS = """Design a normalised relational schema (PostgreSQL) for the description below.

Rules:
- Return {"tables": [...], "rules": [...]} following the JSON schema.
- Every table has a primary key (an integer id is fine); relationships are foreign keys to a primary key or a
  UNIQUE column set of another table of the design.
- Use standard PostgreSQL types. Mark columns NOT NULL ("nullable": false) unless the description allows a gap.
- Put every constraint the description states into "rules". A rule whose truth can be decided from one row's own
  columns gets a "check" (e.g. "quantity BETWEEN 1 AND 5", "country IN ('France', 'Japan')"); never use
  CURRENT_DATE, now() or random() in a check. Rules that depend on today's date, on other rows or on other tables
  (counts per parent, "price grows with size") get "check": null: they become context for the data generator.
- Comments say what a table or column means: units, typical values, distributions, correlations.

Description: """


def design_messages(description: str) -> list[dict[str, str]]:
    """The first request: instructions and the description."""
    return [{"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": _INSTRUCTIONS + " ".join(description.split())}]


def repair_messages(original: list[dict[str, str]], answer: str, problems: list[str]) -> list[dict[str, str]]:
    """The follow-up that sends a design back with its problems."""
    lead = ("Your design cannot be used: the problems are listed in the DATA block. Answer again with the whole "
            "corrected design, as one JSON object following the same schema.")
    return [*original, {"role": "assistant", "content": answer[:20_000]},
            {"role": "user", "content": lead + "\n\n" + data_block({"task": "design-repair", "problems": problems})}]


def _check(answer: str | None) -> tuple[Design | None, list[str]]:
    if answer is None:
        return None, ["no answer"]
    try:
        doc = json.loads(answer)
    except ValueError:
        return None, ["the answer is not valid JSON"]
    draft = draft_from_document(doc)
    if draft.problems:
        return None, draft.problems
    _, problems = validate_ddl(draft.ddl)
    if problems:
        return None, problems
    return Design(ddl=draft.ddl, rules=tuple(draft.rules)), []


async def _design(caller: Caller, provider: Provider, description: str) -> Design:
    await provider.__aenter__()
    caller.bind()
    try:
        messages = design_messages(description)
        problems: list[str] = []
        for attempt in range(1, ATTEMPTS + 1):
            answer = await caller.ask("(design)", messages, "schema_design", DESIGN_SCHEMA,
                                      kind="design" if attempt == 1 else "design-repair")
            if answer.text is None:
                raise SchemaReadError(f"the model gave no design: {answer.problem}")
            design, problems = _check(answer.text)
            if design is not None:
                return Design(ddl=design.ddl, rules=design.rules, attempts=attempt)
            messages = repair_messages(messages, answer.text, problems)
        shown = "; ".join(problems[:PROBLEMS_SHOWN])
        more = f" (and {len(problems) - PROBLEMS_SHOWN} more)" if len(problems) > PROBLEMS_SHOWN else ""
        raise SchemaReadError(f"the model's design is still invalid after {ATTEMPTS} answers: {shown}{more}; "
                              "nothing was written")
    finally:
        await provider.__aexit__(None, None, None)


def design_schema(description: str, settings: LLMSettings, *, seed: int = 0) -> Design:
    """Ask the model at ``settings`` for a schema fitting ``description`` and validate it.

    Returns:
        The validated :class:`~seeder.design.model.Design` (PostgreSQL DDL and the description's rules).

    Raises:
        SchemaReadError: the description is empty, the model gave no answer, or its design is still invalid after
            the problems were sent back once.
        LLMError: the server rejected the key or the model, or cannot be reached.
    """
    if not description.strip():
        raise SchemaReadError("the description is empty")
    provider = Provider(settings, seed=seed)
    caller = Caller(provider, ResponseCache(settings.cache_dir, enabled=settings.use_cache),
                    Budget(settings.max_calls, settings.max_tokens), Accounting(), settings, seed=seed)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(_design(caller, provider, description))
    import concurrent.futures  # a notebook's running loop: run ours in a helper thread

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, _design(caller, provider, description)).result()
