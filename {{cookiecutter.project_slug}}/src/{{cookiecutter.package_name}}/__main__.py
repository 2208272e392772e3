import sys

from {{ cookiecutter.package_name }}.startup import pause_gc

# First thing, before the imports that build most of the heap (see startup.py).
pause_gc()

from {{ cookiecutter.package_name }}.cli import main  # noqa: E402 - after the pause, on purpose

sys.exit(main())
