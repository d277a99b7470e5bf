"""The public good-practice library."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render

from coalition.pagecache import public_page
from reporting.filters import GoodPracticeFilter

PAGE_SIZE = 20


@public_page
def good_practice_list(request):
    filters = GoodPracticeFilter(request.GET)
    page = Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reporting/good_practice_list.html",
        {
            "form": filters.form,
            "page": page,
            "query": query.urlencode(),
            "filtered": any(filters.criteria.values()),
        },
    )
