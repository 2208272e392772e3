"""Authentication: login, token refresh with rotation, logout, and the current-user dependency."""
