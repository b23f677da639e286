"""Value rules inferred from names and the schema's domain: vocabularies for titles, names, categories and codes,
and magnitudes for money and counts.

A vocabulary is chosen from the column's meaning and its table (a ``film`` table's ``title`` is a film title, a
``track``'s ``name`` a song title, a ``category``'s ``name`` a category of the schema's domain: film genres for a
DVD rental chain, departments of a shop for a shop). Magnitudes follow the domain too: a DVD rental payment is a few
dollars, a music track costs about one.
"""

from __future__ import annotations

from seeder.plan.facts import SchemaFacts, is_numeric, is_text, words
from seeder.plan.rules import Magnitude, Rule, Vocabulary
from seeder.schema import Column, Table

#: (table noun, column kind or word) -> vocabulary domain.
_BY_TABLE: dict[tuple[str, str], str] = {
    ("film", "title"): "film_title", ("movie", "title"): "film_title", ("film", "description"): "film_description",
    ("album", "title"): "album_title", ("track", "title"): "track_title", ("song", "title"): "track_title",
    ("track", "name"): "track_title", ("song", "name"): "track_title", ("playlist", "title"): "playlist_name",
    ("playlist", "name"): "playlist_name", ("artist", "name"): "artist_name", ("band", "name"): "artist_name",
    ("language", "name"): "language", ("title", "title"): "job_title", ("region", "description"): "region_name",
    ("territory", "description"): "city", ("demographic", "description"): "customer_segment",
    ("department", "name"): "department", ("dept", "name"): "department", ("shipper", "name"): "shipper",
    ("store", "name"): "store_name",
}
#: Category vocabularies per schema domain.
CATEGORY_BY_DOMAIN = {"film_rental": "film_category", "music": "music_genre", "shop": "shop_category",
                      "hr": "department", "generic": "shop_category"}
_CODE_WORDS = frozenset({"sku", "number", "no", "num", "code", "ref", "reference", "barcode", "ean", "upc",
                         "tracking", "accountnumber", "productnumber", "ordernumber", "serial"})
_NOT_CODES = frozenset({"phone", "fax", "postal", "zip", "card", "country", "currency", "state", "area", "telephone",
                        "mobile", "language", "color", "national", "nationalidnumber", "tax", "vat", "post"})


def vocabulary_domain(facts: SchemaFacts, table: Table, col: Column) -> tuple[str, str] | None:
    """``(domain, why)`` for a text column, or ``None`` when its default vocabulary fits."""
    if not is_text(col):
        return None
    kind = facts.kind(table, col.name)
    tokens = words(col.name)
    nouns = facts.nouns(table)
    last = tokens[-1] if tokens else ""
    for noun in reversed(nouns):
        for key in (kind or "", last):
            domain = _BY_TABLE.get((noun, key))
            if domain:
                return domain, f"a {noun}'s {last}"
    if kind in ("category", "genre") or (last == "name" and set(nouns) & {"category", "genre"}):
        if "genre" in nouns or kind == "genre":
            return "music_genre" if facts.domain != "film_rental" else "film_category", "genres of the domain"
        domain = CATEGORY_BY_DOMAIN[facts.domain]
        return domain, f"categories of a {facts.domain.replace('_', ' ')} schema"
    if kind == "product" or (kind == "label" and set(nouns) & {"product", "item"}):
        return "product", "product names"
    if kind in (None, "label", "code") and set(tokens) & _CODE_WORDS and not set(tokens) & _NOT_CODES \
            and (col.type.length is None or col.type.length >= 5):
        return "code", "an identifier shaped like a code (letters, digits, check digit)"
    if kind == "title" and set(nouns) & {"review", "comment", "post"}:
        return "review_title", "review headlines"
    if kind in ("title", "job_title", "courtesy_title") and col.type.length is not None and col.type.length <= 8:
        return "courtesy_title", "a title of at most 8 characters is a courtesy title (Mr., Ms.)"
    if kind == "job_title" or (kind == "title" and set(nouns) & {"title", "job", "position"}):
        return "job_title", "job titles"
    return None


#: Money magnitudes: (schema domain or "" for any, table words (any of), column words (all of), (low, high,
#: distribution)); the first entry that matches decides.
_MONEY: tuple[tuple[str, frozenset[str], frozenset[str], tuple[float, float, str]], ...] = (
    ("film_rental", frozenset({"payment"}), frozenset({"amount"}), (0.99, 11.99, "loguniform")),
    ("film_rental", frozenset(), frozenset({"rental", "rate"}), (0.99, 4.99, "uniform")),
    ("film_rental", frozenset(), frozenset({"replacement", "cost"}), (9.99, 29.99, "uniform")),
    ("music", frozenset({"track", "line", "invoice"}), frozenset({"unit", "price"}), (0.99, 1.99, "uniform")),
    ("", frozenset(), frozenset({"freight"}), (2.0, 150.0, "loguniform")),
    ("", frozenset(), frozenset({"salary"}), (35000, 160000, "uniform")),
    ("", frozenset(), frozenset({"wage"}), (35000, 160000, "uniform")),
    ("", frozenset(), frozenset({"list", "price"}), (5.0, 3000.0, "loguniform")),
    ("", frozenset(), frozenset({"listprice"}), (5.0, 3000.0, "loguniform")),
    ("", frozenset(), frozenset({"price"}), (1.0, 500.0, "loguniform")),
    ("", frozenset(), frozenset({"unitprice"}), (1.0, 500.0, "loguniform")),
)


def magnitude(facts: SchemaFacts, table: Table, col: Column) -> tuple[float, float, str, str] | None:
    """``(low, high, distribution, why)`` for a numeric column whose meaning fixes its scale, else ``None``."""
    if not is_numeric(col):
        return None
    tokens = set(words(col.name))
    nouns = set(facts.nouns(table))
    for domain, table_words, col_words, (low, high, dist) in _MONEY:
        if (domain and domain != facts.domain) or (table_words and not nouns & table_words):
            continue
        if col_words <= tokens:
            where = f"a {facts.domain.replace('_', ' ')} schema" if domain else "any schema"
            return low, high, dist, f"{col.name} in {where}: {low:g}..{high:g}"
    return None


def infer_values(facts: SchemaFacts) -> list[Rule]:
    """Vocabulary and magnitude rules of every content column."""
    out: list[Rule] = []
    for table in facts.tables:
        skip = facts.fk_columns(table)
        for col in table.columns:
            if col.generated or col.name in skip:
                continue
            found = vocabulary_domain(facts, table, col)
            if found:
                out.append(Vocabulary(table=table.name, column=col.name, domain=found[0], why=found[1]))
            mag = magnitude(facts, table, col)
            if mag and not (table.primary_key and col.name in table.primary_key.columns):
                low, high, dist, why = mag
                out.append(Magnitude(table=table.name, column=col.name, low=low, high=high,
                                     distribution=dist, why=why))  # type: ignore[arg-type]
    return out
