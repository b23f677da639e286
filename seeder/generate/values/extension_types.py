"""Values for PostgreSQL built-in and extension types the schema model files under kind ``other``.

Each value is the type's text input form (what ``'...'::type`` parses), recognised by the type's name as written
(schema qualifier and case ignored, typmod read where it matters). Sources for the formats:

* PostGIS ``geometry``/``geography`` (PostGIS manual, "Geometry Input": WKT/EWKT): ``SRID=4326;POLYGON((...))``;
  the typmod ``geometry(Polygon, 4326)`` fixes the geometry type (``Z``/``M``/``ZM`` suffixes add ordinates) and the
  SRID; ``geography`` defaults to SRID 4326. Coordinates for SRID 4326 are longitude/latitude in range, polygons
  are closed counter-clockwise rings.
* PostgreSQL geometric types ("Geometric Types"): ``point`` ``(x,y)``, ``line`` ``{A,B,C}``, ``lseg``/``box``
  ``[(x1,y1),(x2,y2)]``, ``path`` ``[(...),...]``, ``polygon`` ``((...),...)``, ``circle`` ``<(x,y),r>``.
* ``cube`` (contrib "cube"): ``(x, y, z)``; ``hstore`` (contrib "hstore"): ``"key"=>"value", ...``;
  ``ltree`` (contrib "ltree"): dot-separated labels.
* Ranges and multiranges ("Range Types"): ``[lower,upper)``, ``{[lower,upper)}``; ``tid`` ``(block,offset)``;
  ``pg_lsn`` ``X/Y`` hexadecimal; pgvector ``vector(n)``: ``[x1,...,xn]``.

Unknown names return ``None`` from :func:`extension_source`, and the caller reports the type as unsupported.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import numpy as np

from seeder.generate.spec import ValueSpec
from seeder.generate.values import vocabulary as vocab
from seeder.types import type_name

#: Makes one value from ``(rng, rank)``; ``rank`` is ``None`` for random values, else a distinct non-negative int
#: that the value must encode so that distinct ranks give distinct values.
Maker = Callable[[np.random.Generator, "int | None"], str]

_GEOMETRY_KINDS = ("POINT", "LINESTRING", "POLYGON", "MULTIPOINT", "MULTILINESTRING", "MULTIPOLYGON",
                   "GEOMETRYCOLLECTION")
_TYPMOD = re.compile(r"^\s*([A-Za-z]+?)(ZM|Z|M)?\s*(?:,\s*(-?\d+))?\s*$", re.I)


def _num(value: float) -> str:
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


# ------------------------------------------------------------------------------------------------------ PostGIS


def _lonlat(rng: np.random.Generator, rank: int | None, geographic: bool) -> tuple[float, float]:
    if geographic:
        lon, lat = float(rng.uniform(-170, 170)), float(rng.uniform(-70, 70))
    else:
        lon, lat = float(rng.uniform(0, 100000)), float(rng.uniform(0, 100000))
    if rank is not None:  # distinct points: the rank picks a cell of a grid, the draw a position inside it
        cell = (rank % 3000, rank // 3000)
        step = 0.1 if geographic else 10.0
        base = (-150.0, -60.0) if geographic else (0.0, 0.0)
        lon = base[0] + cell[0] * step + (lon % step) * 0.5
        lat = base[1] + (cell[1] % 1200) * step + (lat % step) * 0.5
    return round(lon, 6), round(lat, 6)


def _coords(x: float, y: float, dims: str, rng: np.random.Generator) -> str:
    parts = [_num(x), _num(y)]
    if "Z" in dims:
        parts.append(_num(round(float(rng.uniform(0, 500)), 2)))
    if "M" in dims:
        parts.append(_num(round(float(rng.uniform(0, 100)), 2)))
    return " ".join(parts)


def _ring(x: float, y: float, size: float, dims: str, rng: np.random.Generator) -> str:
    corners = [(x, y), (x + size, y), (x + size, y + size), (x, y + size), (x, y)]
    return "(" + ", ".join(_coords(a, b, dims, rng) for a, b in corners) + ")"


def _geometry_text(kind: str, dims: str, rng: np.random.Generator, rank: int | None, geographic: bool) -> str:
    x, y = _lonlat(rng, rank, geographic)
    size = 0.01 if geographic else 25.0
    tag = f"{kind} {dims}" if dims else kind
    if kind == "POINT":
        return f"{tag}({_coords(x, y, dims, rng)})"
    if kind == "LINESTRING":
        return f"{tag}({_coords(x, y, dims, rng)}, {_coords(x + size, y + size / 2, dims, rng)})"
    if kind == "POLYGON":
        return f"{tag}({_ring(x, y, size, dims, rng)})"
    if kind == "MULTIPOINT":
        return f"{tag}(({_coords(x, y, dims, rng)}), ({_coords(x + size, y, dims, rng)}))"
    if kind == "MULTILINESTRING":
        return f"{tag}(({_coords(x, y, dims, rng)}, {_coords(x + size, y, dims, rng)}))"
    if kind == "MULTIPOLYGON":
        return f"{tag}(({_ring(x, y, size, dims, rng)}))"
    return f"{tag}(POINT{' ' + dims if dims else ''}({_coords(x, y, dims, rng)}))"  # GEOMETRYCOLLECTION


def _postgis(name: str, typmod: str) -> Maker | None:
    kind, dims, srid = "POINT", "", 4326 if name == "geography" else 0
    if typmod:
        match = _TYPMOD.match(typmod)
        if match is None:
            return None
        wanted = match.group(1).upper()
        if wanted == "GEOMETRY":
            wanted = "POINT"
        if wanted not in _GEOMETRY_KINDS:
            return None
        kind, dims = wanted, (match.group(2) or "").upper()
        if match.group(3) is not None:
            srid = int(match.group(3))
    geographic = srid == 4326 or name == "geography"

    def make(rng: np.random.Generator, rank: int | None) -> str:
        text = _geometry_text(kind, dims, rng, rank, geographic)
        return f"SRID={srid};{text}" if srid > 0 else text
    return make


# --------------------------------------------------------------------------------------------- built-in geometry


def _xy(rng: np.random.Generator, rank: int | None) -> tuple[float, float]:
    x, y = round(float(rng.uniform(-1000, 1000)), 3), round(float(rng.uniform(-1000, 1000)), 3)
    return (float(rank), y) if rank is not None else (x, y)


def _geometric(name: str) -> Maker | None:
    def point(rng: np.random.Generator, rank: int | None) -> str:
        x, y = _xy(rng, rank)
        return f"({_num(x)},{_num(y)})"

    def two(rng: np.random.Generator, rank: int | None) -> tuple[str, str]:
        x, y = _xy(rng, rank)
        d = round(float(rng.uniform(1, 50)), 3)
        return f"({_num(x)},{_num(y)})", f"({_num(x + d)},{_num(y + d)})"

    if name == "point":
        return point
    if name == "lseg":
        return lambda rng, rank: "[{},{}]".format(*two(rng, rank))
    if name == "box":
        return lambda rng, rank: "{1},{0}".format(*two(rng, rank))
    if name == "path":
        return lambda rng, rank: "[{},{}]".format(*two(rng, rank))
    if name == "polygon":
        def polygon(rng: np.random.Generator, rank: int | None) -> str:
            x, y = _xy(rng, rank)
            return f"(({_num(x)},{_num(y)}),({_num(x + 10)},{_num(y)}),({_num(x)},{_num(y + 10)}))"
        return polygon
    if name == "circle":
        def circle(rng: np.random.Generator, rank: int | None) -> str:
            x, y = _xy(rng, rank)
            return f"<({_num(x)},{_num(y)}),{_num(round(float(rng.uniform(1, 100)), 3))}>"
        return circle
    if name == "line":
        def line(rng: np.random.Generator, rank: int | None) -> str:
            a = round(float(rng.uniform(1, 10)), 3)
            c = float(rank) if rank is not None else round(float(rng.uniform(-100, 100)), 3)
            return f"{{{_num(a)},-1,{_num(c)}}}"
        return line
    return None


# ------------------------------------------------------------------------------------------------------- ranges


_EPOCH = dt.date(2020, 1, 1)


def _range(name: str) -> Maker | None:
    base = name[:-10] if name.endswith("multirange") else name[:-5] if name.endswith("range") else None
    if base not in ("int4", "int8", "num", "date", "ts", "tstz"):
        return None
    multi = name.endswith("multirange")

    def bounds(rng: np.random.Generator, rank: int | None) -> tuple[str, str]:
        start = int(rank) * 100 if rank is not None else int(rng.integers(0, 10000))
        width = int(rng.integers(1, 100))
        if base in ("int4", "int8"):
            return str(start), str(start + width)
        if base == "num":
            return f"{start}.{int(rng.integers(0, 100)):02d}", str(start + width)
        day = _EPOCH + dt.timedelta(days=start % 2000 if rank is None else start // 100)
        if base == "date":
            return day.isoformat(), (day + dt.timedelta(days=width)).isoformat()
        begin = dt.datetime.combine(day, dt.time(int(rng.integers(0, 24)), int(rng.integers(0, 60))))
        end = begin + dt.timedelta(hours=width)
        suffix = "+00" if base == "tstz" else ""
        return f'"{begin.isoformat(sep=" ")}{suffix}"', f'"{end.isoformat(sep=" ")}{suffix}"'

    def make(rng: np.random.Generator, rank: int | None) -> str:
        lo, hi = bounds(rng, rank)
        text = f"[{lo},{hi})"
        return "{" + text + "}" if multi else text
    return make


# ------------------------------------------------------------------------------------------------ other contrib


def _words(rng: np.random.Generator, k: int) -> list[str]:
    words = vocab.pool("word")
    picked = words[rng.integers(0, len(words), k)].tolist()
    return [re.sub(r"[^a-z0-9]", "", w.lower()) or "item" for w in picked]


def _hstore(rng: np.random.Generator, rank: int | None) -> str:
    keys = ["color", "size", "source", "status", "lang", "kind"]
    count = int(rng.integers(1, 4))
    chosen = sorted(rng.choice(len(keys), size=count, replace=False).tolist())
    pairs = [f'"{keys[k]}"=>"{w}"' for k, w in zip(chosen, _words(rng, count), strict=True)]
    if rank is not None:
        pairs.insert(0, f'"id"=>"{rank + 1}"')
    return ", ".join(pairs)


def _cube(rng: np.random.Generator, rank: int | None) -> str:
    values = [round(float(v), 3) for v in rng.uniform(-100, 100, 3)]
    if rank is not None:
        values[0] = float(rank)
    return "(" + ", ".join(_num(v) for v in values) + ")"


def _ltree(rng: np.random.Generator, rank: int | None) -> str:
    labels = _words(rng, int(rng.integers(1, 4)))
    if rank is not None:
        labels.append(f"n{rank + 1}")
    return ".".join(labels)


def _tid(rng: np.random.Generator, rank: int | None) -> str:
    if rank is not None:
        return f"({rank // 200},{rank % 200 + 1})"
    return f"({int(rng.integers(0, 1000))},{int(rng.integers(1, 200))})"


def _pg_lsn(rng: np.random.Generator, rank: int | None) -> str:
    low = int(rank) * 4096 if rank is not None else int(rng.integers(0, 2**32))
    return f"{int(rng.integers(0, 256)) if rank is None else 0:X}/{low:X}"


def _vector(typmod: str) -> Maker | None:
    size = int(typmod) if typmod.isdigit() else 3
    if size < 1:
        return None

    def make(rng: np.random.Generator, rank: int | None) -> str:
        values = [round(float(v), 4) for v in rng.uniform(-1, 1, size)]
        if rank is not None:
            values[0] = float(rank)
        return "[" + ",".join(_num(v) for v in values) + "]"
    return make


_SIMPLE: dict[str, Maker] = {"hstore": _hstore, "cube": _cube, "ltree": _ltree, "tid": _tid, "pg_lsn": _pg_lsn}


def maker_for(sql: str) -> Maker | None:
    """The value maker for a type as written (``public.geometry(Polygon,4326)``, ``point``, ``int4range``), or
    ``None`` when the type is not known here."""
    name, typmod = type_name(sql)
    if name in ("geometry", "geography"):
        return _postgis(name, typmod)
    if name in _SIMPLE:
        return _SIMPLE[name]
    if name == "vector":
        return _vector(typmod)
    return _geometric(name) or _range(name)


class ExtensionSource:
    """A value source (see :mod:`seeder.generate.values`) for one known ``other`` type: unbounded capacity."""

    capacity: int | None = None

    def __init__(self, maker: Maker) -> None:
        self.maker = maker

    def random(self, n: int, rng: np.random.Generator) -> list[Any]:
        return [self.maker(rng, None) for _ in range(n)]

    def unique(self, ranks: np.ndarray, rng: np.random.Generator) -> list[Any]:
        return [self.maker(rng, int(r)) for r in ranks.tolist()]


def extension_source(spec: ValueSpec) -> ExtensionSource | None:
    """An :class:`ExtensionSource` for the column of ``spec`` when its type is known here, else ``None``."""
    maker = maker_for(spec.column.type.sql)
    return None if maker is None else ExtensionSource(maker)
