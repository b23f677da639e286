"""A content source that generates like a sample: draws content columns from their profiles and hands the columns
it has no profile for to another source (the local generator, or a language model).

Keys, unique columns and foreign keys are decided by the engine before any content source runs (the skeleton), so
integrity stays by construction; afterwards the engine repairs and verifies every CHECK, so a drawn value outside a
constraint is regenerated, never written. What is drawn:

* categories: values in their sampled frequencies (only values the column's spec admits);
* ordered values (numbers, dates, times): inverse-CDF sampling between the sampled quantiles, so values follow the
  sample's distribution and range without repeating sampled values more than chance does;
* strings whose shapes cover most of the sample (codes such as ``AB-1234``): a sampled shape with fresh letters and
  digits; other strings go to the fallback source, capped at the longest sampled length.

Unless ``allow_copies`` is set, a generated row equal to a sampled row in every sampled column is changed until it
differs (counted in :attr:`ProfileContent.stats` as ``rows_uncopied``).
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from seeder.generate.engine import ContentRequest, ContentSource, LocalContent
from seeder.generate.spec import ValueSpec
from seeder.profiles.learn import row_fingerprint
from seeder.profiles.model import PERCENTS, ColumnProfile, Profiles, TableProfile
from seeder.profiles.scalar import from_number

#: A text column is generated from its shapes when the kept shapes cover at least this share of the sample.
SHAPE_COVERAGE = 0.9
#: Attempts to make a row that equals a sampled row differ from it.
UNCOPY_ATTEMPTS = 10

_UPPER = np.array(list(string.ascii_uppercase))
_LOWER = np.array(list(string.ascii_lowercase))
_DIGITS = np.array(list(string.digits))


def _admits(spec: ValueSpec, value: Any) -> bool:
    """Whether ``value`` passes the spec's simple rules (choices, exclusions, bounds, length)."""
    try:
        if spec.fixed is not None:
            return bool(value == spec.fixed)
        if spec.choices is not None and value not in spec.choices:
            return False
        if value in spec.excluded:
            return False
        if spec.lower is not None and (value < spec.lower or (spec.lower_exclusive and value == spec.lower)):
            return False
        if spec.upper is not None and (value > spec.upper or (spec.upper_exclusive and value == spec.upper)):
            return False
    except TypeError:
        return False
    if isinstance(value, str):
        if spec.max_length is not None and len(value) > spec.max_length:
            return False
        if spec.min_length is not None and len(value) < spec.min_length:
            return False
    return True


def _nulls(spec: ValueSpec, profile: ColumnProfile, n: int, rng: np.random.Generator) -> np.ndarray:
    """Which of ``n`` rows get NULL: the sampled share, and none where the column is NOT NULL."""
    if spec.null_fraction <= 0 or profile.null_fraction <= 0:
        return np.zeros(n, dtype=bool)
    return rng.random(n) < profile.null_fraction


def _draw_category(profile: ColumnProfile, spec: ValueSpec, n: int, rng: np.random.Generator) -> list[Any] | None:
    pairs = [(v, c) for v, c in profile.categories if _admits(spec, v)]
    if not pairs:
        return None
    weights = np.array([c for _, c in pairs], dtype=float)
    picks = rng.choice(len(pairs), size=n, p=weights / weights.sum())
    return [pairs[i][0] for i in picks]


def _draw_ordered(profile: ColumnProfile, spec: ValueSpec, n: int, rng: np.random.Generator) -> list[Any] | None:
    if spec.choices is not None or spec.like:
        return None
    images = np.interp(rng.uniform(0.0, 100.0, n), PERCENTS, profile.quantiles)
    values = [from_number(float(x), profile.value_type, profile.scale) for x in images]
    if all(_admits(spec, v) for v in values):
        return values
    # outside the column's own bounds (a sample that does not satisfy today's CHECKs): keep the admissible draws
    kept = [v for v in values if _admits(spec, v)]
    if len(kept) < n // 2 or not kept:
        return None
    return [kept[i % len(kept)] if not _admits(spec, v) else v for i, v in enumerate(values)]


def _formatted(profile: ColumnProfile) -> bool:
    """Codes rather than words: the kept shapes cover most values, and no shape has a space."""
    covered = sum(c for _, c in profile.shapes)
    spaced = any(ch.isspace() for s, _ in profile.shapes for ch in s)
    return profile.count > 0 and covered / profile.count >= SHAPE_COVERAGE and not spaced


def _tokens(template: str) -> list[tuple[bool, str]]:
    """A template as (literal, character) pairs: ``\\x`` is a literal ``x``; ``A``, ``a``, ``9`` are placeholders."""
    out = []
    literal = False
    for ch in template:
        if literal:
            out.append((True, ch))
            literal = False
        elif ch == "\\":
            literal = True
        else:
            out.append((False, ch))
    return out


def _template_length(template: str) -> int:
    return len(_tokens(template))


def _fill_shape(template: str, n: int, rng: np.random.Generator) -> list[str]:
    """``n`` strings made from ``template`` (placeholders drawn uniformly), built column by column in numpy."""
    tokens = _tokens(template)
    if not tokens:
        return [""] * n
    columns = []
    for literal, ch in tokens:
        if literal:
            columns.append(np.full(n, ch, dtype="<U1"))
        else:
            alphabet = _DIGITS if ch == "9" else _UPPER if ch == "A" else _LOWER
            columns.append(alphabet[rng.integers(0, len(alphabet), n)])
    grid = np.ascontiguousarray(np.stack(columns, axis=1), dtype="<U1")
    return grid.view(f"<U{len(tokens)}").ravel().tolist()  # each row of characters read as one string


def _draw_text(profile: ColumnProfile, spec: ValueSpec, n: int, rng: np.random.Generator) -> list[Any] | None:
    if not _formatted(profile) or spec.choices is not None or spec.like or spec.fixed is not None:
        return None
    shapes = [(s, c) for s, c in profile.shapes
              if (spec.max_length is None or _template_length(s) <= spec.max_length)
              and (spec.min_length is None or _template_length(s) >= spec.min_length)]
    if not shapes:
        return None
    weights = np.array([c for _, c in shapes], dtype=float)
    picks = rng.choice(len(shapes), size=n, p=weights / weights.sum())
    out: list[Any] = [None] * n
    for k, (template, _) in enumerate(shapes):
        rows = np.flatnonzero(picks == k)
        for i, text in zip(rows, _fill_shape(template, len(rows), rng), strict=True):
            out[int(i)] = text
    return out


def draw(profile: ColumnProfile, spec: ValueSpec, n: int, rng: np.random.Generator) -> list[Any] | None:
    """``n`` values like the sampled ones that satisfy ``spec``, or ``None`` when the profile cannot make them (the
    caller then asks another source)."""
    if spec.fixed is not None:
        return None
    if profile.kind == "category":
        values = _draw_category(profile, spec, n, rng)
    elif profile.kind == "ordered":
        values = _draw_ordered(profile, spec, n, rng)
    else:
        values = _draw_text(profile, spec, n, rng)
    if values is None:
        return None
    for i in np.flatnonzero(_nulls(spec, profile, n, rng)):
        values[int(i)] = None
    return values


def _capped(spec: ValueSpec, profile: ColumnProfile | None) -> ValueSpec:
    """The spec a fallback source gets for a profiled text column: no longer than the longest sampled string."""
    if profile is None or profile.kind != "text" or not profile.lengths:
        return spec
    longest = int(profile.lengths[-1])
    if longest < 1 or (spec.min_length or 0) > longest or (spec.max_length is not None and spec.max_length <= longest):
        return spec
    return replace(spec, max_length=longest)


class ProfileContent:
    """A :class:`~seeder.generate.engine.ContentSource` drawing from profiles, delegating other columns.

    Args:
        profiles: table name -> :class:`TableProfile`.
        fallback: the source for columns without a usable profile (default
            :class:`~seeder.generate.engine.LocalContent`); its ``notes`` and ``close()`` are passed through.
        allow_copies: keep generated rows that equal a sampled row (default: change them).

    Attributes:
        stats: the fallback's counters plus ``cells_profile`` (cells drawn from profiles) and ``rows_uncopied``.
    """

    def __init__(self, profiles: Profiles, fallback: ContentSource | None = None, *,
                 allow_copies: bool = False) -> None:
        self.profiles = profiles
        self.fallback: Any = fallback or LocalContent()
        self.allow_copies = allow_copies
        self.stats: dict[str, int] = {}
        self._drawn = 0
        self._uncopied = 0
        self._stuck = 0

    @property
    def notes(self) -> list[str]:
        """The fallback source's notes (e.g. an LLM budget reached), and rows that could not be made to differ from
        a sampled row (a table whose content columns have a single possible value)."""
        out = list(getattr(self.fallback, "notes", None) or [])
        if self._stuck:
            out.append(f"{self._stuck} generated rows equal a sampled row and no content value could change that")
        return out

    def close(self) -> None:
        """Close the fallback source (e.g. an LLM source's HTTP client)."""
        close = getattr(self.fallback, "close", None)
        if close is not None:
            close()

    def fill(self, requests: Sequence[ContentRequest]) -> list[dict[str, list[Any]]]:
        """Content for one topological generation (see the ContentSource protocol)."""
        drawn: list[dict[str, list[Any]]] = []
        delegated: list[ContentRequest] = []
        for req in requests:
            profile = self.profiles.get(req.table.name)
            own: dict[str, list[Any]] = {}
            rest = []
            for col in req.columns:
                cp = profile.columns.get(col.name) if profile is not None else None
                values = draw(cp, req.specs[col.name], req.n, req.rng_for(col.name)) if cp is not None else None
                if values is None:
                    rest.append(col)
                else:
                    own[col.name] = values
            self._drawn += req.n * len(own)
            drawn.append(own)
            if rest:
                specs = {name: _capped(spec, profile.columns.get(name) if profile else None)
                         for name, spec in req.specs.items()}
                delegated.append(replace(req, columns=rest, specs=specs))
        answers = iter(self.fallback.fill(delegated) if delegated else [])
        out = []
        for req, own in zip(requests, drawn, strict=True):
            filled = dict(own)
            if len(own) < len(req.columns):
                filled.update(next(answers))
            profile = self.profiles.get(req.table.name)
            if profile is not None and not self.allow_copies:
                self._uncopy(req, filled, profile)
            out.append(filled)
        self.stats = {**dict(self.fallback.stats), "cells_profile": self._drawn, "rows_uncopied": self._uncopied}
        return out

    def _uncopy(self, req: ContentRequest, filled: dict[str, list[Any]], profile: TableProfile) -> None:
        """Change rows that equal a sampled row in every sampled column (redraw their content, column by column)."""
        names = [c for c in profile.fingerprint_columns if c in filled or c in req.skeleton]
        if not profile.fingerprints or len(names) < len(profile.fingerprint_columns):
            return  # a column the sample has is not generated: no generated row can equal a sampled one
        content = [c.name for c in req.columns]

        def row(i: int) -> dict[str, Any]:
            return {c: (filled[c] if c in filled else req.skeleton[c])[i] for c in names}

        for i in range(req.n):
            if row_fingerprint(row(i), names) not in profile.fingerprints:
                continue
            self._uncopied += 1
            for attempt in range(UNCOPY_ATTEMPTS):
                col = content[attempt % len(content)]
                cp = profile.columns.get(col)
                rng = req.rng_for(f"{col}#uncopy{i}:{attempt}")
                if cp is not None and cp.kind == "category":  # another category, in the sampled proportions
                    cp = replace(cp, categories=tuple((v, c) for v, c in cp.categories if v != filled[col][i]))
                fresh = draw(cp, req.specs[col], 1, rng) if cp is not None else None
                if fresh is None:
                    fresh = LocalContent().fill([replace(req, columns=[req.table.column(col)], n=1,
                                                         rng_for=lambda _c, r=rng: r)])[0][col]
                filled[col][i] = fresh[0]
                if row_fingerprint(row(i), names) not in profile.fingerprints:
                    break
            else:
                self._stuck += 1
