"""What `make openapi` (`write`) and `make openapi-check` (`check --base REF`) run.

`write` rewrites docs/openapi.json from the app. `check` compares the committed document with
the copy at the merge base of REF and HEAD (the changes of this branch only) and exits 1 on
a breaking change that docs/api-changes-accepted.txt does not accept. When there is nothing
to compare with (REF is not a commit here, as on a repository's first push, or the document
did not exist there yet) it says so and exits 0.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from {{ cookiecutter.package_name }}.openapi.accepted import (
    ACCEPTED_PATH,
    parse_accepted,
)
from {{ cookiecutter.package_name }}.openapi.breaking import find_breaks

# Relative to the project's root, where make runs.
DOCUMENT_PATH = Path("docs/openapi.json")
FAILED = 1
USAGE_ERROR = 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m {{ cookiecutter.package_name }}.openapi")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("write", help=f"rewrite {DOCUMENT_PATH} from the app")
    check = commands.add_parser(
        "check", help="fail on a breaking change since BASE that is not accepted"
    )
    check.add_argument("--base", required=True, help="the commit to compare with, e.g. origin/main")
    args = parser.parse_args(argv)
    if args.command == "write":
        return write(DOCUMENT_PATH)
    return check_against(str(args.base), DOCUMENT_PATH, ACCEPTED_PATH)


def write(path: Path) -> int:
    # Only this command builds the app.
    from {{ cookiecutter.package_name }}.openapi.document import build_document, render  # noqa: PLC0415

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(build_document()), encoding="utf-8")
    print(f"wrote {path}")  # noqa: T201
    return 0


def check_against(base: str, document: Path, accepted_path: Path) -> int:
    if shutil.which("git") is None:
        return _error("git is not installed; the check reads the base document with git")
    if not document.is_file():
        return _error(f"{document} is missing: run `make openapi` and commit it")
    found = _base_document(base, document)
    if isinstance(found, str):
        print(f"API contract: {found}; nothing to compare with, skipped")  # noqa: T201
        return 0
    merge_base, base_text = found
    try:
        accepted = parse_accepted(
            accepted_path.read_text(encoding="utf-8") if accepted_path.is_file() else ""
        )
        breaks = find_breaks(
            json.loads(base_text), json.loads(document.read_text(encoding="utf-8"))
        )
    except ValueError as exc:  # an unreadable document or accepted-changes line
        return _error(str(exc))
    refused = [str(found) for found in breaks if str(found) not in accepted]
    print(  # noqa: T201
        f"API contract: {document} against {base} ({merge_base[:12]}): "
        f"{len(breaks)} breaking change(s), {len(breaks) - len(refused)} accepted"
    )
    for line in refused:
        print(f"  breaking, not accepted: {line}")  # noqa: T201
    if not refused:
        return 0
    print(  # noqa: T201
        "Each of these breaks a client of the API as it is. Keep the old shape (add a field "
        "or a route beside it; a new version goes under a new prefix), or, if the break is "
        f"intended, add its line to {accepted_path} followed by `  # why`, and have it reviewed.",
        file=sys.stderr,
    )
    return FAILED


def _base_document(base: str, document: Path) -> tuple[str, str] | str:
    """The merge base of `base` and HEAD with the document there, or why there is none."""
    commit = _git("rev-parse", "--verify", "--quiet", base + "^{commit}") if base else None
    if commit is None:
        return (
            f"{base or 'no base'} is not a commit in this clone (a first push, or a shallow "
            "clone: fetch the base branch)"
        )
    # The changes of this branch only, not those the base branch made since it forked.
    merge_base = _git("merge-base", commit, "HEAD") or commit
    text = _git("show", f"{merge_base}:{document.as_posix()}")
    if text is None:
        return f"{document} did not exist at {base} ({merge_base[:12]})"
    return merge_base, text


def _git(*args: str) -> str | None:
    """git's output, or None when the command fails (an unknown commit or file)."""
    done = subprocess.run(  # noqa: S603 - fixed arguments, git from PATH
        ["git", *args],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        return None
    return done.stdout if args[0] == "show" else done.stdout.strip()


def _error(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)  # noqa: T201
    return USAGE_ERROR
