"""The confirmation page of an irreversible step, for every governance view that has one.

Such a step is a POST: with JavaScript the button's `data-confirm` dialog asks first and
sends `confirmed=1`; without it the POST arrives bare and this page asks instead.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def is_confirmed(request: HttpRequest) -> bool:
    return request.POST.get("confirmed") == "1"


def confirmation_page(
    request: HttpRequest,
    *,
    question: str,
    action: str,
    back: str,
    warning: str = "",
    template: str = "governance/elections/confirm.html",
    context: dict | None = None,
) -> HttpResponse:
    """Ask once more before the step; the form posts again with `confirmed=1`."""
    page = {"question": question, "action": action, "back": back, "warning": warning}
    return render(request, template, {**page, **(context or {})})
