"""`python -m {{ cookiecutter.package_name }}.openapi`: see commands.py."""

from {{ cookiecutter.package_name }}.openapi.commands import main

raise SystemExit(main())
