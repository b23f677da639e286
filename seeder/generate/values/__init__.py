"""Local value generation: realistic values for one column within its :class:`~seeder.generate.spec.ValueSpec`.

:func:`generate_values` and :func:`unique_capacity` (in :mod:`~.sources`, which picks a source per type kind) are
the entry points. Behind them: :mod:`~.numeric_temporal` (numbers, dates, times, intervals as integer units over
:mod:`~.integer_domain`), :mod:`~.text` (character strings, with :mod:`~.like_strings` for LIKE patterns),
:mod:`~.fixed_formats` (booleans, sets, uuids, json, bytes, network addresses, bits, xml, tsvectors),
:mod:`~.extension_types` (PostGIS, geometric, range and other extension types), :mod:`~.semantic` (what a column
holds, judged from its name) and :mod:`~.vocabulary` (Faker word pools built once per locale).
"""

from seeder.generate.values.sources import generate_values, unique_capacity
from seeder.semantic import semantic_kind

__all__ = ["generate_values", "semantic_kind", "unique_capacity"]
