"""django-allauth customisation, kept to its adapter as allauth intends."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import strip_tags

from coalition import outbox
from coalition.proxies import client_ip

User = get_user_model()


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
        full_name = getattr(form, "cleaned_data", {}).get("full_name")
        if full_name:
            user.full_name = full_name
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

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's emails (address confirmation, password reset) go through the outbox too.

        Rendered as allauth renders them, then queued (coalition.outbox), so a mail
        server failure is retried and never turns a sign-up into an error page.
        Published at once: allauth's flows run outside any transaction of ours.
        """
        # In the recipient's language (their stored preference, as the portal's own
        # emails: coalition.mail), not the language of the page that triggered it: a
        # reset asked for from an English page reaches a German speaker in German. An
        # address no account holds (unknown_account) gets the requester's language.
        with translation.override(self.recipient_language(email)):
            self._send_mail(template_prefix, email, context)

    def recipient_language(self, email: str) -> str:
        language = (
            User.objects.filter(email__iexact=email)
            .exclude(language="")
            .values_list("language", flat=True)
            .first()
        )
        if language in dict(settings.LANGUAGES):
            return language
        return translation.get_language() or settings.LANGUAGE_CODE

    def _send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        # The HTML part (templates/account/email/*_message.html, in emails/layout.html) is
        # titled and headed by the subject, as the portal's own emails are.
        ctx["EMAIL_SUBJECT"] = " ".join(
            render_to_string(f"{template_prefix}_subject.txt", ctx).split()
        )
        message = self.render_mail(template_prefix, email, ctx)
        alternatives = getattr(message, "alternatives", [])
        html = next((body for body, mimetype in alternatives if mimetype == "text/html"), "")
        text = message.body
        if getattr(message, "content_subtype", "plain") == "html":
            html, text = message.body, strip_tags(message.body)
        for address in message.to:
            outbox.queue_email(
                to=address,
                subject=message.subject,
                text=text,
                html=html,
                template=template_prefix,
                at_once=True,
            )
