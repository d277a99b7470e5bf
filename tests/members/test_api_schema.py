"""The API's OpenAPI schema says what the API really does: its errors and its valid values.

Every operation documents the error answers it can give (400, 404, 429) with their bodies,
every query parameter documents the values the server accepts, and the server refuses the
others with the documented 400. (schemathesis checks the same from outside; these tests
need nothing but the test client.)
"""

from __future__ import annotations

import io
import json
from urllib.parse import urlsplit

import jsonschema
import pytest
from django.core.management import call_command
from django_countries import countries

from members.filters import SORT_CHOICES
from members.models import PUBLIC_STATUSES, Coalition

#: Operations that take the directory's filters or a page, by path.
LISTS = ("/api/v1/cities/", "/api/v1/coalitions/", "/api/v1/plans/")
EXPORTS = ("/api/v1/cities.csv", "/api/v1/cities.geojson")
DETAILS = ("/api/v1/cities/{slug}/", "/api/v1/coalitions/{slug}/", "/api/v1/plans/{id}/")


@pytest.fixture
def schema(client, world) -> dict:
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def operation(schema: dict, path: str) -> dict:
    return schema["paths"][path]["get"]


def query_parameters(schema: dict, path: str) -> dict[str, dict]:
    return {
        p["name"]: p["schema"] for p in operation(schema, path)["parameters"] if p["in"] == "query"
    }


def body_schema(schema: dict, path: str, status: int) -> dict:
    """The documented body of an answer, with the components it refers to."""
    content = operation(schema, path)["responses"][str(status)]["content"]
    return {**content["application/json"]["schema"], "components": schema["components"]}


#: Formats asserted, as schemathesis asserts them: a blank URL field is documented as
#: oneOf(a URI, an empty string), which only holds where "" is not a URI.
FORMATS = jsonschema.FormatChecker()


@FORMATS.checks("uri")
def _is_uri(value: str) -> bool:
    parts = urlsplit(value)
    return bool(parts.scheme and parts.netloc)


def as_json_schema(node):
    """OpenAPI 3.0's `nullable: true` in JSON Schema's words (a null type or branch)."""
    if isinstance(node, list):
        return [as_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: as_json_schema(value) for key, value in node.items()}
    if node.pop("nullable", False):
        if isinstance(node.get("type"), str):
            node["type"] = [node["type"], "null"]
        else:
            node = {"anyOf": [node, {"type": "null"}]}
    return node


def validate(instance: object, documented: dict) -> None:
    jsonschema.validate(instance, as_json_schema(documented), format_checker=FORMATS)


def body_of(response) -> object:
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return json.loads(data)


def test_the_schema_passes_drf_spectaculars_validation_without_warnings(world):
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    assert "openapi: 3" in out.getvalue()


def test_every_operation_documents_its_error_answers(schema):
    for path in (*LISTS, *EXPORTS, *DETAILS):
        responses = operation(schema, path)["responses"]
        expected = {"200", "429"}
        if path in LISTS or path in EXPORTS:
            expected.add("400")
        if path in LISTS or path in DETAILS:
            expected.add("404")
        assert set(responses) == expected, path
        for code in expected - {"200"}:
            assert "application/json" in responses[code]["content"], (path, code)
    errors = schema["components"]["schemas"]
    assert errors["Error"]["properties"]["detail"]["type"] == "string"
    assert errors["ParameterErrors"]["additionalProperties"]["items"]["type"] == "string"


def test_every_documented_filter_enum_is_exactly_the_accepted_choices(schema, world):
    coalitions = {"", *Coalition.objects.values_list("slug", flat=True)}
    expected = {
        "coalition": coalitions,
        "country": {"", *(code for code, _name in countries)},
        "status": {"", *PUBLIC_STATUSES},
        "sort": {"", *(value for value, _label in SORT_CHOICES)},
    }
    seen = set()
    for path in (*LISTS, *EXPORTS):
        for name, parameter in query_parameters(schema, path).items():
            if "enum" in parameter:
                assert set(parameter["enum"]) == expected[name], (path, name)
                seen.add(name)
    assert seen == set(expected)
    # The exports keep their own order: no sort is offered there.
    assert "sort" not in query_parameters(schema, "/api/v1/cities.csv")
    assert "format" not in query_parameters(schema, "/api/v1/cities.csv")


def test_every_documented_value_is_accepted(client, schema):
    for path in (*LISTS, *EXPORTS):
        for name, parameter in query_parameters(schema, path).items():
            values = parameter.get("enum", [])
            if name == "country":
                values = values[::25] + ["DE"]  # a sample: 250 codes behave alike
            for value in values:
                response = client.get(path, {name: value})
                assert response.status_code == 200, (path, name, value, body_of(response))


def invalid_values(parameter: dict) -> list[str]:
    """Values the schema refuses for this parameter."""
    if "enum" in parameter:
        return ["not-one-of-them"]
    if parameter["type"] == "integer":
        values = ["abc", "", "1.5", str(parameter["minimum"] - 1)]
        if "maximum" in parameter:
            values.append(str(parameter["maximum"] + 1))
        return values
    values = ["a\x00b"]  # every text parameter refuses NUL (its pattern)
    if "maxLength" in parameter:
        values.append("x" * (parameter["maxLength"] + 1))
    return values


def test_every_refused_value_is_the_documented_400_naming_the_parameter(client, schema):
    checked = 0
    for path in (*LISTS, *EXPORTS):
        documented_400 = body_schema(schema, path, 400)
        for name, parameter in query_parameters(schema, path).items():
            for value in invalid_values(parameter):
                response = client.get(path, {name: value})
                assert response.status_code == 400, (path, name, value)
                assert response["Content-Type"] == "application/json"
                body = body_of(response)
                validate(body, documented_400)
                assert list(body) == [name], (path, name, value, body)
                checked += 1
    assert checked > 30


def test_export_errors_are_json_whatever_the_client_accepts(client, world):
    response = client.get("/api/v1/cities.csv", {"status": "x"}, HTTP_ACCEPT="text/csv")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "status" in body_of(response)


def test_a_page_past_the_last_is_the_documented_404(client, schema):
    for path in LISTS:
        for page in ("999", "9" * 40):
            response = client.get(path, {"page": page})
            assert response.status_code == 404, (path, page)
            validate(body_of(response), body_schema(schema, path, 404))


def test_page_sizes_up_to_the_documented_maximum_are_served(client, schema):
    maximum = query_parameters(schema, "/api/v1/cities/")["page_size"]["maximum"]
    assert maximum == 500
    assert client.get("/api/v1/cities/", {"page_size": maximum}).status_code == 200
    assert client.get("/api/v1/cities/", {"page_size": 1}).json()["next"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/cities/no-such-city/",
        "/api/v1/cities/with.dot/",
        "/api/v1/plans/-2.5e-311/",
        "/api/v1/plans/999999999999999999999999/",
        "/api/v1/coalitions/%C2%B7/",
        "/api/v1/nothing-here",
    ],
)
def test_unknown_api_addresses_are_the_documented_json_404(client, schema, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    validate(body_of(response), body_schema(schema, "/api/v1/cities/{slug}/", 404))


def test_a_coalition_without_parent_matches_its_documented_schema(client, schema):
    data = client.get("/api/v1/coalitions/iccar/").json()
    assert data["parent"] is None
    validate(data, body_schema(schema, "/api/v1/coalitions/{slug}/", 200))
