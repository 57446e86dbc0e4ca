"""The errors every operation of the open API may answer, added to the OpenAPI schema
(drf-spectacular post-processing hook): 404 (no such public object, or no such page), 429
(rate limit), and for lists 400 (a filter value the list does not offer)."""

ERROR = {"type": "object", "required": ["detail", "status"],
         "properties": {"detail": {"type": "string"}, "status": {"type": "integer"}}}
FIELD_ERRORS = {"type": "object", "description": "The refused filters, each with its reasons.",
                "additionalProperties": {"type": "array", "items": {"type": "string"}}}


def _response(description, name):
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}}


def add_error_responses(result, generator, request, public):
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"], schemas["FieldErrors"] = ERROR, FIELD_ERRORS
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            responses = operation["responses"]
            responses.setdefault("404", _response(
                "No public object with this id, or no such page.", "Error"))
            responses.setdefault("429", _response("Too many requests from this address.",
                                                  "Error"))
            if "{" not in path:
                responses.setdefault("400", _response("A filter value the list does not offer.",
                                                      "FieldErrors"))
    return result
