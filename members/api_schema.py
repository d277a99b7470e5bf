"""The open-data API's OpenAPI schema: each parameter's valid values and each answer.

drf-spectacular documents the 200 answer of each operation and guesses the filters' types.
`OpenDataSchema` adds what a client needs to call the API without trial and error:

- each filter's valid values, read from the filter's own form field when the schema is
  generated (so the coalition slugs are the ones in the database): an enum for a choice
  ("" included where an empty value means "no filter"), a maximum length and no NUL
  character for text;
- the pagination's bounds (`members.api.pagination.Pagination` documents them);
- the error answers an operation can give, each with its body: 400 when a query parameter
  is invalid, 404 when there is no such object or page, 429 when the client is throttled.
"""

from __future__ import annotations

import logging

from django import forms
from django.db import DatabaseError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import FilterSet
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import get_view_model
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

logger = logging.getLogger(__name__)

#: Text parameters may hold anything but NUL (Django's form fields refuse it).
NO_NUL_PATTERN = r"^[^\x00]*$"


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=_("What went wrong, in words."))


class ParameterErrorsSerializer(serializers.Serializer):
    """The 400 body, {parameter: [message, ...]}: mapped by ParameterErrorsExtension."""


class ParameterErrorsExtension(OpenApiSerializerExtension):
    target_class = ParameterErrorsSerializer

    def map_serializer(self, auto_schema, direction):
        return {
            "type": "object",
            "description": _("Each invalid query parameter, with what is wrong with it."),
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "example": {
                "status": ["Select a valid choice. x is not one of the available choices."]
            },
        }


def valid_choices(field: forms.ChoiceField) -> list[str] | None:
    """The values a choice field accepts, "" included when it may be left empty.

    None when they cannot be read: a model's choices need its table, which a deploy check
    (`check --deploy` generates the schema) may run without.
    """
    try:
        values = {str(value) for value, _label in field.choices}  # type: ignore[union-attr, misc]  # a form field's choices are pairs
    except DatabaseError:
        logger.info("API schema: the choices of %s need the database", field.label)
        return None
    if not field.required:
        values.add("")
    return sorted(values)


def filter_parameters(
    filterset_class: type[FilterSet], *, queryset: QuerySet, exclude: tuple[str, ...] = ()
) -> list[OpenApiParameter]:
    """The query parameters of a filter set, each with the values its form field accepts."""
    form = filterset_class(queryset=queryset).form
    parameters = []
    for name, field in form.fields.items():
        if name in exclude:
            continue
        description = field.help_text or field.label or ""
        if isinstance(field, forms.ChoiceField):  # ModelChoiceField included
            parameters.append(
                OpenApiParameter(name, str, description=description, enum=valid_choices(field))
            )
        elif isinstance(field, forms.CharField):
            schema: dict = {"type": "string"}
            if field.max_length is not None:
                schema["maxLength"] = field.max_length
            parameters.append(
                OpenApiParameter(name, schema, description=description, pattern=NO_NUL_PATTERN)
            )
        else:  # pragma: no cover - every filter of the API is one of the above
            raise TypeError(f"document the valid values of filter {name!r}")
    return parameters


class OpenDataSchema(AutoSchema):
    """AutoSchema for the open-data views (`schema = OpenDataSchema()` on each)."""

    def _filterset(self) -> tuple[type[FilterSet] | None, tuple[str, ...]]:
        # A viewset filters its list only; a plain view (the exports) filters its one GET.
        if getattr(self.view, "action", "list") != "list":
            return None, ()
        return (
            getattr(self.view, "filterset_class", None),
            tuple(getattr(self.view, "undocumented_filters", ())),
        )

    def _paginated(self) -> bool:
        return self._is_list_view() and self._get_paginator() is not None

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        filterset_class, exclude = self._filterset()
        if filterset_class is not None:
            queryset = get_view_model(self.view)._default_manager.none()
            parameters += filter_parameters(filterset_class, queryset=queryset, exclude=exclude)
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        errors: dict[str, OpenApiResponse] = {}
        if self._filterset()[0] is not None or self._paginated():
            errors["400"] = OpenApiResponse(
                ParameterErrorsSerializer,
                description=_("A query parameter has a value it does not accept."),
            )
        if "{" in self.path or self._paginated():
            errors["404"] = OpenApiResponse(
                ErrorSerializer,
                description=_("There is no such object, or no such page of the list."),
            )
        if self.view.get_throttles():
            errors["429"] = OpenApiResponse(
                ErrorSerializer,
                description=_("Too many requests from this address: retry after a while."),
            )
        for code, response in errors.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    response, code, ["application/json"], direction
                )
        return responses
