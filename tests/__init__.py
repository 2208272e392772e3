"""Tests of the template: its hooks, its renders, and the services it bakes."""
