"""Moved to :mod:`seeder.semantic` (the plan reads column meanings too); re-exported here for existing imports."""

from seeder.semantic import (  # noqa: F401
    DEFAULT_DATE_WINDOW,
    FLAG_TRUE_PROBABILITY,
    NUMERIC_HINTS,
    PERSON_NOUNS,
    TEMPORAL_HINTS,
    semantic_kind,
    singular,
    split_identifier,
)
