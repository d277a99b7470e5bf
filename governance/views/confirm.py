"""The confirmation page of an irreversible step, for every governance view that has one.

Such a step is a POST: with JavaScript the button's `data-confirm` dialog asks first and
sends `confirmed=1`; without it the POST arrives bare and this page asks instead.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from governance.attendance_forms import RejectForm
from governance.errors import GovernanceError


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


def reason_step(
    request: HttpRequest,
    *,
    step: Callable[[str], object],
    template: str,
    context: dict,
    done: str,
    next_url: str,
) -> HttpResponse:
    """A refusal confirmed with its reason (a proxy, a registration): the form, then `step`.

    GET shows the form; a POST with a reason runs `step(reason)` and goes to `next_url`;
    a missing reason or a refused step comes back with the error on its field (400).
    """
    form = RejectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            step(form.cleaned_data["reason"])
        except GovernanceError as exc:
            exc.add_to(form)
        else:
            messages.success(request, done)
            return redirect(next_url)
    status = 400 if request.method == "POST" else 200
    return render(request, template, {**context, "form": form}, status=status)
