from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from coalition import health, views

admin.site.site_header = settings.PORTAL_NAME
admin.site.site_title = settings.PORTAL_NAME

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/messages/", views.message_list, name="message_list"),
    path("dashboard/messages/<int:pk>/", views.message_detail, name="message_detail"),
    path("healthz", health.healthz, name="healthz"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("privacy/", views.privacy_notice, name="privacy"),
    path("accounts/my-data/", views.my_data, name="my_data"),
    path("accounts/my-data.json", views.my_data_json, name="my_data_json"),
    path("accounts/close/", views.close_account, name="close_account"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("members.urls")),
    path("", include("governance.urls")),
    path("", include("reporting.urls")),
]

# The branded 500 page, rendered without context processors (coalition.views.server_error).
handler500 = "coalition.views.server_error"
