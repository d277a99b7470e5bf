"""Portal-wide pages: the home page and the personal dashboard."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


def home(request):
    from members.selectors import home_figures  # noqa: PLC0415

    return render(request, "home.html", home_figures())


@login_required
def dashboard(request):
    """What this person can do today, one panel per role they hold."""
    from governance.selectors import dashboard_panels as governance_panels  # noqa: PLC0415
    from members.selectors import dashboard_panels as members_panels  # noqa: PLC0415
    from reporting.selectors import dashboard_panels as reporting_panels  # noqa: PLC0415

    panels = [
        *members_panels(request.user),
        *governance_panels(request.user),
        *reporting_panels(request.user),
    ]
    return render(request, "dashboard.html", {"panels": panels})
