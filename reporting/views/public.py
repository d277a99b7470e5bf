"""The public good-practice library."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string

from coalition.pagecache import normalised_query, public_content, public_page
from reporting.filters import GoodPracticeFilter

PAGE_SIZE = 20


@public_page
def good_practice_list(request):
    query = request.GET.copy()
    body = public_content("good-practices", (normalised_query(query),), lambda: _library(query))
    return render(request, "reporting/good_practice_list.html", {"body": body})


def _library(query: QueryDict) -> str:
    """The library's body for these GET parameters (the same for every visitor)."""
    filters = GoodPracticeFilter(query)
    page = Paginator(filters.qs, PAGE_SIZE).get_page(query.get("page"))
    others = query.copy()
    others.pop("page", None)
    return render_to_string(
        "reporting/includes/good_practice_list_body.html",
        {
            "form": filters.form,
            "page": page,
            "query": others.urlencode(),
            "filtered": any(filters.criteria.values()),
        },
    )
