"""Validate a design's DDL the way every schema is used: read it back with the DDL reader, plan it, and generate a
few rows (which finds CHECKs no value satisfies). Each failure is one line to send back to the model."""

from __future__ import annotations

from seeder.errors import SeederError
from seeder.schema import Schema

#: Rows per table of the trial generation.
TRIAL_ROWS = 5


def validate_ddl(ddl: str) -> tuple[Schema | None, list[str]]:
    """The schema of ``ddl`` (PostgreSQL) and the problems found reading, planning and trying it (``[]``: valid)."""
    from seeder.generate.engine import generate
    from seeder.plan.planner import build_plan
    from seeder.readers.ddl import read_ddl

    try:
        schema = read_ddl(ddl, "postgres", path="design")
    except SeederError as err:
        return None, [f"the DDL made from the design cannot be read: {err}"]
    problems = [f"{t.name}.{c.name}: type {c.type.sql} is not one seeder can generate; use a standard type"
                for t in schema.tables for c in t.columns if c.type.kind == "other"]
    if problems:
        return schema, problems
    try:
        plan = build_plan(schema, TRIAL_ROWS)
        generate(schema, plan, seed=0)
    except SeederError as err:
        return schema, [f"the design cannot be generated: {' '.join(str(err).split())}"]
    return schema, []
