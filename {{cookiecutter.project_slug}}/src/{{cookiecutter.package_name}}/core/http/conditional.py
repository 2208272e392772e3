"""Conditional requests (RFC 9110, section 13): ETags out, If-None-Match and If-Match in.

A versioned resource's ETag is its version number, quoted: strong, since every change to
what the resource shows bumps its version. `If-None-Match` on a read lets a client revalidate
its copy for a 304 without the body; `If-Match` on a change makes it apply only to the version
the client read, so two clients cannot silently overwrite each other.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Header
from starlette.responses import Response

from {{ cookiecutter.package_name }}.core.versions import ExpectedVersions

# `*`, or a list of entity tags, each optionally weak: `W/"3", "4"` (RFC 9110, 8.8.3). The
# headers' schema holds this pattern, so FastAPI refuses anything else with a 422 naming the
# header, and the OpenAPI document tells clients the form.
TAG_LIST_PATTERN = r'^\s*(\*|(W/)?"[^"]*"(\s*,\s*(W/)?"[^"]*")*)\s*$'
_ENTITY_TAG = re.compile(r'(W/)?"([^"]*)"')


def entity_tag(version: int) -> str:
    return f'"{version}"'


def _tags(header: str) -> list[tuple[bool, str]]:
    """(weak, opaque tag) for each tag of a header that matched TAG_LIST_PATTERN."""
    return [(match.group(1) is not None, match.group(2)) for match in _ENTITY_TAG.finditer(header)]


def expected_versions(if_match: str) -> ExpectedVersions | None:
    """The versions a change may apply to, from its If-Match header ("": no condition)."""
    if not if_match:
        return None
    if if_match.strip() == "*":
        return ExpectedVersions(None)
    tags = _tags(if_match)
    # If-Match compares strongly: a weak tag never matches. A tag that is no version of ours
    # matches nothing, so the change is refused as a mismatch (412), not as a bad request.
    versions = frozenset(
        int(tag) for weak, tag in tags if not weak and tag.isascii() and tag.isdigit()
    )
    return ExpectedVersions(versions)


def not_modified(if_none_match: str, version: int) -> Response | None:
    """A 304 when If-None-Match names the current version (weakly, or `*`); else None."""
    if not if_none_match:
        return None
    listed = (opaque for _, opaque in _tags(if_none_match))
    matches = if_none_match.strip() == "*" or str(version) in listed
    return Response(status_code=304, headers={"ETag": entity_tag(version)}) if matches else None


# Typed `str` with "" for an absent header, not `str | None`: the OpenAPI document then offers
# no `null`, which a client would otherwise send as the text "null".
IfMatch = Annotated[
    str,
    Header(
        max_length=1024,
        pattern=TAG_LIST_PATTERN,
        description="Apply the change only to this version: the ETag of the last read, or `*`",
    ),
]
IfNoneMatch = Annotated[
    str,
    Header(
        max_length=1024,
        pattern=TAG_LIST_PATTERN,
        description="Answer 304 without a body if the resource still has one of these ETags",
    ),
]
