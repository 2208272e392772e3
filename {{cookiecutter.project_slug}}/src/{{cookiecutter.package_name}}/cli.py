"""Command line: `python -m {{ cookiecutter.package_name }} serve{% if cookiecutter.auth_provider == "local" %} | create-admin{% endif %}{% if cookiecutter.include_background_jobs %} | worker | scheduler | jobs{% endif %}`.

Configuration errors end the process with one readable line per problem and exit status 2,
instead of a traceback.
"""

from __future__ import annotations

import argparse
{%- if cookiecutter.auth_provider == "local" %}
import asyncio
import getpass
{%- endif %}
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from pydantic import ValidationError

from {{ cookiecutter.package_name }}.http1.defaults import (
    DEFAULT_HEADER_TIMEOUT_SECONDS,
    DEFAULT_KEEP_ALIVE_SECONDS,
    DEFAULT_MAX_HEADER_BYTES,
    DEFAULT_MAX_HEADERS,
)
{%- if cookiecutter.include_background_jobs %}
from {{ cookiecutter.package_name }}.jobs.commands import add_job_commands
{%- endif %}
from {{ cookiecutter.package_name }}.settings import Settings
from {{ cookiecutter.package_name }}.startup import import_structlog_without_rich, resume_gc

APP_FACTORY = "{{ cookiecutter.package_name }}.main:create_app"

Number = TypeVar("Number", int, float)


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

    from {{ cookiecutter.package_name }}.http1.limits import HeadLimits, ServeConfig, protocol_class  # noqa: PLC0415
    from {{ cookiecutter.package_name }}.server import GracefulServer  # noqa: PLC0415

    try:
        http = protocol_class(args.http)
    except ImportError:
        message = "--http httptools needs httptools, which is not installed"
        print(f"error: {message}; install uvicorn[standard] or pass --http auto.", file=sys.stderr)  # noqa: T201
        raise SystemExit(2) from None
    options: dict[str, Any] = {
        "factory": True,
        "http": http,
        "host": args.host,
        "port": args.port,
        "access_log": False,  # the request-context middleware writes the access line
        "log_config": None,  # logging is configured by the app factory
        "server_header": False,
        "proxy_headers": True,
        "forwarded_allow_ips": args.forwarded_allow_ips,
        "timeout_graceful_shutdown": args.graceful_timeout,
        "timeout_keep_alive": args.keep_alive_timeout,
        "log_level": settings.log_level.lower(),
    }
    if args.reload:
        # The reloader supervises a child process; signals and exit codes are its business.
        # It builds uvicorn's own configuration there, so the head bounds keep their defaults.
        resume_gc()
        uvicorn.run(APP_FACTORY, reload=True, **options)
    else:
        limits = HeadLimits(args.max_header_bytes, args.max_headers, args.header_timeout)
        config = ServeConfig(APP_FACTORY, head_limits=limits, **options)
        GracefulServer(config, drain_seconds=args.drain_seconds).run()
    return 0
{%- if cookiecutter.auth_provider == "local" %}


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
{%- endif %}


def bounded(kind: Callable[[str], Number], low: Number, high: Number) -> Callable[[str], Number]:
    """An argparse type: `kind(text)`, refused with a readable message outside low..high."""

    def parse(text: str) -> Number:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text} is outside {low} to {high}")
        return value

    return parse


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
    serve_parser.add_argument(
        "--http",
        choices=["auto", "httptools", "h11"],
        default="auto",
        help="HTTP/1.1 parser: auto is httptools when installed, else h11",
    )
    serve_parser.add_argument(
        "--max-header-bytes",
        type=bounded(int, 1024, 1024 * 1024),
        default=DEFAULT_MAX_HEADER_BYTES,
        help="largest request line plus headers, in bytes, else 431 (1024 to 1048576)",
    )
    serve_parser.add_argument(
        "--max-headers",
        type=bounded(int, 1, 10_000),
        default=DEFAULT_MAX_HEADERS,
        help="most headers in one request, else 431 (1 to 10000)",
    )
    serve_parser.add_argument(
        "--header-timeout",
        type=bounded(float, 0.1, 300),
        default=DEFAULT_HEADER_TIMEOUT_SECONDS,
        help="seconds a request's line and headers may take to arrive, else 408 and the "
        "connection closes (0.1 to 300)",
    )
    serve_parser.add_argument(
        "--keep-alive-timeout",
        type=bounded(int, 1, 3600),
        default=DEFAULT_KEEP_ALIVE_SECONDS,
        help="seconds an idle connection stays open between requests (1 to 3600); behind a "
        "load balancer, above its idle timeout",
    )
    serve_parser.set_defaults(handler=serve)
{%- if cookiecutter.auth_provider == "local" %}

    admin_parser = commands.add_parser("create-admin", help="create an administrator account")
    admin_parser.add_argument("--email", required=True)
    admin_parser.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    admin_parser.set_defaults(handler=create_admin)
{%- endif %}
{%- if cookiecutter.include_background_jobs %}
    add_job_commands(commands, load_settings)
{%- endif %}
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    result: int = args.handler(args)
    return result
