"""User accounts: profile, self-service updates and the admin listing."""
