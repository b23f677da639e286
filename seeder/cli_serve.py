"""``seeder serve``: the local web page (see :mod:`seeder.web`), served by uvicorn on 127.0.0.1 by default."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from seeder.cli import handle_errors
from seeder.errors import ConfigError


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (127.0.0.1: this machine only; 0.0.0.0 exposes the page to the network).")
@click.option("--port", "-p", type=int, default=8000, show_default=True, help="Port to listen on.")
@click.option("--history", "history", type=click.Path(dir_okay=False), default="seeder-history.sqlite3",
              show_default=True, help="SQLite file keeping earlier runs (inputs, settings, outputs).")
@click.option("--max-upload-kb", type=int, default=5120, show_default=True, help="Largest upload accepted.")
@click.option("--max-rows", type=int, default=10_000, show_default=True, help="Largest rows per table accepted.")
@click.option("--model", help="Model for descriptions and LLM content (default gpt-4o-mini).")
@click.option("--llm-base-url", help="OpenAI-compatible server URL (default: $OPENAI_BASE_URL, else api.openai.com).")
@click.option("--cache-dir", help="LLM response cache folder (default .seeder-cache/llm).")
@handle_errors
def serve_command(host: str, port: int, history: str, max_upload_kb: int, max_rows: int, **llm: Any) -> None:
    """Serve a local web page: upload a schema or type a description, see the plan and a preview, download SQL,
    CSV or a fixture; earlier runs are kept in --history. Needs: pip install 'seeder[web]'."""
    try:
        import uvicorn

        from seeder.web.app import ServerSettings, create_app
    except ImportError as err:
        raise ConfigError(f"seeder serve needs the web extra ({err.name} is missing): pip install 'seeder[web]'") \
            from None
    if max_upload_kb < 1 or max_rows < 1:
        raise ConfigError("--max-upload-kb and --max-rows must be at least 1")
    app = create_app(ServerSettings(history=Path(history), max_upload=max_upload_kb * 1024, max_rows=max_rows,
                                    llm_flags={k: v for k, v in llm.items() if v is not None}))
    click.echo(f"seeder: serving on http://{host}:{port}/ (history in {history}); Ctrl-C stops", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")
