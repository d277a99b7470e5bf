"""Small helpers shared by the reporting views."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def login_required_json(view):
    """Like login_required, but a script asking for JSON gets 401 it can act on, not a page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if wants_json(request):
            return JsonResponse(
                {
                    "error": "signed_out",
                    "message": gettext("Your session has ended. Sign in again to save."),
                    "login_url": reverse("account_login"),
                },
                status=401,
            )
        return redirect_to_login(request.get_full_path())

    return wrapper
