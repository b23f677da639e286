"""Value pools: realistic vocabulary built once per (pool, locale) and sampled with numpy index arrays.

Calling Faker per cell costs tens of microseconds; drawing indexes into a prebuilt pool costs nanoseconds. So each
pool is produced by a few hundred to a few thousand Faker calls on an instance seeded from the pool's name
(``Faker.seed_instance``), which makes every pool the same in every run and independent of the order in which pools
are first used. Pools keep Faker's repeats (popular first names come up more often); :func:`distinct_pool` gives the
deduplicated view used for unique values. Curated lists cover vocabulary Faker lacks (genres, film categories,
statuses, ...).

Faker's output for a given seed is stable within one Faker version only (Faker's own documentation says seeded
output may change between versions), so data sets are reproducible for a fixed environment.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence
from functools import cache, lru_cache
from typing import Any

import numpy as np
from faker import Faker

#: Locale of every Faker pool.
DEFAULT_LOCALE = "en_US"

_FakerCall = Callable[[Faker], str]

#: Faker-backed pools: name -> (producer, number of draws).
_FAKER_POOLS: dict[str, tuple[_FakerCall, int]] = {
    "city": (lambda f: f.city(), 600),
    "street_address": (lambda f: f.street_address(), 600),
    "street_name": (lambda f: f.street_name(), 1000),
    "secondary_address": (lambda f: f.secondary_address(), 500),
    "state": (lambda f: f.state(), 500),
    "state_abbr": (lambda f: f.state_abbr(), 500),
    "postal_code": (lambda f: f.postcode(), 1500),
    "country": (lambda f: f.country(), 1500),
    "country_code": (lambda f: f.country_code(), 1500),
    "country_code3": (lambda f: f.country_code(representation="alpha-3"), 1500),
    "company": (lambda f: f.company(), 500),
    "job": (lambda f: f.job(), 1000),
    "phone": (lambda f: f.phone_number(), 1500),
    "domain": (lambda f: f.domain_name(), 300),
    "free_email_domain": (lambda f: f.free_email_domain(), 200),
    "url": (lambda f: f.url(), 300),
    "user_name": (lambda f: f.user_name(), 500),
    "sentence": (lambda f: f.sentence(), 2000),
    "word": (lambda f: f.word(), 3000),
    "color_name": (lambda f: f.color_name(), 500),
    "hex_color": (lambda f: f.hex_color(), 500),
    "currency_code": (lambda f: f.currency_code(), 500),
    "currency_name": (lambda f: f.currency_name(), 500),
    "language_name": (lambda f: f.language_name(), 500),
    "timezone": (lambda f: f.timezone(), 500),
    "mime_type": (lambda f: f.mime_type(), 300),
    "file_name": (lambda f: f.file_name(), 1000),
    "file_path": (lambda f: f.file_path(), 1000),
    "isbn13": (lambda f: f.isbn13(), 1000),
    "catch_phrase": (lambda f: f.catch_phrase(), 1000),
    "credit_card_number": (lambda f: f.credit_card_number(), 1000),
    "credit_card_provider": (lambda f: f.credit_card_provider(), 100),
    "user_agent": (lambda f: f.user_agent(), 500),
    "name_prefix": (lambda f: f.prefix(), 100),
    "name_suffix": (lambda f: f.suffix(), 100),
    "ipv4": (lambda f: f.ipv4_public(), 1000),
    "license_plate": (lambda f: f.license_plate(), 500),
}

#: Name pools drawn straight from the locale's weighted name lists (Faker's own per-call weighted choice is slow):
#: pool name -> attribute of the locale's person provider, number of draws.
_WEIGHTED_POOLS: dict[str, tuple[str, int]] = {
    "first_name": ("first_names", 3000),
    "last_name": ("last_names", 3000),
}

#: Curated pools for vocabulary Faker does not have.
_CURATED_POOLS: dict[str, tuple[str, ...]] = {
    "genre": (
        "Rock", "Jazz", "Metal", "Alternative & Punk", "Rock And Roll", "Blues", "Latin", "Reggae", "Pop",
        "Soundtrack", "Bossa Nova", "Easy Listening", "Heavy Metal", "R&B/Soul", "Electronica/Dance", "World",
        "Hip Hop/Rap", "Science Fiction", "TV Shows", "Sci Fi & Fantasy", "Drama", "Comedy", "Alternative",
        "Classical", "Opera", "Country", "Folk", "Ambient", "Gospel", "Funk", "Disco", "Techno", "House", "Indie",
        "Grunge", "Ska", "Swing", "Trance", "Soul", "New Age",
    ),
    "category": (
        "Action", "Animation", "Children", "Classics", "Comedy", "Documentary", "Drama", "Family", "Foreign",
        "Games", "Horror", "Music", "New", "Sci-Fi", "Sports", "Travel", "Beverages", "Condiments", "Confections",
        "Dairy Products", "Grains/Cereals", "Meat/Poultry", "Produce", "Seafood", "Electronics", "Books",
        "Clothing", "Garden", "Toys", "Home", "Beauty", "Health", "Automotive", "Office Supplies", "Outdoors",
    ),
    "status": (
        "active", "inactive", "pending", "approved", "rejected", "completed", "cancelled", "shipped", "delivered",
        "draft", "archived", "open", "closed", "processing", "on_hold",
    ),
    "department": (
        "Sales", "Marketing", "Engineering", "Finance", "Human Resources", "Research and Development",
        "Customer Service", "Production", "Purchasing", "Quality Assurance", "Legal", "Operations",
        "Information Technology", "Shipping and Receiving", "Facilities", "Executive", "Accounting", "Support",
    ),
    "media_type": (
        "MPEG audio file", "Protected AAC audio file", "Protected MPEG-4 video file", "Purchased AAC audio file",
        "AAC audio file", "FLAC audio file", "WAV audio file", "Ogg Vorbis audio file", "MPEG-4 video file",
        "Matroska video file",
    ),
    "film_feature": ("Trailers", "Commentaries", "Deleted Scenes", "Behind the Scenes"),
    "courtesy_title": ("Mr.", "Ms.", "Mrs.", "Dr.", "Prof."),
    "product_adjective": (
        "Ergonomic", "Rustic", "Sleek", "Handmade", "Small", "Large", "Practical", "Refined", "Generic",
        "Intelligent", "Gorgeous", "Incredible", "Fantastic", "Awesome", "Licensed", "Unbranded", "Tasty",
        "Modern", "Classic", "Premium", "Compact", "Deluxe", "Organic", "Vintage",
    ),
    "product_material": (
        "Steel", "Wooden", "Concrete", "Plastic", "Cotton", "Granite", "Rubber", "Metal", "Soft", "Fresh",
        "Frozen", "Leather", "Bamboo", "Ceramic", "Glass", "Wool", "Silk", "Aluminum", "Marble", "Linen",
    ),
    "product_noun": (
        "Chair", "Car", "Computer", "Keyboard", "Mouse", "Bike", "Ball", "Gloves", "Pants", "Shirt", "Table",
        "Shoes", "Hat", "Towels", "Soap", "Tuna", "Chicken", "Fish", "Cheese", "Bacon", "Pizza", "Salad",
        "Sausages", "Chips", "Lamp", "Backpack", "Watch", "Wallet", "Bottle", "Mug", "Clock", "Sofa", "Desk",
        "Jacket", "Scarf", "Tea", "Coffee", "Sauce", "Bread", "Honey",
    ),
    "tag": (
        "new", "sale", "popular", "featured", "limited", "classic", "bestseller", "eco", "premium", "gift",
        "seasonal", "clearance", "exclusive", "trending", "handmade", "local", "imported", "organic", "vintage",
        "bundle",
    ),
    "gender_word": ("Male", "Female"),
    "gender_letter": ("M", "F"),
}


def object_array(values: Sequence[Any]) -> np.ndarray:
    """A one-dimensional object array of ``values`` (``np.array`` would read nested sequences as more dimensions)."""
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _read_only(arr: np.ndarray) -> np.ndarray:
    """``arr``, made read-only: pools are shared by every caller."""
    arr.flags.writeable = False
    return arr


def _pool_seed(name: str, locale: str) -> int:
    """A seed fixed by the pool's name, so each pool is the same whatever order pools are built in."""
    return zlib.crc32(f"{locale}:{name}".encode())


@lru_cache(maxsize=4)
def _faker(locale: str) -> Faker:
    return Faker(locale)


def _weighted_draws(name: str, locale: str) -> list[str]:
    """Draws from a weighted name list of the locale's person provider (a dict name -> weight, or a sequence)."""
    attribute, draws = _WEIGHTED_POOLS[name]
    fake = _faker(locale)
    table = getattr(fake.provider("faker.providers.person"), attribute, None)
    if not table:  # a locale without weighted lists: fall back to Faker calls
        fake.seed_instance(_pool_seed(name, locale))
        produce = fake.first_name if name == "first_name" else fake.last_name
        return [produce() for _ in range(draws)]
    names = list(table)
    weights = np.fromiter((float(table[k]) for k in names), dtype=float) if isinstance(table, dict) else \
        np.ones(len(names))
    rng = np.random.default_rng(_pool_seed(name, locale))
    return [names[i] for i in rng.choice(len(names), size=draws, p=weights / weights.sum())]


@cache
def pool(name: str, locale: str = DEFAULT_LOCALE) -> np.ndarray:
    """The pool called ``name`` as a read-only 1-D numpy object array of ``str`` (repeats kept, in draw order).

    Args:
        name: one of :func:`pool_names`.
        locale: Faker locale (default ``en_US``); curated pools ignore it.

    Raises:
        KeyError: for an unknown pool name (a programming error, not a user error).
    """
    if name in _CURATED_POOLS:
        values: list[str] = list(_CURATED_POOLS[name])
    elif name in _WEIGHTED_POOLS:
        values = _weighted_draws(name, locale)
    else:
        produce, draws = _FAKER_POOLS[name]
        fake = _faker(locale)
        fake.seed_instance(_pool_seed(name, locale))
        values = [produce(fake) for _ in range(draws)]
    return _read_only(object_array(values))


@cache
def distinct_pool(name: str, locale: str = DEFAULT_LOCALE) -> np.ndarray:
    """:func:`pool` without repeats, first occurrences in draw order (a read-only object array).

    Repeats are judged case-insensitively, because MySQL's default collations compare that way and a unique
    index would reject ``Smith`` after ``SMITH``.
    """
    seen: dict[str, str] = {}
    for value in pool(name, locale).tolist():
        seen.setdefault(value.casefold(), value)
    return _read_only(object_array(list(seen.values())))


@cache
def ascii_lower_pool(name: str, locale: str = DEFAULT_LOCALE) -> np.ndarray:
    """:func:`pool` lower-cased and reduced to ``[a-z]`` (for e-mail local parts and user names)."""
    cleaned = ["".join(ch for ch in v.lower() if "a" <= ch <= "z") or "user" for v in pool(name, locale).tolist()]
    return _read_only(object_array(cleaned))


@cache
def pool_lengths(name: str, locale: str = DEFAULT_LOCALE) -> np.ndarray:
    """Character lengths of :func:`pool` entries, as an int64 array aligned with the pool."""
    return np.fromiter((len(v) for v in pool(name, locale).tolist()), dtype=np.int64)


@cache
def fitting_pool(name: str, max_length: int, locale: str = DEFAULT_LOCALE) -> np.ndarray:
    """The entries of :func:`pool` at most ``max_length`` characters long (possibly empty)."""
    values = pool(name, locale)
    return values[pool_lengths(name, locale) <= max_length]


def sample(name: str, n: int, rng: np.random.Generator, *, max_length: int | None = None) -> np.ndarray:
    """``n`` entries drawn with replacement from pool ``name`` (only entries fitting ``max_length`` if given).

    Returns an object array; when no entry fits ``max_length`` the full pool is used (callers truncate).
    """
    values = pool(name) if max_length is None else fitting_pool(name, max_length)
    if len(values) == 0:
        values = pool(name)
    return values[rng.integers(0, len(values), n)]
