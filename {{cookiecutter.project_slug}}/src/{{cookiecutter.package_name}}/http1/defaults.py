"""The default bounds of a request head, in a module that imports nothing.

The command line shows them in `serve --help` without loading the server (see
docs/adr/0008-start-up-imports.md); limits.py explains them.
"""

DEFAULT_MAX_HEADER_BYTES = 16 * 1024
DEFAULT_MAX_HEADERS = 100
DEFAULT_HEADER_TIMEOUT_SECONDS = 20.0
DEFAULT_KEEP_ALIVE_SECONDS = 5
