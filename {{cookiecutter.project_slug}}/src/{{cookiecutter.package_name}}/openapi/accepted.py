"""docs/api-changes-accepted.txt: the breaking changes made on purpose, each with its reason.

One line per accepted break, written exactly as `make openapi-check` reports it, then `#` and
why it is acceptable (who was told, what replaces it):

    removed-operation: DELETE /api/v1/orders/{order_id}  # sunset 2026-06-30; use /api/v2

Blank lines and lines starting with `#` are comments. The file is reviewed with the change that
edits it, so a break ships only when someone has read its line. A line that matches no break
of a later change accepts nothing and may be deleted.
"""

from __future__ import annotations

import re
from pathlib import Path

# Relative to the project's root, where `make openapi-check` runs.
ACCEPTED_PATH = Path("docs/api-changes-accepted.txt")
REASON = re.compile(r"\s+#")


class AcceptedChangesError(ValueError):
    """A line of the accepted-changes file that cannot be read as a break and its reason."""


def parse_accepted(text: str) -> dict[str, str]:
    """Each accepted break's line, with its reason."""
    accepted: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = REASON.split(line, maxsplit=1)
        reason = parts[1].strip() if len(parts) == 2 else ""
        if not reason:
            raise AcceptedChangesError(
                f"{ACCEPTED_PATH}:{number}: say why this break is acceptable: "
                f"`{parts[0]}  # <why, and who was told>`"
            )
        accepted[parts[0]] = reason
    return accepted
