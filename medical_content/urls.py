"""URLs of medical_content that are not pages: include before Wagtail's catch-all."""

from django.urls import path

from . import views

app_name = "medical_content"

urlpatterns = [path("search/", views.search, name="search")]
