"""The {{ cookiecutter.project_slug }} service: a layered FastAPI application (see README.md)."""
