"""The generation engine on small inline schemas: keys, FKs, uniques, CHECKs, cycles, determinism, coherence."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from seeder import api
from seeder.cli import cli
from seeder.errors import GenerationError
from seeder.readers.ddl import read_ddl
from seeder.schema import TableName


def run(ddl: str, rows: int = 50, seed: int = 3, dialect: str = "postgres", **overrides: int):
    schema = read_ddl(ddl, dialect)
    plan = api.build_plan(schema, rows, overrides)
    return api.generate(schema, plan, seed=seed)


def col(data, table: str, column: str) -> list:
    return data.table_data(TableName(None, table)).column_values(column)


def test_fk_values_come_from_parent_keys_and_nullable_fks_are_sometimes_null():
    data = run("""
        CREATE TABLE artist (id int PRIMARY KEY, name text NOT NULL);
        CREATE TABLE album (id int PRIMARY KEY, artist_id int NOT NULL REFERENCES artist(id),
                            label_id int REFERENCES artist(id));
    """, rows=200)
    artists = set(col(data, "artist", "id"))
    assert set(col(data, "album", "artist_id")) <= artists
    labels = col(data, "album", "label_id")
    assert None in labels and {v for v in labels if v is not None} <= artists


def test_composite_fk_takes_whole_parent_tuples():
    data = run("""
        CREATE TABLE way (id int, version int, PRIMARY KEY (id, version));
        CREATE TABLE way_tag (way_id int NOT NULL, version int NOT NULL, k text NOT NULL,
                              FOREIGN KEY (way_id, version) REFERENCES way(id, version));
    """, rows=80)
    parents = set(zip(col(data, "way", "id"), col(data, "way", "version"), strict=True))
    children = set(zip(col(data, "way_tag", "way_id"), col(data, "way_tag", "version"), strict=True))
    assert children <= parents


def test_pk_of_two_fks_is_sampled_without_replacement_and_limited():
    data = run("""
        CREATE TABLE a (id int PRIMARY KEY);
        CREATE TABLE b (id int PRIMARY KEY);
        CREATE TABLE ab (a_id int REFERENCES a(id), b_id int REFERENCES b(id), PRIMARY KEY (a_id, b_id));
    """, rows=30, a=3, b=4)
    pairs = list(zip(col(data, "ab", "a_id"), col(data, "ab", "b_id"), strict=True))
    assert len(pairs) == 12 and len(set(pairs)) == 12


def test_one_to_one_fk_is_a_permutation():
    data = run("""
        CREATE TABLE person (id int PRIMARY KEY);
        CREATE TABLE passport (id int PRIMARY KEY, person_id int NOT NULL UNIQUE REFERENCES person(id));
    """, rows=25)
    ids = col(data, "passport", "person_id")
    assert sorted(ids) == sorted(col(data, "person", "id"))


def test_self_reference_forms_a_tree():
    data = run("CREATE TABLE employee (id int PRIMARY KEY, manager_id int REFERENCES employee(id));", rows=100)
    ids, managers = col(data, "employee", "id"), col(data, "employee", "manager_id")
    position = {v: i for i, v in enumerate(ids)}
    assert managers[0] is None
    for i, m in enumerate(managers):
        assert m is None or position[m] < i  # points at an earlier row: no cycles, insertable in order


def test_not_null_self_reference_roots_point_at_themselves():
    data = run("CREATE TABLE node (id int PRIMARY KEY, root int NOT NULL REFERENCES node(id));", rows=10)
    ids, roots = col(data, "node", "id"), col(data, "node", "root")
    assert roots[0] == ids[0] and None not in roots


def test_checks_hold_on_every_row():
    data = run("""
        CREATE TABLE rental (
            id int PRIMARY KEY,
            rate numeric(4,2) NOT NULL CHECK (rate BETWEEN 0.99 AND 4.99),
            status varchar(10) NOT NULL CHECK (status IN ('open', 'closed')),
            code char(3) CHECK (length(code) = 3),
            starts date NOT NULL, ends date NOT NULL,
            CHECK (ends > starts));
    """, rows=300)
    rates = col(data, "rental", "rate")
    assert all(0.99 <= float(r) <= 4.99 for r in rates)
    assert set(col(data, "rental", "status")) <= {"open", "closed"}
    assert all(c is None or len(c) == 3 for c in col(data, "rental", "code"))
    assert all(e > s for s, e in zip(col(data, "rental", "starts"), col(data, "rental", "ends"), strict=True))


def test_unique_and_expression_unique_columns_are_unique():
    data = run("""
        CREATE TABLE account (id int PRIMARY KEY, email varchar(60) NOT NULL, handle varchar(8) NOT NULL UNIQUE);
        CREATE UNIQUE INDEX account_email ON account (lower(email));
    """, rows=500)
    emails = [e.lower() for e in col(data, "account", "email")]
    assert len(set(emails)) == 500
    assert len(set(col(data, "account", "handle"))) == 500


def test_created_before_updated():
    data = run("CREATE TABLE t (id int PRIMARY KEY, created_at timestamp NOT NULL, updated_at timestamp NOT NULL);",
               rows=200)
    for c, u in zip(col(data, "t", "created_at"), col(data, "t", "updated_at"), strict=True):
        assert isinstance(c, dt.datetime) and u >= c


def test_emails_agree_with_names():
    data = run("CREATE TABLE customer (id int PRIMARY KEY, first_name text NOT NULL, last_name text NOT NULL, "
               "email varchar(80) NOT NULL UNIQUE);", rows=50)
    for f, last, email in zip(col(data, "customer", "first_name"), col(data, "customer", "last_name"),
                              col(data, "customer", "email"), strict=True):
        assert email.split("@")[0].startswith(f.lower().replace(" ", "").replace("'", "")[:3])
        assert last.lower()[:3].replace("'", "") in email.lower()


def test_same_seed_same_data_other_seed_other_data():
    ddl = "CREATE TABLE t (id int PRIMARY KEY, name text, price numeric(6,2), at timestamptz);"
    a, b, c = run(ddl, seed=1), run(ddl, seed=1), run(ddl, seed=2)
    assert a.tables[0].values == b.tables[0].values
    assert a.tables[0].values != c.tables[0].values


def test_unsatisfiable_check_is_an_error_naming_it():
    with pytest.raises(GenerationError, match="odd_and_even"):
        run("CREATE TABLE t (id int PRIMARY KEY, x int NOT NULL, "
            "CONSTRAINT odd_and_even CHECK (x % 2 = 0 AND x % 2 = 1));", rows=5)


def test_partitioned_parent_values_fall_in_partitions():
    data = run("""
        CREATE TABLE payment (id int NOT NULL, paid_at timestamptz NOT NULL, PRIMARY KEY (id, paid_at))
            PARTITION BY RANGE (paid_at);
        CREATE TABLE payment_2022 PARTITION OF payment FOR VALUES FROM ('2022-01-01 00:00:00+00')
            TO ('2022-02-01 00:00:00+00');
        CREATE TABLE payment_2023 PARTITION OF payment FOR VALUES FROM ('2023-03-01 00:00:00+00')
            TO ('2023-04-01 00:00:00+00');
    """, rows=100)
    utc = dt.timezone.utc
    for v in col(data, "payment", "paid_at"):
        assert (dt.datetime(2022, 1, 1, tzinfo=utc) <= v < dt.datetime(2022, 2, 1, tzinfo=utc)
                or dt.datetime(2023, 3, 1, tzinfo=utc) <= v < dt.datetime(2023, 4, 1, tzinfo=utc))


# ---------------------------------------------------------------------------------------------------- unverified CHECKs

UNVERIFIED_DDL = """
CREATE TABLE person (
    id int PRIMARY KEY,
    name text NOT NULL CONSTRAINT person_name_valid CHECK (my_valid_name(name)),
    age int CHECK (age >= 0),
    CONSTRAINT person_known CHECK (name IN (SELECT name FROM allowed_names))
);
CREATE TABLE pet (id int PRIMARY KEY, owner int REFERENCES person(id), legs int CHECK (legs BETWEEN 0 AND 8));
"""


def test_run_notes_name_the_checks_seeder_cannot_verify(tmp_path):
    """A CHECK calling an unknown function (or a subquery) cannot be evaluated: the run says so, naming table and
    constraint, and says nothing about the CHECKs it verifies (issue #8)."""
    data = run(UNVERIFIED_DDL, rows=5)
    unverified = [n.lower() for n in data.notes if "not verified" in n]  # the reader may upper-case function names
    assert len(unverified) == 2
    assert unverified[0].startswith("person: check person_name_valid (my_valid_name(name)) is not verified by seeder")
    assert unverified[1].startswith("person: check person_known (name in (select name from allowed_names))")
    assert not any("legs" in n or "age" in n for n in data.notes)


def test_plan_names_the_checks_seeder_cannot_verify(tmp_path):
    """``seeder plan`` (text and --json) lists the same CHECKs before anything is generated."""
    ddl = tmp_path / "schema.sql"
    ddl.write_text(UNVERIFIED_DDL, encoding="utf-8")
    text = CliRunner().invoke(cli, ["plan", str(ddl), "--dialect", "postgres", "--rows", "5"], catch_exceptions=False)
    assert text.exit_code == 0, text.output
    assert "unverified: person: check person_name_valid (my_valid_name(name)) is not verified by seeder" in \
        text.output.lower()
    as_json = CliRunner().invoke(cli, ["plan", str(ddl), "--dialect", "postgres", "--rows", "5", "--json"],
                                 catch_exceptions=False)
    listed = json.loads(as_json.output)["unverified_checks"]
    assert all(u["note"].lower().startswith(f"person: check {u['constraint']} (") for u in listed)
    assert [{k: u[k].lower() for k in ("table", "constraint", "check")} for u in listed] == [
        {"table": "person", "constraint": "person_name_valid", "check": "my_valid_name(name)"},
        {"table": "person", "constraint": "person_known", "check": "name in (select name from allowed_names)"},
    ]
    generated = CliRunner().invoke(cli, ["generate", str(ddl), "--dialect", "postgres", "--rows", "5", "-o",
                                         str(tmp_path / "out.sql")], catch_exceptions=False)
    assert "note: person: check person_name_valid (my_valid_name(name)) is not verified" in generated.output.lower()


def test_unique_text_of_an_unrecognised_kind_differs_between_seeds() -> None:
    """Reported bug: numbered unique values (plain words, short codes) were the same for every seed."""
    from seeder import api
    from seeder.readers.ddl import read_ddl

    schema = read_ddl("CREATE TABLE t (id integer PRIMARY KEY, zzq varchar(60) NOT NULL UNIQUE, "
                      "qx varchar(8) UNIQUE, blorb text UNIQUE);", "postgres")
    plan = api.build_plan(schema, 200)

    def columns(seed: int) -> dict[str, list[object]]:
        td = api.generate(schema, plan, seed=seed).tables[0]
        return {c: td.column_values(c) for c in ("zzq", "qx", "blorb")}

    one, two = columns(1), columns(2)
    assert columns(1) == one  # still deterministic
    for name in one:
        assert len(set(one[name])) == len(one[name]) == 200  # still unique
        assert len(set(one[name]) & set(two[name])) < 100, name  # another seed, mostly other values
    assert one["zzq"] != one["blorb"]  # and two such columns do not repeat each other
