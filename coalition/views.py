"""Portal-wide pages: the home page, the personal dashboard, the language switch, privacy."""

from __future__ import annotations

import json

from allauth.account.decorators import reauthentication_required
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coalition import inbox, privacy
from coalition.forms import CloseAccountForm
from coalition.pagecache import public_content, public_page
from coalition.services import remember_language

#: What the home page shows: the figures of the directory. A dotted path, so that
#: `coalition/` imports no app (ADR 0006).
HOME_FIGURES = "members.selectors.home_figures"

#: Each app's panels of the personal dashboard, in this order: functions of the user
#: returning a list of panels (dotted paths, as HOME_FIGURES).
DASHBOARD_PANELS = (
    "members.selectors.dashboard_panels",
    "governance.selectors.dashboard_panels",
    "reporting.selectors.dashboard_panels",
    "coalition.outbox.dashboard_panels",
)


@public_page
def home(request):
    return render(request, "home.html", {"body": public_content("home", (), _home_body)})


def _home_body() -> str:
    """The home page's body, rendered without the request (the same for every visitor)."""
    return render_to_string("home_body.html", import_string(HOME_FIGURES)())


@login_required
def dashboard(request):
    """What this person can do today, one panel per role they hold."""
    panels = [panel for path in DASHBOARD_PANELS for panel in import_string(path)(request.user)]
    return render(request, "dashboard.html", {"panels": panels, "inbox": inbox.panel(request.user)})


@login_required
def message_list(request):
    """Every message the portal sent the person lately (the emails, as the dashboard lists)."""
    page = Paginator(inbox.messages_for(request.user), 25).get_page(request.GET.get("page"))
    return render(request, "messages/message_list.html", {"page_obj": page})


@login_required
def message_detail(request, pk: int):
    """One message, as it was emailed (its text version); someone else's is a 404."""
    message = inbox.message_for_user(request.user, pk)
    return render(request, "messages/message_detail.html", {"message": message})


@require_POST
def set_language(request):
    """Django's language switch, which also remembers a signed-in person's choice.

    The choice decides the language of the emails the portal sends them, and of
    the pages in a browser that has no language cookie yet (PreferredLanguageMiddleware).
    """
    response = i18n.set_language(request)
    if request.user.is_authenticated:
        remember_language(request.user, request.POST.get("language", ""))
    return response


@require_GET
def privacy_notice(request):
    """What the portal keeps about people, why, for how long and who sees it."""
    return render(request, "privacy.html", {"records": privacy.privacy_notice()})


@never_cache
@login_required
@require_GET
def my_data(request):
    """The person's own data, readable; the same as the JSON download."""
    data = privacy.personal_data(request.user)
    return render(
        request,
        "my_data.html",
        {"sections": privacy.readable_sections(data), "generated_at": data["generated_at"]},
    )


@never_cache
@login_required
@require_GET
def my_data_json(request):
    data = privacy.personal_data(request.user)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    filename = f"my-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@reauthentication_required(allow_get=True)
def close_account(request):
    """Confirm, then close. allauth asks for the password (or second factor) again on the POST
    unless the person confirmed it in the last few minutes, and resumes the POST afterwards."""
    form = CloseAccountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            privacy.close_account(actor=request.user, user=request.user)
        except privacy.PrivacyError as exc:
            form.add_error(None, str(exc))
        else:
            logout(request)
            messages.success(request, _("Your account is closed. Thank you for your work."))
            return redirect("home")
    return render(
        request,
        "close_account.html",
        {"form": form, "consequences": privacy.closing_consequences(request.user)},
    )


def server_error(request, template_name: str = "500.html"):
    """The branded 500 page (handler500), rendered without a request context.

    Nothing here touches the database or the context processors: the error may be theirs.
    The bare text answer is the last resort if even the template fails.
    """
    try:
        body = loader.get_template(template_name).render({"PORTAL_NAME": settings.PORTAL_NAME})
    except Exception:  # noqa: BLE001 (the error page must answer whatever went wrong)
        body = "<!DOCTYPE html><title>Server error</title><h1>Server error (500)</h1>"
    return HttpResponseServerError(body)
