"""Start-up economies of the `serve` process; what it serves stays the same.

Why, and what each saves: docs/adr/0008-start-up-imports.md.

- **The cyclic garbage collector waits until the server listens.** Start-up creates some
  170,000 objects that live as long as the process (modules, classes, validators, routes) and
  next to no garbage, yet the collector would rescan the growing heap again and again
  meanwhile: over a tenth of start-up's CPU, to free next to nothing. `__main__` pauses it first
  thing; the server resumes it once it listens, after moving everything alive to the permanent
  generation (`gc.freeze`), so later collections never rescan start-up's objects either. The
  price: the few hundred objects start-up leaves in reference cycles (about 550 measured, a
  full collection's worth of CPU to find) stay in memory for good.
- **No rich behind JSON logs.** Importing structlog imports `rich` whenever it is installed, for
  the console renderer's tracebacks. The JSON pipeline never uses it and the production image
  does not install it (it arrives with the development tools), but in a development
  environment it would add some 50 ms to every start. There, structlog is imported as if rich
  were absent; the console format keeps it.
"""

from __future__ import annotations

import gc
import sys

_state = {"paused": False}


def pause_gc() -> None:
    """Stop automatic collections until `resume_gc`; for the very start of the process."""
    if gc.isenabled():
        gc.disable()
        _state["paused"] = True


def resume_gc() -> None:
    """Undo `pause_gc`, keeping what start-up built out of every later collection.

    A no-op unless `pause_gc` paused the collector, so code that never paused it (a test
    running the server in its own process) keeps its collector as it was.
    """
    if _state["paused"]:
        _state["paused"] = False
        gc.freeze()
        gc.enable()


def import_structlog_without_rich() -> None:
    """Import structlog as though rich were not installed; a no-op once either is imported."""
    if "structlog" in sys.modules or "rich" in sys.modules:
        return
    # None in sys.modules makes `import rich` raise ImportError, which structlog expects when
    # rich is absent; removed again at once, so anything later may still import rich.
    sys.modules["rich"] = None  # type: ignore[assignment]
    try:
        import structlog  # noqa: F401, PLC0415 - imported here, under the condition above
{%- if cookiecutter.auth_provider == "oidc" %}

        # httpx (auth/jwks.py) loads its command line, and with it pygments and rich, whenever
        # they are installed (development only); without them it skips it.
        sys.modules["pygments"] = None  # type: ignore[assignment]
        import httpx  # noqa: F401, PLC0415 - imported here, under the condition above
{%- endif %}
    finally:
        del sys.modules["rich"]
{%- if cookiecutter.auth_provider == "oidc" %}
        sys.modules.pop("pygments", None)
{%- endif %}
