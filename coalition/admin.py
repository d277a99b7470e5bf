from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from coalition.admin_audit import AuditedModelAdmin
from coalition.models import AuditEvent, EmailState, OutgoingEmail, User


@admin.register(User)
class UserAdmin(AuditedModelAdmin, BaseUserAdmin):
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


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit log is read-only for everyone, superusers included."""

    list_display = ["created_at", "actor", "verb", "object_repr", "from_state", "to_state"]
    list_filter = ["verb", "content_type"]
    search_fields = ["object_repr", "message", "actor__email"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Group permissions decide what staff may do in the admin: changes to them are audited too.
admin.site.unregister(Group)


@admin.register(Group)
class AuditedGroupAdmin(AuditedModelAdmin, GroupAdmin):
    pass


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
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
    readonly_fields = fields
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_send_again_permission(self, request) -> bool:
        return request.user.has_perm("coalition.change_outgoingemail")

    @admin.action(description=_("Send the failed emails again"), permissions=["send_again"])
    def send_again(self, request, queryset):
        from coalition import outbox  # noqa: PLC0415

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
