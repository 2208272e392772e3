"""Notes: the example resource owned by a user. Copy this package to add a feature."""
