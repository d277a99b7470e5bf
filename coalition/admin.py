from allauth.account.admin import EmailAddressAdmin
from allauth.account.models import EmailAddress
from allauth.mfa.admin import AuthenticatorAdmin
from allauth.mfa.models import Authenticator
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from coalition import outbox
from coalition.admin_access import PortalModelAdmin, ReadOnlyModelAdmin
from coalition.admin_audit import AuditedModelAdmin
from coalition.models import AuditEvent, EmailState, OutgoingEmail, User
from governance.models import CommitteeSeat
from members.admin_rights import roles_seen_by
from members.models import Role


@admin.register(User)
class UserAdmin(AuditedModelAdmin, BaseUserAdmin):
    """Accounts: superusers only. Staff pick people (for a role, a seat) through choice_queryset."""

    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_superuser", "is_active", "last_login"]
    list_filter = ["is_staff", "is_superuser", "is_active"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("full_name", "language")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "is_staff" in form.base_fields:
            # Django's text says this flag opens the admin; here only roles do.
            form.base_fields["is_staff"].help_text = _(
                "Opens nothing by itself: the admin is for superusers and for people with a "
                "current bureau or secretariat role."
            )
        return form

    def choice_queryset(self, request, coalition_ids):
        """The people staff of these coalitions may appoint: their coalition's, or nobody's yet.

        A person with a current role or seat in another coalition only is not theirs to
        appoint; administrators and the acting person themselves are never offered.
        """
        roles = Role.objects.current()
        seats = CommitteeSeat.objects.current().filter(representative__isnull=False)
        ids = list(coalition_ids)
        theirs = Q(pk__in=roles_seen_by(ids, roles).values("user")) | Q(
            pk__in=seats.filter(coalition_id__in=ids).values("representative")
        )
        nobodys = ~Q(pk__in=roles.values("user")) & ~Q(pk__in=seats.values("representative"))
        return (
            User.objects.filter(is_active=True, is_superuser=False)
            .filter(theirs | nobodys)
            .exclude(pk=request.user.pk)
        )


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyModelAdmin):
    """The audit log is read-only for everyone, superusers included."""

    list_display = ["created_at", "actor", "verb", "object_repr", "from_state", "to_state"]
    list_filter = ["verb", "content_type"]
    search_fields = ["object_repr", "message", "actor__email"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# Group permissions grant nothing in the admin any more (rights follow roles), but the
# groups stay editable by superusers, and changes to them are audited.
admin.site.unregister(Group)


@admin.register(Group)
class AuditedGroupAdmin(AuditedModelAdmin, GroupAdmin):  # type: ignore[misc]  # the stubs' request default
    pass


# allauth's own admin pages, on the portal's base: superusers only, safe against hostile filters.
admin.site.unregister(EmailAddress)
admin.site.unregister(Authenticator)


@admin.register(EmailAddress)
class PortalEmailAddressAdmin(PortalModelAdmin, EmailAddressAdmin):
    pass


@admin.register(Authenticator)
class PortalAuthenticatorAdmin(PortalModelAdmin, AuthenticatorAdmin):
    pass


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(ReadOnlyModelAdmin):
    """The outbox: what was sent, what waits for its next attempt, what failed for good.

    Read-only; a failed email can be sent again (audited). The bodies are not shown:
    some carry sign-in links (password reset).
    """

    list_display = ["created_at", "to", "subject", "state", "attempts", "next_attempt_at"]
    list_filter = ["state", "template"]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"
    fields = [
        "created_at",
        "template",
        "to",
        "subject",
        "state",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
    ]
    readonly_fields = fields  # type: ignore[assignment]  # plain names; the stubs type fields wider
    actions = ["send_again"]

    def has_send_again_permission(self, request) -> bool:
        return request.user.has_perm("coalition.change_outgoingemail")

    @admin.action(description=_("Send the failed emails again"), permissions=["send_again"])
    def send_again(self, request, queryset):
        failed = list(queryset.filter(state=EmailState.FAILED))
        for email in failed:
            outbox.send_again(actor=request.user, email=email)
        self.message_user(
            request,
            ngettext(
                "%(count)d email will be sent again.",
                "%(count)d emails will be sent again.",
                len(failed),
            )
            % {"count": len(failed)},
            messages.SUCCESS,
        )
