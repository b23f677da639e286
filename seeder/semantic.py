"""What a column means, judged from its name, its table's name and its type (read by the plan and the generators).

:func:`semantic_kind` maps e.g. ``customer.email`` to ``"email"`` and ``Invoice.BillingCity`` to ``"city"``. Names are
normalised first (:func:`split_identifier`): camelCase/PascalCase and ``snake_case`` are split, and run-together
lower-case names such as AdventureWorks' ``modifieddate`` or ``addressline1`` are segmented with a small vocabulary.
A kind is only returned when it suits the column's type (``emailpromotion integer`` is not an e-mail).

The numeric and temporal hints (:data:`NUMERIC_HINTS`, :data:`TEMPORAL_HINTS`) give plausible ranges per kind; the
value generators intersect them with the type's range and the column's CHECK bounds.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from seeder.schema import Column, ColumnType, Table, TableName
from seeder.types import CHARACTER_KINDS, DATETIME_KINDS, DECIMAL_KINDS, FLOAT_KINDS, INTEGER_KINDS

#: Plausible numeric ranges per semantic kind: (low, high, log_scale). log_scale draws log-uniformly, so small
#: amounts are more common than large ones, as with real prices.
NUMERIC_HINTS: dict[str, tuple[float, float, bool]] = {
    "price": (0.99, 999.99, True),
    "cents": (99, 99_999, True),
    "ratio": (0.05, 20, True),
    "salary": (30000, 200000, False),
    "quantity": (1, 20, False),
    "rating": (1, 5, False),
    "score": (0, 100, False),
    "percent": (0, 100, False),
    "discount": (0, 0.3, False),
    "age": (18, 90, False),
    "year": (1950, 2025, False),
    "month": (1, 12, False),
    "milliseconds": (30_000, 600_000, False),
    "bytes": (1_000, 20_000_000, True),
    "minutes": (45, 185, False),
    "days": (1, 14, False),
    "hours": (0, 240, False),
    "latitude": (-90, 90, False),
    "longitude": (-180, 180, False),
    "weight": (0.1, 100, True),
    "dimension": (1, 200, False),
    "ordinal": (1, 100, False),
    "stock": (0, 500, False),
    "count": (0, 1000, True),
    "version": (1, 20, False),
    "active_flag": (0, 1, False),
    "deleted_flag": (0, 1, False),
    "flag": (0, 1, False),
}

#: Probability of TRUE (or 1) for the boolean kinds.
FLAG_TRUE_PROBABILITY: dict[str, float] = {"active_flag": 0.85, "deleted_flag": 0.05, "flag": 0.5}

#: The fixed window every temporal value is drawn from unless the kind or the column's bounds say otherwise.
#: Never derived from the current time, so output does not depend on when a run happens.
DEFAULT_DATE_WINDOW: tuple[date, date] = (date(2015, 1, 1), date(2025, 12, 31))

#: Temporal windows per semantic kind. ``created`` ends before ``updated`` starts, which keeps the usual
#: ``created_at <= updated_at`` pairs plausible even before the engine orders them.
TEMPORAL_HINTS: dict[str, tuple[date, date]] = {
    "created": (date(2015, 1, 1), date(2023, 12, 31)),
    "updated": (date(2024, 1, 1), date(2025, 12, 31)),
    "birth_date": (date(1950, 1, 1), date(1999, 12, 31)),
    "hire_date": (date(2005, 1, 1), date(2025, 12, 31)),
    "start_date": (date(2015, 1, 1), date(2022, 12, 31)),
    "end_date": (date(2023, 1, 1), date(2025, 12, 31)),
}

#: Tables whose ``name`` column holds a person's name.
PERSON_NOUNS = frozenset({
    "customer", "staff", "employee", "actor", "user", "person", "people", "author", "artist", "member", "contact",
    "student", "teacher", "instructor", "patient", "client", "driver", "owner", "manager", "doctor", "player",
    "editor", "writer", "composer", "musician", "director", "agent", "worker", "volunteer", "applicant",
    "candidate", "guest", "passenger", "subscriber", "reviewer", "speaker", "participant", "attendee", "recipient",
    "sender", "buyer", "seller", "tenant", "landlord", "physician", "nurse", "professor", "coach", "athlete",
    "singer", "performer", "display", "full", "real", "sort", "legal",
})
_COMPANY_NOUNS = frozenset({
    "company", "supplier", "vendor", "publisher", "manufacturer", "organization", "organisation", "shipper",
    "carrier", "brand", "store", "shop", "firm", "business", "bank", "agency", "partner", "employer", "merchant",
    "distributor", "provider", "client", "ship", "bill", "institution", "school", "university", "hotel",
    "restaurant", "airline", "retailer", "studio",
})
_TITLE_NOUNS = frozenset({
    "album", "film", "movie", "book", "track", "song", "playlist", "show", "episode", "game", "course", "event",
    "project", "podcast", "video", "record", "release", "recording", "work", "series", "article", "post", "novel",
    "chapter", "story", "program", "programme", "campaign",
})
_NAME_BY_NOUN: dict[str, str] = {
    **dict.fromkeys(_COMPANY_NOUNS, "company"),
    **dict.fromkeys(_TITLE_NOUNS, "title"),
    **dict.fromkeys(PERSON_NOUNS, "full_name"),
    "category": "category", "genre": "genre", "language": "language", "country": "country", "city": "city",
    "state": "state", "region": "state", "province": "state", "territory": "state", "district": "state",
    "product": "product", "item": "product", "part": "product", "good": "product", "merchandise": "product",
    "tag": "tag", "keyword": "tag", "color": "color", "colour": "color", "mediatype": "media_type",
    "media": "media_type", "format": "media_type", "department": "department", "dept": "department",
    "team": "department", "division": "department", "unit": "department", "currency": "currency_name",
    "user": "username", "nick": "username", "screen": "username", "login": "username", "account": "username",
    "host": "domain", "file": "file_name", "street": "street_name", "first": "first_name", "last": "last_name",
    "middle": "first_name", "given": "first_name", "family": "last_name", "sur": "last_name",
}

_DESCRIPTION_WORDS = frozenset({
    "description", "desc", "notes", "note", "comment", "comments", "bio", "biography", "summary", "body",
    "content", "text", "message", "remarks", "remark", "details", "about", "abstract", "review", "feedback",
    "caption", "instructions", "excerpt", "memo", "explanation", "reason", "purpose",
})

#: Words used to segment run-together lower-case names (``billingpostalcode`` -> billing postal code).
_SEGMENT_VOCABULARY = frozenset({
    "first", "last", "middle", "given", "family", "sur", "name", "full", "display", "user", "nick", "email", "mail",
    "address", "line", "street", "city", "town", "state", "province", "region", "county", "district", "postal",
    "post", "zip", "code", "country", "phone", "mobile", "cell", "fax", "telephone", "number", "num", "company",
    "title", "job", "description", "notes", "note", "comment", "comments", "unit", "list", "standard", "price",
    "cost", "amount", "total", "sub", "tax", "amt", "freight", "rate", "fee", "salary", "quantity", "qty", "order",
    "birth", "date", "day", "hire", "modified", "created", "updated", "update", "time", "stamp", "row", "guid",
    "uuid", "id", "url", "web", "site", "home", "page", "color", "currency", "language", "latitude", "longitude",
    "weight", "rating", "score", "status", "type", "gender", "marital", "ship", "bill", "billing", "shipping",
    "start", "end", "due", "sell", "sales", "purchase", "product", "category", "genre", "customer", "employee",
    "person", "vendor", "territory", "account", "card", "credit", "expiry", "sick", "leave", "vacation", "hours",
    "login", "password", "hash", "active", "flag", "is", "discount", "percent", "reorder", "point", "level",
    "stock", "units", "in", "on", "at", "by", "of", "ip", "mac", "size", "length", "year", "month", "week",
    "age", "file", "path", "zone", "short", "long", "lat", "lng", "lon", "sort", "rank", "position", "version",
    "count", "reports", "to", "support", "rep", "media", "playlist", "track", "album", "artist", "invoice",
    "milliseconds", "bytes", "composer", "contact", "work", "business", "suffix", "prefix",
    "nationalid", "national", "organization", "node", "current", "online", "make", "safety",
    "days", "manufacture", "style", "class", "model", "culture", "document", "revision", "owner", "summary",
    "thumbnail", "photo", "large", "small", "special", "features", "release", "rental", "duration",
    "replacement", "original", "fulltext", "picture", "homepage", "extension",
})

_CAMEL_BOUNDARY = re.compile(
    r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=[0-9])|(?<=[0-9])(?=[A-Za-z])")


@lru_cache(maxsize=4096)
def _segment(token: str) -> tuple[str, ...]:
    """Split a run-together lower-case token into vocabulary words (fewest words), or keep it whole."""
    if token in _SEGMENT_VOCABULARY or len(token) < 5 or not token.isalpha():
        return (token,)
    best: list[tuple[str, ...] | None] = [None] * (len(token) + 1)
    best[0] = ()
    for end in range(1, len(token) + 1):
        for begin in range(max(0, end - 14), end):
            prefix = best[begin]
            word = token[begin:end]
            if prefix is not None and word in _SEGMENT_VOCABULARY:
                candidate = (*prefix, word)
                current = best[end]
                if current is None or len(candidate) < len(current):
                    best[end] = candidate
    found = best[len(token)]
    return found if found else (token,)


@lru_cache(maxsize=4096)
def split_identifier(name: str) -> tuple[str, ...]:
    """Lower-case word tokens of an identifier.

    ``BillingPostalCode`` -> ``billing postal code``, ``last_update`` -> ``last update``, ``addressline1`` ->
    ``address line 1``, ``IPAddress`` -> ``ip address``.
    """
    parts = re.split(r"[^0-9A-Za-z]+", _CAMEL_BOUNDARY.sub(" ", name))
    tokens: list[str] = []
    for part in parts:
        if part:
            tokens.extend(_segment(part.lower()))
    return tuple(tokens)


def singular(word: str) -> str:
    """A crude English singular, enough for table names (``categories`` -> ``category``, ``staff`` stays)."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if word == "people":
        return "person"
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word


def _table_nouns(table: Table | TableName) -> tuple[str, ...]:
    """Singular tokens of a table name, last (head) noun first: ``film_actor`` -> ``actor, film``."""
    name = table.name if isinstance(table, Table) else table
    tokens = [singular(t) for t in split_identifier(name.name)]
    return tuple(reversed(tokens))


def _type_class(ctype: ColumnType) -> str | None:
    kind = ctype.kind
    if kind == "array" and ctype.element is not None:
        return _type_class(ctype.element)
    if kind == "array":
        return "string"
    if kind in CHARACTER_KINDS:
        return "string"
    if kind in INTEGER_KINDS:
        return "int"
    if kind in DECIMAL_KINDS | FLOAT_KINDS:
        return "fraction"
    if kind in DATETIME_KINDS:
        return "temporal"
    if kind == "boolean":
        return "bool"
    return None


def semantic_kind(table: Table | TableName, column: Column) -> str | None:
    """The semantic kind of ``column`` (e.g. ``"email"``, ``"price"``, ``"created"``), or ``None`` for plain values.

    Args:
        table: the column's table (its name decides what a bare ``name``/``title`` column holds).
        column: the column; only kinds fitting its type are returned (for arrays, its element type).

    String kinds draw from :mod:`seeder.generate.values.vocabulary`; numeric kinds have ranges in :data:`NUMERIC_HINTS`;
    temporal kinds windows in :data:`TEMPORAL_HINTS`; boolean kinds probabilities in
    :data:`FLAG_TRUE_PROBABILITY`.
    """
    tokens = split_identifier(column.name)
    if not tokens:
        return None
    type_class = _type_class(column.type)
    if type_class == "string":
        return _string_kind(tokens, _table_nouns(table))
    if type_class == "int":
        return _flag_kind(tokens) or _int_kind(tokens)
    if type_class == "fraction":
        return _fraction_kind(tokens)
    if type_class == "temporal":
        return _temporal_kind(tokens)
    if type_class == "bool":
        return _flag_kind(tokens, any_name=True)
    return None


def _tail(tokens: tuple[str, ...], *words: str) -> bool:
    """True when ``tokens`` ends with ``words``."""
    return len(tokens) >= len(words) and tokens[-len(words):] == words


def _string_kind(t: tuple[str, ...], table_nouns: tuple[str, ...]) -> str | None:
    last = t[-1]
    prev = t[-2] if len(t) > 1 else None
    words = set(t)
    if last in {"id", "type", "kind", "flag"} and not words & {"uuid", "guid"}:
        return "card_provider" if last in {"type", "kind"} and "card" in words else None
    if words & {"email", "emailaddress"} or last == "mail":
        return "email"
    if words & {"uuid", "guid"}:
        return "uuid_string"
    if last in {"url", "website", "homepage", "link", "uri", "href"} or _tail(t, "web", "site") or \
            _tail(t, "home", "page"):
        return "url"
    if last in {"domain", "hostname"} or _tail(t, "host", "name"):
        return "domain"
    if "ip" in words or _tail(t, "ip", "address"):
        return "ip_string"
    if "mac" in words and last in {"address", "addr", "mac"}:
        return "mac_string"
    if "agent" in words and "user" in words:
        return "user_agent"
    if last in {"password", "passwd", "pwd", "hash", "digest", "token", "secret", "salt", "checksum", "signature",
                "sha", "sha1", "md5", "fingerprint", "nonce"} or _tail(t, "api", "key"):
        return "hex_token"
    if last in {"username", "login", "nickname", "handle", "screenname"} or \
            (last == "name" and prev in {"user", "nick", "screen", "login", "account"}):
        return "username"
    if _tail(t, "first", "name") or last in {"firstname", "forename", "givenname", "fname"} or t == ("first",) \
            or _tail(t, "given", "name") or _tail(t, "middle", "name") or last == "middlename":
        return "first_name"
    if _tail(t, "last", "name") or last in {"surname", "lastname", "familyname", "lname"} or t == ("last",) \
            or _tail(t, "family", "name"):
        return "last_name"
    if words & {"phone", "fax", "mobile", "telephone", "tel", "cell", "phonenumber"} and \
            last not in {"type", "kind", "extension", "ext", "verified"}:
        return "phone"
    if last in {"zip", "zipcode", "postcode", "postalcode"} or _tail(t, "postal", "code") or \
            _tail(t, "post", "code") or _tail(t, "zip", "code"):
        return "postal_code"
    if (last in {"code", "iso", "iso2", "iso3", "alpha2", "alpha3"} and "country" in words) or last == "countrycode":
        return "country_code"
    if _tail(t, "currency", "code") or last == "currency":
        return "currency_code"
    if last in {"address2", "addressline2"} or (last == "2" and words & {"address", "line", "street"}):
        return "address2"
    if last in {"address", "address1", "addressline1", "street", "addr"} or \
            (last in {"1", "line"} and words & {"address", "street"}):
        return "street_address"
    if last == "name" and prev is not None and prev in _NAME_BY_NOUN:
        return _NAME_BY_NOUN[prev]
    if last in {"country", "nationality"}:
        return "country"
    if last in {"city", "town"}:
        return "city"
    if last in {"state", "province", "county"} or (last == "abbr" and "state" in words):
        return "state"
    if last in {"region", "district", "territory"}:
        return "state"
    if last in {"company", "employer", "organization", "organisation", "business", "firm", "supplier", "vendor",
                "publisher", "manufacturer", "brand", "agency", "carrier", "shipper"}:
        return "company"
    if last in {"language", "lang"}:
        return "language"
    if last in {"color", "colour"}:
        return "color"
    if last in {"gender", "sex"}:
        return "gender"
    if last == "status":
        return "status"
    if last in {"timezone", "tz"} or _tail(t, "time", "zone"):
        return "timezone"
    if _tail(t, "mime", "type") or _tail(t, "content", "type") or last in {"mimetype", "mime"}:
        return "mime_type"
    if last in {"filename", "file"} or _tail(t, "file", "name"):
        return "file_name"
    if last in {"path", "filepath"}:
        return "file_path"
    if last in {"isbn", "isbn13"}:
        return "isbn"
    if last == "slug":
        return "slug"
    if last in {"sku", "barcode", "ean", "upc", "code"}:
        return "code"
    if last in {"tag", "tags", "keyword", "keywords", "label", "labels"}:
        return "tag"
    if last in {"feature", "features"}:
        return "film_feature"
    if "courtesy" in words or last in {"salutation", "prefix"}:
        return "courtesy_title"
    if last == "suffix":
        return "name_suffix"
    if _tail(t, "job", "title") or last in {"jobtitle", "occupation", "profession", "designation", "position"}:
        return "job_title"
    if last == "title":
        if prev in {"contact", "job", "employee", "staff"} or (prev is None and table_nouns and
                                                               table_nouns[0] in PERSON_NOUNS):
            return "job_title"
        return "title"
    if last in _DESCRIPTION_WORDS:
        return "description"
    if last in {"genre"}:
        return "genre"
    if last in {"category"}:
        return "category"
    if last in {"department", "dept", "team", "division"}:
        return "department"
    if last in {"product", "item"}:
        return "product"
    if last in {"composer", "author", "artist", "director", "actor", "writer", "owner", "manager", "contact",
                "customer", "employee", "person", "recipient", "sender", "fullname", "performer", "creator"}:
        return "full_name"
    if "card" in words and last in {"number", "num", "no"}:
        return "credit_card_number"
    if "plate" in words:
        return "license_plate"
    if last == "name" or t == ("label",):
        if "country" in table_nouns:  # AdventureWorks' countryregion holds countries
            return "country"
        for noun in table_nouns:
            if noun in _NAME_BY_NOUN:
                return _NAME_BY_NOUN[noun]
        return "label"
    return None


def _flag_kind(t: tuple[str, ...], *, any_name: bool = False) -> str | None:
    last = t[-1]
    words = set(t)
    if words & {"active", "enabled", "visible", "published", "available", "valid", "verified", "approved",
                "activebool", "online", "current", "confirmed"}:
        return "active_flag"
    if words & {"deleted", "archived", "banned", "locked", "disabled", "hidden", "blocked", "cancelled", "canceled",
                "suspended", "expired", "removed", "spam", "discontinued", "inactive", "obsolete"}:
        return "deleted_flag"
    if t[0] in {"is", "has", "can", "should", "allow", "allows", "needs", "uses"} and len(t) > 1:
        return "flag"
    if last == "flag" or any_name:
        return "flag"
    return None


def _int_kind(t: tuple[str, ...]) -> str | None:
    last = t[-1]
    words = set(t)
    if last in {"id", "fk", "pk"}:
        return None
    if "stock" in words or "inventory" in words or _tail(t, "on", "hand"):
        return "stock"
    if last in {"quantity", "qty", "units", "pieces"} or words & {"qty", "quantity"}:
        return "quantity"
    if last in {"rating", "stars"}:
        return "rating"
    if last in {"score", "points"}:
        return "score"
    if last == "age":
        return "age"
    if last in {"year", "yr"}:
        return "year"
    if last == "month":
        return "month"
    if last in {"milliseconds", "ms", "millis"}:
        return "milliseconds"
    if last in {"bytes", "filesize"} or (last == "size" and "file" in words):
        return "bytes"
    if "rental" in words and last in {"duration", "period", "days"}:
        return "days"
    if last in {"length", "duration", "runtime", "minutes"}:
        return "minutes"
    if last == "days":
        return "days"
    if last in {"hours", "hrs"}:
        return "hours"
    if last in {"percent", "percentage", "pct"}:
        return "percent"
    if last == "discount":
        return "percent"  # whole-number discounts are percentages
    if last in {"salary", "wage", "income"}:
        return "salary"
    if "cents" in words:
        return "cents"
    if last in {"price", "amount", "cost", "total", "fee", "balance", "charge"} or \
            words & {"price", "cost", "amount"}:
        return "price"
    if last in {"position", "rank", "priority", "sort", "order", "sequence", "seq", "level", "step", "ordinal",
                "index", "idx", "sortorder", "point"}:
        return "ordinal"
    if last == "count" or t[0] in {"num", "number"} or last in {"views", "likes", "votes", "clicks", "downloads",
                                                                 "visits", "hits"}:
        return "count"
    if last == "version" or last == "revision":
        return "version"
    if last in {"weight"}:
        return "weight"
    return None


def _fraction_kind(t: tuple[str, ...]) -> str | None:
    last = t[-1]
    words = set(t)
    if last in {"lat", "latitude"}:
        return "latitude"
    if last in {"lng", "lon", "long", "longitude"}:
        return "longitude"
    if last in {"salary", "wage", "wages", "pay", "compensation", "income"}:
        return "salary"
    if last == "discount" or "discount" in words:
        return "discount"
    if "cents" in words:
        return "cents"
    if last == "rate" and words & {"vat", "tax", "interest", "percentage", "percent", "commission", "growth"}:
        return "percent"
    if last == "rate" and words & {"conversion", "exchange", "currency"}:
        return "ratio"
    if last in {"percent", "percentage", "pct", "ratio"}:
        return "percent"
    if last in {"rating", "stars"}:
        return "rating"
    if last in {"score"}:
        return "score"
    if last in {"weight", "mass"}:
        return "weight"
    if last in {"height", "width", "depth", "length", "size"}:
        return "dimension"
    if last in {"quantity", "qty"} or words & {"qty"}:
        return "quantity"
    if last in {"hours", "hrs"}:
        return "hours"
    if last in {"price", "amount", "cost", "total", "subtotal", "fee", "charge", "balance", "freight", "tax",
                "payment", "paid", "revenue", "budget", "value", "rate", "amt", "taxamt", "due", "prices", "cash",
                "credit", "debit", "sum"} or words & {"price", "cost", "amount", "subtotal"}:
        return "price"
    return None


def _temporal_kind(t: tuple[str, ...]) -> str | None:
    words = set(t)
    if words & {"birth", "dob", "birthday", "born", "birthdate"}:
        return "birth_date"
    if words & {"hire", "hired", "hiredate"}:
        return "hire_date"
    if words & {"created", "creation", "create", "inserted", "registered", "registration", "signup", "joined"}:
        return "created"
    if words & {"updated", "modified", "update", "changed", "edited", "touched", "modifieddate"} or \
            _tail(t, "last", "login"):
        return "updated"
    if words & {"start", "begin", "from", "opened"}:
        return "start_date"
    if words & {"end", "until", "to", "closed", "expires", "expiry", "expiration"}:
        return "end_date"
    return None
