"""Which changes to the OpenAPI document break a client that works with the old one.

`find_breaks(base, head)` compares two documents and lists every break, each with a stable
one-line description (`str(a_break)`), the line docs/api-changes-accepted.txt accepts it by.
A change breaks a client when something it relies on goes away, or something it never sent
becomes required:

- a path or an operation removed; a success (2xx) response, a media type or a response
  header removed;
- a property removed from a response, or a response property no longer required (it may now
  be missing);
- a new required parameter, request body or request-body property, or an optional one made
  required;
- a query parameter or a request-body property removed (the service refuses unknown query
  parameters and unknown body properties with a 422, so a client still sending it fails);
- a changed type: a request value of a type the new document no longer accepts, or a response
  value of a type the old one never returned (a field becoming nullable, say);
- narrowed request values: an enum value removed, an enum or a pattern added or changed, a
  bound tightened (`maxLength`, `minimum`, ...).

Additions are not breaks: a new path, operation, optional parameter or optional property, a
new response property, a wider request type. Schemas are compared through their `$ref`s,
each resolved in its own document; a path's parameter names do not matter
(`/items/{id}` and `/items/{item_id}` are one path to a client).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

Json = Mapping[str, object]

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# Bounds a request value must stay within: a smaller upper bound or a larger lower bound
# refuses a value the old document accepted.
UPPER_BOUNDS = ("maxLength", "maximum", "exclusiveMaximum", "maxItems", "maxProperties")
LOWER_BOUNDS = ("minLength", "minimum", "exclusiveMinimum", "minItems", "minProperties")
PATH_PARAMETER = re.compile(r"\{[^}]*\}")
NULL = frozenset({"null"})


@dataclass(frozen=True, order=True)
class Break:
    """One change that breaks a client: what kind, in which operation, and where in it."""

    kind: str
    operation: str
    where: str = ""

    def __str__(self) -> str:
        text = f"{self.kind}: {self.operation}"
        return f"{text} {self.where}" if self.where else text


def find_breaks(base: Json, head: Json) -> list[Break]:
    """Every change from `base` to `head` that breaks a client of `base`, sorted."""
    comparison = _Comparison(_Document(base), _Document(head))
    comparison.paths()
    return sorted(set(comparison.breaks))


def _mapping(value: object) -> Json:
    return value if isinstance(value, Mapping) else {}


def _names(value: object) -> set[str]:
    return {str(name) for name in value} if isinstance(value, list) else set()


def _number(value: object) -> float | None:
    # bool is an int to Python, never a bound to JSON Schema.
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


class _Document:
    def __init__(self, document: Json) -> None:
        self._document = document

    @property
    def paths(self) -> Json:
        return _mapping(self._document.get("paths"))

    def resolve(self, node: object) -> tuple[Json, str | None]:
        """The object a node stands for, following `$ref`s, and the last reference followed."""
        resolved = _mapping(node)
        reference: str | None = None
        followed: set[str] = set()
        while isinstance(ref := resolved.get("$ref"), str):
            if not ref.startswith("#/"):
                raise ValueError(f"{ref}: only references inside the document are supported")
            if ref in followed:
                raise ValueError(f"{ref}: the reference leads back to itself")
            followed.add(ref)
            target: Json = self._document
            for part in ref[2:].split("/"):
                target = _mapping(target.get(part.replace("~1", "/").replace("~0", "~")))
            if not target:
                raise ValueError(f"{ref}: the reference points at nothing")
            resolved, reference = target, ref
        return resolved, reference


@dataclass(frozen=True)
class _Place:
    """Where a schema sits: its operation, its part (request or response) and property path."""

    operation: str
    part: str
    request: bool
    path: str = ""

    def child(self, name: str) -> _Place:
        return _Place(self.operation, self.part, self.request, f"{self.path}.{name}".lstrip("."))

    def items(self) -> _Place:
        return _Place(self.operation, self.part, self.request, f"{self.path}[]")

    def breaking(self, kind: str, detail: str = "") -> Break:
        where = self.part + (f": {self.path}" if self.path else "")
        return Break(kind, self.operation, where + (f" ({detail})" if detail else ""))


class _Comparison:
    def __init__(self, base: _Document, head: _Document) -> None:
        self.base = base
        self.head = head
        self.breaks: list[Break] = []

    # --- paths and operations -------------------------------------------------------------

    def paths(self) -> None:
        head_paths = {PATH_PARAMETER.sub("{}", path): path for path in self.head.paths}
        for path, base_item in self.base.paths.items():
            head_path = head_paths.get(PATH_PARAMETER.sub("{}", path))
            if head_path is None:
                self.breaks.append(Break("removed-path", path))
                continue
            head_item = _mapping(self.head.paths[head_path])
            for method in HTTP_METHODS:
                base_operation = _mapping(base_item).get(method)
                if base_operation is None:
                    continue
                operation = f"{method.upper()} {head_path}"
                if method not in head_item:
                    self.breaks.append(Break("removed-operation", f"{method.upper()} {path}"))
                    continue
                self.parameters(
                    operation,
                    self._parameters(self.base, _mapping(base_item), _mapping(base_operation)),
                    self._parameters(self.head, head_item, _mapping(head_item[method])),
                )
                self.request_body(operation, base_operation, head_item[method])
                self.responses(operation, base_operation, head_item[method])

    @staticmethod
    def _parameters(document: _Document, item: Json, operation: Json) -> dict[str, Json]:
        """The operation's parameters by `in name`, the path item's overridden by its own."""
        found: dict[str, Json] = {}
        for node in [*_list(item.get("parameters")), *_list(operation.get("parameters"))]:
            parameter, _ = document.resolve(node)
            found[f"{parameter.get('in')} {parameter.get('name')}"] = parameter
        return found

    def parameters(self, operation: str, base: dict[str, Json], head: dict[str, Json]) -> None:
        for key, parameter in head.items():
            # A path's parameters follow its template, which the client already fills in.
            if parameter.get("in") == "path" or parameter.get("required") is not True:
                continue
            if key not in base or base[key].get("required") is not True:
                self.breaks.append(Break("new-required-parameter", operation, key))
        for key, parameter in base.items():
            if key not in head:
                # Only an unknown query parameter is refused; other ones are ignored.
                if parameter.get("in") == "query":
                    self.breaks.append(Break("removed-parameter", operation, key))
                continue
            self.schema(
                _Place(operation, key, request=True),
                parameter.get("schema"),
                head[key].get("schema"),
                frozenset(),
            )

    def request_body(self, operation: str, base_node: object, head_node: object) -> None:
        base, _ = self.base.resolve(_mapping(base_node).get("requestBody"))
        head, _ = self.head.resolve(_mapping(head_node).get("requestBody"))
        if head.get("required") is True and base.get("required") is not True:
            self.breaks.append(Break("new-required-request-body", operation))
        if not base or not head:
            return
        head_content = _mapping(head.get("content"))
        for media_type, base_media in _mapping(base.get("content")).items():
            place = _Place(operation, f"request {media_type}", request=True)
            if media_type not in head_content:
                self.breaks.append(place.breaking("removed-media-type"))
                continue
            self.schema(
                place,
                _mapping(base_media).get("schema"),
                _mapping(head_content[media_type]).get("schema"),
                frozenset(),
            )

    def responses(self, operation: str, base_node: object, head_node: object) -> None:
        head_responses = _mapping(_mapping(head_node).get("responses"))
        for status, base_node_response in _mapping(_mapping(base_node).get("responses")).items():
            if status not in head_responses:
                # A client relies on the success it gets; an error it no longer gets is fine.
                if status.startswith("2"):
                    self.breaks.append(Break("removed-response", operation, f"response {status}"))
                continue
            base, _ = self.base.resolve(base_node_response)
            head, _ = self.head.resolve(head_responses[status])
            head_headers = {name.lower() for name in _mapping(head.get("headers"))}
            for name in _mapping(base.get("headers")):
                if name.lower() not in head_headers:
                    self.breaks.append(
                        Break("removed-header", operation, f"response {status}: {name}")
                    )
            head_content = _mapping(head.get("content"))
            for media_type, base_media in _mapping(base.get("content")).items():
                place = _Place(operation, f"response {status} {media_type}", request=False)
                if media_type not in head_content:
                    self.breaks.append(place.breaking("removed-media-type"))
                    continue
                self.schema(
                    place,
                    _mapping(base_media).get("schema"),
                    _mapping(head_content[media_type]).get("schema"),
                    frozenset(),
                )

    # --- schemas --------------------------------------------------------------------------

    def schema(
        self,
        place: _Place,
        base_node: object,
        head_node: object,
        followed: frozenset[tuple[str | None, str | None]],
    ) -> None:
        base, base_ref = self.base.resolve(base_node)
        head, head_ref = self.head.resolve(head_node)
        if base_ref is not None or head_ref is not None:
            # A recursive schema (a tree of nodes) is compared once along each path.
            if (base_ref, head_ref) in followed:
                return
            followed = followed | {(base_ref, head_ref)}
        self.types(place, base, head)
        if place.request:
            self.values(place, base, head)
        self.properties(place, base, head, followed)
        if "items" in base and "items" in head:
            self.schema(place.items(), base["items"], head["items"], followed)
        base_variant = self._single_variant(self.base, base)
        head_variant = self._single_variant(self.head, head)
        if base_variant is not None and head_variant is not None:
            self.schema(place, base_variant, head_variant, followed)

    def types(self, place: _Place, base: Json, head: Json) -> None:
        base_types = _types(self.base, base)
        head_types = _types(self.head, head)
        # The side that must cover the other: what the client sends must still be accepted;
        # what the service returns must still be something the client knows.
        wider, narrower = (head_types, base_types) if place.request else (base_types, head_types)
        if wider is None:
            return
        if narrower is None or any(not _covers(wider, kind) for kind in narrower):
            detail = f"{_type_text(base_types)} -> {_type_text(head_types)}"
            self.breaks.append(place.breaking("changed-type", detail))

    def values(self, place: _Place, base: Json, head: Json) -> None:
        base_enum, head_enum = base.get("enum"), head.get("enum")
        if isinstance(head_enum, list):
            if isinstance(base_enum, list):
                for value in base_enum:
                    if value not in head_enum:
                        self.breaks.append(place.breaking("removed-enum-value", json.dumps(value)))
            else:
                self.breaks.append(place.breaking("narrowed-value", "enum added"))
        if "const" in head and ("const" not in base or base["const"] != head["const"]):
            self.breaks.append(place.breaking("narrowed-value", "const"))
        if isinstance(head.get("pattern"), str) and head.get("pattern") != base.get("pattern"):
            self.breaks.append(place.breaking("narrowed-value", "pattern"))
        for bound in UPPER_BOUNDS:
            self._bound(place, bound, base.get(bound), head.get(bound), tighter_if_smaller=True)
        for bound in LOWER_BOUNDS:
            self._bound(place, bound, base.get(bound), head.get(bound), tighter_if_smaller=False)

    def _bound(
        self, place: _Place, bound: str, base: object, head: object, *, tighter_if_smaller: bool
    ) -> None:
        new = _number(head)
        if new is None:
            return
        old = _number(base)
        if old is None or (new < old if tighter_if_smaller else new > old):
            detail = f"{bound} {'none' if old is None else base} -> {head}"
            self.breaks.append(place.breaking("narrowed-value", detail))

    def properties(
        self,
        place: _Place,
        base: Json,
        head: Json,
        followed: frozenset[tuple[str | None, str | None]],
    ) -> None:
        base_properties = _mapping(base.get("properties"))
        head_properties = _mapping(head.get("properties"))
        base_required = _names(base.get("required"))
        head_required = _names(head.get("required"))
        if place.request:
            for name in sorted(head_required - base_required):
                self.breaks.append(place.child(name).breaking("new-required-property"))
            # An object that refuses unknown properties refuses one that was allowed before.
            if head.get("additionalProperties") is False:
                for name in sorted(set(base_properties) - set(head_properties)):
                    self.breaks.append(place.child(name).breaking("removed-property"))
        else:
            for name in sorted(set(base_properties) - set(head_properties)):
                self.breaks.append(place.child(name).breaking("removed-property"))
            for name in sorted((base_required - head_required) & set(head_properties)):
                self.breaks.append(place.child(name).breaking("optional-property"))
        for name in sorted(set(base_properties) & set(head_properties)):
            self.schema(place.child(name), base_properties[name], head_properties[name], followed)

    @staticmethod
    def _single_variant(document: _Document, schema: Json) -> object | None:
        """The one non-null variant of an `anyOf`/`oneOf` (an optional value), if that is all."""
        variants = [*_list(schema.get("anyOf")), *_list(schema.get("oneOf"))]
        kept = [node for node in variants if _types(document, document.resolve(node)[0]) != NULL]
        return kept[0] if len(kept) == 1 else None


def _list(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []


def _types(document: _Document, schema: Json, depth: int = 0) -> frozenset[str] | None:
    """The JSON types a schema allows, or None when it allows any."""
    declared = schema.get("type")
    if isinstance(declared, str):
        return frozenset({declared})
    if isinstance(declared, list):
        return frozenset(str(kind) for kind in declared)
    variants = [*_list(schema.get("anyOf")), *_list(schema.get("oneOf"))]
    if not variants or depth > 10:
        return None
    found: set[str] = set()
    for node in variants:
        kinds = _types(document, document.resolve(node)[0], depth + 1)
        if kinds is None:
            return None
        found |= kinds
    return frozenset(found)


def _covers(kinds: frozenset[str], kind: str) -> bool:
    # Every integer is a number.
    return kind in kinds or (kind == "integer" and "number" in kinds)


def _type_text(kinds: frozenset[str] | None) -> str:
    return "any" if kinds is None else "|".join(sorted(kinds))
