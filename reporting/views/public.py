"""The public good-practice library."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render

from coalition.pagecache import public_page
from reporting import selectors
from reporting.forms import GoodPracticeFilterForm

PAGE_SIZE = 20


@public_page
def good_practice_list(request):
    options = selectors.good_practice_filter_options()
    form = GoodPracticeFilterForm(request.GET or None, options=options)
    # The raw values filter (the selector checks them): an unknown city or year finds
    # nothing, it is neither an error page nor silently ignored. NUL characters are dropped:
    # they match nothing, and PostgreSQL refuses them in a query.
    filters = {
        name: request.GET.get(name, "").replace("\x00", "").strip()[:100]
        for name in ("q", "commitment", "city", "country", "year")
    }
    practices = selectors.search_good_practices(**filters)
    page = Paginator(practices, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reporting/good_practice_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "filtered": any(filters.values()),
        },
    )
