"""Portal-wide pages: the home page, the personal dashboard, the language switch."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views import i18n
from django.views.decorators.http import require_POST


def home(request):
    from members.selectors import home_figures  # noqa: PLC0415

    return render(request, "home.html", home_figures())


@login_required
def dashboard(request):
    """What this person can do today, one panel per role they hold."""
    from coalition.outbox import dashboard_panels as outbox_panels  # noqa: PLC0415
    from governance.selectors import dashboard_panels as governance_panels  # noqa: PLC0415
    from members.selectors import dashboard_panels as members_panels  # noqa: PLC0415
    from reporting.selectors import dashboard_panels as reporting_panels  # noqa: PLC0415

    panels = [
        *members_panels(request.user),
        *governance_panels(request.user),
        *reporting_panels(request.user),
        *outbox_panels(request.user),
    ]
    return render(request, "dashboard.html", {"panels": panels})


@require_POST
def set_language(request):
    """Django's language switch, which also remembers a signed-in person's choice.

    The choice decides the language of the emails the portal sends them, and of
    the pages in a browser that has no language cookie yet (PreferredLanguageMiddleware).
    """
    response = i18n.set_language(request)
    language = request.POST.get("language", "")
    user = request.user
    if (
        user.is_authenticated
        and language in dict(settings.LANGUAGES)
        and getattr(user, "language", None) != language
    ):
        user.language = language
        user.save(update_fields=["language"])
    return response
