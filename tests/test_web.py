"""``seeder serve``: the web page through Starlette's test client (routes, limits, errors, history, rerun) and in a
real headless Chromium driven by selenium (upload the shop, preview, download the SQL and load it into SQLite; a
malformed upload shows an error and the server keeps serving)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from seeder.web.app import ServerSettings, create_app
from tests.engines import free_port, missing_input, sqlite_fk_check, sqlite_query, sqlite_script
from tests.llm_server import SENTENCE, FakeLLM

ROOT = Path(__file__).resolve().parent.parent
SHOP = ROOT / "examples" / "shop.sql"


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(ServerSettings(history=tmp_path / "history.sqlite3", max_upload=64 * 1024, max_rows=500))
    with TestClient(app) as c:
        yield c


def upload(client: TestClient, name: str, content: bytes, **fields: str) -> object:
    data = {"rows": "5", "seed": "1", "dialect": "sqlite", **fields}
    return client.post("/runs", files={"source": (name, content, "application/octet-stream")}, data=data,
                       follow_redirects=False)


def error_line(html: str) -> str:
    start = html.index('<p class="error" id="error">') + len('<p class="error" id="error">')
    return html[start:html.index("</p>", start)]


def test_upload_preview_download_and_load(client: TestClient, tmp_path: Path) -> None:
    response = upload(client, "shop.sql", SHOP.read_bytes())
    assert response.status_code == 303
    page = client.get(response.headers["location"]).text
    assert "Run #1: shop.sql" in page and page.count('class="data preview"') == 7 and "<svg" in page
    script = client.get("/runs/1/download/sql")
    assert script.headers["content-disposition"] == 'attachment; filename="seeder-run-1-schema-and-data.sql"'
    db = tmp_path / "shop.db"
    sqlite_script(db, script.text)
    assert sqlite_fk_check(db) == [] and sqlite_query(db, "SELECT count(*) FROM review")[0][0] == 5
    archive = zipfile.ZipFile(io.BytesIO(client.get("/runs/1/download/csv_zip").content))
    assert sorted(archive.namelist())[0] == "address.csv"
    assert client.get("/runs/1/download/fixture").json()[0]["model"] == "app.category"


def test_bad_uploads_are_one_line_errors_and_the_server_keeps_serving(client: TestClient) -> None:
    cases = [
        ("broken.sql", b"CREATE TABLE (", "broken.sql:1: cannot parse CREATE TABLE"),
        ("image.png", b"\x89PNG\r\n", "image.png: seeder reads .sql, .csv, .txt and .md files"),
        ("binary.sql", b"\xff\xfe\x00garbage", "binary.sql: not a UTF-8 text file"),
        ("empty.csv", b"", "empty.csv: the CSV file is empty"),
    ]
    for name, content, message in cases:
        response = upload(client, name, content)
        assert response.status_code == 400
        line = error_line(response.text)
        assert line.startswith(f"Error: {message}"), line
        assert "/tmp" not in line and "Traceback" not in response.text
    assert upload(client, "x.sql", b"CREATE TABLE t (a int);", rows="-3").status_code == 400
    assert client.get("/").status_code == 200
    assert upload(client, "shop.sql", SHOP.read_bytes()).status_code == 303
    history = client.get("/").text
    assert history.count("error: ") == 4  # failed runs are in the history too, with their one-line error


def test_upload_size_limit(client: TestClient) -> None:
    big = b"-- " + b"x" * (70 * 1024) + b"\nCREATE TABLE t (a int);"
    response = upload(client, "big.sql", big)
    assert response.status_code == 413 and "larger than the limit of 64 KB" in error_line(response.text)
    assert client.get("/").status_code == 200


def test_several_csv_files_and_rerun(client: TestClient) -> None:
    people = b"person_id,team\n" + b"".join(f"{i},{'ab'[i % 2]}\n".encode() for i in range(1, 41))
    tasks = b"task_id,person_id,hours\n" + b"".join(f"{i},{1 + i % 40},{i % 7}\n".encode() for i in range(1, 81))
    response = client.post("/runs", files=[("source", ("people.csv", people, "text/csv")),
                                           ("source", ("tasks.csv", tasks, "text/csv"))],
                           data={"rows": "20", "seed": "2", "dialect": "postgres"}, follow_redirects=False)
    assert response.status_code == 303, error_line(response.text)
    page = client.get(response.headers["location"]).text
    assert "proposed foreign key tasks.person_id -&gt; people.person_id" in page and "people.team: TVD" in page
    again = client.post("/runs/1/rerun", data={"seed": "9", "rows": "7", "dialect": "postgres"},
                        follow_redirects=False)
    assert again.headers["location"] == "/runs/2"
    assert "7 rows per table, seed 9" in client.get("/runs/2").text
    assert client.get("/runs/99").status_code == 404 and client.get("/runs/1/download/nope").status_code == 404


def test_a_description_on_the_page(client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with FakeLLM() as fake:
        app = create_app(ServerSettings(history=tmp_path / "h.sqlite3", llm_flags={"llm_base_url": fake.base_url}))
        with TestClient(app) as c:
            response = c.post("/runs", data={"description": SENTENCE, "rows": "5", "dialect": "sqlite"},
                              follow_redirects=False)
            assert response.status_code == 303, error_line(response.text)
            page = c.get(response.headers["location"]).text
    assert "context on customers.last_login (prompt only, not verified)" in page


def test_markup_in_a_schema_stays_text(client: TestClient) -> None:
    ddl = b'CREATE TABLE "<script>alert(1)</script>" (id int PRIMARY KEY, note varchar(20));'
    response = upload(client, "xss.sql", ddl)
    page = client.get(response.headers["location"]).text
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# ---------------------------------------------------------------------------------------- a real browser


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """``seeder serve`` in its own process on a free port; yields its URL."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    log = tmp_path / "serve.log"
    with open(log, "wb") as err:
        proc = subprocess.Popen([sys.executable, "-m", "seeder", "serve", "--port", str(port), "--history",
                                 str(tmp_path / "history.sqlite3")], cwd=tmp_path, env=env,
                                stdout=subprocess.DEVNULL, stderr=err)
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(url, timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError(f"seeder serve exited: {log.read_text()}") from None
                time.sleep(0.1)
        yield url
        assert proc.poll() is None, f"the server stopped: {log.read_text()}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[object]:
    if not (Path(CHROMIUM).is_file() and Path(CHROMEDRIVER).is_file()):
        missing_input("chromium and chromedriver are not installed (apt-get install chromium chromium-driver)")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    driver.downloads = downloads  # type: ignore[attr-defined]
    try:
        yield driver
    finally:
        driver.quit()


def _wait_for_file(folder: Path, suffix: str, seconds: float = 30) -> Path:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        done = [p for p in folder.iterdir() if p.name.endswith(suffix)]
        if done:
            return done[0]
        time.sleep(0.1)
    raise AssertionError(f"no {suffix} file was downloaded into {folder}: {list(folder.iterdir())}")


def test_round_trip_in_a_real_browser(server: str, browser: object, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.select import Select
    from selenium.webdriver.support.ui import WebDriverWait

    driver: object = browser
    wait = WebDriverWait(driver, 60)
    driver.get(server)  # type: ignore[attr-defined]
    driver.find_element(By.ID, "source").send_keys(str(SHOP))  # type: ignore[attr-defined]
    rows = driver.find_element(By.ID, "rows")  # type: ignore[attr-defined]
    rows.clear()
    rows.send_keys("12")
    Select(driver.find_element(By.ID, "dialect")).select_by_value("sqlite")  # type: ignore[attr-defined]
    driver.find_element(By.ID, "generate").click()  # type: ignore[attr-defined]
    wait.until(ec.presence_of_element_located((By.ID, "run-title")))
    previews = driver.find_elements(By.CSS_SELECTOR, "table.preview")  # type: ignore[attr-defined]
    assert [t.get_attribute("data-table") for t in previews] == ["category", "customer", "address", "product",
                                                                 "order", "order_item", "review"]
    assert len(previews[1].find_elements(By.TAG_NAME, "tr")) == 11  # header + 10 shown of 12
    assert driver.find_elements(By.CSS_SELECTOR, "#graph svg g.node")  # type: ignore[attr-defined]

    driver.find_element(By.ID, "download-sql").click()  # type: ignore[attr-defined]
    script = _wait_for_file(driver.downloads, "schema-and-data.sql")  # type: ignore[attr-defined]
    db = tmp_path / "from-browser.db"
    sqlite_script(db, script.read_text(encoding="utf-8"))
    assert sqlite_fk_check(db) == [] and sqlite_query(db, "SELECT count(*) FROM customer")[0][0] == 12

    bad = tmp_path / "broken.sql"
    bad.write_text("CREATE TABLE oops (\n", encoding="utf-8")
    driver.get(server)  # type: ignore[attr-defined]
    driver.find_element(By.ID, "source").send_keys(str(bad))  # type: ignore[attr-defined]
    driver.find_element(By.ID, "generate").click()  # type: ignore[attr-defined]
    error = wait.until(ec.presence_of_element_located((By.ID, "error")))
    assert error.text.startswith("Error: broken.sql") and len(error.text.splitlines()) == 1

    driver.get(server)  # type: ignore[attr-defined]  # still serving, and the history has both runs
    history = wait.until(ec.presence_of_element_located((By.ID, "history")))
    assert "shop.sql" in history.text and "broken.sql" in history.text
