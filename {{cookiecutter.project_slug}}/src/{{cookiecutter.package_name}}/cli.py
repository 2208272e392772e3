"""Command line: `python -m {{ cookiecutter.package_name }} serve | create-admin`.

Configuration errors end the process with one readable line per problem and exit status 2,
instead of a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from {{ cookiecutter.package_name }}.core.config import Settings
from {{ cookiecutter.package_name }}.startup import import_structlog_without_rich, resume_gc

APP_FACTORY = "{{ cookiecutter.package_name }}.main:create_app"


def load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        for error in exc.errors():
            field = ".".join(str(part) for part in error["loc"]).upper() or "settings"
            message = str(error["msg"]).removeprefix("Value error, ")
            print(f"configuration error: {field}: {message}", file=sys.stderr)  # noqa: T201
        print("Fix the environment or .env (see .env.example) and start again.", file=sys.stderr)  # noqa: T201
        raise SystemExit(2) from None


def serve(args: argparse.Namespace) -> int:
    settings = load_settings()
    if settings.resolved_log_format == "json":
        # Before anything imports structlog: JSON lines never need rich (see startup.py).
        import_structlog_without_rich()

    import uvicorn  # noqa: PLC0415 - only this command needs the server

    from {{ cookiecutter.package_name }}.server import GracefulServer  # noqa: PLC0415

    options: dict[str, Any] = {
        "factory": True,
        "host": args.host,
        "port": args.port,
        "access_log": False,  # the request-context middleware writes the access line
        "log_config": None,  # logging is configured by the app factory
        "server_header": False,
        "proxy_headers": True,
        "forwarded_allow_ips": args.forwarded_allow_ips,
        "timeout_graceful_shutdown": args.graceful_timeout,
        "log_level": settings.log_level.lower(),
    }
    if args.reload:
        # The reloader supervises a child process; signals and exit codes are its business.
        resume_gc()
        uvicorn.run(APP_FACTORY, reload=True, **options)
    else:
        config = uvicorn.Config(APP_FACTORY, **options)
        GracefulServer(config, drain_seconds=args.drain_seconds).run()
    return 0


def _read_password(stdin: bool) -> str:
    if stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password for the administrator: ")
    if first != getpass.getpass("Repeat the password: "):
        print("error: the two passwords differ; nothing was created.", file=sys.stderr)  # noqa: T201
        raise SystemExit(1)
    return first


def create_admin(args: argparse.Namespace) -> int:
    resume_gc()  # a short command, not a server: nothing to gain from the pause
    from {{ cookiecutter.package_name }}.admin import create_admin_account  # noqa: PLC0415

    settings = load_settings()
    password = _read_password(args.password_stdin)
    return asyncio.run(create_admin_account(settings, args.email, password))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="{{ cookiecutter.package_name }}")
    commands = parser.add_subparsers(dest="command", required=True)

    serve_parser = commands.add_parser("serve", help="run the HTTP server")
    serve_parser.add_argument("--host", default="127.0.0.1")
    serve_parser.add_argument("--port", type=int, default=8000)
    serve_parser.add_argument("--reload", action="store_true", help="restart on code changes")
    serve_parser.add_argument(
        "--forwarded-allow-ips",
        default="127.0.0.1",
        help="proxies whose X-Forwarded-* headers are trusted (comma-separated)",
    )
    serve_parser.add_argument(
        "--graceful-timeout",
        type=int,
        default=20,
        help="seconds in-flight requests get to finish after SIGTERM",
    )
    serve_parser.add_argument(
        "--drain-seconds",
        type=int,
        default=0,
        help="seconds to keep serving after SIGTERM while /health/ready answers 503, so load "
        "balancers stop sending requests before the listening socket closes",
    )
    serve_parser.set_defaults(handler=serve)

    admin_parser = commands.add_parser("create-admin", help="create an administrator account")
    admin_parser.add_argument("--email", required=True)
    admin_parser.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    admin_parser.set_defaults(handler=create_admin)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    result: int = args.handler(args)
    return result
