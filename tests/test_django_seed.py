"""``manage.py seed`` (seeder.contrib.django) on examples/django_shop and on django-taggit, SQLite and PostgreSQL.

Each test runs Django in a subprocess (``python manage.py ...``), as a user would, against a copy of the project in
the test's tmp directory: a Django process can be configured only once, and the fixture-sink tests configure
another project in-process.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from tests.engines import REPO_ROOT, PgServer, mysql_query, pg_query, sqlite_fk_check

pytest.importorskip("django")

EXAMPLE = REPO_ROOT / "examples" / "django_shop"
STORE_TABLES = ("store_category", "store_tag", "store_customer", "store_product", "store_product_tags",
                "store_digitalproduct", "store_supplier", "store_supplycontract", "store_order", "store_orderitem",
                "store_review", "store_comment")


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "SHOP_DATABASE_URL")}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO_ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env["PYTHONWARNINGS"] = "error::RuntimeWarning"  # e.g. a naive datetime while USE_TZ: a failure, not noise
    env.update(extra)
    return env


def manage(project: Path, *args: str, check: bool = True, **env: str) -> subprocess.CompletedProcess[str]:
    """``python manage.py ARGS`` in ``project``; raises with the output when ``check`` and it fails."""
    proc = subprocess.run([sys.executable, "manage.py", *args], cwd=project, env=_env(**env), capture_output=True,
                          text=True, timeout=300, check=False)
    if check and proc.returncode != 0:
        raise AssertionError(f"manage.py {' '.join(args)} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}")
    return proc


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    """A copy of the example project, without a database."""
    target = tmp_path / "django_shop"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns("__pycache__", "*.sqlite3"))
    return target


def _counts(db: Path, tables: tuple[str, ...]) -> dict[str, int]:
    con = sqlite3.connect(db)
    try:
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        con.close()


def _pg_counts(url: str, tables: tuple[str, ...]) -> dict[str, int]:
    return {t: pg_query(url, f'SELECT count(*) FROM "{t}"')[0][0] for t in tables}


def test_seed_sqlite_twice_appends_with_every_rule_kept(shop: Path, tmp_path: Path) -> None:
    db = tmp_path / "shop.sqlite3"
    manage(shop, "migrate", "-v0", SHOP_SQLITE=str(db))
    framework = _counts(db, ("django_content_type", "auth_permission", "django_session"))
    first = manage(shop, "seed", "--rows", "15", SHOP_SQLITE=str(db))
    assert "Seeded" in first.stdout and "store.Comment.content_object points at store.Product rows" in first.stderr
    assert _counts(db, STORE_TABLES) == dict.fromkeys(STORE_TABLES, 15)
    second = manage(shop, "seed", "--rows", "15", SHOP_SQLITE=str(db))
    assert "rows already" in second.stderr
    assert _counts(db, STORE_TABLES) == dict.fromkeys(STORE_TABLES, 30)
    # content types, permissions and sessions are not seeded; proxy and unmanaged models have no table of their own
    assert _counts(db, ("django_content_type", "auth_permission", "django_session")) == framework
    assert sqlite_fk_check(db) == []
    con = sqlite3.connect(db)
    q = lambda sql: con.execute(sql).fetchall()  # noqa: E731
    assert q("SELECT name FROM sqlite_master WHERE name = 'legacy_price'") == []
    assert {r[0] for r in q("SELECT status FROM store_product")} <= {"draft", "active", "retired"}  # choices
    assert q("SELECT count(*) FROM store_customer WHERE loyalty_points NOT BETWEEN 0 AND 10000") == [(0,)]
    assert q("SELECT count(*) FROM store_orderitem WHERE quantity NOT BETWEEN 1 AND 100") == [(0,)]
    assert q("SELECT count(*) FROM store_customer WHERE created_at > updated_at") == [(0,)]  # auto_now_add first
    assert q("SELECT count(*) FROM store_tag WHERE length(name) < 2") == [(0,)]  # MinLengthValidator
    assert q("SELECT count(DISTINCT lower(name)) = count(*) FROM store_tag") == [(1,)]  # Lower() unique
    assert q("SELECT count(*) FROM store_order WHERE shipped_at < placed_at") == [(0,)]  # CheckConstraint of Qs
    # multi-table inheritance: every digital product is a product with the same key
    assert q("SELECT count(*) FROM store_digitalproduct d LEFT JOIN store_product p ON p.id = d.product_ptr_id "
             "WHERE p.id IS NULL") == [(0,)]
    # the generic relation points at real products through the product content type
    assert q("SELECT DISTINCT ct.app_label, ct.model FROM store_comment c "
             "JOIN django_content_type ct ON ct.id = c.content_type_id") == [("store", "product")]
    assert q("SELECT count(*) FROM store_comment c LEFT JOIN store_product p ON p.id = c.object_id "
             "WHERE p.id IS NULL") == [(0,)]
    # each customer has at most one verified review per product (conditional UniqueConstraint)
    assert q("SELECT count(*) FROM (SELECT product_id, customer_id FROM store_review WHERE verified "
             "GROUP BY 1, 2 HAVING count(*) > 1)") == [(0,)]
    phones = [r[0] for r in q("SELECT phone FROM store_customer")]
    assert all(re.fullmatch(r"\+?[0-9]{7,15}", p) for p in phones), phones[:5]  # RegexValidator
    # Django reads every row back through its fields
    check = manage(shop, "shell", "-c", "from store.models import *; from django.apps import apps; "
                   "print(sum(len(list(m.objects.all())) for m in apps.get_app_config('store').get_models() "
                   "if m._meta.managed and not m._meta.proxy))", SHOP_SQLITE=str(db))
    assert int(check.stdout.strip().splitlines()[-1]) == 30 * 11  # the 11 concrete models (not the M2M table)


def test_truncate_replaces_and_fixture_loads_into_fresh_databases(shop: Path, tmp_path: Path, pg_url: str,
                                                                  pg_server: PgServer) -> None:
    env = {"SHOP_DATABASE_URL": pg_url}
    manage(shop, "migrate", "-v0", **env)
    manage(shop, "seed", "--rows", "8", **env)
    manage(shop, "seed", "--rows", "6", "--truncate", **env)
    assert _pg_counts(pg_url, STORE_TABLES) == dict.fromkeys(STORE_TABLES, 6)
    fixture = tmp_path / "shop.json"
    result = manage(shop, "seed", "--rows", "9", "--seed", "3", "--fixture", str(fixture), **env)
    assert f"to {fixture}" in result.stdout
    assert _pg_counts(pg_url, STORE_TABLES) == dict.fromkeys(STORE_TABLES, 6), "--fixture writes no rows"
    objects = json.loads(fixture.read_text())
    comment = next(o for o in objects if o["model"] == "store.comment")
    assert comment["fields"]["content_type"] == ["store", "product"]  # a natural key: valid in any database
    # into a fresh migrated PostgreSQL database ...
    other = pg_server.create_database()
    try:
        other_url = pg_server.url(other)
        manage(shop, "migrate", "-v0", SHOP_DATABASE_URL=other_url)
        manage(shop, "loaddata", str(fixture), SHOP_DATABASE_URL=other_url)
        assert _pg_counts(other_url, STORE_TABLES) == dict.fromkeys(STORE_TABLES, 9)
    finally:
        pg_server.drop_database(other)
    # --app / --exclude choose the models
    only = tmp_path / "only.json"
    manage(shop, "seed", "--rows", "2", "--app", "store", "--exclude", "store.Review", "--exclude", "store.Comment",
           "--fixture", str(only), **env)
    labels = {o["model"] for o in json.loads(only.read_text())}
    assert "store.product" in labels and not labels & {"store.review", "store.comment", "auth.user"}
    # ... and into a fresh SQLite one
    db = tmp_path / "fresh.sqlite3"
    manage(shop, "migrate", "-v0", SHOP_SQLITE=str(db))
    manage(shop, "loaddata", str(fixture), SHOP_SQLITE=str(db))
    assert _counts(db, STORE_TABLES) == dict.fromkeys(STORE_TABLES, 9)
    assert sqlite_fk_check(db) == []


def _server_query(engine: str, url: str) -> Any:
    """``sql -> rows`` on the database of ``url``, with PostgreSQL's double-quoted names turned into MariaDB's."""
    if engine == "postgres":
        return lambda sql: pg_query(url, sql)
    return lambda sql: mysql_query(url, sql.replace('"', "`"))


def _mysql_fk_orphans(url: str) -> dict[str, int]:
    """Rows of each FK (as MariaDB's catalog lists them) whose parent row does not exist: ``{}`` = clean."""
    fks = mysql_query(url, "SELECT TABLE_NAME, COLUMN_NAME, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME FROM "
                           "information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = DATABASE() AND "
                           "REFERENCED_TABLE_NAME IS NOT NULL")
    found = {}
    for table, column, parent, ref in fks:
        (count,) = mysql_query(url, f"SELECT count(*) FROM `{table}` c LEFT JOIN `{parent}` p ON p.`{ref}` = "
                                    f"c.`{column}` WHERE c.`{column}` IS NOT NULL AND p.`{ref}` IS NULL")[0]
        if count:
            found[f"{table}.{column}"] = count
    return found


@pytest.mark.parametrize("engine", ["postgres", "mariadb"])
def test_seed_in_place_on_postgres_and_mariadb(engine: str, shop: Path, tmp_path: Path,
                                               request: pytest.FixtureRequest) -> None:
    """The example on PostgreSQL and on MariaDB (Django's MySQL backend, PyMySQL standing in for mysqlclient):
    seeded twice in place (the second run's orders also belong to the first run's customers), truncated, and its
    fixture loaded into a fresh migrated database."""
    server: Any = request.getfixturevalue("pg_server" if engine == "postgres" else "mysql_server")
    url = request.getfixturevalue("pg_url" if engine == "postgres" else "mysql_url")
    query = _server_query(engine, url)
    env = {"SHOP_DATABASE_URL": url}
    manage(shop, "migrate", "-v0", **env)
    manage(shop, "seed", "--rows", "10", **env)
    (first_customer,) = query('SELECT max(id) FROM "store_customer"')[0]
    second = manage(shop, "seed", "--rows", "10", **env)
    assert "rows already" in second.stderr
    counts = {t: query(f'SELECT count(*) FROM "{t}"')[0][0] for t in STORE_TABLES}
    assert counts == dict.fromkeys(STORE_TABLES, 20)
    (old_parents,) = query(f'SELECT count(*) FROM "store_order" WHERE id > (SELECT min(id) + 9 FROM "store_order") '
                           f"AND customer_id <= {first_customer}")[0]
    assert old_parents > 0, "new orders never belong to existing customers"
    assert query('SELECT count(DISTINCT email) FROM "store_customer"') == [(20,)]
    assert query('SELECT count(*) FROM "store_order" WHERE shipped_at < placed_at') == [(0,)]
    if engine == "mariadb":  # Django loads with the checks off and checks afterwards; look again
        assert _mysql_fk_orphans(url) == {}
    manage(shop, "seed", "--rows", "4", "--truncate", **env)
    assert {t: query(f'SELECT count(*) FROM "{t}"')[0][0] for t in STORE_TABLES} == dict.fromkeys(STORE_TABLES, 4)
    fixture = tmp_path / "shop.json"
    manage(shop, "seed", "--rows", "5", "--seed", "2", "--fixture", str(fixture), **env)
    fresh = server.create_database()
    try:
        fresh_url = server.url(fresh)
        manage(shop, "migrate", "-v0", SHOP_DATABASE_URL=fresh_url)
        manage(shop, "loaddata", str(fixture), SHOP_DATABASE_URL=fresh_url)
        fresh_query = _server_query(engine, fresh_url)
        assert {t: fresh_query(f'SELECT count(*) FROM "{t}"')[0][0] for t in STORE_TABLES} == \
            dict.fromkeys(STORE_TABLES, 5)
    finally:
        server.drop_database(fresh)


COMPARE = textwrap.dedent('''
    import json, sqlite3, sys
    import django
    django.setup()
    from django.db import connection
    from seeder.contrib.django.models import read_models, select_models
    from seeder.readers.ddl import read_ddl

    def summary(schema):
        out = {}
        for t in schema.tables:
            if not t.name.name.startswith("store_"):
                continue
            out[t.name.name] = {
                # sorted: migrations add FK columns after the others
                "columns": sorted([c.name, c.type.kind, c.type.length, c.nullable, c.autoincrement]
                                  for c in t.columns),
                "pk": list(t.primary_key.columns) if t.primary_key else None,
                "fks": sorted([list(fk.columns), fk.ref_table.name, list(fk.ref_columns)] for fk in t.foreign_keys),
                "uniques": sorted([list(u.columns), [e.sql() for e in u.expressions],
                                   u.where.sql() if u.where is not None else None] for u in t.uniques),
                "checks": sorted(c.sql for c in t.checks) + sorted(c.sql for col in t.columns for c in col.checks),
            }
        return out

    models, _ = select_models(["store"], [], connection)
    ddl = ";\\n".join(r[0] for r in sqlite3.connect(sys.argv[1]).execute(
        "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'")) + ";"
    print(json.dumps({"models": summary(read_models(models, connection).schema),
                      "database": summary(read_ddl(ddl, "sqlite"))}))
''')


def test_model_equals_migrated_sqlite_database(shop: Path, tmp_path: Path) -> None:
    db = tmp_path / "migrated.sqlite3"
    manage(shop, "migrate", "-v0", SHOP_SQLITE=str(db))
    (shop / "compare.py").write_text(COMPARE)
    proc = subprocess.run([sys.executable, "compare.py", str(db)], cwd=shop, capture_output=True, text=True,
                          env=_env(DJANGO_SETTINGS_MODULE="shopsite.settings", SHOP_SQLITE=str(db)), check=True)
    got = json.loads(proc.stdout)
    models, database = got["models"], got["database"]
    # Known differences, each a rule the application has and the database does not:
    for name, table in models.items():
        in_database = set(database.get(name, {}).get("checks", []))
        table["checks"] = sorted({c for c in table["checks"] if c in in_database or not _application_rule(c)})
        for column in table["columns"]:
            # DecimalField, DateTimeField(USE_TZ); a JSONField's column is JSON in both (the reader takes SQLite's
            # CHECK (JSON_VALID(col)) as the JSON type)
            if column[1] in ("decimal", "timestamptz"):
                column[1] = {"decimal": "decimal", "timestamptz": "timestamp"}[column[1]]
    comment = models["store_comment"]
    assert [["object_id"], "store_product", ["id"]] in comment["fks"]  # the generic relation, for generation only
    comment["fks"].remove([["object_id"], "store_product", ["id"]])
    # ... and its content type is not an FK in the model (content types are not seeded) but a pinned value
    comment["fks"].append([["content_type_id"], "django_content_type", ["id"]])
    for table in database.values():
        table["checks"] = sorted({c for c in table["checks"] if not c.startswith("JSON_VALID")})
    for name in sorted(set(models) | set(database)):
        assert models.get(name) == database.get(name), name


def _application_rule(check: str) -> bool:
    """Checks the reader adds from choices, validators, auto_now and generic relations."""
    return (" IN (" in check or "REGEXP" in check.upper() or "LENGTH(" in check.upper()
            or "created_at <= updated_at" in check or "content_type_id = " in check
            or check in ("loyalty_points >= 0", "loyalty_points <= 10000", "price >= 0", "quantity >= 1",
                         "quantity <= 100", "size_mb <= 4096"))


def test_unreadable_model_is_a_one_line_error(tmp_path: Path) -> None:
    site = tmp_path / "oddsite"
    (site / "odd").mkdir(parents=True)
    (site / "odd" / "__init__.py").write_text("")
    (site / "odd" / "models.py").write_text(textwrap.dedent('''
        from django.db import models

        class Weird(models.Field):
            def db_type(self, connection):
                return "weird((("

        class Gadget(models.Model):
            shape = Weird()
    '''))
    (site / "settings.py").write_text(textwrap.dedent(f'''
        SECRET_KEY = "x"
        DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
        INSTALLED_APPS = ["seeder.contrib.django", "odd"]
        DATABASES = {{"default": {{"ENGINE": "django.db.backends.sqlite3", "NAME": {str(tmp_path / "odd.db")!r}}}}}
    '''))
    (site / "manage.py").write_text((EXAMPLE / "manage.py").read_text().replace("shopsite.settings", "settings"))
    proc = manage(site, "seed", "--fixture", str(tmp_path / "x.json"), check=False)
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert lines[0].startswith("CommandError: ") and "odd.Gadget.shape" in lines[0]
    proc = manage(site, "seed", "--app", "nope", check=False)
    assert proc.returncode == 1 and proc.stderr.strip() == "CommandError: no installed app with label 'nope'"


TAGGIT_SETTINGS = textwrap.dedent('''
    import os
    SECRET_KEY = "x"
    USE_TZ = True
    DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
    INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "taggit", "seeder.contrib.django"]
    if os.environ.get("TG_PG"):
        from urllib.parse import urlsplit
        u = urlsplit(os.environ["TG_PG"])
        DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": u.path.lstrip("/"),
                                 "USER": u.username, "HOST": u.hostname, "PORT": str(u.port)}}
    else:
        DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["TG_DB"]}}
''')


@pytest.mark.parametrize("engine", ["sqlite", "postgres"])
def test_third_party_app_django_taggit(engine: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    """django-taggit (tags, generic tagged items) with Django's auth and contenttypes: migrated, then seeded twice;
    every table non-empty, every constraint enforced by the database."""
    pytest.importorskip("taggit")
    site = tmp_path / "tgsite"
    site.mkdir()
    (site / "settings.py").write_text(TAGGIT_SETTINGS)
    (site / "manage.py").write_text((EXAMPLE / "manage.py").read_text().replace("shopsite.settings", "settings"))
    db = tmp_path / "tg.sqlite3"
    env = {"TG_DB": str(db)}
    if engine == "postgres":
        env = {"TG_PG": request.getfixturevalue("pg_url")}
    manage(site, "migrate", "-v0", **env)
    manage(site, "seed", "--rows", "12", **env)
    manage(site, "seed", "--rows", "12", **env)
    tables_sql = ("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                  if engine == "sqlite" else
                  "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
    query: Any = (lambda sql: sqlite3.connect(db).execute(sql).fetchall()) if engine == "sqlite" else \
        (lambda sql: pg_query(env["TG_PG"], sql))
    tables = sorted(r[0] for r in query(tables_sql))
    assert {"taggit_tag", "taggit_taggeditem", "auth_user", "auth_group_permissions"} <= set(tables)
    counts = {t: query(f'SELECT count(*) FROM "{t}"')[0][0] for t in tables}
    assert all(counts.values()), counts
    assert counts["taggit_tag"] == 24 and counts["taggit_taggeditem"] == 24 and counts["auth_user"] == 24
    if engine == "sqlite":
        assert sqlite_fk_check(db) == []


def test_seed_with_llm_content_from_a_fake_model_server(shop: Path, tmp_path: Path) -> None:
    from tests.llm_server import FakeLLM

    db = tmp_path / "llm.sqlite3"
    manage(shop, "migrate", "-v0", SHOP_SQLITE=str(db))
    with FakeLLM() as fake:
        result = manage(shop, "seed", "--rows", "4", "--app", "store", "--llm", "--llm-base-url", fake.base_url,
                        "--model", "fake-model", "--describe", "a garden shop", SHOP_SQLITE=str(db))
        assert fake.log, "the model server was asked"
    assert "Seeded" in result.stdout
    assert _counts(db, ("store_product", "store_review")) == {"store_product": 4, "store_review": 4}
    assert sqlite_fk_check(db) == []


def test_postgres_array_and_json_fields(tmp_path: Path, pg_url: str) -> None:
    site = tmp_path / "arrsite"
    (site / "docs").mkdir(parents=True)
    (site / "docs" / "__init__.py").write_text("")
    (site / "docs" / "models.py").write_text(textwrap.dedent('''
        from django.contrib.postgres.fields import ArrayField
        from django.db import models

        class Doc(models.Model):
            title = models.CharField(max_length=80)
            tags = ArrayField(models.CharField(max_length=20), size=5)
            scores = ArrayField(models.IntegerField(), default=list, blank=True)
            meta = models.JSONField(default=dict)
    '''))
    (site / "settings.py").write_text(textwrap.dedent(f'''
        from urllib.parse import urlsplit
        u = urlsplit({pg_url!r})
        SECRET_KEY = "x"
        USE_TZ = True
        DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
        INSTALLED_APPS = ["seeder.contrib.django", "docs"]
        DATABASES = {{"default": {{"ENGINE": "django.db.backends.postgresql", "NAME": u.path.lstrip("/"),
                                   "USER": u.username, "HOST": u.hostname, "PORT": str(u.port)}}}}
    '''))
    (site / "manage.py").write_text((EXAMPLE / "manage.py").read_text().replace("shopsite.settings", "settings"))
    manage(site, "makemigrations", "docs", "-v0")
    manage(site, "migrate", "-v0")
    manage(site, "seed", "--rows", "6")
    rows = pg_query(pg_url, "SELECT tags, scores, meta FROM docs_doc")
    assert len(rows) == 6
    assert all(isinstance(tags, list) and all(isinstance(t, str) and len(t) <= 20 for t in tags) for tags, _s, _m
               in rows)
    assert all(isinstance(meta, (dict, list, str, int, float, bool)) for _t, _s, meta in rows)
