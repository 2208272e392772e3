"""Helpers shared by the template tests; each module holds one concept."""
