"""The description source kind: a schema designed by a language model from words (see :mod:`seeder.llm.design`).

Claims a ``.txt`` or ``.md`` file (its text is the description) and ``describe:<text>``, which is what
``seeder generate --describe "..."`` without a SOURCE (and ``seeder.generate("a sentence")``) reads. Options:

* ``llm``: the :class:`~seeder.llm.config.LLMSettings` to ask (default: from the environment, as ``--llm`` would);
* ``seed``: the run's seed, part of the response cache key (default 0).
"""

from __future__ import annotations

import re
from pathlib import Path

from seeder.errors import SchemaReadError
from seeder.readers.sources import SchemaSource, SourceOptions

#: The prefix of a description given inline rather than in a file.
PREFIX = "describe:"
SUFFIXES = (".txt", ".md")
#: Text that starts (after blank lines and ``--`` comments) with CREATE TABLE is DDL, not a description.
_DDL_START = re.compile(r"\A\s*(--[^\n]*\n\s*)*create\s+(temporary\s+)?table\b", re.IGNORECASE)


def claims(source: str) -> bool:
    """``describe:...``, or a path ending in ``.txt`` / ``.md``."""
    return source.startswith(PREFIX) or source.lower().endswith(SUFFIXES)


def description_text(source: str) -> tuple[str, str]:
    """The description and how to name it in messages (the file name, or ``description``).

    Raises:
        SchemaReadError: the file is missing, not UTF-8 text, or empty.
    """
    if source.startswith(PREFIX):
        text, origin = source[len(PREFIX):], "description"
    else:
        path = Path(source)
        if not path.is_file():
            raise SchemaReadError("file not found", path=source)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise SchemaReadError("not a UTF-8 text file", path=source) from None
        origin = path.name
        if _DDL_START.match(text):
            raise SchemaReadError("starts with CREATE TABLE: this is DDL, not a description (name it .sql)",
                                  path=source)
    if not text.strip():
        raise SchemaReadError("the description is empty", path=None if origin == "description" else source)
    return text.strip(), origin


def read(source: str, options: SourceOptions) -> SchemaSource:
    """Design a schema for the description and read it like DDL.

    Raises:
        SchemaReadError: no description, or the model's design stays invalid (nothing is written).
        LLMError: no API key for a remote server, a rejected key or model, an unreachable server.
    """
    from seeder.llm.config import require_openai, resolve_settings
    from seeder.llm.design import design_schema
    from seeder.readers.ddl import read_ddl

    text, origin = description_text(source)
    settings = options.extra.get("llm")
    if settings is None:
        require_openai()
        settings = resolve_settings(flags={})
    design = design_schema(text, settings, seed=int(options.extra.get("seed") or 0))
    schema = read_ddl(design.ddl, "postgres", path=origin)
    notes = [f"schema designed by {settings.model} at {settings.host} from {origin}"
             + (" (the first design was sent back once with its problems)" if design.attempts > 1 else "")]
    return SchemaSource(schema=schema, text=design.ddl, kind="description", origin=origin, notes=tuple(notes),
                        rules=design.rules)
