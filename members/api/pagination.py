"""The API's page-number pagination, with its bounds checked (a page past the end, or not a number,
is a 400 that names the valid range).
"""

from __future__ import annotations

import re
import sys

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

_DIGITS = re.compile(r"[0-9]+")


class Pagination(PageNumberPagination):
    """Pages of 50 by default. A malformed page or page size is a 400 naming it (not a
    silent default); a page past the last is DRF's 404."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    last_page_strings = ()  # only numbers: what the schema documents

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if raw is None:
            return 1
        digits = raw.lstrip("0") if _DIGITS.fullmatch(raw) else ""
        if not digits:
            raise ValidationError(
                {self.page_query_param: [_("A page number is a whole number from 1.")]}
            )
        # A number this long is past any real page: the paginator answers 404.
        return sys.maxsize if len(digits) > 18 else int(digits)

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not _DIGITS.fullmatch(raw) or len(raw) > 4 or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("The page size is a whole number from 1 to %(max)s.")
                        % {"max": self.max_page_size}
                    ]
                }
            )
        return int(raw)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters
