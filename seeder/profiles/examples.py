"""Sampled rows as examples for a language model: added to table comments, which prompts carry as data."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from seeder.schema import Schema

#: Characters of example rows added to one table's comment.
EXAMPLE_CHARS = 1500


def with_examples(schema: Schema, profiles: Mapping[Any, Any]) -> Schema:
    """``schema`` with a few sampled rows (:attr:`TableProfile.examples`) added to each profiled table's comment.

    Prompts put comments inside their DATA block (see :mod:`seeder.llm.prompt`), so the rows reach the model as
    few-shot examples of style and format, never as instructions, whatever they contain.
    """
    tables = []
    for table in schema.tables:
        profile = profiles.get(table.name)
        if profile is None or not profile.examples:
            tables.append(table)
            continue
        rows = json.dumps([dict(r) for r in profile.examples], default=str, ensure_ascii=False)[:EXAMPLE_CHARS]
        note = f"Existing rows look like these (follow their style and formats; do not copy them): {rows}"
        tables.append(replace(table, comment=f"{table.comment}\n{note}" if table.comment else note))
    return replace(schema, tables=tuple(tables))
