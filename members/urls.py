from django.urls import path

from members import views

app_name = "members"

urlpatterns = [
    path("coalitions/", views.coalition_list, name="coalition_list"),
    path("coalitions/<slug:slug>/", views.coalition_detail, name="coalition_detail"),
    path("cities/", views.city_list, name="city_list"),
    path("cities/<slug:slug>/", views.city_detail, name="city_detail"),
]
