"""Coherent postal records per country: country, state, city, postal code and phone that belong together.

Each record comes from one Faker locale: the state (or region) and postal code from the locale's address provider
(US ZIP codes inside the state's range, ``postcode_in_state``), the city from Faker's real place names of that country
(the geo provider's ``land_coords``; Faker's own ``city()`` invents towns in most locales), the phone number in the
country's one format with its calling code. US cities are listed with their state, so city and state agree too.

Each locale has :data:`RECORDS` records, built on first use in blocks of :data:`RECORD_BLOCK` from a Faker instance
seeded by the locale's name and the block's number, so a run touches only the blocks its rows pick (a 20-row run
builds a few dozen records, not thousands: Faker's ``street_address`` costs about 100 microseconds) and a record
does not depend on which others were built.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

#: Records per locale.
RECORDS = 400
#: Records built at a time (one Faker seed per block).
RECORD_BLOCK = 25
#: The Faker providers records draw from (street formats name people).
_PROVIDERS = ("faker.providers.address", "faker.providers.person")


@dataclass(frozen=True)
class Country:
    """A country seeder writes addresses for: its Faker locale, names and codes, phone format, share of rows."""

    locale: str
    name: str
    alpha2: str
    alpha3: str
    calling_code: str
    phone_groups: tuple[int, ...]
    weight: float


#: Countries of generated addresses (a customer base centred on North America and Europe). Calling codes: ITU-T E.164
#: assignments; phone groups: digit groups of the national number as commonly written.
COUNTRIES: tuple[Country, ...] = (
    Country("en_US", "United States", "US", "USA", "1", (3, 3, 4), 0.40),
    Country("en_GB", "United Kingdom", "GB", "GBR", "44", (4, 6), 0.10),
    Country("en_CA", "Canada", "CA", "CAN", "1", (3, 3, 4), 0.08),
    Country("de_DE", "Germany", "DE", "DEU", "49", (3, 7), 0.08),
    Country("fr_FR", "France", "FR", "FRA", "33", (1, 2, 2, 2, 2), 0.07),
    Country("es_ES", "Spain", "ES", "ESP", "34", (3, 3, 3), 0.05),
    Country("it_IT", "Italy", "IT", "ITA", "39", (3, 3, 4), 0.04),
    Country("nl_NL", "Netherlands", "NL", "NLD", "31", (2, 3, 4), 0.04),
    Country("en_AU", "Australia", "AU", "AUS", "61", (1, 4, 4), 0.05),
    Country("pt_BR", "Brazil", "BR", "BRA", "55", (2, 5, 4), 0.05),
    Country("en_IN", "India", "IN", "IND", "91", (5, 5), 0.04),
)

#: Large US cities and their states (Faker's US city names are invented).
US_CITIES: tuple[tuple[str, str, str], ...] = (
    ("New York", "New York", "NY"), ("Los Angeles", "California", "CA"), ("Chicago", "Illinois", "IL"),
    ("Houston", "Texas", "TX"), ("Phoenix", "Arizona", "AZ"), ("Philadelphia", "Pennsylvania", "PA"),
    ("San Antonio", "Texas", "TX"), ("San Diego", "California", "CA"), ("Dallas", "Texas", "TX"),
    ("San Jose", "California", "CA"), ("Austin", "Texas", "TX"), ("Jacksonville", "Florida", "FL"),
    ("Columbus", "Ohio", "OH"), ("Charlotte", "North Carolina", "NC"), ("Indianapolis", "Indiana", "IN"),
    ("San Francisco", "California", "CA"), ("Seattle", "Washington", "WA"), ("Denver", "Colorado", "CO"),
    ("Nashville", "Tennessee", "TN"), ("Oklahoma City", "Oklahoma", "OK"), ("Boston", "Massachusetts", "MA"),
    ("Portland", "Oregon", "OR"), ("Las Vegas", "Nevada", "NV"), ("Detroit", "Michigan", "MI"),
    ("Memphis", "Tennessee", "TN"), ("Louisville", "Kentucky", "KY"), ("Baltimore", "Maryland", "MD"),
    ("Milwaukee", "Wisconsin", "WI"), ("Albuquerque", "New Mexico", "NM"), ("Tucson", "Arizona", "AZ"),
    ("Sacramento", "California", "CA"), ("Kansas City", "Missouri", "MO"), ("Atlanta", "Georgia", "GA"),
    ("Miami", "Florida", "FL"), ("Raleigh", "North Carolina", "NC"), ("Omaha", "Nebraska", "NE"),
    ("Minneapolis", "Minnesota", "MN"), ("Tulsa", "Oklahoma", "OK"), ("Cleveland", "Ohio", "OH"),
    ("New Orleans", "Louisiana", "LA"), ("Tampa", "Florida", "FL"), ("Pittsburgh", "Pennsylvania", "PA"),
    ("Cincinnati", "Ohio", "OH"), ("St. Louis", "Missouri", "MO"), ("Salt Lake City", "Utah", "UT"),
    ("Madison", "Wisconsin", "WI"), ("Boise", "Idaho", "ID"), ("Richmond", "Virginia", "VA"),
    ("Des Moines", "Iowa", "IA"), ("Anchorage", "Alaska", "AK"), ("Honolulu", "Hawaii", "HI"),
    ("Burlington", "Vermont", "VT"), ("Hartford", "Connecticut", "CT"), ("Providence", "Rhode Island", "RI"),
)


@dataclass(frozen=True)
class Records:
    """Column-major records of one country (object arrays of equal length)."""

    city: np.ndarray
    state: np.ndarray
    state_code: np.ndarray
    postal_code: np.ndarray
    phone: np.ndarray
    street: np.ndarray
    address2: np.ndarray


def _phone(country: Country, rng: np.random.Generator) -> str:
    groups = []
    for i, size in enumerate(country.phone_groups):
        low = 2 if i == 0 else 0  # national numbers do not start with 0 or 1 after the calling code
        first = str(int(rng.integers(low, 10)))
        rest = "".join(str(d) for d in rng.integers(0, 10, size - 1).tolist())
        groups.append(first + rest)
    return f"+{country.calling_code} " + " ".join(groups)


@cache
def _locale(locale: str) -> tuple[Country, Any, list[str]]:
    """The country of ``locale``, an (unseeded) Faker instance for it and the real city names Faker knows there."""
    from faker import Faker
    from faker.providers.geo import Provider as Geo

    country = next(c for c in COUNTRIES if c.locale == locale)
    # Only the providers records use: Faker loads every provider of a locale otherwise, scanning their packages
    # (about 40 ms a locale); the values are the same.
    fake = Faker(locale, providers=list(_PROVIDERS))
    cities = [p[2] for p in Geo.land_coords if p[3] == country.alpha2]
    if not cities:
        fake.seed_instance(zlib.crc32(f"places:{locale}".encode()))
        cities = [fake.city() for _ in range(50)]
    return country, fake, cities


@cache
def _block(locale: str, block: int) -> Records:
    """Records ``block * RECORD_BLOCK`` to ``(block + 1) * RECORD_BLOCK - 1`` of ``locale``."""
    country, fake, cities = _locale(locale)
    seed = zlib.crc32(f"places:{locale}:{block}".encode())
    fake.seed_instance(seed)
    rng = np.random.default_rng(seed)
    out: dict[str, list[str]] = {k: [] for k in ("city", "state", "state_code", "postal_code", "phone", "street",
                                                 "address2")}
    for _ in range(RECORD_BLOCK):
        if locale == "en_US":
            city, state, code = US_CITIES[int(rng.integers(0, len(US_CITIES)))]
            postal = fake.postcode_in_state(code)
        else:
            city = cities[int(rng.integers(0, len(cities)))]
            state = _state(fake)
            code = _abbreviate(state)
            postal = fake.postcode()
        out["city"].append(city)
        out["state"].append(state)
        out["state_code"].append(code)
        out["postal_code"].append(postal)
        out["phone"].append(_phone(country, rng))
        out["street"].append(fake.street_address())
        out["address2"].append(fake.secondary_address() if hasattr(fake, "secondary_address") else "")
    return Records(**{k: _array(v) for k, v in out.items()})


def record(locale: str, k: int) -> dict[str, str]:
    """Record ``k % RECORDS`` of ``locale`` (one of :data:`COUNTRIES`) as ``{field: text}`` (the fields of
    :class:`Records`)."""
    block, i = divmod(k % RECORDS, RECORD_BLOCK)
    rec = _block(locale, block)
    return {"city": rec.city[i], "state": rec.state[i], "state_code": rec.state_code[i],
            "postal_code": rec.postal_code[i], "phone": rec.phone[i], "street": rec.street[i],
            "address2": rec.address2[i]}


def records(locale: str) -> Records:
    """All :data:`RECORDS` records of ``locale`` (every block built)."""
    blocks = [_block(locale, b) for b in range(RECORDS // RECORD_BLOCK)]
    return Records(**{f: np.concatenate([getattr(b, f) for b in blocks]) for f in Records.__dataclass_fields__})


def _state(fake: object) -> str:
    for method in ("state", "administrative_unit", "region", "county"):
        produce = getattr(fake, method, None)
        if produce is not None:
            try:
                return str(produce())
            except (AttributeError, TypeError):
                continue
    return ""


def _abbreviate(state: str) -> str:
    letters = [w[0] for w in state.replace("-", " ").split() if w and w[0].isalpha()]
    return ("".join(letters) if len(letters) >= 2 else state[:2]).upper()[:3]


def _array(values: list[str]) -> np.ndarray:
    arr = np.empty(len(values), dtype=object)
    arr[:] = values
    return arr


def country_weights() -> np.ndarray:
    """Shares of :data:`COUNTRIES` in generated addresses (summing to 1)."""
    w = np.array([c.weight for c in COUNTRIES], dtype=float)
    return w / w.sum()
