"""Portal-wide middleware: staff two-factor authentication, a person's preferred language."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from members.selectors import roles_for


def user_needs_mfa(user) -> bool:

    if not getattr(user, "is_authenticated", False):
        return False
    # Superusers and current bureau and secretariat roles: those the admin opens for. A stale
    # is_staff flag alone opens nothing, so it asks for nothing either.
    if not roles_for(user).is_staff_role:
        return False
    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class StaffMFARequiredMiddleware:
    """Sends a staff user without TOTP to the set-up page before anything else.

    The account pages themselves (to set up TOTP, or log out) stay reachable,
    as do static files and the health check.
    """

    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.COALITION_STAFF_MFA_REQUIRED
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and user_needs_mfa(request.user)
        ):
            messages.warning(
                request,
                _(
                    "Your role requires two-factor authentication. "
                    "Set up an authenticator app to continue."
                ),
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


class PreferredLanguageMiddleware:
    """Pages in the language a signed-in person chose, in a browser that has not chosen one.

    LocaleMiddleware reads the language cookie and the browser's Accept-Language;
    a person who once switched language on the portal (User.language) gets it
    everywhere they sign in, until this browser switches again (the cookie wins).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        preferred = (
            getattr(user, "language", "") if getattr(user, "is_authenticated", False) else ""
        )
        if (
            preferred
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            and preferred != getattr(request, "LANGUAGE_CODE", None)
        ):
            translation.activate(preferred)
            request.LANGUAGE_CODE = preferred
        return self.get_response(request)
