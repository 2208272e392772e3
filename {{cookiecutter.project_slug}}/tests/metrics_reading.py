"""Reading the process's Prometheus metrics in tests: a series' value, 0 until it exists."""

from __future__ import annotations

from prometheus_client import REGISTRY


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0
