"""Each kind of break is found, additions are not breaks, and `$ref`s are followed."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from {{ cookiecutter.package_name }}.openapi.breaking import find_breaks
from {{ cookiecutter.package_name }}.openapi.document import build_document

JSON_BODY = "application/json"


def base_document() -> dict[str, Any]:
    """A small API: items read by id, listed, and created from a strict body."""
    item_ref = {"$ref": "#/components/schemas/Item"}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Items", "version": "1"},
        "paths": {
            "/items": {
                "get": {
                    "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer"}}],
                    "responses": {
                        "200": {
                            "description": "A page",
                            "content": {
                                JSON_BODY: {
                                    "schema": {"type": "array", "items": item_ref},
                                }
                            },
                        }
                    },
                },
                "post": {
                    "requestBody": {
                        "required": True,
                        "content": {
                            JSON_BODY: {"schema": {"$ref": "#/components/schemas/ItemCreate"}}
                        },
                    },
                    "responses": {
                        "201": {
                            "description": "Created",
                            "headers": {"Location": {"schema": {"type": "string"}}},
                            "content": {JSON_BODY: {"schema": item_ref}},
                        },
                        "422": {"description": "Invalid"},
                    },
                },
            },
            "/items/{item_id}": {
                "parameters": [{"name": "item_id", "in": "path", "required": True, "schema": {}}],
                "get": {
                    "responses": {
                        "200": {"description": "One", "content": {JSON_BODY: {"schema": item_ref}}}
                    }
                },
                "delete": {"responses": {"204": {"description": "Deleted"}}},
            },
        },
        "components": {
            "schemas": {
                "Item": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "string"},
                        "name": {"type": "string"},
                        "owner": {"$ref": "#/components/schemas/Owner"},
                        "parent": {
                            "anyOf": [{"$ref": "#/components/schemas/Item"}, {"type": "null"}]
                        },
                    },
                    "required": ["id", "name", "owner"],
                },
                "Owner": {
                    "type": "object",
                    "properties": {"email": {"type": "string"}},
                    "required": ["email"],
                },
                "ItemCreate": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        "name": {"type": "string", "maxLength": 100},
                        "comment": {"type": "string"},
                        "kind": {"type": "string", "enum": ["small", "large"]},
                        "size": {"type": "integer", "minimum": 1},
                    },
                    "required": ["name"],
                },
            }
        },
    }


def changed(base: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(base)


def breaks(head: dict[str, Any]) -> list[str]:
    return [str(found) for found in find_breaks(base_document(), head)]


def schemas(document: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = document["components"]["schemas"]
    return found


def test_the_same_document_breaks_nothing() -> None:
    assert breaks(base_document()) == []


# --- removed --------------------------------------------------------------------------------


def test_a_removed_path_breaks_once_for_the_path() -> None:
    head = changed(base_document())
    del head["paths"]["/items/{item_id}"]

    assert breaks(head) == ["removed-path: /items/{item_id}"]


def test_a_removed_operation() -> None:
    head = changed(base_document())
    del head["paths"]["/items/{item_id}"]["delete"]

    assert breaks(head) == ["removed-operation: DELETE /items/{item_id}"]


def test_a_removed_response_property_breaks_every_response_that_refers_to_it() -> None:
    head = changed(base_document())
    del schemas(head)["Item"]["properties"]["name"]
    schemas(head)["Item"]["required"].remove("name")

    assert breaks(head) == [
        "removed-property: GET /items response 200 application/json: [].name",
        "removed-property: GET /items/{item_id} response 200 application/json: name",
        "removed-property: POST /items response 201 application/json: name",
    ]


def test_a_property_removed_deeper_through_a_reference_is_named_by_its_path() -> None:
    head = changed(base_document())
    schemas(head)["Owner"] = {"type": "object", "properties": {}}

    assert "removed-property: GET /items/{item_id} response 200 application/json: owner.email" in (
        breaks(head)
    )


def test_a_response_property_no_longer_required_may_be_missing() -> None:
    head = changed(base_document())
    schemas(head)["Item"]["required"] = ["id", "owner"]

    assert "optional-property: GET /items/{item_id} response 200 application/json: name" in (
        breaks(head)
    )


def test_a_removed_success_response_breaks_a_removed_error_response_does_not() -> None:
    head = changed(base_document())
    responses = head["paths"]["/items"]["post"]["responses"]
    responses["200"] = responses.pop("201")
    del responses["422"]

    assert breaks(head) == ["removed-response: POST /items response 201"]


def test_a_removed_media_type_and_a_removed_header() -> None:
    head = changed(base_document())
    post = head["paths"]["/items"]["post"]
    post["requestBody"]["content"] = {"text/csv": {"schema": {"type": "string"}}}
    del post["responses"]["201"]["headers"]["Location"]

    assert breaks(head) == [
        "removed-header: POST /items response 201: Location",
        "removed-media-type: POST /items request application/json",
    ]


def test_a_removed_query_parameter_is_refused_by_the_service_so_it_breaks() -> None:
    head = changed(base_document())
    head["paths"]["/items"]["get"]["parameters"] = []

    assert breaks(head) == ["removed-parameter: GET /items query limit"]


def test_a_removed_request_property_breaks_where_unknown_properties_are_refused() -> None:
    head = changed(base_document())
    del schemas(head)["ItemCreate"]["properties"]["comment"]
    assert breaks(head) == ["removed-property: POST /items request application/json: comment"]

    del schemas(head)["ItemCreate"]["additionalProperties"]
    assert breaks(head) == []


# --- new required input ---------------------------------------------------------------------


def test_a_new_required_parameter_and_an_optional_one_made_required() -> None:
    head = changed(base_document())
    parameters = head["paths"]["/items"]["get"]["parameters"]
    parameters[0]["required"] = True
    parameters.append({"name": "X-Tenant", "in": "header", "required": True, "schema": {}})

    assert breaks(head) == [
        "new-required-parameter: GET /items header X-Tenant",
        "new-required-parameter: GET /items query limit",
    ]


def test_a_new_required_request_property_and_an_optional_one_made_required() -> None:
    head = changed(base_document())
    create = schemas(head)["ItemCreate"]
    create["properties"]["colour"] = {"type": "string"}
    create["required"] = ["name", "colour", "comment"]

    assert breaks(head) == [
        "new-required-property: POST /items request application/json: colour",
        "new-required-property: POST /items request application/json: comment",
    ]


def test_a_request_body_made_required() -> None:
    head = changed(base_document())
    head["paths"]["/items/{item_id}"]["delete"]["requestBody"] = {
        "required": True,
        "content": {JSON_BODY: {"schema": {"type": "object"}}},
    }

    assert breaks(head) == ["new-required-request-body: DELETE /items/{item_id}"]


# --- narrowed types and values --------------------------------------------------------------


def test_a_request_type_changed_breaks_a_wider_one_does_not() -> None:
    head = changed(base_document())
    schemas(head)["ItemCreate"]["properties"]["comment"] = {"type": "integer"}
    assert breaks(head) == [
        "changed-type: POST /items request application/json: comment (string -> integer)"
    ]

    head = changed(base_document())
    schemas(head)["ItemCreate"]["properties"]["size"] = {
        "anyOf": [{"type": "number", "minimum": 1}, {"type": "null"}]
    }
    assert breaks(head) == []


def test_a_response_value_that_may_now_be_null_breaks() -> None:
    head = changed(base_document())
    schemas(head)["Item"]["properties"]["name"] = {"anyOf": [{"type": "string"}, {"type": "null"}]}

    assert (
        "changed-type: GET /items/{item_id} response 200 application/json: name "
        "(string -> null|string)"
    ) in breaks(head)


def test_a_removed_enum_value_breaks_a_new_one_does_not() -> None:
    head = changed(base_document())
    schemas(head)["ItemCreate"]["properties"]["kind"]["enum"] = ["small", "medium"]

    assert breaks(head) == [
        'removed-enum-value: POST /items request application/json: kind ("large")'
    ]


@pytest.mark.parametrize(
    ("bound", "value", "expected"),
    [
        ("maxLength", 50, "name (maxLength 100 -> 50)"),
        ("maxLength", 200, None),
        ("minLength", 3, "name (minLength none -> 3)"),
        ("pattern", "^[a-z]+$", "name (pattern)"),
    ],
)
def test_a_tightened_request_bound_breaks_a_looser_one_does_not(
    bound: str, value: object, expected: str | None
) -> None:
    head = changed(base_document())
    schemas(head)["ItemCreate"]["properties"]["name"][bound] = value

    found = breaks(head)

    if expected is None:
        assert found == []
    else:
        assert found == [f"narrowed-value: POST /items request application/json: {expected}"]


def test_a_query_parameter_with_a_narrowed_type() -> None:
    head = changed(base_document())
    head["paths"]["/items"]["get"]["parameters"][0]["schema"] = {"type": "integer", "maximum": 50}

    assert breaks(head) == ["narrowed-value: GET /items query limit (maximum none -> 50)"]


# --- additions and what is not a break ------------------------------------------------------


def test_additions_break_nothing() -> None:
    head = changed(base_document())
    head["paths"]["/tags"] = {"get": {"responses": {"200": {"description": "Tags"}}}}
    head["paths"]["/items/{item_id}"]["patch"] = {"responses": {"200": {"description": "Ok"}}}
    head["paths"]["/items"]["get"]["parameters"].append(
        {"name": "q", "in": "query", "schema": {"type": "string"}}
    )
    schemas(head)["ItemCreate"]["properties"]["colour"] = {"type": "string"}
    schemas(head)["ItemCreate"]["properties"]["kind"]["enum"].append("medium")
    schemas(head)["Item"]["properties"]["created_at"] = {"type": "string"}
    head["paths"]["/items"]["post"]["responses"]["409"] = {"description": "Conflict"}

    assert breaks(head) == []


def test_a_renamed_path_parameter_is_the_same_path() -> None:
    head = changed(base_document())
    item = head["paths"].pop("/items/{item_id}")
    item["parameters"][0]["name"] = "id"
    head["paths"]["/items/{id}"] = item

    assert breaks(head) == []


def test_a_recursive_schema_is_compared_without_end() -> None:
    head = changed(base_document())
    # Item.parent refers to Item itself: the change is found where Item is used, and not
    # again at parent.id, parent.parent.id and so on.
    del schemas(head)["Item"]["properties"]["id"]

    assert breaks(head) == [
        "removed-property: GET /items response 200 application/json: [].id",
        "removed-property: GET /items/{item_id} response 200 application/json: id",
        "removed-property: POST /items response 201 application/json: id",
    ]


def test_a_reference_to_nothing_is_an_error() -> None:
    head = changed(base_document())
    del schemas(head)["Owner"]

    with pytest.raises(ValueError, match=r"#/components/schemas/Owner: the reference points"):
        find_breaks(base_document(), head)


def test_the_apps_own_document() -> None:
    document = build_document()
    head = changed(document)
    removed = next(iter(head["paths"]))
    del head["paths"][removed]

    assert find_breaks(document, document) == []
    assert [str(found) for found in find_breaks(document, head)] == [f"removed-path: {removed}"]
