"""Time a bake of every option-matrix context: `make bench-bakes`.

A bake should take under a second, so that the matrix stays cheap and `cruft update` (which
bakes twice) stays quick. Timing belongs in a benchmark, not in a unit test: this bakes each
context of tests/support/options.py's MATRIX several times into a scratch folder, prints the
median and the slowest run per context, and with --strict exits 1 when a median is over the
budget.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from cookiecutter.main import cookiecutter

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.options import MATRIX, context_id  # noqa: E402

BUDGET_SECONDS = 1.0


@contextlib.contextmanager
def quiet_stdout() -> Iterator[None]:
    """Silence the post-gen hook's next steps (a subprocess, so at the file-descriptor level)."""
    sys.stdout.flush()
    saved = os.dup(1)
    with Path(os.devnull).open("w", encoding="utf-8") as devnull:
        os.dup2(devnull.fileno(), 1)
        try:
            yield
        finally:
            os.dup2(saved, 1)
            os.close(saved)


def bake_seconds(context: dict[str, object], output: Path) -> float:
    started = time.perf_counter()
    cookiecutter(
        str(ROOT),
        no_input=True,
        extra_context=context,
        output_dir=str(output),
        overwrite_if_exists=True,
    )
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="bakes per context (default 5)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a median is over budget")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    over = []
    print(f"{'context':<58} {'median s':>9} {'max s':>7}")
    with tempfile.TemporaryDirectory(prefix="bake-times-") as scratch:
        for context in MATRIX:
            with quiet_stdout():
                times = [bake_seconds(context, Path(scratch) / str(n)) for n in range(args.runs)]
            median = statistics.median(times)
            name = context_id(context)
            print(f"{name:<58} {median:>9.3f} {max(times):>7.3f}")
            if median > BUDGET_SECONDS:
                over.append(name)
    if over:
        print(f"over the {BUDGET_SECONDS:.1f} s budget: {', '.join(over)}", file=sys.stderr)
        return 1 if args.strict else 0
    print(f"every context bakes in under {BUDGET_SECONDS:.1f} s (median of {args.runs})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
