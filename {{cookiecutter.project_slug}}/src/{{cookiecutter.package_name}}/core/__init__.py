"""Cross-cutting infrastructure shared by every feature: configuration, database, errors, logging."""
