"""`khabar serve`: the HTTP API (see the README's HTTP API) on uvicorn, over the --db store."""

from __future__ import annotations

from pathlib import Path

import click

from khabar.cli.app import Context, guard, main, pass_context


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to bind; reads need the token too unless it is a loopback address.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option("--token-file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File holding the write token (default: <db>.token beside the store; made at first start).")
@click.option("--max-upload-mb", type=click.FloatRange(min=0, min_open=True), default=10.0, show_default=True,
              help="Largest request body accepted; bigger ones get a 413.")
@pass_context
def serve(ctx: Context, host: str, port: int, token_file: Path | None, max_upload_mb: float) -> None:
    """Serve the store over HTTP: reads, exports, ingest and curation (writes need the bearer token)."""
    import uvicorn  # noqa: PLC0415 - keeps `khabar --help` fast

    from khabar.api import Service, create_app, is_loopback, load_token  # noqa: PLC0415
    from khabar.api.service import token_path  # noqa: PLC0415

    guard(lambda: ctx.store(create=True).close())
    path = token_path(Path(ctx.settings.db), token_file)
    token, created = guard(lambda: load_token(path))
    if created:
        click.echo(f"write token (shown once; kept in {path}, mode 0600): {token}", err=True)
    local = is_loopback(host)
    service = Service(ctx.settings, token, open_reads=local, max_upload_bytes=int(max_upload_mb * 1024 * 1024))
    click.echo(f"serving {ctx.settings.db} on http://{host}:{port} (reads {'open' if local else 'need the token'}; "
               "dashboard at /, API docs at /docs)", err=True)
    uvicorn.run(create_app(service), host=host, port=port, log_level="error" if ctx.quiet else "info")
