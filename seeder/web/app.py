"""The Starlette application behind ``seeder serve``.

Routes: ``GET /`` (the form and the history), ``POST /runs`` (upload or description -> a run), ``GET /runs/{id}``
(plan, dependency graph, preview), ``GET /runs/{id}/download/{kind}`` (``sql``: schema and data, ``data_sql``,
``ddl``, ``csv_zip``, ``fixture``), ``POST /runs/{id}/rerun`` (the same inputs and settings again, with the seed
and rows of the form when given).

Robustness: the request body is read with a size limit before it is parsed (a larger upload is a 413 page); every
:class:`~seeder.errors.SeederError` is shown as one line on the page; any other exception is logged with its
traceback and shown as one line, and the server goes on serving. Work runs in a thread pool, off the event loop.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import FormParser, MultiPartException, MultiPartParser
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from seeder.errors import SeederError
from seeder.web.history import History
from seeder.web.runs import ACCEPTED, DIALECTS, RunSettings, execute

log = logging.getLogger("seeder.web")

TEMPLATES = Path(__file__).resolve().parent / "templates"
#: Download kinds: file name suffix and media type.
DOWNLOADS = {"sql": ("schema-and-data.sql", "application/sql"), "data_sql": ("data.sql", "application/sql"),
             "ddl": ("schema.sql", "application/sql"), "csv_zip": ("csv.zip", "application/zip"),
             "fixture": ("fixture.json", "application/json")}


class UserMistake(Exception):
    """A problem with the request the page reports in one line (too large, unreadable form, bad number)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class ServerSettings:
    """How the server runs: where the history lives, the upload limit in bytes, the largest row count, and the LLM
    options passed to every run (``llm_base_url``, ``model``, ``no_cache``, ``cache_dir``, ``llm_timeout``)."""

    history: Path = Path("seeder-history.sqlite3")
    max_upload: int = 5 * 1024 * 1024
    max_rows: int = 10_000
    llm_flags: dict[str, Any] = field(default_factory=dict)


def _one_line(err: BaseException) -> str:
    return " ".join(str(err).split("\n")[0].split()) or type(err).__name__


async def read_form(request: Request, limit: int) -> FormData:
    """The request's form, read with at most ``limit`` bytes of body.

    Raises:
        UserMistake: the body is larger than ``limit`` (413) or the form cannot be parsed (400).
    """
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise UserMistake(f"the upload is larger than the limit of {limit // 1024} KB", 413)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise UserMistake(f"the upload is larger than the limit of {limit // 1024} KB", 413)

    async def stream() -> AsyncIterator[bytes]:
        yield bytes(body)

    content_type = request.headers.get("content-type", "")
    try:
        if content_type.startswith("multipart/form-data"):
            return await MultiPartParser(request.headers, stream(), max_files=50, max_fields=20,
                                         max_part_size=limit).parse()
        return await FormParser(request.headers, stream()).parse()
    except (MultiPartException, ValueError) as err:
        raise UserMistake(f"the form could not be read: {_one_line(err)}") from None


def _number(form: FormData, name: str, default: int, low: int, high: int) -> int:
    raw = str(form.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise UserMistake(f"{name} must be a whole number, got {raw[:20]!r}") from None
    if not low <= value <= high:
        raise UserMistake(f"{name} must be between {low} and {high}, got {value}")
    return value


def _settings(form: FormData, max_rows: int, base: RunSettings | None = None) -> RunSettings:
    base = base or RunSettings()
    dialect = str(form.get("dialect") or base.dialect)
    if dialect not in DIALECTS:
        raise UserMistake(f"dialect must be one of {', '.join(DIALECTS)}")
    llm = form.get("llm") == "on"
    return RunSettings(rows=_number(form, "rows", base.rows, 1, max_rows),
                       seed=_number(form, "seed", base.seed, 0, 2**31 - 1), dialect=dialect, llm=llm)


async def _files(form: FormData) -> list[tuple[str, bytes]]:
    files = []
    for item in form.getlist("source"):
        if isinstance(item, UploadFile) and item.filename:
            files.append((item.filename, await item.read()))
    return files


def create_app(settings: ServerSettings | None = None) -> Starlette:
    """The web application for ``settings`` (defaults: history in ``./seeder-history.sqlite3``, 5 MB uploads)."""
    config = settings or ServerSettings()
    history = History(config.history)
    templates = Jinja2Templates(directory=str(TEMPLATES))

    def page(request: Request, name: str, status: int = 200, **context: Any) -> Response:
        context.setdefault("error", None)
        return templates.TemplateResponse(request, name, {
            "runs": history.recent(), "dialects": DIALECTS, "accepted": ", ".join(ACCEPTED),
            "max_rows": config.max_rows, "max_upload_kb": config.max_upload // 1024, "form": {}, **context},
            status_code=status)

    async def run_and_record(files: list[tuple[str, bytes]], description: str | None,
                             run_settings: RunSettings) -> tuple[int | None, str | None]:
        try:
            result = await run_in_threadpool(execute, files, description, run_settings, config.llm_flags)
        except SeederError as err:
            error = _one_line(err)
        except Exception as err:  # a bug must not stop the server: log it, show one line
            log.exception("run failed")
            error = f"internal error ({type(err).__name__}): {_one_line(err)}"
        else:
            run_id = history.add(source_name=result.source_name, description=description, files=files,
                                 settings=run_settings.as_dict(), page=result.page, outputs=result.outputs)
            return run_id, None
        name = files[0][0] if files else "description"
        history.add(source_name=name, description=description, files=files, settings=run_settings.as_dict(),
                    error=error)
        return None, error

    async def index(request: Request) -> Response:
        return page(request, "index.html")

    async def create_run(request: Request) -> Response:
        form_values: dict[str, Any] = {}
        try:
            form = await read_form(request, config.max_upload)
            form_values = {k: v for k, v in form.items() if isinstance(v, str)}
            run_settings = _settings(form, config.max_rows)
            files = await _files(form)
        except UserMistake as err:
            return page(request, "index.html", err.status, error=str(err), form=form_values)
        description = str(form.get("description") or "").strip() or None
        run_id, error = await run_and_record(files, description, run_settings)
        if run_id is None:
            return page(request, "index.html", 400, error=error, form=form_values)
        return RedirectResponse(f"/runs/{run_id}", status_code=303)

    def _run_or_404(request: Request) -> Any:
        try:
            return history.get(int(request.path_params["run_id"]))
        except ValueError:
            return None

    async def show_run(request: Request) -> Response:
        record = _run_or_404(request)
        if record is None:
            return page(request, "index.html", 404, error="no such run")
        return page(request, "run.html", run=record, downloads=DOWNLOADS)

    async def download(request: Request) -> Response:
        record = _run_or_404(request)
        kind = request.path_params["kind"]
        content = history.output(record.id, kind) if record is not None and kind in DOWNLOADS else None
        if content is None:
            return page(request, "index.html", 404, error="no such download")
        suffix, media = DOWNLOADS[kind]
        return Response(content, media_type=media,
                        headers={"Content-Disposition": f'attachment; filename="seeder-run-{record.id}-{suffix}"'})

    async def rerun(request: Request) -> Response:
        record = _run_or_404(request)
        if record is None:
            return page(request, "index.html", 404, error="no such run")
        try:
            form = await read_form(request, config.max_upload)
            base = RunSettings(**record.settings)
            run_settings = _settings(form, config.max_rows, base)
        except UserMistake as err:
            return page(request, "run.html", err.status, run=record, downloads=DOWNLOADS, error=str(err))
        run_id, error = await run_and_record(history.inputs(record.id), record.description, run_settings)
        if run_id is None:
            return page(request, "run.html", 400, run=record, downloads=DOWNLOADS, error=error)
        return RedirectResponse(f"/runs/{run_id}", status_code=303)

    return Starlette(routes=[
        Route("/", index),
        Route("/runs", create_run, methods=["POST"]),
        Route("/runs/{run_id}", show_run),
        Route("/runs/{run_id}/download/{kind}", download),
        Route("/runs/{run_id}/rerun", rerun, methods=["POST"]),
    ])
