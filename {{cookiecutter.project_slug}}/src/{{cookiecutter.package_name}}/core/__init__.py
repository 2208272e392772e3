"""Infrastructure every feature shares: configuration, database, errors, logging, security."""
