"""Domain vocabularies: titles, names, categories and labels that fit a table and a schema's domain.

Faker is the vocabulary library (people, places, companies, jobs, languages); it has no film, album or song titles,
no shop or film categories and no band names, so those are composed here from curated word lists (chosen outside
Faker's lorem word list, so a title does not read like placeholder text) and, where Faker has the parts, from Faker
pools (surnames in shipping companies, real place names in store names).

Every domain is a fixed, ordered list of distinct values (:func:`domain_values`), shuffled once by a seed fixed by
the domain's name, so unique columns take values rank by rank without number suffixes while the list lasts
(:func:`domain_size`), and random columns sample it. Data only: no numpy generators of a run, no I/O.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from functools import cache
from itertools import product

import numpy as np

_ADJECTIVES = (
    "Crimson", "Silent", "Broken", "Hidden", "Golden", "Midnight", "Savage", "Wild", "Electric", "Frozen", "Burning",
    "Secret", "Eternal", "Forgotten", "Iron", "Velvet", "Scarlet", "Hollow", "Restless", "Desperate", "Fearless",
    "Wicked", "Lonely", "Shattered", "Distant", "Twisted", "Silver", "Reckless", "Endless", "Sacred", "Stolen",
    "Fallen", "Haunted", "Brave", "Bitter", "Neon", "Paper", "Glass", "Copper", "Emerald",
)
_NOUNS = (
    "Harbor", "Empire", "Horizon", "Kingdom", "Dragon", "Shadow", "Storm", "Frontier", "Legacy", "Odyssey",
    "Prophecy", "Vendetta", "Requiem", "Mirage", "Labyrinth", "Citadel", "Outlaw", "Stranger", "Witness", "Heist",
    "Voyage", "Crusade", "Rebellion", "Paradise", "Inferno", "Serenade", "Sanctuary", "Eclipse", "Tide",
    "Masquerade", "Lullaby", "Carnival", "Fortress", "Wilderness", "Avalanche", "Phantom", "Tempest", "Orchard",
    "Lighthouse", "Compass",
)
_FILM_PATTERNS = ("The {a} {n}", "{a} {n}", "{n} of the {a} Sea", "Return of the {a} {n}", "{n} Rising")
_ALBUM_PATTERNS = ("{a} {n}", "{n} Sessions", "Songs of the {a} {n}", "{a} Hearts", "Live at the {n}")
_TRACK_PATTERNS = ("{a} {n}", "Dancing in the {n}", "{n} Blues", "My {a} {n}", "Waiting for the {n}")

_FILM_CATEGORIES = (
    "Action", "Animation", "Children", "Classics", "Comedy", "Documentary", "Drama", "Family", "Foreign", "Games",
    "Horror", "Music", "New", "Sci-Fi", "Sports", "Travel", "Thriller", "Romance", "Western", "Musical", "Mystery",
    "Fantasy", "War", "Crime", "Adventure", "Biography", "History", "Film Noir", "Superhero", "Martial Arts",
    "Independent", "Silent Film", "Short Film", "Disaster", "Teen", "Satire",
)
_SHOP_CATEGORIES = (
    "Electronics", "Books", "Clothing", "Shoes", "Jewelry", "Toys & Games", "Sports & Outdoors", "Home & Kitchen",
    "Garden", "Beauty", "Health", "Grocery", "Beverages", "Pet Supplies", "Office Products", "Automotive",
    "Tools & Home Improvement", "Baby", "Music", "Movies & TV", "Video Games", "Software", "Computers",
    "Cell Phones", "Cameras", "Furniture", "Appliances", "Arts & Crafts", "Luggage", "Watches", "Handbags",
    "Dairy Products", "Seafood", "Confections", "Condiments", "Produce", "Meat & Poultry", "Grains & Cereals",
    "Bakery", "Snacks", "Frozen Foods", "Wine & Spirits", "Coffee & Tea", "Stationery", "Party Supplies",
    "Lighting", "Bedding", "Bath", "Cleaning Supplies", "Musical Instruments", "Fitness", "Camping", "Cycling",
    "Fishing", "Collectibles", "Gift Cards", "Smart Home", "Audio", "Wearables", "Kitchenware",
)
_MUSIC_GENRES = (
    "Rock", "Jazz", "Metal", "Alternative & Punk", "Rock And Roll", "Blues", "Latin", "Reggae", "Pop", "Soundtrack",
    "Bossa Nova", "Easy Listening", "Heavy Metal", "R&B/Soul", "Electronica/Dance", "World", "Hip Hop/Rap",
    "Alternative", "Classical", "Opera", "Country", "Folk", "Ambient", "Gospel", "Funk", "Disco", "Techno",
    "House", "Indie", "Grunge", "Ska", "Swing", "Trance", "Soul", "New Age", "Bluegrass", "Salsa", "K-Pop",
    "Afrobeat", "Lo-Fi",
)
_DEPARTMENTS = (
    "Sales", "Marketing", "Engineering", "Finance", "Human Resources", "Research and Development",
    "Customer Service", "Production", "Purchasing", "Quality Assurance", "Legal", "Operations",
    "Information Technology", "Shipping and Receiving", "Facilities", "Executive", "Accounting", "Support",
    "Development", "Quality Management", "Tool Design", "Document Control", "Product Management", "Logistics",
    "Procurement", "Public Relations", "Security", "Training", "Business Development", "Compliance",
)
_REGIONS = ("Eastern", "Western", "Northern", "Southern", "Central", "North East", "North West", "South East",
            "South West", "Midwest", "Pacific", "Mountain", "Atlantic", "Gulf Coast")
_SEGMENTS = ("Small Business", "Enterprise", "Retail", "Wholesale", "Government", "Education", "Non-profit",
             "Healthcare", "Hospitality", "Startup", "Freelancer", "Reseller", "Distributor", "Online Store",
             "Franchise")
_PLAYLIST_SUFFIXES = ("Essentials", "Classics", "Favorites", "Hits", "Deep Cuts", "for Work", "Workout",
                      "Road Trip", "Party", "Chill")
_REVIEW_ADJECTIVES = ("Great", "Excellent", "Disappointing", "Solid", "Decent", "Outstanding", "Poor", "Good",
                      "Fantastic", "Mediocre", "Reliable", "Flimsy")
_REVIEW_NOUNS = ("value", "quality", "purchase", "product", "buy", "choice", "fit", "design", "service", "gift")
_SHIPPER_SUFFIXES = ("Express", "Freight", "Logistics", "Shipping", "Couriers", "Transport", "Cargo", "Parcel")
_STORE_SUFFIXES = ("Outlet", "Store", "Market", "Emporium", "Supply", "Depot", "Shop", "Traders")
_FILM_DESCRIPTION = (
    ("Epic", "Astounding", "Brilliant", "Fateful", "Insightful", "Touching", "Thrilling", "Intrepid", "Beautiful",
     "Emotional", "Action-Packed", "Awe-Inspiring", "Unbelievable", "Boring", "Fast-Paced", "Lacklusture"),
    ("Drama", "Saga", "Story", "Tale", "Documentary", "Reflection", "Panorama", "Character Study", "Yarn"),
    ("Feminist", "Dentist", "Mad Scientist", "Teacher", "Pioneer", "Astronaut", "Hunter", "Cat", "Boat", "Monkey",
     "Car", "Womanizer", "Explorer", "Sumo Wrestler", "Composer", "Lumberjack", "Frisbee", "Robot", "Butler"),
    ("Battle", "Chase", "Outgun", "Sink", "Find", "Defeat", "Redeem", "Meet", "Conquer", "Escape", "Fight", "Kill",
     "Overcome", "Discover", "Face", "Reach", "Outrace", "Confront"),
    ("in A Baloon Factory", "in The Outback", "in Ancient China", "in A Shark Tank", "in The Canadian Rockies",
     "in A Jet Boat", "in Berlin", "in Nigeria", "in A Manhattan Penthouse", "in The Gulf of Mexico",
     "in A MySQL Convention", "in An Abandoned Mine Shaft", "in The First Manned Space Station", "in Soviet Georgia",
     "in A U-Boat", "in A Monastery"),
)


def _shuffled(name: str, values: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for v in values:
        seen.setdefault(v.casefold(), v)
    distinct = list(seen.values())
    order = np.random.default_rng(zlib.crc32(f"domain:{name}".encode())).permutation(len(distinct))
    return [distinct[i] for i in order.tolist()]


def _patterned(patterns: tuple[str, ...]) -> list[str]:
    return [p.format(a=a, n=n) for p, a, n in product(patterns, _ADJECTIVES, _NOUNS)]


def _film_descriptions() -> list[str]:
    adj, kind, who, verb, where = _FILM_DESCRIPTION
    out = []
    for i, (a, k, w1, v, p) in enumerate(product(adj, kind, who, verb, where)):
        if i % 7:  # a thinned product keeps the list a few thousand long
            continue
        w2 = who[(i * 7 + len(a)) % len(who)]
        art1 = "an" if w1[0] in "AEIOU" else "a"
        art2 = "an" if w2[0] in "AEIOU" else "a"
        article = "An" if a[0] in "AEIOU" else "A"
        out.append(f"{article} {a} {k} of {art1} {w1} And {art2} {w2} who must {v} a {w1} {p}")
    return out


def _faker_names(method: str, count: int) -> list[str]:
    from faker import Faker

    fake = Faker("en_US")
    fake.seed_instance(zlib.crc32(method.encode()))
    produce = getattr(fake, method)
    return [produce() for _ in range(count)]


def _real_cities() -> list[str]:
    from faker.providers.geo import Provider as Geo

    return [place[2] for place in Geo.land_coords]


#: Domain name -> builder of its values (before de-duplication and shuffling).
_DOMAINS: dict[str, Callable[[], list[str]]] = {
    "film_title": lambda: _patterned(_FILM_PATTERNS),
    "album_title": lambda: _patterned(_ALBUM_PATTERNS),
    "track_title": lambda: _patterned(_TRACK_PATTERNS),
    "film_description": _film_descriptions,
    "playlist_name": lambda: [f"{g} {s}" for g, s in product(_MUSIC_GENRES, _PLAYLIST_SUFFIXES)],
    "artist_name": lambda: [f"The {a} {n}s" for a, n in product(_ADJECTIVES, _NOUNS)][::3]
    + _faker_names("name", 400),
    "film_category": lambda: list(_FILM_CATEGORIES),
    "shop_category": lambda: list(_SHOP_CATEGORIES),
    "music_genre": lambda: list(_MUSIC_GENRES),
    "department": lambda: list(_DEPARTMENTS),
    "region_name": lambda: list(_REGIONS),
    "customer_segment": lambda: list(_SEGMENTS),
    "review_title": lambda: [f"{a} {n}" for a, n in product(_REVIEW_ADJECTIVES, _REVIEW_NOUNS)],
    "shipper": lambda: [f"{n} {s}" for n, s in product(_faker_names("last_name", 60), _SHIPPER_SUFFIXES)],
    "store_name": lambda: [f"{c} {s}" for c, s in product(_real_cities()[:200], _STORE_SUFFIXES)],
    "real_city": _real_cities,
}


def domain_names() -> tuple[str, ...]:
    """Every domain :func:`domain_values` knows (``code`` and the Faker-backed kinds are handled by the value
    generators: ``job_title``, ``language``, ``product``, ``courtesy_title``, ``city``)."""
    return tuple(_DOMAINS)


@cache
def domain_values(name: str) -> tuple[str, ...]:
    """The distinct values of domain ``name``, in a fixed shuffled order. Raises KeyError for an unknown name."""
    return tuple(_shuffled(name, _DOMAINS[name]()))


def domain_size(name: str) -> int | None:
    """How many distinct values domain ``name`` has (``None`` for a name this module does not list)."""
    return len(domain_values(name)) if name in _DOMAINS else None
