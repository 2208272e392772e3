"""Authentication's metrics: how logins end, the throttle's refusals among them.

The outcome is the only label: never the account, the address or anything a caller typed.
"""

from __future__ import annotations

from prometheus_client import Counter

LOGIN_ATTEMPTS = Counter(
    "auth_login_attempts",
    "Logins by outcome: success, failure (bad credentials or a disabled account), "
    "throttled (refused by the login throttle before any password was checked).",
    ["outcome"],
)
LOGIN_SUCCEEDED = LOGIN_ATTEMPTS.labels("success")
LOGIN_FAILED = LOGIN_ATTEMPTS.labels("failure")
LOGIN_THROTTLED = LOGIN_ATTEMPTS.labels("throttled")
