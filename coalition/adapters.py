"""django-allauth customisation, kept to its adapter as allauth intends."""

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import translation

from coalition.proxies import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # Sign-up is open: cities applying to join need an account. Roles are
        # granted only by staff, never by signing up.
        return True

    def get_client_ip(self, request) -> str:
        # Rate limits (failed logins, sign-ups, resets) key on the address the trusted
        # proxies report, as the API's throttle does: behind the TLS proxy every visitor
        # would otherwise share the proxy's address and one lock-out.
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine client IP address")
        return ip

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.is_staff = False
        user.is_superuser = False
        # The language the person signed up in is the language of their emails,
        # until they switch (coalition.views.set_language).
        language = translation.get_language() or ""
        if language in dict(settings.LANGUAGES):
            user.language = language
        if commit:
            user.save()
        return user
