"""The consent layer's URLs: include before Wagtail's catch-all, e.g. at `consent/`."""

from django.urls import path

from . import views

app_name = "consent"

urlpatterns = [
    path("decide/", views.decide, name="decide"),
    path("preferences/", views.preferences, name="preferences"),
]
