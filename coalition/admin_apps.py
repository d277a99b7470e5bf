"""The admin app, with the portal's own site (coalition.admin_access.PortalAdminSite)."""

from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    default_site = "coalition.admin_access.PortalAdminSite"
