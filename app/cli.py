"""The `hairkb` command: serve, validate, load."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from app.collector import collector_paused
from app.ingest.problem import describe, total
from app.ingest.validation import validate_dir
from app.models.knowledge import KnowledgeBase
from app.settings import Settings, default_data_dir

IN_MEMORY = ("sqlite://", "sqlite:///:memory:")


def _validated(data_dir: Path) -> KnowledgeBase | None:
    """The knowledge base, or None after printing every problem to stderr."""
    with collector_paused():
        kb, problems = validate_dir(data_dir)
    for line in describe(problems):
        print(line, file=sys.stderr)
    if kb is None:
        print(f"{total(problems)} problem(s) found in {data_dir}", file=sys.stderr)
        if not data_dir.is_dir():
            print(
                f"hint: no folder {data_dir}; pass one (--data-dir DIR, or `hairkb validate DIR`), set "
                f"HAIRKB_DATA_DIR, or leave both unset for the data this release ships ({default_data_dir()})",
                file=sys.stderr,
            )
    return kb


def _validate(data_dir: Path) -> int:
    kb = _validated(data_dir)
    if kb is None:
        return 1
    counts = ", ".join(f"{n} {name}" for name, n in kb.counts().items())
    print(f"{data_dir}: valid — {counts}; version {kb.version}")
    return 0


def _load(settings: Settings) -> int:
    from app.db import UNAVAILABLE, make_engine, unavailable
    from app.ingest.store import write_kb

    if settings.database_url in IN_MEMORY:
        print(
            f"refusing to load into {settings.database_url}: an in-memory database vanishes when this command "
            "exits. Set HAIRKB_DATABASE_URL to the database your servers read (sqlite:///kb.db, "
            "postgresql+psycopg://…); `hairkb serve` loads the data by itself.",
            file=sys.stderr,
        )
        return 2
    kb = _validated(settings.data_dir)
    if kb is None:
        return 1
    try:
        with collector_paused():
            write_kb(make_engine(settings.database_url), kb)
    except UNAVAILABLE as err:
        print(f"database unreachable; nothing was loaded: {unavailable(err)}", file=sys.stderr)
        return 2
    print(f"loaded version {kb.version} into {settings.database_url.split('@')[-1]}")
    return 0


def _serve(settings: Settings, host: str, port: int, reload_data: bool = False, workers: int = 1) -> int:
    import uvicorn

    from app.http.connections import ConnectionLimits, GuardedH11Protocol, SettingsH11Protocol
    from app.main import create_app
    from app.observability import configure_logging

    def run(app: Any, protocol: type[GuardedH11Protocol], **options: Any) -> None:
        # uvicorn's logging config stays off: its messages go through ours (JSON), and requests are logged
        # once, by our middleware.
        uvicorn.run(
            app,
            host=host,
            port=port,
            proxy_headers=True,
            log_level="info",
            log_config=None,
            access_log=False,
            http=protocol,
            timeout_keep_alive=settings.keep_alive_timeout,
            **options,
        )

    # A replica that serves what its database holds (load_on_start false) reads no files unless the
    # database is empty; start-up validates them then.
    kb = _validated(settings.data_dir) if settings.load_on_start else None
    if kb is None and settings.load_on_start:
        return 1
    if reload_data:
        settings = settings.model_copy(update={"watch_data": True})
    configure_logging(settings.log_json)
    if workers > 1:
        # Worker processes build their apps, and their connection limits, from the environment (checked above,
        # so none refuses it); uvicorn hands them the protocol class by name.
        del kb
        os.environ["HAIRKB_DATA_DIR"] = str(settings.data_dir)
        os.environ["HAIRKB_WATCH_DATA"] = str(settings.watch_data).lower()
        run("app.main:create_app", SettingsH11Protocol, factory=True, workers=workers, backlog=settings.backlog)
        return 0
    # The validated data goes straight into the app: start-up does not read and check it again.
    app = create_app(settings, knowledge=kb)
    del kb  # the app hands it to start-up and lets go; so must we
    limits = ConnectionLimits.within_descriptors(settings.header_timeout, settings.max_connections, settings.backlog)
    run(app, GuardedH11Protocol.configured(limits), backlog=limits.backlog)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="hairkb", description="Hair-loss knowledge base.")
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="check the data files; print every problem")
    validate.add_argument(
        "data_dir", nargs="?", type=Path, help="data folder (default: HAIRKB_DATA_DIR, else the shipped data)"
    )
    load = commands.add_parser("load", help="validate and write the data into HAIRKB_DATABASE_URL")
    load.add_argument("data_dir", nargs="?", type=Path)
    serve = commands.add_parser("serve", help="run the API with uvicorn")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--data-dir", type=Path)
    serve.add_argument(
        "--reload-data", action="store_true", help="reload when files in the data folder change, or on SIGHUP"
    )
    serve.add_argument(
        "--workers", type=int, default=1, help="worker processes (each holds its own copy of the data; default 1)"
    )
    args = parser.parse_args(argv)

    settings = Settings()
    if args.data_dir is not None:  # every command takes one
        settings = settings.model_copy(update={"data_dir": args.data_dir})
    if args.command == "validate":
        return _validate(settings.data_dir)
    if args.command == "load":
        return _load(settings)
    return _serve(settings, args.host, args.port, reload_data=args.reload_data, workers=args.workers)


if __name__ == "__main__":
    sys.exit(main())
