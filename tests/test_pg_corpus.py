"""The large PostgreSQL schemas of ../shared/schemas seed cleanly, plus the generator features they need.

Corpus tests (one pair per schema): a fresh database is created from the DDL, ``seeder generate FILE --rows 20
--seed 1 -o out.sql`` is loaded with ``psql -v ON_ERROR_STOP=1``, every seeded table must hold its planned rows (the
plan gives a reason for fewer), and nullability, constraint validity and trigger switches must be what the DDL left
(so no FK, UNIQUE or CHECK was loaded disabled: PostgreSQL itself checked every row). ``seeder load`` must do the
same.

MusicBrainz runs with ``--disable-triggers`` (the user-facing answer for trigger business rules). Its 452 triggers,
run on generated rows, fail in three ways the generator cannot see from the DDL:

* they resolve unqualified table names through the database's ``search_path`` (MusicBrainz sets it to
  ``musicbrainz, public``; a ``pg_dump`` restore does not), so ``ensure_area_attribute_type_allows_text()`` and
  others fail with ``relation "area_attribute_type" does not exist``;
* with that fixed, they enforce cross-table rules: ``ensure_*_attribute_type_allows_text`` (free text only for
  attribute types flagged ``free_text``), ``inserting_edits_requires_confirmed_email_address`` (the editor's
  ``email_confirm_date``), ``prevent_invalid_attributes`` / ``check_has_dates`` (rules of ``link_type``);
* they write rows themselves: ``a_ins_artist`` etc. insert the ``*_meta`` rows the generator also writes (duplicate
  primary keys), and ``simplify_search_hints`` rewrites alias rows so that their ``primary_check`` fails.

Feature tests (fast, no database unless they load a script): regex CHECKs, OR-CHECKs over keys, known SQL
functions, partial and expression unique indexes, CHECKs over foreign-key columns only, extension types.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from seeder import api
from seeder.cli import cli
from seeder.errors import GenerationError
from seeder.generate.checks import failing_checks, unverified_checks
from seeder.generate.checks.known_functions import functions_for
from seeder.generate.checks.regex import posix_regex, sample_matching
from seeder.readers.ddl import read_ddl
from seeder.schema import TableName
from tests.engines import create_pg_schema, pg_ident, pg_query, pg_state, planned_rows, run_psql, schema_path

ROWS = 20
REPO = Path(__file__).resolve().parent.parent


# ----------------------------------------------------------------------------------------------------- helpers


def assert_counts(url: str, expected: dict[TableName, int]) -> None:
    """Each table holds exactly its planned rows: its own rows (``ONLY``), or all rows of a partitioned parent."""
    parted = {TableName(s, n) for s, n in pg_query(
        url, "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
             "WHERE c.relkind = 'p'")}
    names = list(expected)
    union = " UNION ALL ".join(
        f"SELECT {i}, count(*) FROM {'' if n in parted else 'ONLY '}{pg_ident(n)}" for i, n in enumerate(names))
    counts = dict(pg_query(url, union))
    for i, name in enumerate(names):
        assert counts[i] == expected[name], f"{name}: {counts[i]} rows, expected {expected[name]}"


def generate_script(ddl: Path, out: Path, *extra: str) -> str:
    result = CliRunner().invoke(cli, ["generate", str(ddl), "--rows", str(ROWS), "--seed", "1", "-o", str(out),
                                      *extra], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


# ------------------------------------------------------------------------------------------- per-schema checks


def _adventureworks(url: str) -> None:
    # the OR-CHECK over a nullable FK: roots have level 0 and quantity 1, components level >= 1
    rows = pg_query(url, "SELECT productassemblyid IS NULL, bomlevel, perassemblyqty FROM production.billofmaterials")
    assert len(rows) == ROWS
    assert all((lvl == 0 and qty == 1) if root else lvl >= 1 for root, lvl, qty in rows)
    # a domain CHECK ("Flag" is boolean NOT NULL, "Phone" varchar) and the composite FK hold by construction
    (bad,) = pg_query(url, "SELECT count(*) FROM sales.salesorderdetail d LEFT JOIN sales.specialofferproduct s "
                           "USING (specialofferid, productid) WHERE s.productid IS NULL")[0]
    assert bad == 0


def _danbooru(url: str) -> None:
    (deferrable,) = pg_query(url, "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND condeferrable")[0]
    assert deferrable == 82


def _openstreetmap(url: str) -> None:
    shapes = pg_query(url, "SELECT DISTINCT ST_SRID(zone), GeometryType(zone), ST_IsValid(zone) "
                           "FROM moderation_zones")
    assert shapes == [(4326, "POLYGON", True)]
    (mismatch,) = pg_query(url, "SELECT count(*) FROM way_nodes wn LEFT JOIN ways w "
                                "ON w.way_id = wn.way_id AND w.version = wn.version WHERE w.way_id IS NULL")[0]
    assert mismatch == 0


def _lago(url: str) -> None:
    # a partial unique index on a boolean: at most one live admin role, yet all 20 rows
    (admins,) = pg_query(url, "SELECT count(*) FROM roles WHERE admin AND deleted_at IS NULL")[0]
    assert admins <= 1
    # the RANGE-partitioned table is seeded through its parent; rows land in its DEFAULT partition
    (parted,) = pg_query(url, "SELECT count(*) FROM enriched_events_default")[0]
    assert parted == ROWS
    (codes,) = pg_query(url, "SELECT count(*) FROM roles WHERE code !~ '^[a-z0-9_]{1,100}$'")[0]
    assert codes == 0


def _musicbrainz(url: str) -> None:
    # the NOT NULL self-reference: every root points at an existing row, some at themselves
    rows = pg_query(url, "SELECT id, root FROM musicbrainz.link_attribute_type")
    ids = {i for i, _ in rows}
    assert len(rows) == ROWS and all(root in ids for _, root in rows)
    (padded,) = pg_query(url, "SELECT count(*) FROM musicbrainz.artist WHERE btrim(name) <> name")[0]
    assert padded == 0
    (isrc,) = pg_query(url, "SELECT count(*) FROM musicbrainz.isrc WHERE isrc !~ '^[A-Z]{2}[A-Z0-9]{3}[0-9]{7}$'")[0]
    assert isrc == 0


SCHEMAS: dict[str, tuple[tuple[str, ...], Callable[[str], None]]] = {
    "adventureworks/postgres.sql": ((), _adventureworks),
    "danbooru/postgres.sql": ((), _danbooru),
    "openstreetmap/postgres.sql": ((), _openstreetmap),
    "lago/postgres.sql": ((), _lago),
    "musicbrainz/postgres.sql": (("--disable-triggers",), _musicbrainz),
}
SLOW = {"musicbrainz/postgres.sql", "lago/postgres.sql"}
CASES = [pytest.param(name, marks=pytest.mark.slow) if name in SLOW else name for name in SCHEMAS]


# ------------------------------------------------------------------------------------------------ corpus tests


@pytest.mark.parametrize("relative", CASES)
def test_generated_script_loads_with_every_constraint(relative: str, pg_url: str, tmp_path: Path):
    extra, verify = SCHEMAS[relative]
    ddl = schema_path(relative)
    create_pg_schema(pg_url, ddl)
    before = pg_state(pg_url)
    generate_script(ddl, tmp_path / "out.sql", *extra)
    run_psql(pg_url, tmp_path / "out.sql")
    assert pg_state(pg_url) == before, "a constraint, NOT NULL or trigger was left changed"
    assert_counts(pg_url, planned_rows(api.read_schema(ddl), ROWS))
    verify(pg_url)


@pytest.mark.parametrize("relative", CASES)
def test_load_command(relative: str, pg_url: str):
    extra, verify = SCHEMAS[relative]
    ddl = schema_path(relative)
    create_pg_schema(pg_url, ddl)
    before = pg_state(pg_url)
    result = CliRunner().invoke(cli, ["load", str(ddl), "--db", pg_url, "--rows", str(ROWS), "--seed", "1", *extra])
    assert result.exit_code == 0, result.output
    assert "Loaded" in result.output
    assert pg_state(pg_url) == before
    assert_counts(pg_url, planned_rows(api.read_schema(ddl), ROWS))
    verify(pg_url)


def test_same_seed_same_script_in_any_process(tmp_path: Path):
    """lago exercises the row repairs (OR-CHECKs, regexes, partial unique indexes); two processes with different
    string-hash seeds must still write the same bytes."""
    outputs = []
    for hash_seed in ("1", "2"):
        out = tmp_path / f"out{hash_seed}.sql"
        proc = subprocess.run([sys.executable, "-m", "seeder", "generate", str(schema_path("lago/postgres.sql")),
                               "--rows", str(ROWS), "--seed", "4", "-o", str(out)], capture_output=True, text=True,
                              cwd=REPO, env={**os.environ, "PYTHONHASHSEED": hash_seed}, check=False)
        assert proc.returncode == 0, proc.stderr
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


@pytest.mark.slow
def test_plan_of_musicbrainz_takes_under_ten_seconds():
    """The whole CLI run, interpreter start included, as a user would time it."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "seeder", "plan", str(schema_path("musicbrainz/postgres.sql"))],
                          capture_output=True, text=True, cwd=REPO, env=dict(os.environ), check=False)
    elapsed = time.perf_counter() - start
    assert proc.returncode == 0, proc.stderr
    assert "rows in 499 tables" in proc.stdout  # 515, less the 16 its INSERT triggers fill (artist_meta, ...)
    assert elapsed < 10, f"seeder plan musicbrainz took {elapsed:.1f}s"


# ----------------------------------------------------------------------------------------------- feature tests


def generate(ddl: str, rows: int = 200, seed: int = 5, **overrides: int):
    schema = read_ddl(ddl, "postgres")
    return schema, api.generate(schema, api.build_plan(schema, rows, overrides), seed=seed)


def column(data, table: str, name: str) -> list:
    return data.table_data(TableName(None, table)).column_values(name)


def rows_of(data, table: str) -> list[dict]:
    td = data.table_data(TableName(None, table))
    return [dict(zip(td.columns, row, strict=True)) for row in td.rows()]


def assert_checks_hold(schema, data) -> None:
    functions = functions_for(schema)
    for td in data.tables:
        for row in td.rows():
            failing = failing_checks(td.table, dict(zip(td.columns, row, strict=True)), functions=functions)
            assert not failing, f"{td.table.name}: {[c.name for c in failing]} fails on {row}"


@pytest.mark.parametrize("pattern, lo, hi", [
    (r"^[a-z0-9_]{1,100}$", 0, 30),            # lago roles.code
    (r"^\d{15}[\dX]$", 0, None),               # musicbrainz isni
    (r"^[A-Za-z0-9.~_-]{43,128}$", 0, None),   # musicbrainz oauth code challenge
    (r"^T-?\d{3}.?\d{3}.?\d{3}[-.]?\d$", 15, 15),  # musicbrainz iswc in char(15): all optional parts used
    (r"^(ab|cde)+$", 7, 7),
    (r"^[[:alpha:]]+(x|y)\1$", 0, None),
])
def test_regex_sampler_hits_pattern_and_length(pattern: str, lo: int, hi: int | None):
    compiled = posix_regex(pattern)
    rng = np.random.default_rng(7)
    for _ in range(30):
        value = sample_matching(compiled, rng, min_length=lo, max_length=hi)
        assert value is not None and compiled.search(value), value
        assert lo <= len(value) <= (hi if hi is not None else 10**9)


def test_regex_checks_on_unique_content_and_char_columns():
    schema, data = generate("""
        CREATE TABLE work_code (
            id int PRIMARY KEY,
            iswc character(15) NOT NULL UNIQUE CHECK (iswc ~ '^T-?\\d{3}.?\\d{3}.?\\d{3}[-.]?\\d$'),
            code varchar(30) NOT NULL CHECK (code::text ~ '^[a-z0-9_]{1,100}$'),
            label text CHECK (label SIMILAR TO '[A-Z]{2}-[0-9]{4}'));
    """, rows=300)
    iswc = column(data, "work_code", "iswc")
    assert len(set(iswc)) == 300
    # PostgreSQL matches char(n) padded: every value uses the full width
    assert all(len(v) == 15 for v in iswc)
    assert all(v is None or len(v) == 7 for v in column(data, "work_code", "label"))
    assert_checks_hold(schema, data)


def test_or_check_over_a_foreign_key_picks_the_matching_branch():
    schema, data = generate("""
        CREATE TABLE bom (
            id int PRIMARY KEY,
            assembly_id int REFERENCES bom(id),
            level smallint NOT NULL,
            qty numeric(8,2) NOT NULL CHECK (qty >= 1.00),
            CONSTRAINT bom_level CHECK ((assembly_id IS NULL AND level = 0 AND qty = 1.00)
                                        OR (assembly_id IS NOT NULL AND level >= 1)));
    """, rows=300)
    rows = rows_of(data, "bom")
    assert any(r["assembly_id"] is None for r in rows) and any(r["assembly_id"] is not None for r in rows)
    assert_checks_hold(schema, data)


def test_exclusive_or_and_equivalence_of_predicates():
    schema, data = generate("""
        CREATE TABLE plan (id int PRIMARY KEY);
        CREATE TABLE subscription (id int PRIMARY KEY);
        CREATE TABLE entitlement (
            id int PRIMARY KEY,
            plan_id int REFERENCES plan(id),
            subscription_id int REFERENCES subscription(id),
            status varchar(10) NOT NULL CHECK (status IN ('draft', 'approved', 'voided')),
            approved_at timestamp,
            CONSTRAINT one_parent CHECK ((plan_id IS NOT NULL) <> (subscription_id IS NOT NULL)),
            CONSTRAINT approved_iff CHECK ((status = 'approved') = (approved_at IS NOT NULL)));
    """, rows=300)
    for r in rows_of(data, "entitlement"):
        assert (r["plan_id"] is None) != (r["subscription_id"] is None)
        assert (r["status"] == "approved") == (r["approved_at"] is not None)
    assert_checks_hold(schema, data)


def test_known_functions_are_evaluated_and_satisfied():
    schema, data = generate("""
        CREATE SCHEMA musicbrainz;
        CREATE TABLE musicbrainz.artist (
            id int PRIMARY KEY,
            name varchar NOT NULL,
            CONSTRAINT control_for_whitespace CHECK (musicbrainz.controlled_for_whitespace((name)::text)));
        CREATE TABLE musicbrainz.pending (
            seqid bigint PRIMARY KEY,
            tablename text NOT NULL,
            CONSTRAINT tablename_exists CHECK ((to_regclass(tablename) IS NOT NULL)));
    """, rows=100)
    functions = functions_for(schema)
    assert all(not unverified_checks(t, functions=functions) for t in schema.tables)
    names = data.table_data(TableName("musicbrainz", "artist")).column_values("name")
    assert all(n == n.strip(" ") for n in names)
    tables = data.table_data(TableName("musicbrainz", "pending")).column_values("tablename")
    assert set(tables) <= {"musicbrainz.artist", "musicbrainz.pending"}
    assert_checks_hold(schema, data)


def test_partial_and_expression_unique_indexes():
    _schema, data = generate("""
        CREATE TABLE role (id int PRIMARY KEY, admin boolean NOT NULL, email varchar(80) NOT NULL,
                           deleted_at timestamp);
        CREATE UNIQUE INDEX one_admin ON role (admin) WHERE (admin AND deleted_at IS NULL);
        CREATE UNIQUE INDEX role_email ON role (lower(email)) WHERE deleted_at IS NULL;
    """, rows=200)
    rows = rows_of(data, "role")
    assert len(rows) == 200, "a partial unique index on a boolean must not limit the row count"
    assert sum(1 for r in rows if r["admin"] and r["deleted_at"] is None) <= 1
    live = [r["email"].lower() for r in rows if r["deleted_at"] is None]
    assert len(live) == len(set(live))


def test_check_over_foreign_keys_only_redraws_parents():
    _schema, data = generate("""
        CREATE TABLE tag (id int PRIMARY KEY);
        CREATE TABLE tag_relation (tag1 int NOT NULL REFERENCES tag(id), tag2 int NOT NULL REFERENCES tag(id),
                                   weight int NOT NULL, PRIMARY KEY (tag1, tag2),
                                   CONSTRAINT ordered CHECK (tag1 < tag2));
    """, rows=60)
    pairs = list(zip(column(data, "tag_relation", "tag1"), column(data, "tag_relation", "tag2"), strict=True))
    assert len(pairs) == 60 and len(set(pairs)) == 60 and all(a < b for a, b in pairs)


def test_check_no_row_can_meet_names_the_constraint():
    with pytest.raises(GenerationError, match=r"tag_relation: cannot generate rows satisfying CHECK ordered"):
        generate("""
            CREATE TABLE tag (id int PRIMARY KEY);
            CREATE TABLE tag_relation (id int PRIMARY KEY, tag1 int NOT NULL REFERENCES tag(id),
                                       tag2 int NOT NULL REFERENCES tag(id), CONSTRAINT ordered CHECK (tag1 < tag2));
        """, rows=5, tag=1)


def test_unknown_extension_type_not_null_without_default_is_an_error():
    with pytest.raises(GenerationError, match=r"thing\.shape: type public\.mystery.* not supported"):
        generate("CREATE TABLE thing (id int PRIMARY KEY, shape public.mystery NOT NULL);", rows=3)


EXTENSION_DDL = """
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE EXTENSION IF NOT EXISTS hstore;
CREATE EXTENSION IF NOT EXISTS cube;
CREATE EXTENSION IF NOT EXISTS citext;
CREATE EXTENSION IF NOT EXISTS ltree;
CREATE TABLE place (
    id serial PRIMARY KEY,
    zone public.geometry(Polygon, 4326) NOT NULL,
    spot public.geometry(PointZ, 3857) NOT NULL,
    route public.geometry(MultiLineString) NOT NULL,
    site public.geography(Point) NOT NULL,
    loc point NOT NULL,
    area box NOT NULL,
    reach circle NOT NULL,
    fuzzy public.cube NOT NULL,
    attrs public.hstore NOT NULL,
    tags public.hstore[] NOT NULL,
    email public.citext NOT NULL UNIQUE,
    path public.ltree NOT NULL,
    seats int4range NOT NULL,
    booked tstzrange NOT NULL,
    days daterange NOT NULL,
    price numrange NOT NULL,
    slots int4multirange NOT NULL,
    spans int4range[] NOT NULL,
    doc tsvector NOT NULL,
    wait interval NOT NULL,
    fee money NOT NULL,
    unique_spot public.geometry(Point, 4326) NOT NULL UNIQUE
);
"""


def test_extension_types_load_into_postgresql(pg_url: str, tmp_path: Path):
    run_psql(pg_url, EXTENSION_DDL)
    schema = read_ddl(EXTENSION_DDL, "postgres")
    data = api.generate(schema, api.build_plan(schema, 50), seed=3)
    out = tmp_path / "out.sql"
    with out.open("w", encoding="utf-8") as f:
        api.write_sql(data, f, "postgres")
    run_psql(pg_url, out)
    rows = pg_query(pg_url, "SELECT count(*), count(DISTINCT unique_spot), min(ST_SRID(zone)), "
                            "min(GeometryType(zone)), min(ST_SRID(spot)), bool_and(ST_IsValid(zone)) FROM place")
    assert rows == [(50, 50, 4326, "POLYGON", 3857, True)]


def test_not_null_self_reference_loads(pg_url: str, tmp_path: Path):
    ddl = """
        CREATE TABLE link_attribute_type (
            id serial PRIMARY KEY,
            parent integer REFERENCES link_attribute_type(id),
            root integer NOT NULL REFERENCES link_attribute_type(id),
            name varchar(255) NOT NULL);
    """
    run_psql(pg_url, ddl)
    path = tmp_path / "ddl.sql"
    path.write_text(ddl, encoding="utf-8")
    generate_script(path, tmp_path / "out.sql")
    run_psql(pg_url, tmp_path / "out.sql")
    assert pg_query(pg_url, "SELECT count(*), count(root) FROM link_attribute_type") == [(ROWS, ROWS)]


def test_function_and_regex_check_forms(pg_url: str, tmp_path: Path):
    ddl = """
        CREATE TABLE member (
            id int PRIMARY KEY,
            email varchar(80) NOT NULL CHECK (lower(email) = email),
            handle varchar(12) NOT NULL CHECK (char_length(handle) BETWEEN 3 AND 12 AND handle ~ '^[a-z][a-z0-9]*$'),
            name text NOT NULL CHECK (length(btrim(name)) > 0 AND name !~ '\\s\\s'),
            born date NOT NULL CHECK (born <= now() - '18 years'::interval),
            joined timestamptz NOT NULL CHECK (joined <= now()),
            zip varchar(10) CHECK (zip SIMILAR TO '[0-9]{5}(-[0-9]{4})?'),
            CONSTRAINT named_right CHECK (upper(substr(name, 1, 1)) = substr(name, 1, 1)));
    """
    run_psql(pg_url, ddl)
    path = tmp_path / "ddl.sql"
    path.write_text(ddl, encoding="utf-8")
    generate_script(path, tmp_path / "out.sql")
    run_psql(pg_url, tmp_path / "out.sql")
    assert pg_query(pg_url, "SELECT count(*) FROM member") == [(ROWS,)]


def test_partitioned_parent_with_default_partition_fills_the_bounded_ones(pg_url: str, tmp_path: Path):
    ddl = """
        CREATE TABLE event (id bigint NOT NULL, at timestamptz NOT NULL, PRIMARY KEY (id, at))
            PARTITION BY RANGE (at);
        CREATE TABLE event_2024 PARTITION OF event FOR VALUES FROM ('2024-01-01 00:00:00+00')
            TO ('2025-01-01 00:00:00+00');
        CREATE TABLE event_2025 PARTITION OF event FOR VALUES FROM ('2025-01-01 00:00:00+00')
            TO ('2026-01-01 00:00:00+00');
        CREATE TABLE event_default PARTITION OF event DEFAULT;
    """
    run_psql(pg_url, ddl)
    path = tmp_path / "ddl.sql"
    path.write_text(ddl, encoding="utf-8")
    generate_script(path, tmp_path / "out.sql")
    run_psql(pg_url, tmp_path / "out.sql")
    counts = dict(pg_query(pg_url, "SELECT tableoid::regclass::text, count(*) FROM event GROUP BY 1"))
    assert sum(counts.values()) == ROWS and "event_default" not in counts
