"""Readiness as a metric: each dependency check's result at the last `/health/ready` answer."""

from __future__ import annotations

from prometheus_client import Gauge

CHECK_UP = Gauge(
    "health_check_up",
    "1 if the dependency check passed at the last readiness answer, 0 if it failed or timed out.",
    ["check"],
)
